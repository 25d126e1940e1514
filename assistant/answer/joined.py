"""Answers from several documents, each under its document: a compare question (川渝两地…各是多少), a duty
list that several documents give, a question "which document says …".

Each part was composed alone, inside its document's scope; joining renumbers their citations in order, so
``[n]`` markers and offsets stay exact, and puts each part under its document's title.
"""
from __future__ import annotations

import re

from assistant.answer.base import Composed
from assistant.cite import Citation, Citer
from index.language import message


def join(parts: list[tuple[str, Composed]], text: str, passages: list, locate, empty: str) -> Composed:
    """One answer from ``(document title, part)`` pairs. Parts that cannot answer are listed by name with
    ``empty`` (the reason, e.g. 没有找到相关内容); the whole is answerable when one part is."""
    citer = Citer(text, passages, locate, titles=True)
    lines, related, actors, items = [], [], [], []
    for title, part in parts:
        head = f"**《{title}》**"
        if not part.answerable:   # the document's own reason (没有给出这个数字 …), else ``empty``
            reason = _without_own_title(part.answer, title).lstrip("中") if part.answer else empty
            lines.append(f"{head}：{reason.split(chr(10))[0] or empty}")
            continue
        shift = len(citer.citations)
        for c in part.citer.citations:
            citer.citations.append(Citation(c.n + shift, c.quote, c.start, c.end, c.section, c.passage_id, c.doc,
                                            c.doc_title or title))
        body = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", part.answer)
        body = _without_own_title(body, title)
        lines.append(f"{head}\n{body}")
        related += part.related
        actors += [a for a in part.actors if a not in actors]
        items += part.items
    answerable = any(p.answerable for _, p in parts)
    route = "documents" if answerable else "refusal"
    return Composed("\n\n".join(lines), answerable, citer, related[:3], route, actors, items)


def which(part: Composed, described: list[str]) -> Composed:
    """A "which document" answer: the documents that the quoted sentences come from (``described``:
    "《title》（issuer，date）"), first."""
    if not part.answerable or not described:
        return part
    answer = message("assistant.answer.joined.from", documents="、".join(described), answer=part.answer)
    return Composed(answer, True, part.citer, part.related, part.route, part.actors, part.items)


def named(part: Composed, title: str) -> Composed:
    """An answer from one document of a library says which, first (unless it already does)."""
    if not part.answerable or f"《{title}》" in part.answer:
        return part
    return Composed(f"《{title}》：{part.answer}", True, part.citer, part.related, part.route, part.actors, part.items)


def _without_own_title(body: str, title: str) -> str:
    """A part's opening 《title》 is dropped under a heading that already names the document."""
    own = f"《{title}》"
    return body[len(own):].lstrip("：:，, ") if body.startswith(own) else body
