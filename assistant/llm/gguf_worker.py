"""The llama.cpp worker process behind ``ASSISTANT_LLM=gguf:/path/model.gguf`` (run by ``gguf.py``).

Standalone on purpose: it may run under another Python (``ASSISTANT_GGUF_PYTHON``, e.g. a venv with
llama-cpp-python) and imports nothing from this project. It loads the model once, then answers one
JSON request per stdin line with JSON lines on stdout: ``{"token": …}``…, then ``{"done": true}`` or
``{"error": …}``. A native crash ends only this process; the assistant reports it and falls back.

``use_extra_bufts`` is off: on CPUs with AMX, llama.cpp's extra buffer types segfaulted on the first
request (llama-cpp-python 0.3.36); without them it runs, a little slower. That version exposes no
argument for it, so the default-parameters factory ``Llama()`` calls is wrapped (as scripts/llm_server.sh
does for the server).
"""
import json
import os
import sys


def main() -> int:
    model_path = sys.argv[1]
    try:
        import llama_cpp.llama_cpp as low
        from llama_cpp import Llama
    except ImportError:
        print(json.dumps({"fatal": "llama-cpp-python 未安装（设置 ASSISTANT_GGUF_PYTHON 指向装有它的 Python）"}),
              flush=True)
        return 2
    default_params = low.llama_model_default_params

    def without_extra_buffers():
        params = default_params()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    low.llama_model_default_params = without_extra_buffers
    try:
        llm = Llama(model_path=model_path, n_ctx=4096, n_threads=max(1, (os.cpu_count() or 2) - 1), verbose=False)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        print(json.dumps({"fatal": f"模型加载失败：{type(exc).__name__}: {exc}"}), flush=True)
        return 2
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            stream = llm.create_chat_completion(messages=request["messages"], temperature=0, stream=True,
                                                max_tokens=int(request.get("max_tokens", 384)))
            for chunk in stream:
                token = chunk["choices"][0].get("delta", {}).get("content")
                if token:
                    print(json.dumps({"token": token}, ensure_ascii=False), flush=True)
            print(json.dumps({"done": True}), flush=True)
        except Exception as exc:  # noqa: BLE001 - one failed request must not end the worker
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
