"""The 自测 (self-quiz) tab of the Gradio UI.

``build_quiz_tab(assistant)`` is called by the UI inside ``with gr.Tab("自测"):``. One question is shown
at a time; each answer is graded at once with the right answer and the cited passage; after a pick the
options themselves show which one is right (✓) and which was picked wrongly (✗); a quoted passage
opens the full text beside the quiz with that span marked; at the end the mistakes are reviewed and can
be retried. Attempts go to the same SQLite file as the CLI (``<home>/quiz.sqlite3``), but each browser
(or login) is its own owner there (``ui.identity.owner``): history, chart and weakest topics are that
browser's alone, and a new browser starts empty. Everything shown is HTML-escaped: questions, answers
and quotes are data.

The logic lives in plain functions over a JSON-like state dict (``start_state``, ``submit_answer``,
``advance``, ``retry_state``) so it can be tested without a browser; ``build_quiz_tab`` only wires them
to components. Gradio is imported only inside ``build_quiz_tab``.
"""
from __future__ import annotations

import html
import random
import re

from assistant.quiz import KIND_LABELS, LETTERS, LEVEL_LABELS, Progress, Question, citations_of
from ui.identity import owner
from ui.render import paragraph_number, paragraphs, render_source

MAX_N = 50
VIEWER = "quiz-viewer"   # the quiz tab's own full-text viewer (ui/static/head.html marks spans in it)


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ---- state ---------------------------------------------------------------------------------------------
def progress_for(assistant, request=None) -> Progress:
    """The progress of whoever sent the request: their browser (or login); ``"local"`` without a request."""
    return assistant.progress.for_owner(owner(request))


def start_state(assistant, n=10, kind=None, level=None, seed=None, ids: list[str] | None = None,
                progress: Progress | None = None) -> dict:
    """A new session: the sampled question ids and an open progress session (in ``progress``: the
    requester's own; the assistant's "local" one by default)."""
    progress = progress or assistant.progress
    try:
        n = max(1, min(MAX_N, int(float(n or 10))))
    except (TypeError, ValueError):  # a slider edited to text: the default size, not a traceback
        n = 10
    level = int(level) if level not in (None, "", 0, "0") else None
    kind = kind or None
    seed = parse_seed(seed)
    questions = assistant.quiz(n=len(ids) if ids else n, seed=seed, kind=None if ids else kind,
                               level=None if ids else level, ids=ids)
    session = progress.start_session(n=len(questions), seed=seed, kind=kind, level=level,
                                     origin="ui-retry" if ids else "ui") if questions else None
    return {"ids": [q.id for q in questions], "i": 0, "answered": False, "results": [], "session": session,
            "seed": seed, "done": not questions, "asked": len(ids) if ids else n}


def parse_seed(seed) -> int:
    """The typed seed, or a fresh random one when the field is empty or not a whole number."""
    text = str(seed if seed is not None else "").strip()
    try:
        return int(float(text)) if text else random.SystemRandom().randrange(1, 10**6)
    except ValueError:
        return random.SystemRandom().randrange(1, 10**6)


def _bank(assistant) -> dict[str, Question]:
    return {q.id: q for q in assistant.quiz_bank()}


def current(state: dict | None, by_id: dict[str, Question]) -> Question | None:
    if not state or state.get("done") or state["i"] >= len(state["ids"]):
        return None
    return by_id.get(state["ids"][state["i"]])


def submit_answer(state: dict, assistant, response: str, progress: Progress | None = None):
    """Grade the current question once; returns (state, grade or None)."""
    q = current(state, _bank(assistant))
    if q is None or state.get("answered") or not (response or "").strip():
        return state, None
    g = assistant.grade(q, response)
    if state.get("session") is not None:
        (progress or assistant.progress).record(state["session"], q, g, response)
    state = dict(state)
    state["answered"] = True
    state["results"] = state["results"] + [{"id": q.id, "response": response, "correct": g.correct,
                                            "score": g.score}]
    return state, g


