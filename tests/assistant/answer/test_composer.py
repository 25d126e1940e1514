"""answer: each answerer through the Composer, on analyses and evidence built by the engine's own stages."""
from __future__ import annotations

import pytest

from assistant.understand import analyse, last_clause, task_hops
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL


@pytest.fixture(scope="module")
def compose(assistant):
    embed = assistant.index.embedder.embed_query_vector
    searcher = assistant.searcher

    def run(question: str):
        vector = embed(question)
        a = analyse(question, vector, assistant.registry, assistant.type_model)
        query = searcher.prepare(a.question, vector)
        hits = searcher.sentences_ranked(query, k=12)
        hops = task_hops(a.question) if a.intent == "who" else [a.question]
        return assistant.composer.compose(a, searcher.evidence(a.question, query, hits, hops, last_clause(a.question)))

    return run


def test_duty_answer_quotes_every_task_of_the_body(compose, assistant):
    out = compose("市交通局要做什么？")
    assert out.answerable and out.route.startswith("duty")
    tasks = {d["task"] for d in assistant.duties("市交通局")}
    assert {c.quote for c in out.citer.citations} >= tasks


def test_figure_answer_cites_the_number(compose):
    out = compose("优良天数目标是多少？")
    assert out.answerable and "325" in out.answer
    assert any("325" in c.quote for c in out.citer.citations)


def test_refusal_offers_body_passages_not_the_masthead(compose, assistant):
    out = compose("火星上有什么？")
    assert not out.answerable and not out.citer.citations
    masthead = {TITLE_LABEL, DISTRIBUTION_LABEL}
    by_start = {s.start: s for s in assistant.searcher.sentences}
    assert all(by_start[r["start"]].path[:1] and by_start[r["start"]].path[0] not in masthead for r in out.related)


def test_latin_terms_match_whatever_their_case(assistant):
    """Question terms come lower-cased from the tokenizer; the document writes PM10, PM2.5."""
    for question in ("pm10同比上升了多少", "PM10同比上升了多少？"):
        answer = assistant.ask(question)
        assert answer.answerable and "8.1%" in answer.answer, question
    lead = assistant.ask("十三五期间pm2.5年均降了多少？").answer.lstrip("*")
    assert lead.startswith(("PM2.5浓度年均下降3.6", "3.6")), lead


def test_a_count_the_document_never_spells_out_is_refused(assistant):
    """"六项监测指标都有哪些？": the text counts them and names none; a count it spells out is answered."""
    counted = assistant.ask("六项监测指标都有哪些？")
    assert not counted.answerable and "六项监测指标" in counted.answer
    listed = assistant.ask("讲话重点强调的四个方面工作是哪些？")
    assert listed.answerable and "白石河" in listed.answer and "“一泓清水永续北上”" in listed.answer
