"""HTML and Markdown for the web UI, built from escaped text only.

Answers are rendered by a small Markdown-subset renderer (bold, lists, quotes) that runs *after*
``html.escape``, so a question such as ``<img src=x onerror=alert(1)>`` is shown as literal text.
Every function here is pure (data in, markup out): the handlers and tests call them directly.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from datetime import datetime
from typing import Any

from index.segment import PART_HEADING

KIND_NAMES = {"target": "目标", "result": "成绩", "status": "现状", "count": "数量", "date": "时间"}
SHOWN_REJECTED_CHARS = 200
METADATA_NAMES = {"title": "标题", "speaker": "讲话人", "date": "日期", "issuer": "发文机关", "issue": "期号",
                  "occasion": "会议"}


def esc(text: Any) -> str:
    """HTML-escape any value (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


# ---- the documents -------------------------------------------------------------------------------------
def documents_title(documents: list[dict], most: int = 3) -> str:
    """The loaded documents as the header shows them: title, speaker and date from each masthead (a library
    of more than ``most``: how many, and the first titles)."""
    if len(documents) > most:
        shown = "、".join(f"《{d['title']}》" for d in documents[:most])
        return f"已载入 {len(documents)} 份文件：{shown} 等"
    parts = []
    for d in documents:
        meta = d.get("metadata") or {}
        extra = [f"{label}：{meta[key]['value']}" for key, label in (("speaker", "讲话人"), ("date", "日期"))
                 if meta.get(key)]
        parts.append(" · ".join([d["title"]] + extra))
    return "；".join(parts)


def paragraphs(source: str) -> list[tuple[int, int, str]]:
    """The non-empty lines of a canonical text with their spans: the paragraphs the viewer numbers."""
    out, pos = [], 0
    for line in source.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def paragraph_number(starts: list[int], pos: int) -> int:
    """第N段 for a position, given the viewer's paragraph starts (1-based)."""
    return max(1, bisect_right(starts, pos))


def _is_heading(line: str) -> bool:
    s = line.strip()
    if PART_HEADING.match(s) and len(s) < 80:
        return True
    return len(s) < 40 and not re.search(r"[。；！？：，”]$", s)


def render_source(source: str, highlight: tuple[int, int] | None = None, viewer_id: str = "qa-viewer") -> str:
    """The canonical text as numbered paragraphs; each ``<p>`` carries its char span (``data-start``/
    ``data-end``, Python string indices) and its text is exactly ``source[start:end]``, so the browser
    can mark any citation span. ``highlight`` marks one span on the server side."""
    parts = [f'<div class="speech" data-viewer="{esc(viewer_id)}" lang="zh-CN">']
    for n, (start, end, text) in enumerate(paragraphs(source), 1):
        cls = "heading" if _is_heading(text) else "para"
        if highlight and start < highlight[1] and highlight[0] < end:
            a, b = max(highlight[0], start) - start, min(highlight[1], end) - start
            body = f'{esc(text[:a])}<mark class="cite-hl">{esc(text[a:b])}</mark>{esc(text[b:])}'
        else:
            body = esc(text)
        parts.append(f'<p class="{cls}" data-n="{n}" data-start="{start}" data-end="{end}">{body}</p>')
    parts.append("</div>")
    return "".join(parts)


# ---- answers and the conversation ----------------------------------------------------------------------
def _cite_attrs(c: dict, viewer: str = "qa-viewer") -> str:
    # The viewer shows every document end to end: a citation's place in it (``view_start``) when given.
    start, end = c.get("view_start", c["start"]), c.get("view_end", c["end"])
    return (f'data-n="{int(c["n"])}" data-start="{int(start)}" data-end="{int(end)}" '
            f'data-viewer="{esc(viewer)}"')


def place_label(c: dict) -> str:
    """A citation's place for people: its document (when several are loaded), section and 第N段 (no
    character offsets)."""
    where = f"第{int(c['paragraph'])}段" if c.get("paragraph") else ""
    doc = f"《{c['doc_title']}》" if c.get("doc_title") else ""
    return " · ".join(p for p in (doc, c.get("section", ""), where) if p)


def _paragraph(c: dict) -> str:
    return f" · 第{int(c['paragraph'])}段" if c.get("paragraph") else ""


def full_path(c: dict) -> str:
    path = " › ".join(c.get("path") or []) or c.get("section", "")
    return f"《{c['doc_title']}》 {path}".strip() if c.get("doc_title") else path


def _inline(text: str, cites: dict[int, dict]) -> str:
    """Escape one line, then apply **bold** and turn [n] into citation buttons."""
    out = esc(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)

    def marker(m: re.Match) -> str:
        c = cites.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        title = esc(f"{c['quote']}\n— {full_path(c)}")
        return (f'<button type="button" class="cite jump" {_cite_attrs(c)} title="{title}" '
                f'aria-label="引用 {int(c["n"])}：{esc(place_label(c))}">[{int(c["n"])}]</button>')

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


WELCOME = ('<div class="welcome">'
           '<p><strong>就载入的文件提问</strong>（中文或英文均可）。回答只引用原文，'
           '每句后的 <span class="cite-demo">[n]</span> 是引用：指向或聚焦可看原句与出处，'
           '点按可在全文中定位并高亮。</p>'
           '<p>文件没有涉及的内容会明确说明“原文未涉及”，不会编造。</p></div>')


def _conv(inner: str) -> str:
    # role=log + aria-live: screen readers announce each new answer without the user moving focus.
    return f'<div class="conv" role="log" aria-live="polite" aria-label="对话">{inner}</div>'


def _why(ans: dict) -> str:
    """Why an answer is what it is, when that is not the default (an LLM reader, or why it was not used)."""
    llm = ans.get("llm") or {}
    if llm.get("used"):
        extra = [f"删去 {llm['dropped']} 句" if llm.get("dropped") else "",
                 f"补充遗漏的 {llm['added']} 项（列在最后）" if llm.get("added") else ""]
        return " · 模型作答（已逐句核对原文" + ("，" + "，".join(e for e in extra if e) if any(extra) else "") + "）"
    if llm.get("reason"):
        return f" · 原文摘录（{llm['reason']}）"
    return ""


def render_turn(i: int, t: dict) -> str:
    """One question and its answer (or error, or pending state)."""
    question = t["question"]
    if t.get("rejected") and len(question) > SHOWN_REJECTED_CHARS:
        # A rejected question stays in the box (static/latest.js); the log shows its start, not pages of it.
        question = f"{question[:SHOWN_REJECTED_CHARS]}…（共 {len(t['question'])} 字）"
    parts = [f'<div class="msg user" data-turn="{i}"><div class="who" aria-hidden="true">问</div>'
             f'<div class="bubble">{esc(question)}</div></div>']
    ans = t.get("answer")
    if t.get("error"):
        rejected = ' data-rejected="1"' if t.get("rejected") else ""
        parts.append(f'<div class="msg bot error" data-turn="{i}"{rejected} role="alert"><div class="who" '
                     f'aria-hidden="true">答</div><div class="bubble">{esc(t["error"])}</div></div>')
        return "".join(parts)
    if ans is None:
        parts.append(f'<div class="msg bot pending" data-turn="{i}"><div class="who" aria-hidden="true">答</div>'
                     '<div class="bubble"><span class="dots">正在查找原文…</span></div></div>')
        return "".join(parts)
    shown = t.get("partial", ans["answer"])
    classes = "msg bot" + ("" if ans["answerable"] else " not-in-speech") + (" streaming" if "partial" in t else "")
    body = [f'<div class="{classes}" data-turn="{i}"><div class="who" aria-hidden="true">答</div><div class="bubble">']
    if ans.get("standalone_question") and ans["standalone_question"] != ans["question"]:
        # How the question was read with the earlier turns, and one click to ask it on its own instead.
        body.append(f'<div class="resolved">（理解为：{esc(ans["standalone_question"])}）'
                    f'<button type="button" class="alone" data-turn="{i}">按原问题回答</button></div>')
    if not ans["answerable"]:
        body.append('<div class="badge">原文未涉及</div>')
    body.append(f'<div class="answer-body">{render_answer(shown, ans["citations"])}</div>')
    if "partial" not in t:
        if ans.get("related"):
            body.append('<div class="related"><div class="related-title">相关原文（供参考）：</div><ul>')
            for r in ans["related"]:
                body.append(f'<li class="jump" role="button" tabindex="0" data-start="{int(r["start"])}" '
                            f'data-end="{int(r["end"])}" data-viewer="qa-viewer" title="{esc(r.get("section", ""))}">'
                            f'{esc(r["quote"])}</li>')
            body.append("</ul></div>")
        dropped = (ans.get("llm") or {}).get("dropped_claims") or []
        if dropped:
            body.append(f'<details class="why"><summary>核对时删去的 {len(dropped)} 句（原文不支持）</summary><ul>'
                        + "".join(f"<li>{esc(d['claim'])} —— {esc(d['why'])}</li>" for d in dropped) + "</ul></details>")
        rated = t.get("rating")
        up = " chosen" if rated == "up" else ""
        down = " chosen" if rated == "down" else ""
        body.append(f'<div class="msg-foot"><span class="meta">{len(ans["citations"])} 条引用{esc(_why(ans))}</span>'
                    f'<button type="button" class="fb{up}" data-turn="{i}" data-rating="up" '
                    f'aria-pressed="{str(bool(up)).lower()}" title="这个回答有帮助">有帮助</button>'
                    f'<button type="button" class="fb{down}" data-turn="{i}" data-rating="down" '
                    f'aria-pressed="{str(bool(down)).lower()}" title="这个回答没帮助">没帮助</button></div>')
    body.append("</div></div>")
    parts.append("".join(body))
    return "".join(parts)


def render_note(reason: str) -> str:
    """The line under the question box when a question was not asked: why, and that it is still there."""
    return f'<p role="status">未提问：{esc(reason)}。问题仍在输入框中，修改后再提问。</p>'


def render_conversation(turns: list[dict], epoch: int = 0) -> str:
    """The whole log. The page shows it only at load and on clear (``epoch`` makes each clear a new value);
    answers arrive one turn at a time through ``render_update``."""
    inner = "".join(render_turn(i, t) for i, t in enumerate(turns)) if turns else WELCOME
    return _conv(inner).replace('class="conv"', f'class="conv" data-epoch="{int(epoch)}"', 1)


def render_cite_set(i: int, ans: dict, hidden: bool = False) -> str:
    """The citations of answer ``i``: one set in the panel."""
    parts = [f'<div class="cite-set" data-turn="{i}"{" hidden" if hidden else ""}>'
             f'<div class="cites-title">引用 · 第{i + 1}问 · {esc(ans["question"])}</div>']
    if not ans["citations"]:
        parts.append('<p class="muted">这个回答没有引用（原文未涉及）。</p>')
    else:
        parts.append("<ol>")
        for c in ans["citations"]:
            parts.append(
                f'<li class="jump" role="button" tabindex="0" {_cite_attrs(c)} title="点按在全文中定位">'
                f'<span class="n">[{int(c["n"])}]</span> <span class="quote">{esc(c["quote"])}</span>'
                f'<span class="section">{esc(full_path(c))}{esc(_paragraph(c))}</span></li>')
        parts.append("</ol>")
    parts.append("</div>")
    return "".join(parts)


def render_citations(turns: list[dict], active: int | None = None, epoch: int = 0) -> str:
    """Every answer's citations, one set per turn; the set of turn ``active`` (default: the latest
    answer) is shown, and clicking a [n] in an earlier answer brings that answer's set (head.html)."""
    answered = [(i, t) for i, t in enumerate(turns) if t.get("answer") and "partial" not in t]
    if not answered:
        return (f'<div class="cites" data-epoch="{int(epoch)}"><div class="cites-title">引用</div>'
                '<p class="muted">提问后，这里列出回答引用的原文。</p></div>')
    shown = active if active is not None and any(i == active for i, _ in answered) else answered[-1][0]
    return (f'<div class="cites" data-epoch="{int(epoch)}">'
            + "".join(render_cite_set(i, t["answer"], hidden=i != shown) for i, t in answered) + "</div>")


def render_update(i: int, turn: dict) -> str:
    """Only turn ``i``: its messages, and its citation set once the answer has settled. The page
    (static/latest.js) puts them into the log and the panel, so earlier turns are never sent again."""
    ans = turn.get("answer")
    cites = render_cite_set(i, ans) if ans and "partial" not in turn and not turn.get("error") else ""
    return (f'<div class="turn-update" data-turn="{i}"><div class="upd-turn">{render_turn(i, turn)}</div>'
            f'<div class="upd-cites">{cites}</div></div>')


def render_feedback_history(records: list[dict]) -> str:
    """One browser's own ratings, newest first: when, which question, which way."""
    if not records:
        return '<div class="my-feedback"><p class="muted">这个浏览器还没有评价过回答。</p></div>'
    items = []
    for r in records:
        label = "有帮助" if r.get("rating") == "up" else "没帮助"
        when = str(r.get("ts", ""))[:16].replace("T", " ")
        items.append(f'<li data-rating="{esc(r.get("rating"))}"><span class="fb-label">{label}</span> '
                     f'<span class="fb-q">{esc(r.get("question", ""))}</span> <span class="muted">{esc(when)} UTC</span></li>')
    return f'<div class="my-feedback"><ul>{"".join(items)}</ul></div>'


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
            out += ["*原文未涉及*", ""]
        out += [ans["answer"], ""]
        if ans["citations"]:
            out += ["**引用**", ""]
            out += [f"- [{c['n']}] 「{c['quote']}」 — {full_path(c)}{_paragraph(c)}"
                    for c in ans["citations"]]
            out.append("")
    return "\n".join(out)


# ---- tables (duties, figures, metadata) ----------------------------------------------------------------
def _table(headers: list[str], rows: list[tuple[dict, list[str]]], viewer: str, empty: str,
           nowrap: tuple[int, ...] = ()) -> str:
    """A table whose rows jump to their span in ``viewer``; below 600 px it becomes stacked cards
    (each cell labelled by ``data-label``)."""
    if not rows:
        return f'<div class="rows-wrap" data-viewer-for="{esc(viewer)}"><p class="muted">{esc(empty)}</p></div>'
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for attrs, cells in rows:
        tds = "".join(f'<td data-label="{esc(h)}"{" class=nowrap" if k in nowrap else ""}>{esc(v)}</td>'
                      for k, (h, v) in enumerate(zip(headers, cells)))
        body.append(f'<tr class="jump" tabindex="0" data-viewer="{esc(viewer)}" data-start="{int(attrs["start"])}" '
                    f'data-end="{int(attrs["end"])}" data-id="{esc(attrs["id"])}">{tds}</tr>')
    return (f'<div class="rows-wrap" data-viewer-for="{esc(viewer)}"><table class="rows"><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div>')


def render_duties(duties: list[dict], starts: list[int], titles: list[str] | None = None) -> str:
    """The duty table; ``titles``: each row's document (a library), shown in a first column."""
    rows = [({"id": d["id"], "start": d["start"], "end": d["end"]},
             ["、".join(d["actors"]) + ("（承上）" if d.get("inherited") else ""), d.get("topic", ""), d["task"],
              f"第{paragraph_number(starts, d['start'])}段"]) for d in duties]
    headers = ["责任主体", "方面", "任务", "位置"]
    if titles is not None:
        rows, headers = [(a, [f"《{t}》"] + cells) for (a, cells), t in zip(rows, titles)], ["文件"] + headers
    return _table(headers, rows, "duty-viewer", "没有符合条件的任务。", nowrap=(len(headers) - 1,))


def render_figures(figures: list[dict], starts: list[int], titles: list[str] | None = None) -> str:
    """The figure table; ``titles``: each row's document (a library), shown in a first column."""
    rows = [({"id": f["id"], "start": f.get("sentence_start", f["start"]), "end": f.get("sentence_end", f["end"])},
             [f["text"], KIND_NAMES.get(f.get("kind", ""), f.get("kind", "")), f.get("measure", ""),
              f.get("section", ""), f"第{paragraph_number(starts, f['start'])}段"]) for f in figures]
    headers, nowrap = ["数值", "类型", "衡量内容", "出处", "位置"], (0, 1, 4)
    if titles is not None:
        rows, headers = [(a, [f"《{t}》"] + cells) for (a, cells), t in zip(rows, titles)], ["文件"] + headers
        nowrap = (1, 2, 5)
    return _table(headers, rows, "figure-viewer", "没有符合条件的数字。", nowrap=nowrap)


def render_metadata(documents: list[dict], viewer: str = "figure-viewer") -> str:
    """Each document's masthead (title, speaker, date, issuer, issue) in its own small table; a row
    marks its words in the full text."""
    out = []
    for d in documents:
        meta = d.get("metadata") or {}
        rows = [(METADATA_NAMES.get(k, k), v) for k, v in meta.items() if isinstance(v, dict) and v.get("value")]
        if not rows:
            continue
        cells = "".join(f'<tr class="jump" tabindex="0" data-viewer="{esc(viewer)}" data-start="{int(v.get("start", 0))}" '
                        f'data-end="{int(v.get("end", 0))}"><th scope="row">{esc(k)}</th><td>{esc(v["value"])}</td></tr>'
                        for k, v in rows)
        out.append(f'<table class="rows meta-table"><caption>{esc(d["title"])} · 文件信息</caption>'
                   f'<tbody>{cells}</tbody></table>')
    return "".join(out) or '<p class="muted">文件没有可识别的文头信息。</p>'