def advance(state: dict, progress: Progress) -> dict:
    state = dict(state)
    state["i"] += 1
    state["answered"] = False
    if state["i"] >= len(state["ids"]):
        state["done"] = True
        if state.get("session") is not None:
            progress.finish_session(state["session"])
    return state


def missed_ids(state: dict | None) -> list[str]:
    return [r["id"] for r in (state or {}).get("results", []) if not r["correct"]]


def choice_labels(q: Question, picked: str | None = None) -> list[tuple[str, str]]:
    """The radio choices ``(label, value)`` of a choice or true/false question. Once answered (``picked``
    is the submitted value), the right option reads ✓ …（正确答案） and a wrong pick ✗ …（你的选择）, so
    the right option is marked on the list itself, not only in the feedback below it."""
    if q.answer_type == "choice":
        pairs = [(f"{LETTERS[i]}. {o}", LETTERS[i], o == q.answer) for i, o in enumerate(q.options or [])]
    else:
        pairs = [(o, o, o == q.answer) for o in (q.options or [])]
    if picked is None:
        return [(label, value) for label, value, _ in pairs]
    out = []
    for label, value, right in pairs:
        if right:
            label = f"✓ {label}（正确答案）"
        elif value == picked:
            label = f"✗ {label}（你的选择）"
        out.append((label, value))
    return out


# ---- HTML ----------------------------------------------------------------------------------------------
def question_html(q: Question, i: int, n: int) -> str:
    meta = f"第 {i + 1}/{n} 题 · {KIND_LABELS.get(q.kind, q.kind)} · 难度 {q.level}（{LEVEL_LABELS.get(q.level, '')}）"
    parts = [f'<div class="quiz-question"><div class="quiz-meta"><small>{_esc(meta)} · {_esc(q.topic)}</small></div>',
             f'<p class="quiz-prompt"><b>{_esc(q.prompt)}</b></p>']
    parts.append("</div>")  # choice options are the lettered radio buttons below, listed once
    return "".join(parts)


def _cite_html(c: dict, starts: list[int] | None = None) -> str:
    """A quoted passage that opens the full text beside the quiz with its span marked (the page's one
    ``.jump`` handler, ui/static/head.html): a click on the quote, or the button for the keyboard."""
    where = f" · 第{paragraph_number(starts, c['start'])}段" if starts else ""
    span = f'data-start="{int(c["start"])}" data-end="{int(c["end"])}" data-viewer="{VIEWER}"'
    return (f'<blockquote class="quiz-cite jump" {span} title="在全文中查看" style="cursor:pointer">'
            f'<small>［{_esc(c["section"])}{where}］</small><br>{_esc(c["quote"])}<br>'
            f'<button type="button" class="quiz-open jump" {span} aria-label="在全文中查看这段原文"'
            f' style="margin-top:.3rem;font-size:.85rem;text-decoration:underline;background:none;border:0;'
            f'padding:0;color:inherit;cursor:pointer">在全文中查看</button></blockquote>')


def feedback_html(q: Question, g, starts: list[int] | None = None) -> str:
    if g.correct:
        head, color = "✓ 回答正确", "#15803d"
    elif g.score > 0:
        head, color = f"◐ 部分正确（得分 {g.score:.0%}）", "#b45309"
    else:
        head, color = "✗ 回答错误", "#b91c1c"
    out = [f'<div class="quiz-feedback"><p style="color:{color}"><b>{_esc(head)}</b></p>',
           f"<p>正确答案：<b>{_esc(g.expected)}</b></p>"]
    if g.details and len(g.details) > 1:
        out.append("<ul>" + "".join(f"<li>{'✓' if d['matched'] else '✗'} {_esc(d['answer'])}</li>"
                                    for d in g.details) + "</ul>")
    if q.explain:
        out.append(f"<p>{_esc(q.explain)}</p>")
    out.append("<p>出处：</p>" + "".join(_cite_html(c, starts) for c in citations_of(q)))
    out.append("</div>")
    return "".join(out)


