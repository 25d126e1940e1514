"""Gradio web UI: chat with clickable citations, the full speech, the duty map and the figures.

Everything the browser shows is built here from escaped text: answers are rendered by a small
Markdown subset renderer (bold, lists, quotes) that runs *after* ``html.escape``, so a question such
as ``<img src=x onerror=alert(1)>`` or ``![x](http://host/a.png)`` is shown as the literal text.

Gradio is imported only by this module (``assistant`` never imports ``ui``), and analytics are
switched off before that import. The page loads nothing from outside: the theme uses installed
CJK fonts only.
"""
from __future__ import annotations

import html
import json
import os
import re
import threading
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402  (after the analytics switch)

__all__ = ["build_app", "documents_title", "example_questions", "launch", "launch_kwargs", "render_answer",
           "render_source"]


def documents_title(assistant) -> str:
    """The loaded documents as the header shows them: title, speaker and date from each masthead."""
    parts = []
    for d in assistant.documents:
        meta = d.get("metadata") or {}
        extra = [f"{label}：{meta[key]['value']}" for key, label in (("speaker", "讲话人"), ("date", "日期"))
                 if meta.get(key)]
        parts.append(" · ".join([d["title"]] + extra))
    return "；".join(parts)


def example_questions(assistant) -> list[str]:
    """Example questions drawn from the loaded documents: the bodies they task most, then the masthead."""
    counts: dict[str, int] = {}
    for d in assistant.duties():
        for name in d["actors"]:
            if assistant.registry.get(name).kind in ("bureau", "office", "county"):
                counts[name] = counts.get(name, 0) + 1
    bodies = sorted(counts, key=lambda n: (-counts[n], n))[:2]
    return [f"{name}要做什么？" for name in bodies] + ["这是谁在什么时候讲的？", "What are the main points?"]
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
             "WenQuanYi Micro Hei", "ui-sans-serif", "system-ui", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "ui-monospace", "Consolas", "monospace"]
KIND_NAMES = {"target": "目标", "result": "成绩", "status": "现状", "date": "时间", "count": "数量"}
ALL = "全部"
# Answers take milliseconds of CPU (embedding, ranking) and never wait on I/O, so a few workers per core
# keep the queue moving without thrashing; more only adds contention on this 2-core class of machine.
CONCURRENCY = max(2, 4 * (os.cpu_count() or 1))

_feedback_lock = threading.Lock()


