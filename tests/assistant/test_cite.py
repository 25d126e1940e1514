"""cite: [n] numbers per distinct span, trimmed quotes, document-local offsets, and verification."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.cite import Citation, CitationError, Citer, verify

TEXT = "甲文件。第一句。 第二句。\n乙文件。第三句。"
DOCS = [SimpleNamespace(id="a", start=0), SimpleNamespace(id="b", start=TEXT.index("乙"))]


def _locate(pos):
    return DOCS[1] if pos >= DOCS[1].start else DOCS[0]


def test_one_number_per_span_in_order_of_first_use():
    citer = Citer(TEXT, [SimpleNamespace(id="p1", start=0, end=13)])
    first = citer.cite(4, 8, "一")
    second = citer.cite(8, 13, "一")
    assert (first, second, citer.cite(4, 8, "一")) == (1, 2, 1)
    assert [c.quote for c in citer.citations] == ["第一句。", "第二句。"]   # the leading space is trimmed
    assert citer.citations[0].passage_id == "p1"


def test_offsets_are_local_to_the_citations_document():
    citer = Citer(TEXT, [], _locate)
    start = TEXT.index("第三句")
    citer.cite(start, start + 4, "")
    c = citer.citations[0]
    doc_b = TEXT[DOCS[1].start:]
    assert c.doc == "b" and doc_b[c.start:c.end] == c.quote == "第三句。"


def test_verify_rejects_a_wrong_quote_and_an_orphan_marker():
    good = Citation(1, "第一句。", 4, 8, "一", "p1")
    verify("答[1]", [good], TEXT)
    with pytest.raises(CitationError):
        verify("答[1]", [Citation(1, "第二句。", 4, 8, "一", "p1")], TEXT)
    with pytest.raises(CitationError):
        verify("答[1][2]", [good], TEXT)
    with pytest.raises(CitationError):
        verify("答[1]", [Citation(1, "", 8, 4, "一", "p1")], TEXT)