def shortfall_note(state: dict) -> str:
    """Say so when the filters leave fewer distinct questions than asked (the quiz is never padded with
    one that tests the same thing as another)."""
    got, asked = len(state.get("ids", [])), state.get("asked", 0)
    if not got or got >= asked:
        return ""
    return (f"<p><small>只选出 {got} 道互不重复的题（要求 {asked} 道）："
            "其余的题会和已选的题考同一件事。</small></p>")


def score_text(state: dict | None) -> str:
    results = (state or {}).get("results", [])
    if not results:
        return ""
    total = sum(r["score"] for r in results)
    n = len((state or {}).get("ids", []))
    return f"得分：{total:g} / {len(results)}（已答 {len(results)}/{n} 题，{total / len(results):.0%}）"


def review_html(state: dict, by_id: dict[str, Question], starts: list[int] | None = None) -> str:
    results = state.get("results", [])
    total = sum(r["score"] for r in results)
    head = f"<h4>本次完成：{total:g} / {len(results)} 分</h4>" if results else "<h4>本次没有作答。</h4>"
    wrong = [r for r in results if not r["correct"]]
    if not wrong:
        return head + ("<p>全部答对，没有错题。</p>" if results else "")
    items = []
    for r in wrong:
        q = by_id.get(r["id"])
        if q is None:
            continue
        # <div>s, not <p>s: Gradio's prose styles lay <p> inside <li> out inline.
        items.append(f"<li><div><b>{_esc(q.prompt)}</b></div><div>你的答案：{_esc(r['response'])}（得分 {r['score']:.0%}）</div>"
                     f"<div>正确答案：<b>{_esc(q.expected)}</b></div>{_cite_html(q.citation, starts)}</li>")
    return head + f"<p>错题回顾（{len(wrong)} 题）：</p><ol>" + "".join(items) + "</ol>"


def progress_html(progress: Progress) -> str:
    """The trainee's record so far (the current session included), with a chart of scores over time."""
    s = progress.summary()
    if not s["attempts"]:
        return "<p><small>还没有答题记录：答完第一题后，这里显示得分和趋势。</small></p>"
    out = [f"<p><b>学习进度</b>：累计 {s['sessions']} 次自测，{s['attempts']} 道题，平均得分 {s['average']:.0%}。</p>"]
    sessions = progress.sessions(limit=20)
    if sessions:
        out.append(f'<figure class="quiz-chart" aria-label="最近 {len(sessions)} 次自测的得分">'
                   f'{progress_chart_svg(sessions)}<figcaption><small>最近 {len(sessions)} 次自测的得分：'
                   + " → ".join(f"{r['percent']:.0%}" for r in sessions[-5:]) + "</small></figcaption></figure>")
    if s["weakest"]:
        out.append("<p>最薄弱的主题：" + "；".join(
            f"{_esc(w['topic'])}（{w['score']:.0%}，{w['attempts']} 题）" for w in s["weakest"]) + "</p>")
    return "".join(out)