# ---- escaping and rendering ---------------------------------------------------------------------
def esc(text: Any) -> str:
    """HTML-escape any value (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def _cite_attrs(c: dict, viewer: str = "qa-viewer") -> str:
    return (f'data-n="{int(c["n"])}" data-start="{int(c["start"])}" data-end="{int(c["end"])}" '
            f'data-viewer="{esc(viewer)}"')


def _inline(text: str, cites: dict[int, dict]) -> str:
    """Escape one line, then apply **bold** and turn [n] into citation buttons."""
    out = esc(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)

    def marker(m: re.Match) -> str:
        c = cites.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        title = esc(f"{c['quote']}\n— {c['section']}")
        return (f'<button type="button" class="cite jump" {_cite_attrs(c)} title="{title}" '
                f'aria-label="引用 {int(c["n"])}">[{int(c["n"])}]</button>')

    return re.sub(r"\[(\d+)\]", marker, out)


def render_answer(markdown: str, citations: list[dict]) -> str:
    """The answer's Markdown subset (paragraphs, **bold**, ``- `` lists, ``> `` quotes, ``#`` headings)
    as HTML built from escaped text. Links, images and raw HTML stay literal text."""
    cites = {int(c["n"]): c for c in citations}
    parts: list[str] = []
    block: str | None = None          # "ul" | "quote" | None

    def close() -> None:
        nonlocal block
        if block == "ul":
            parts.append("</ul>")
        elif block == "quote":
            parts.append("</blockquote>")
        block = None

    for raw in markdown.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            close()
            continue
        m_li = re.match(r"^\s*[-*]\s+(.*)$", line)
        m_q = re.match(r"^\s*>\s?(.*)$", line)
        m_h = re.match(r"^\s*#{1,6}\s+(.*)$", line)
        if m_li:
            if block != "ul":
                close()
                parts.append("<ul>")
                block = "ul"
            parts.append(f"<li>{_inline(m_li.group(1), cites)}</li>")
        elif m_q:
            if block != "quote":
                close()
                parts.append('<blockquote>')
                block = "quote"
            parts.append(f"<p>{_inline(m_q.group(1), cites)}</p>")
        elif m_h:
            close()
            parts.append(f"<h4>{_inline(m_h.group(1), cites)}</h4>")
        else:
            close()
            parts.append(f"<p>{_inline(line, cites)}</p>")
    close()
    return "".join(parts)


def _paragraphs(source: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in source.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _is_heading(line: str) -> bool:
    s = line.strip()
    if re.match(r"^[一二三四五六七八九十]+、", s) and len(s) < 80:
        return True
    return len(s) < 40 and not re.search(r"[。；！？：，”]$", s)


def render_source(source: str, highlight: tuple[int, int] | None = None, viewer_id: str = "qa-viewer") -> str:
    """The canonical text as paragraphs; each ``<p>`` carries its char span (``data-start``/``data-end``,
    Python string indices) and its text is exactly ``source[start:end]``, so the browser can mark any
    citation span. ``highlight`` marks one span on the server side (used by the table tabs)."""
    parts = [f'<div class="speech" data-viewer="{esc(viewer_id)}" lang="zh-CN">']
    for start, end, text in _paragraphs(source):
        cls = "heading" if _is_heading(text) else "para"
        if highlight and start < highlight[1] and highlight[0] < end:
            a, b = max(highlight[0], start) - start, min(highlight[1], end) - start
            body = f'{esc(text[:a])}<mark class="cite-hl">{esc(text[a:b])}</mark>{esc(text[b:])}'
        else:
            body = esc(text)
        parts.append(f'<p class="{cls}" data-start="{start}" data-end="{end}">{body}</p>')
    parts.append("</div>")
    return "".join(parts)


def _welcome() -> str:
    return ('<div class="conv"><div class="welcome">'
            '<p><strong>就这篇讲话提问</strong>（中文或英文均可）。回答只引用讲话原文，'
            '每句后的 <span class="cite-demo">[n]</span> 是引用：鼠标悬停可看原句与出处，'
            '点击可在右侧全文中定位并高亮。</p>'
            '<p>讲话没有涉及的内容会明确说明“讲话未涉及”，不会编造。</p></div></div>')


def render_conversation(turns: list[dict]) -> str:
    if not turns:
        return _welcome()
    parts = ['<div class="conv">']
    for i, t in enumerate(turns):
        parts.append(f'<div class="msg user" data-turn="{i}"><div class="who">问</div>'
                     f'<div class="bubble">{esc(t["question"])}</div></div>')
        ans = t.get("answer")
        if t.get("error"):
            parts.append(f'<div class="msg bot error" data-turn="{i}"><div class="who">答</div>'
                         f'<div class="bubble">{esc(t["error"])}</div></div>')
            continue
        if ans is None:
            parts.append(f'<div class="msg bot pending" data-turn="{i}"><div class="who">答</div>'
                         '<div class="bubble"><span class="dots">正在查找讲话原文…</span></div></div>')
            continue
        shown = t.get("partial", ans["answer"])
        classes = "msg bot" + ("" if ans["answerable"] else " not-in-speech") + (" streaming" if "partial" in t else "")
        body = [f'<div class="{classes}" data-turn="{i}"><div class="who">答</div><div class="bubble">']
        if ans.get("standalone_question") and ans["standalone_question"] != ans["question"]:
            body.append(f'<div class="resolved">（理解为：{esc(ans["standalone_question"])}）</div>')
        if not ans["answerable"]:
            body.append('<div class="badge">讲话未涉及</div>')
        body.append(f'<div class="answer-body">{render_answer(shown, ans["citations"])}</div>')
        if "partial" not in t:
            if ans.get("related"):
                body.append('<div class="related"><div class="related-title">相关原文（供参考）：</div><ul>')
                for r in ans["related"]:
                    body.append(f'<li class="jump" role="button" tabindex="0" data-start="{int(r["start"])}" '
                                f'data-end="{int(r["end"])}" data-viewer="qa-viewer" title="{esc(r.get("section", ""))}">'
                                f'{esc(r["quote"])}</li>')
                body.append("</ul></div>")
            rated = t.get("rating")
            up = " chosen" if rated == "up" else ""
            down = " chosen" if rated == "down" else ""
            body.append(f'<div class="msg-foot"><span class="meta">{len(ans["citations"])} 条引用 · '
                        f'{esc(ans.get("backend", ""))}</span>'
                        f'<button type="button" class="fb{up}" data-turn="{i}" data-rating="up" '
                        f'title="有帮助 (thumbs up)">有帮助</button>'
                        f'<button type="button" class="fb{down}" data-turn="{i}" data-rating="down" '
                        f'title="没帮助 (thumbs down)">没帮助</button></div>')
        body.append("</div></div>")
        parts.append("".join(body))
    parts.append("</div>")
    return "".join(parts)


def render_citations(turns: list[dict]) -> str:
    last = next((t for t in reversed(turns) if t.get("answer") and "partial" not in t), None)
    if last is None:
        return '<div class="cites"><div class="cites-title">引用</div><p class="muted">提问后，这里列出回答引用的原文。</p></div>'
    ans = last["answer"]
    parts = [f'<div class="cites"><div class="cites-title">引用 · {esc(ans["question"])}</div>']
    if not ans["citations"]:
        parts.append('<p class="muted">这个回答没有引用（讲话未涉及）。</p>')
    else:
        parts.append("<ol>")
        for c in ans["citations"]:
            parts.append(f'<li class="jump" role="button" tabindex="0" {_cite_attrs(c)} title="点击在全文中定位">'
                         f'<span class="n">[{int(c["n"])}]</span> <span class="quote">{esc(c["quote"])}</span>'
                         f'<span class="section">{esc(c["section"])} · {int(c["start"])}–{int(c["end"])}</span></li>')
        parts.append("</ol>")
    parts.append("</div>")
    return "".join(parts)


def _md_text(text: str) -> str:
    """User text for a Markdown file: backslash-escape Markdown and HTML syntax."""
    return re.sub(r"([\\`*_\[\](){}<>#!|~+\-])", r"\\\1", text)


def conversation_markdown(turns: list[dict], title: str = "") -> str:
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    out = ["# 讲话问答记录", "", f"{title} · 导出于 {stamp}", ""]
    k = 0
    for t in turns:
        ans = t.get("answer")
        if not ans:
            continue
        k += 1
        out += [f"## 问 {k}：{_md_text(t['question'])}", ""]
        if ans["standalone_question"] != ans["question"]:
            out += [f"（理解为：{_md_text(ans['standalone_question'])}）", ""]
        if not ans["answerable"]:
            out += ["*讲话未涉及*", ""]
        out += [ans["answer"], ""]
        if ans["citations"]:
            out += ["**引用**", ""]
            out += [f"- [{c['n']}] 「{c['quote']}」 — {c['section']}（原文 {c['start']}–{c['end']}）"
                    for c in ans["citations"]]
            out.append("")
    return "\n".join(out)


# ---- the app ------------------------------------------------------------------------------------
CSS = """
:root, .gradio-container { --jh-accent: #0f766e; }
.gradio-container { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
#jh-header h1 { font-size: 1.45rem; margin: 0 0 .2rem 0; }
#jh-header .sub { color: var(--body-text-color-subdued); font-size: .98rem; }
.conv { max-height: 62vh; overflow-y: auto; display: flex; flex-direction: column; gap: .7rem; padding: .3rem .1rem; font-size: 1rem; line-height: 1.75; }
.conv .welcome { color: var(--body-text-color-subdued); border: 1px dashed var(--border-color-primary);
  border-radius: 10px; padding: .7rem 1rem; }
.cite-demo { color: var(--jh-accent); font-weight: 600; }
.msg { display: flex; gap: .5rem; align-items: flex-start; }
.msg .who { flex: none; width: 1.9rem; height: 1.9rem; border-radius: 50%; display: flex; align-items: center;
  justify-content: center; font-size: .9rem; font-weight: 600; color: #fff; background: #64748b; }
.msg.bot .who { background: var(--jh-accent); }
.msg .bubble { min-width: 0; overflow-wrap: anywhere; word-break: break-word; border-radius: 10px; padding: .55rem .85rem;
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); flex: 1; }
.msg.user .bubble { background: var(--color-accent-soft); white-space: pre-wrap; flex: 0 1 auto; }
.msg .bubble p { margin: .25rem 0; }
.msg .bubble ul { margin: .2rem 0 .4rem 1.2rem; padding: 0; }
.msg .bubble blockquote { margin: .3rem 0; padding: .1rem .7rem; border-left: 3px solid var(--jh-accent);
  color: var(--body-text-color); background: transparent; }
.msg .bubble h4 { margin: .4rem 0 .2rem; font-size: 1rem; }
.msg.not-in-speech .bubble { background: #fff7e6; border-color: #f0b44c; color: #5b4100; }
.msg.not-in-speech .badge { display: inline-block; font-size: .8rem; padding: 0 .5rem; border-radius: 999px;
  background: #f0b44c; color: #3b2a00; margin-bottom: .2rem; }
.msg.error .bubble { background: #fdecec; border-color: #e8a1a1; color: #7a1f1f; }
.msg.pending .bubble { color: var(--body-text-color-subdued); font-style: italic; }
.resolved { font-size: .85rem; color: var(--body-text-color-subdued); }
.related { font-size: .9rem; margin-top: .3rem; }
.related ul { margin: .2rem 0 0 1.1rem; }
.related li { cursor: pointer; }
button.cite { display: inline; border: none; background: none; padding: 0 .1rem; margin: 0; cursor: pointer;
  color: var(--jh-accent); font-weight: 700; font-size: .85em; vertical-align: super; line-height: 1; }
button.cite:hover, button.cite:focus-visible, button.cite.active { text-decoration: underline; outline: none;
  background: #ccfbf1; border-radius: 3px; }
.msg-foot { display: flex; gap: .4rem; align-items: center; margin-top: .35rem; font-size: .8rem; }
.msg-foot .meta { color: var(--body-text-color-subdued); margin-right: auto; }
button.fb { white-space: nowrap; border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .05rem .5rem;
  background: var(--background-fill-primary); cursor: pointer; font-size: .8rem; }
button.fb.chosen { background: var(--jh-accent); color: #fff; border-color: var(--jh-accent); }
.cites { font-size: .92rem; line-height: 1.6; }
.cites-title { font-weight: 600; margin-bottom: .3rem; overflow-wrap: anywhere; }
.cites ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .35rem; }
.cites li { cursor: pointer; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .3rem .55rem; }
.cites li:hover, .cites li:focus-visible { border-color: var(--jh-accent); outline: none; }
.cites .n { color: var(--jh-accent); font-weight: 700; }
.cites .section { display: block; font-size: .8rem; color: var(--body-text-color-subdued); }
.muted { color: var(--body-text-color-subdued); }
.speech { max-height: 60vh; overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .3rem .9rem; background: var(--background-fill-primary); font-size: .98rem; line-height: 1.9; }
.speech p { margin: .45rem 0; text-indent: 2em; }
.speech p.heading { text-indent: 0; font-weight: 700; }
.speech mark.cite-hl { background: #fde68a; color: #1f2937; border-radius: 3px; padding: .05rem 0;
  box-shadow: 0 0 0 2px #f59e0b; scroll-margin: 4rem; }
.viewer-title { font-weight: 600; margin: .2rem 0 .3rem; }
.detail { font-size: .95rem; line-height: 1.7; }
.detail .section { color: var(--body-text-color-subdued); font-size: .85rem; }
#fb-status { font-size: .85rem; color: var(--body-text-color-subdued); min-height: 1.2rem; }
@media (max-width: 640px) {
  #jh-header h1 { font-size: 1.2rem; }
  .conv { font-size: .97rem; }
  .conv { max-height: none; overflow-y: visible; }
  .speech { max-height: 45vh; }
  .speech p { text-indent: 0; }
}
"""

# One document-level click handler: any element with class "jump" and data-start/data-end marks that
# span in the named viewer (default: the 问答 tab's) and scrolls to it. Text is moved with DOM text
# nodes only (no innerHTML), and offsets are counted in code points, like Python's string indices.
HEAD = """
<script>
(function () {
  if (window.jhViewer) return;
  function paras(root) { return root ? root.querySelectorAll('p[data-start]') : []; }
  function clear(root) {
    paras(root).forEach(function (p) { if (p.querySelector('mark')) p.textContent = p.textContent; });
  }
  function highlight(viewerId, start, end) {
    var root = document.querySelector('#' + viewerId + ' .speech');
    if (!root) return null;
    clear(root);
    var first = null;
    paras(root).forEach(function (p) {
      var ps = +p.dataset.start, pe = +p.dataset.end;
      if (pe <= start || ps >= end) return;
      var chars = Array.from(p.textContent);
      var a = Math.max(start, ps) - ps, b = Math.min(end, pe) - ps;
      var mark = document.createElement('mark');
      mark.className = 'cite-hl';
      mark.textContent = chars.slice(a, b).join('');
      p.replaceChildren(document.createTextNode(chars.slice(0, a).join('')), mark,
                        document.createTextNode(chars.slice(b).join('')));
      if (!first) first = mark;
    });
    if (first) {
      first.id = viewerId + '-hl';
      root.scrollTop += first.getBoundingClientRect().top - root.getBoundingClientRect().top - root.clientHeight / 3;
      var r = root.getBoundingClientRect();   // on a phone the viewer may be off screen: bring it in
      if (r.bottom < 0 || r.top > window.innerHeight) root.scrollIntoView({block: 'start', behavior: 'smooth'});
    }
    return first;
  }
  function jump(el) {
    document.querySelectorAll('.cite.active').forEach(function (b) { b.classList.remove('active'); });
    if (el.classList.contains('cite')) el.classList.add('active');
    highlight(el.dataset.viewer || 'qa-viewer', +el.dataset.start, +el.dataset.end);
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest && ev.target.closest('.jump[data-start]');
    if (!el) return;
    ev.preventDefault();
    jump(el);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    var el = ev.target.closest && ev.target.closest('li.jump[data-start]');
    if (!el) return;
    ev.preventDefault();
    jump(el);
  });
  window.jhViewer = {highlight: highlight, clear: clear};
})();
</script>
"""

# Per-answer feedback buttons live inside the conversation HTML: report them to Python.
CONV_JS = """
element.addEventListener('click', function (ev) {
  var b = ev.target.closest && ev.target.closest('button.fb');
  if (!b) return;
  b.parentElement.querySelectorAll('button.fb').forEach(function (x) { x.classList.remove('chosen'); });
  b.classList.add('chosen');
  trigger('click', {turn: parseInt(b.dataset.turn, 10), rating: b.dataset.rating});
});
// Keep the latest question in view as its answer streams in.
watch('value', function () {
  var c = element.querySelector('.conv');
  var users = element.querySelectorAll('.msg.user');
  if (!c || !users.length || c.scrollHeight <= c.clientHeight) return;
  var last = users[users.length - 1];
  c.scrollTop += last.getBoundingClientRect().top - c.getBoundingClientRect().top - 6;
});
"""

# Table tabs: the server marks the selected span; scroll it into view after each update.
SCROLL_JS = """
watch('value', function () {
  var m = element.querySelector('mark.cite-hl');
  var box = element.querySelector('.speech');
  if (m && box) box.scrollTop += m.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
});
"""


def make_theme() -> gr.themes.Base:
    """Installed fonts only (plain strings: no Google Fonts request, no font files served)."""
    return gr.themes.Soft(primary_hue="teal", secondary_hue="amber", neutral_hue="slate",
                          font=CJK_FONTS, font_mono=MONO_FONTS)


def launch_kwargs() -> dict:
    """Theme, CSS and head (the citation JS) that Gradio 6 takes at ``launch()``."""
    return {"theme": make_theme(), "css": CSS, "head": HEAD}


def _duty_rows(duties: list[dict]) -> list[list[str]]:
    return [[d["id"], "、".join(d["actors"]) + ("（承上）" if d.get("inherited") else ""), d.get("topic", ""),
             d["task"], f'{d["start"]}–{d["end"]}'] for d in duties]


def _figure_rows(figures: list[dict]) -> list[list[str]]:
    return [[f["id"], f["text"], KIND_NAMES.get(f.get("kind", ""), f.get("kind", "")), f.get("measure", ""),
             f.get("section", ""), f'{f["start"]}–{f["end"]}'] for f in figures]


def build_app(assistant, *, quiz: bool = True) -> gr.Blocks:
    """The Blocks app over one ``Assistant`` (pass ``launch_kwargs()`` to ``launch``). The 自测 tab
    appears when ``ui.quiz_tab`` is importable (and ``quiz`` is true)."""
    from assistant.clean import InvalidQuestion, clean_question as clean

    source = assistant.source()
    title = documents_title(assistant)
    examples = example_questions(assistant)
    duties = assistant.duties()
    figures = assistant.figures()
    duty_by_id = {d["id"]: d for d in duties}
    figure_by_id = {f["id"]: f for f in figures}
    actor_counts: dict[str, int] = {}
    for d in duties:
        for a in d["actors"]:
            actor_counts[a] = actor_counts.get(a, 0) + 1
    actors = [ALL] + sorted(actor_counts, key=lambda a: (-actor_counts[a], a))
    feedback_path = Path(assistant.settings.home) / "feedback.jsonl"
    # Exports live in the data dir (pruned after an hour), not in a new temp folder per server start.
    export_dir = Path(assistant.settings.home) / "exports"
    export_dir.mkdir(parents=True, exist_ok=True)

    # -- handlers ----------------------------------------------------------------------------------
    def chat(question: str, turns: list[dict] | None):
        turns = list(turns or [])
        question = question or ""
        try:
            clean(question)
        except InvalidQuestion as exc:
            if not question.strip():
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                return
            turns.append({"question": question, "error": str(exc)})
            yield render_conversation(turns), gr.skip(), turns, "", gr.skip()
            return
        history = [t["question"] for t in turns if t.get("answer")]
        yield render_conversation(turns + [{"question": question}]), gr.skip(), gr.skip(), "", gr.skip()
        try:
            ans = assistant.ask(question, history).to_dict()
        except InvalidQuestion as exc:
            turns.append({"question": question, "error": str(exc)})
            yield render_conversation(turns), gr.skip(), turns, "", gr.skip()
            return
        except Exception as exc:  # keep the page alive; the traceback goes to the server log
            traceback.print_exc()
            turns.append({"question": question, "error": f"出错了：{type(exc).__name__}: {exc}"})
            yield render_conversation(turns), gr.skip(), turns, "", gr.skip()
            return
        # An extractive answer is complete at once: it is sent whole, not replayed line by line.
        turns.append({"question": question, "answer": ans})
        yield render_conversation(turns), render_citations(turns), turns, gr.skip(), export(turns)

    def export(turns: list[dict]):
        if not any(t.get("answer") for t in turns):
            return gr.DownloadButton(value=None, interactive=False)
        cutoff = time.time() - 3600
        for old in export_dir.glob("conversation-*.md"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        path = export_dir / f"conversation-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{id(turns) % 10000}.md"
        path.write_text(conversation_markdown(turns, title), encoding="utf-8")
        return gr.DownloadButton(value=str(path), interactive=True)

    def clear_chat():
        return _welcome(), render_citations([]), [], "", gr.DownloadButton(value=None, interactive=False), ""

    def record_feedback(turns: list[dict] | None, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        rating, idx = data.get("rating"), data.get("turn")
        turns = list(turns or [])
        if rating not in ("up", "down") or not isinstance(idx, int) or not 0 <= idx < len(turns) \
                or not turns[idx].get("answer"):
            return gr.skip(), gr.skip()
        ans = turns[idx]["answer"]
        turns[idx] = dict(turns[idx], rating=rating)
        record = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rating": rating, "turn": idx,
                  "question": ans["question"], "standalone_question": ans["standalone_question"],
                  "answer": ans["answer"], "answerable": ans["answerable"], "citations": ans["citations"],
                  "backend": ans.get("backend", "")}
        with _feedback_lock:
            feedback_path.parent.mkdir(parents=True, exist_ok=True)
            with feedback_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        label = "有帮助" if rating == "up" else "没帮助"
        return turns, f"已记录第 {idx + 1} 问的反馈（{label}），谢谢。"

    def filter_duties(actor: str, keyword: str):
        rows = duties
        if actor and actor != ALL:
            rows = [d for d in rows if actor in d["actors"]]
        kw = (keyword or "").strip()
        if kw:
            rows = [d for d in rows if kw in d["task"] or kw in d.get("topic", "") or kw in "、".join(d["actors"])]
        return _duty_rows(rows), f"共 {len(rows)} 条"

    def _detail(title: str, sentence: str, section: str, start: int, end: int) -> str:
        return (f'<div class="detail"><div><strong>{esc(title)}</strong></div><div>{esc(sentence)}</div>'
                f'<div class="section">{esc(section)} · 原文 {int(start)}–{int(end)}</div></div>')

    def select_duty(evt: gr.SelectData):
        row = evt.row_value or []
        d = duty_by_id.get(str(row[0])) if row else None
        if d is None:
            return gr.skip(), gr.skip()
        return (_detail("、".join(d["actors"]) + " · " + d.get("topic", ""), d["task"], d.get("section", ""),
                        d["start"], d["end"]),
                render_source(source, (d["start"], d["end"]), "duty-viewer"))

    def filter_figures(kind: str):
        rows = figures if not kind or kind == ALL else [f for f in figures if KIND_NAMES.get(f["kind"], f["kind"]) == kind]
        return _figure_rows(rows)

    def select_figure(evt: gr.SelectData):
        row = evt.row_value or []
        f = figure_by_id.get(str(row[0])) if row else None
        if f is None:
            return gr.skip(), gr.skip()
        s, e = f.get("sentence_start", f["start"]), f.get("sentence_end", f["end"])
        return (_detail(f"{f['text']} · {KIND_NAMES.get(f['kind'], f['kind'])} · {f.get('measure', '')}",
                        f.get("sentence", ""), f.get("section", ""), s, e),
                render_source(source, (s, e), "figure-viewer"))

    def api_ask(question: str, history: list[str] | None = None) -> dict:
        """Answer one question; ``history`` is the user's earlier questions. Returns the Answer dict."""
        try:
            return assistant.ask(question, [h for h in (history or []) if isinstance(h, str)]).to_dict()
        except InvalidQuestion as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    # -- layout ------------------------------------------------------------------------------------
    with gr.Blocks(title="讲话问答助手", analytics_enabled=False) as app:
        gr.HTML(f'<div id="jh-header-inner"><h1>讲话问答助手</h1>'
                f'<div class="sub">{esc(title)}</div></div>', elem_id="jh-header")
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        conv = gr.HTML(_welcome(), elem_id="conversation", js_on_load=CONV_JS)
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(placeholder="输入问题，回车提问（例如：市交通局要做什么？）",
                                                  show_label=False, lines=1, max_lines=4, scale=5, min_width=200,
                                                  elem_id="question", autofocus=True)
                            ask_btn = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="ask-btn")
                        with gr.Row():
                            example_btns = [gr.Button(q, size="sm", elem_classes=["example"]) for q in examples]
                        with gr.Row():
                            clear_btn = gr.Button("清空对话", size="sm", elem_id="clear-btn")
                            download = gr.DownloadButton("导出对话（Markdown）", value=None, interactive=False,
                                                         size="sm", elem_id="export-btn")
                        fb_status = gr.HTML("", elem_id="fb-status")
                    with gr.Column(scale=2, min_width=300):
                        cites = gr.HTML(render_citations([]), elem_id="citations")
                        gr.HTML('<div class="viewer-title">讲话全文（点击引用定位）</div>')
                        gr.HTML(render_source(source, viewer_id="qa-viewer"), elem_id="qa-viewer",
                                js_on_load=None)
            with gr.Tab("职责", id="duties"):
                gr.Markdown("讲话给各单位布置的任务（职责清单）。按责任主体或关键词筛选，点击一行在右侧全文中高亮原句。")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        with gr.Row():
                            actor_dd = gr.Dropdown(actors, value=ALL, label="责任主体", scale=2, min_width=160,
                                                   elem_id="actor-filter")
                            keyword = gr.Textbox(label="关键词", placeholder="如：扬尘、汽修", scale=2, min_width=160,
                                                 elem_id="duty-keyword")
                        duty_count = gr.Markdown(f"共 {len(duties)} 条")
                        duty_table = gr.Dataframe(_duty_rows(duties), headers=["编号", "责任主体", "方面", "任务", "原文位置"],
                                                  datatype=["str"] * 5, interactive=False, wrap=True,
                                                  elem_id="duty-table", max_height=560,
                                                  column_widths=["9%", "18%", "20%", "41%", "12%"])
                    with gr.Column(scale=2, min_width=300):
                        duty_detail = gr.HTML('<p class="muted">点击左侧任一行查看原句。</p>', elem_id="duty-detail")
                        duty_viewer = gr.HTML(render_source(source, viewer_id="duty-viewer"), elem_id="duty-viewer",
                                              js_on_load=SCROLL_JS)
            with gr.Tab("数据", id="figures"):
                gr.Markdown("讲话中的数字：目标、成绩、现状、数量与时间。点击一行在右侧全文中高亮原句。")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
                        kind_dd = gr.Dropdown([ALL] + sorted({KIND_NAMES.get(f["kind"], f["kind"]) for f in figures}),
                                              value=ALL, label="类型", elem_id="kind-filter")
                        fig_table = gr.Dataframe(_figure_rows(figures),
                                                 headers=["编号", "数值", "类型", "衡量内容", "出处", "原文位置"],
                                                 datatype=["str"] * 6, interactive=False, wrap=True,
                                                 elem_id="figure-table", max_height=560,
                                                 column_widths=["8%", "15%", "8%", "37%", "20%", "12%"])
                    with gr.Column(scale=2, min_width=300):
                        fig_detail = gr.HTML('<p class="muted">点击左侧任一行查看原句。</p>', elem_id="figure-detail")
                        fig_viewer = gr.HTML(render_source(source, viewer_id="figure-viewer"), elem_id="figure-viewer",
                                             js_on_load=SCROLL_JS)
            build_quiz_tab = None
            if quiz:
                try:
                    from ui.quiz_tab import build_quiz_tab
                except ImportError:
                    build_quiz_tab = None
            if build_quiz_tab is not None:
                with gr.Tab("自测", id="quiz"):
                    try:
                        build_quiz_tab(assistant)
                    except Exception as exc:  # a broken quiz must not take the whole UI down
                        traceback.print_exc()
                        gr.Markdown(f"自测暂不可用：{esc(type(exc).__name__)}")

        # -- events --------------------------------------------------------------------------------
        chat_outputs = [conv, cites, turns, question, download]
        ask_kw = dict(fn=chat, inputs=[question, turns], outputs=chat_outputs, concurrency_limit=CONCURRENCY,
                      show_progress="hidden")
        question.submit(api_name="chat", api_visibility="undocumented", **ask_kw)
        ask_btn.click(api_visibility="private", **ask_kw)
        for btn, text in zip(example_btns, examples):
            btn.click(lambda t=text: t, outputs=question, api_visibility="private", queue=False).then(
                api_visibility="private", **ask_kw)
        clear_btn.click(clear_chat, outputs=[conv, cites, turns, question, download, fb_status],
                        api_visibility="private", queue=False)
        conv.click(record_feedback, inputs=[turns], outputs=[turns, fb_status], api_visibility="private")
        actor_dd.change(filter_duties, [actor_dd, keyword], [duty_table, duty_count], api_visibility="private")
        keyword.change(filter_duties, [actor_dd, keyword], [duty_table, duty_count], api_visibility="private")
        duty_table.select(select_duty, None, [duty_detail, duty_viewer], api_visibility="private")
        kind_dd.change(filter_figures, kind_dd, fig_table, api_visibility="private")
        fig_table.select(select_figure, None, [fig_detail, fig_viewer], api_visibility="private")
        gr.api(api_ask, api_name="ask", concurrency_limit=CONCURRENCY)
    return app


def launch(assistant, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True, quiz: bool = True,
           **kwargs):
    """Serve the UI on ``host:port`` (local only by default; never a share link; login when
    ``ASSISTANT_UI_USER``/``ASSISTANT_UI_PASSWORD`` are set). Prints the URL."""
    settings = assistant.settings
    try:  # warm up (jieba dictionary, embedding engine) so the first visitor does not wait
        assistant.ask(example_questions(assistant)[0])
    except Exception:  # pragma: no cover - a broken index shows up on the first real question
        traceback.print_exc()
    auth = (settings.ui_user, settings.ui_password or "") if settings.ui_user else None
    app = build_app(assistant, quiz=quiz)
    app.queue(default_concurrency_limit=CONCURRENCY)
    options = dict(server_name=host, server_port=port, share=False, auth=auth, prevent_thread_lock=True,
                   quiet=True, show_error=False, footer_links=["api", "settings"], run_history=False,
                   enable_monitoring=False, mcp_server=False, ssr_mode=False, pwa=False,
                   auth_message="讲话问答助手：请登录" if auth else None)
    options.update(launch_kwargs())
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
