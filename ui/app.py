"""The Gradio web UI: chat with clickable citations, the full text, the duty map, the figures and the quiz.

This module only lays out components and wires them to ``ui.handlers.Handlers``; markup comes from
``ui.render``, and the page's CSS and JavaScript are files in ``ui/static/`` handed to Gradio as
assets. The page loads nothing from outside: the theme uses installed CJK fonts only.
"""
from __future__ import annotations

import os
import traceback
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from ui.handlers import ALL, Handlers
from ui.identity import HEAD_PATH as IDENTITY_HEAD
from ui.identity import people_root
from ui.limits import MAX_BODY_BYTES, BodySizeLimit
from ui.render import documents_title, esc, render_citations, render_conversation, render_metadata, render_source

__all__ = ["build_app", "example_questions", "launch", "launch_kwargs"]

STATIC = Path(__file__).with_name("static")
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
             "WenQuanYi Micro Hei", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "ui-monospace", "Consolas", "monospace"]
# Answers take ~25 ms of CPU; more concurrent events than cores only queue inside the process.
CONCURRENCY = max(2, os.cpu_count() or 1)


def _js(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def example_questions(assistant) -> list[str]:
    """Example questions drawn from the loaded documents: the bodies they task most, then the masthead (of
    the last loaded document, by its title, when several are loaded)."""
    counts: dict[str, int] = {}
    for d in assistant.duties():
        for name in d["actors"]:
            if assistant.registry.get(name).kind in ("bureau", "office", "county"):
                counts[name] = counts.get(name, 0) + 1
    bodies = sorted(counts, key=lambda n: (-counts[n], n))[:2]
    documents = assistant.documents
    if len(documents) > 1:
        # A library: the masthead of one loaded document by its title, and named by its title.
        return [f"{name}要做什么？" for name in bodies] + [f"《{documents[-1]['title']}》是什么时候发布的？",
                                                       "What are the main points?"]
    return [f"{name}要做什么？" for name in bodies] + ["这是谁在什么时候讲的？", "What are the main points?"]


def make_theme() -> gr.themes.Base:
    """Installed fonts only (plain strings: no Google Fonts request, no font files served). Colours keep WCAG AA
    (4.5:1) for all text: Soft's subdued grey (slate-400, 2.45:1), its teal buttons and tabs (teal-500, 2.5:1)
    and its placeholder (2.6:1) are too faint, so text uses darker steps of the same hues."""
    theme = gr.themes.Soft(primary_hue="teal", secondary_hue="amber", neutral_hue="slate",
                           font=CJK_FONTS, font_mono=MONO_FONTS)
    return theme.set(
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_300",
        input_placeholder_color="*neutral_500", input_placeholder_color_dark="*neutral_400",
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700", button_primary_background_fill_hover_dark="*primary_800",
        button_primary_text_color="white", button_primary_text_color_dark="white",
        button_primary_border_color="*primary_700", button_primary_border_color_dark="*primary_700",
        color_accent="*primary_700", color_accent_soft="*primary_50")


def launch_kwargs() -> dict:
    """Theme, stylesheet and head script (ui/static/) that Gradio 6 takes at ``launch()``."""
    return {"theme": make_theme(), "css_paths": [STATIC / "app.css"], "head_paths": [IDENTITY_HEAD, STATIC / "head.html"]}


def build_app(assistant, *, quiz: bool = True, extra_tabs=()) -> gr.Blocks:
    """The Blocks app over one ``Assistant`` (pass ``launch_kwargs()`` to ``launch``). ``extra_tabs``: (label, id,
    builder(assistant)) for tabs this module may not import, such as the evaluator (``ui.eval_tab``, which
    imports ``eval``: the web UI and eval stay independent, and ``ui.cli serve`` joins them)."""
    h = Handlers(assistant)
    source = assistant.viewer_text   # every document, end to end: citations of each are marked in it
    examples = example_questions(assistant)
    library = [(d["title"], d["id"]) for d in assistant.documents]
    duty_html, duty_count_text = h.filter_duties(ALL, "")
    fig_html, fig_count_text = h.filter_figures(ALL, "")

    # Gradio keeps a copy of every exported file in its cache: those older than an hour go, checked every
    # ten minutes (without this they stay until the server restarts).
    with gr.Blocks(title="讲话问答助手", analytics_enabled=False, delete_cache=(600, 3600)) as app:
        gr.HTML(f'<div id="jh-header-inner"><h1>讲话问答助手</h1>'
                f'<div class="sub">{esc(documents_title(assistant.documents))}</div></div>', elem_id="jh-header")
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        conv = gr.HTML(render_conversation([]), elem_id="conversation",
                                       js_on_load=_js("conversation.js"))
                        # Carries only the turn being answered; latest.js moves it into the log and the panel.
                        latest = gr.HTML("", elem_id="latest-turn", elem_classes=["offscreen"],
                                         js_on_load=_js("latest.js"))
                        # A library: answer from the documents picked here (none: those the question names, else all).
                        docs_dd = gr.Dropdown(library, value=[], multiselect=True, label="文件范围（不选：按问题所指，或全部）",
                                              visible=len(library) > 1, elem_id="doc-picker")
                        with gr.Row(equal_height=True, elem_id="question-row"):
                            question = gr.Textbox(label="问题", placeholder="输入问题，回车提问（例如：市交通局要做什么？）",
                                                  show_label=False, lines=1, max_lines=4, scale=5, min_width=200,
                                                  elem_id="question", autofocus=True)
                            ask_btn = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="ask-btn")
                        # Why the last question was not asked (it stays in the box, see static/submit.js).
                        note = gr.HTML("", elem_id="question-note")
                        with gr.Row():
                            example_btns = [gr.Button(q, size="sm", elem_classes=["example"]) for q in examples]
                        with gr.Row():
                            clear_btn = gr.Button("清空对话", size="sm", elem_id="clear-btn")
                            # The file is written when asked for, not after every answer (no disk work per turn).
                            export_btn = gr.Button("导出对话（Markdown）", size="sm", interactive=False,
                                                   elem_id="export-btn")
                            download = gr.DownloadButton("下载 Markdown 文件", value=None, visible=False, size="sm",
                                                         elem_id="download-btn")
                        fb_status = gr.HTML("", elem_id="fb-status")
                        # This browser's own ratings and exports (ui.identity), filled in when the page loads.
                        with gr.Accordion("我的反馈与导出（仅本浏览器可见）", open=False, elem_id="my-records"):
                            fb_history = gr.HTML("", elem_id="my-feedback")
                            my_exports = gr.File(label="近一小时的导出", file_count="multiple", interactive=False,
                                                 elem_id="my-exports")
                    with gr.Column(scale=2, min_width=300):
                        cites = gr.HTML(render_citations([]), elem_id="citations")
                        gr.HTML('<div class="viewer-title">全文（点按引用定位）</div>')
                        gr.HTML(render_source(source, viewer_id="qa-viewer"), elem_id="qa-viewer")
            with gr.Tab("职责", id="duties"):
                gr.Markdown("文件给各单位布置的任务。按责任主体或关键词筛选；点按一行，在全文中高亮原句。")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        with gr.Row():
                            duty_doc_dd = gr.Dropdown([ALL] + h.document_titles, value=ALL, label="文件", scale=2,
                                                      min_width=160, visible=bool(h.document_titles),
                                                      elem_id="duty-doc-filter")
                            actor_dd = gr.Dropdown(h.actors, value=ALL, label="责任主体", scale=2, min_width=160,
                                                   elem_id="actor-filter")
                            keyword = gr.Textbox(label="关键词", placeholder="如：扬尘、汽修", scale=2, min_width=160,
                                                 elem_id="duty-keyword")
                        duty_count = gr.HTML(f'<p class="count">{duty_count_text}</p>', elem_id="duty-count")
                        duty_table = gr.HTML(duty_html, elem_id="duty-table", js_on_load=_js("table.js"))
                    with gr.Column(scale=2, min_width=300):
                        gr.HTML(render_source(source, viewer_id="duty-viewer"), elem_id="duty-viewer")
            with gr.Tab("数据", id="figures"):
                gr.Markdown("文件中的数字：目标、成绩、现状、数量与时间。按类型或关键词筛选；点按一行，在全文中高亮原句。")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        with gr.Row():
                            fig_doc_dd = gr.Dropdown([ALL] + h.document_titles, value=ALL, label="文件", scale=2,
                                                     min_width=160, visible=bool(h.document_titles),
                                                     elem_id="figure-doc-filter")
                            kind_dd = gr.Dropdown(h.kinds, value=ALL, label="类型", scale=1, min_width=120,
                                                  elem_id="kind-filter")
                            fig_keyword = gr.Textbox(label="关键词", placeholder="如：优良天数、PM2.5", scale=2,
                                                     min_width=160, elem_id="figure-keyword")
                        fig_count = gr.HTML(f'<p class="count">{fig_count_text}</p>', elem_id="figure-count")
                        fig_table = gr.HTML(fig_html, elem_id="figure-table", js_on_load=_js("table.js"))
                        gr.HTML(render_metadata(assistant.documents), elem_id="metadata-table")
                    with gr.Column(scale=2, min_width=300):
                        gr.HTML(render_source(source, viewer_id="figure-viewer"), elem_id="figure-viewer")
            if quiz:
                with gr.Tab("自测", id="quiz"):
                    try:
                        from ui.quiz_tab import build_quiz_tab

                        build_quiz_tab(assistant)
                    except Exception as exc:  # a broken quiz must not take the whole UI down
                        traceback.print_exc()
                        gr.Markdown(f"自测暂不可用：{esc(type(exc).__name__)}")
            for label, tab_id, builder in extra_tabs:
                with gr.Tab(label, id=tab_id):
                    try:
                        builder(assistant)
                    except Exception as exc:  # a broken extra tab must not take the whole UI down either
                        traceback.print_exc()
                        gr.Markdown(f"{esc(label)}暂不可用：{esc(type(exc).__name__)}")

        # -- events --------------------------------------------------------------------------------
        private = dict(api_visibility="private")
        # The answer never writes to the question box: the page empties it the moment a question is sent
        # (static/submit.js), so whatever is typed while an answer arrives stays as typed, and a rejected
        # question is put back (static/latest.js) with the reason under the box (``note``).
        chat_outputs = [latest, turns, export_btn, download, note]
        # A new question while a reply still streams waits for it to settle ("always_last": never dropped).
        # Stream only while an LLM writes; an extractive answer is one update.
        ask_kw = dict(fn=h.chat if assistant.streams else h.chat_once, outputs=chat_outputs, concurrency_limit=CONCURRENCY,
                      show_progress="hidden", trigger_mode="always_last")
        sent_kw = dict(inputs=[question, turns, docs_dd], js=_js("submit.js"), **ask_kw)
        question.submit(api_name="chat", api_visibility="undocumented", **sent_kw)
        ask_btn.click(**private, **sent_kw)
        for btn in example_btns:   # an example is asked as it is: the box and what is typed there stay
            btn.click(inputs=[btn, turns, docs_dd], **private, **ask_kw)
        clear_btn.click(h.clear, outputs=[conv, cites, latest, turns, export_btn, download, fb_status, note],
                        queue=False, **private)
        export_btn.click(h.export, inputs=[turns], outputs=[download, my_exports], **private)

        def feedback(turns_value, evt: gr.EventData, request: gr.Request):
            return h.feedback(turns_value, getattr(evt, "_data", None) or {}, request)

        conv.click(feedback, inputs=[turns], outputs=[turns, fb_status, fb_history], **private)

        def ask_alone(turns_value, evt: gr.EventData, request: gr.Request):
            return h.ask_alone(turns_value, getattr(evt, "_data", None) or {}, request)

        conv.click(ask_alone, inputs=[turns], outputs=chat_outputs, concurrency_limit=CONCURRENCY,
                   show_progress="hidden", **private)
        app.load(h.my_records, outputs=[fb_history, my_exports], queue=False, **private)

        def duties_view(actor, kw, doc):
            table, count = h.filter_duties(actor, kw, doc)
            return table, f'<p class="count">{count}</p>'

        def figures_view(kind, kw, doc):
            table, count = h.filter_figures(kind, kw, doc)
            return table, f'<p class="count">{count}</p>'

        for comp in (actor_dd, keyword, duty_doc_dd):
            comp.change(duties_view, [actor_dd, keyword, duty_doc_dd], [duty_table, duty_count], queue=False, **private)
        for comp in (kind_dd, fig_keyword, fig_doc_dd):
            comp.change(figures_view, [kind_dd, fig_keyword, fig_doc_dd], [fig_table, fig_count], queue=False,
                        **private)
        gr.api(h.api_ask, api_name="ask", concurrency_limit=CONCURRENCY)
        gr.api(h.api_ask_in, api_name="ask_in", concurrency_limit=CONCURRENCY)
    return app