def progress_chart_svg(sessions: list[dict]) -> str:
    """Score per session over time as an inline SVG (matplotlib; numbers only, so no font is needed)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    xs = list(range(1, len(sessions) + 1))
    ys = [round(100 * r["percent"]) for r in sessions]
    fig = Figure(figsize=(4.2, 1.8), dpi=100)
    ax = fig.add_subplot()
    ax.plot(xs, ys, marker="o", color="#0f766e")
    for x, y in zip(xs, ys):
        ax.annotate(f"{y}%", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_ylim(0, 115)
    ax.set_yticks([0, 50, 100])
    ax.set_xticks(xs)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    # Scale with the page, never wider than it (a fixed 302pt ≈ 403 px overflowed a 390 px phone): drop the
    # fixed size and keep the viewBox, so the drawing keeps its proportions at any width.
    svg = re.sub(r'^<svg([^>]*?) width="[^"]*" height="[^"]*"',
                 r'<svg\1 width="100%" preserveAspectRatio="xMidYMid meet" style="max-width:420px;height:auto"',
                 svg, count=1)
    return svg


# ---- the tab ---------------------------------------------------------------------------------------------
def build_quiz_tab(assistant) -> None:
    """Build the 自测 tab's components and events inside the current Blocks/Tab context."""
    import gradio as gr
    from gradio.context import Context

    bank = assistant.quiz_bank()
    by_id = {q.id: q for q in bank}
    source = assistant.source()
    starts = [a for a, _, _ in paragraphs(source)]
    kinds = [("全部题型", "")] + [(f"{label}（{k}）", k) for k, label in KIND_LABELS.items()]
    levels = [("全部难度", 0)] + [(f"{lv} {label}", lv) for lv, label in LEVEL_LABELS.items()]

    gr.Markdown(f"从讲话的事实层自动生成的自测题（题库 {len(bank)} 题）。一套题里没有两道题考同一件事；"
                "每题作答后立即给出正确答案和原文出处，点按出处即在全文中定位。")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            with gr.Row():
                n_in = gr.Slider(1, MAX_N, value=10, step=1, label="题数", elem_id="quiz-n")
                kind_in = gr.Dropdown(choices=kinds, value="", label="题型", elem_id="quiz-kind")
                level_in = gr.Dropdown(choices=levels, value=0, label="难度", elem_id="quiz-level")
                seed_in = gr.Textbox(value="", label="随机种子", placeholder="留空则随机；填数字可重现同一套题",
                                     elem_id="quiz-seed")
            start_btn = gr.Button("开始自测", variant="primary", elem_id="quiz-start")
            state = gr.State(None)
            q_html = gr.HTML("", elem_id="quiz-question")
            choice_in = gr.Radio(choices=[], label="选择答案", visible=False, elem_id="quiz-choice")
            text_in = gr.Textbox(label="你的答案", visible=False, lines=1, elem_id="quiz-answer")
            with gr.Row():
                submit_btn = gr.Button("提交", variant="primary", visible=False, elem_id="quiz-submit")
                next_btn = gr.Button("下一题", visible=False, elem_id="quiz-next")
            fb_html = gr.HTML("", elem_id="quiz-feedback")
            score_md = gr.Markdown("", elem_id="quiz-score")
            review = gr.HTML("", elem_id="quiz-review")
            retry_btn = gr.Button("重做答错的题", visible=False, elem_id="quiz-retry")
            # Filled per browser when the page loads (below): never one history for the whole server.
            prog_html = gr.HTML("", elem_id="quiz-progress")
        with gr.Column(scale=2, min_width=300):
            gr.HTML('<div class="viewer-title">全文（点按出处定位）</div>')
            gr.HTML(render_source(source, viewer_id=VIEWER), elem_id=VIEWER)

    outputs = [state, q_html, choice_in, text_in, submit_btn, next_btn, fb_html, score_md, review, retry_btn,
               prog_html]

    def show(st: dict, progress: Progress):
        """Updates for every output from a state (a new question, or the end-of-session review)."""
        q = current(st, by_id)
        if q is None:
            missed = missed_ids(st)
            return (st, "", gr.update(visible=False, value=None), gr.update(visible=False, value=""),
                    gr.update(visible=False), gr.update(visible=False), "", score_text(st),
                    review_html(st, by_id, starts), gr.update(visible=bool(missed)), progress_html(progress))
        if q.answer_type in ("choice", "bool") and q.options:
            choice = gr.update(choices=choice_labels(q), value=None, visible=True, interactive=True)
            text = gr.update(visible=False, value="")
        else:
            lines = 3 if q.answer_type == "list" else 1
            choice = gr.update(visible=False, value=None)
            text = gr.update(visible=True, value="", lines=lines, interactive=True,
                             placeholder="逐项作答时用“；”分隔" if lines > 1 else "")
        note = shortfall_note(st) if st["i"] == 0 else ""
        return (st, note + question_html(q, st["i"], len(st["ids"])), choice, text, gr.update(visible=True),
                gr.update(visible=False), "", score_text(st), "", gr.update(visible=False), gr.update())

    def on_load(request: gr.Request):
        return progress_html(progress_for(assistant, request))

    def on_start(n, kind, level, seed, request: gr.Request):
        progress = progress_for(assistant, request)
        try:
            st = start_state(assistant, n=n, kind=kind, level=level, seed=seed, progress=progress)
        except ValueError as exc:  # an unknown kind from a hand-made request: one line, not a traceback
            st = {"ids": [], "i": 0, "results": [], "done": True}
            out = list(show(st, progress))
            out[8] = f"<p>{_esc(exc)}</p>"
            return tuple(out)
        if not st["ids"]:
            out = list(show(st, progress))
            out[8] = "<p>没有符合条件的题目。</p>"
            return tuple(out)
        return show(st, progress)

    def on_submit(st, choice, text, request: gr.Request):
        progress = progress_for(assistant, request)
        q = current(st, by_id)
        if q is None:
            return show(st or {"ids": [], "i": 0, "results": [], "done": True}, progress)
        radio = q.answer_type in ("choice", "bool") and q.options
        response = choice if radio else text
        st2, g = submit_answer(st, assistant, response or "", progress)
        if g is None:
            msg = "<p><i>请先作答。</i></p>" if not st.get("answered") else gr.update()
            return (st, gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), msg, gr.update(),
                    gr.update(), gr.update(), gr.update())
        last = st2["i"] + 1 >= len(st2["ids"])
        # The options stay on screen with the right one marked ✓ and a wrong pick ✗.
        marked = (gr.update(choices=choice_labels(q, picked=response), value=response, interactive=False)
                  if radio else gr.update(interactive=False))
        return (st2, gr.update(), marked, gr.update(interactive=False),
                gr.update(visible=False), gr.update(visible=True, value="查看结果" if last else "下一题"),
                feedback_html(q, g, starts), score_text(st2), gr.update(), gr.update(), progress_html(progress))

    def on_next(st, request: gr.Request):
        progress = progress_for(assistant, request)
        if not st:
            return show({"ids": [], "i": 0, "results": [], "done": True}, progress)
        return show(advance(st, progress), progress)

    def on_retry(st, request: gr.Request):
        progress = progress_for(assistant, request)
        ids = missed_ids(st)
        if not ids:
            return show(st, progress)
        return show(start_state(assistant, ids=ids, seed=(st or {}).get("seed"), progress=progress), progress)

    # Gradio fills in a parameter typed gr.Request; with postponed annotations it would read the text
    # "gr.Request", which it cannot resolve here (gradio is imported inside this function), so give it the class.
    for fn in (on_load, on_start, on_submit, on_next, on_retry):
        fn.__annotations__["request"] = gr.Request
    private = dict(outputs=outputs, api_visibility="private", show_progress="hidden")  # UI only, no public API
    start_btn.click(on_start, inputs=[n_in, kind_in, level_in, seed_in], **private)
    submit_btn.click(on_submit, inputs=[state, choice_in, text_in], **private)
    text_in.submit(on_submit, inputs=[state, choice_in, text_in], **private)
    next_btn.click(on_next, inputs=[state], **private)
    retry_btn.click(on_retry, inputs=[state], **private)
    if Context.root_block is not None:  # each page load shows that browser's own record
        Context.root_block.load(on_load, outputs=[prog_html], api_visibility="private", show_progress="hidden")
