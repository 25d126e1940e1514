"""A stand-in for gguf_worker.py: the same line protocol, a canned reply, and a native crash on demand
(when the file named by FAKE_WORKER_CRASH_FLAG exists, the next request kills the process with SIGSEGV)."""
import json
import os
import signal
import sys

print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    flag = os.environ.get("FAKE_WORKER_CRASH_FLAG", "")
    if flag and os.path.exists(flag):
        os.remove(flag)
        os.kill(os.getpid(), signal.SIGSEGV)
    for piece in ("中心城市空气质量", "优良天数全年", "不少于325天", "[1]。"):
        print(json.dumps({"token": piece}, ensure_ascii=False), flush=True)
    print(json.dumps({"done": True}), flush=True)