def launch(assistant, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True, quiz: bool = True,
           extra_tabs=(), **kwargs):
    """Serve the UI on ``host:port`` (local only by default; never a share link; login when
    ``ASSISTANT_UI_USER``/``ASSISTANT_UI_PASSWORD`` are set). Prints the URL."""
    settings = assistant.settings
    auth = settings.ui_auth()   # SettingsError for a half-configured login: refuse to start, not lock everyone out
    try:  # warm up (jieba dictionary, tagger, embedding engine) so the first visitor does not wait
        assistant.warm(example_questions(assistant)[0])
    except Exception:  # pragma: no cover - a broken index shows up on the first real question
        traceback.print_exc()
    app = build_app(assistant, quiz=quiz, extra_tabs=extra_tabs)
    app.queue(default_concurrency_limit=CONCURRENCY)
    options = dict(server_name=host, server_port=port, share=False, auth=auth, prevent_thread_lock=True,
                   quiet=True, show_error=False, footer_links=["api", "settings"], run_history=False,
                   enable_monitoring=False, mcp_server=False, ssr_mode=False, pwa=False,
                   auth_message="讲话问答助手：请登录" if auth else None)
    options.update(launch_kwargs())
    # No request body over MAX_BODY_BYTES reaches Gradio (ui.limits).
    options["app_kwargs"] = {"middleware": [Middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)]}
    # Each person's exports are offered from <home>/people/<keyed hash>/ (ui.identity): Gradio hands out
    # only files under its temp dir, the working dir or these paths.
    options["allowed_paths"] = [str(people_root(settings.home))]
    options.update(kwargs)
    _, local_url, _ = app.launch(**options)
    shown = local_url or f"http://{host}:{port}/"
    print(f"讲话问答助手 UI: {shown}" + ("  (login required)" if auth else ""), flush=True)
    if block:
        try:
            app.block_thread()
        except KeyboardInterrupt:
            pass
    return app
