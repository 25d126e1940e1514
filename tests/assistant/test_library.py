"""A library of several documents: questions that name a document are answered from it, compare questions
per document, "which document" questions with the document, a province the library lacks is refused, and
an answer never mixes documents. The documents are short stand-ins in the shape of provincial work reports
(their figures are made up for the test), so the index builds in seconds."""
import pytest

SICHUAN = """2025年四川省政府工作报告
——2025年1月20日在四川省第十四届人民代表大会第四次会议上
省长　施小琳
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。
一、2024年工作回顾
过去一年，全省地区生产总值达到6.5万亿元、增长5.7%，粮食产量710亿斤。我们建设天府粮仓核心区，建成高标准农田500万亩。
二、2025年工作安排
今年发展主要预期目标是：地区生产总值增长5.5%以上；城镇新增就业80万人以上；粮食产量720亿斤以上。
省交通运输厅要加快川藏铁路配套工程建设，年内完成投资200亿元。
空气质量优良天数比率达到90%以上。
"""
CHONGQING = """2025年重庆市政府工作报告
——2025年1月19日在重庆市第六届人民代表大会第三次会议上
市长　胡衡华
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。
一、2024年工作回顾
过去一年，全市地区生产总值达到3.2万亿元、增长5.7%。我们推进西部陆海新通道建设，开行班列1.2万列。
二、2025年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长6%左右；城镇新增就业60万人；粮食产量220亿斤。
省交通运输厅和市交通运输委员会要推进成渝中线高铁建设，确保年内全线开工。
空气质量优良天数比率达到88%以上。
"""
FUJIAN = """2025年福建省政府工作报告
——2025年1月13日在福建省第十四届人民代表大会第三次会议上
省长　赵龙
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。
一、2024年工作回顾
过去一年，全省地区生产总值达到5.7万亿元、增长5.5%。我们弘扬晋江经验，民营经济贡献了七成以上的税收。
二、2025年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5.0%—5.5%；城镇新增就业50万人；粮食产量511万吨以上。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory, settings):
    from assistant import Assistant

    folder = tmp_path_factory.mktemp("library")
    paths = []
    for name, text in (("2025年四川省政府工作报告", SICHUAN), ("2025年重庆市政府工作报告", CHONGQING),
                       ("2025年福建省政府工作报告", FUJIAN)):
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return Assistant.open(settings.with_(home=folder / "home", corpus=tuple(paths)))


def _docs(answer) -> set[str]:
    return {c.doc for c in answer.citations}


def _exact(a, answer):
    for c in answer.citations:
        assert a.source(c.doc)[c.start:c.end] == c.quote


@pytest.mark.parametrize("question,doc,figure", [
    ("四川今年地区生产总值增长目标是多少？", "2025年四川省政府工作报告", "5.5%以上"),
    ("渝今年GDP增长目标是多少？", "2025年重庆市政府工作报告", "6%左右"),
    ("What is Fujian's GDP growth target this year?", "2025年福建省政府工作报告", "5.0%—5.5%"),
    ("施小琳省长的报告里，今年城镇新增就业目标是多少？", "2025年四川省政府工作报告", "80万人以上"),
    ("1月19日的报告说今年地区生产总值增长目标是多少？", "2025年重庆市政府工作报告", "6%左右"),
])
def test_a_question_that_names_its_document_is_answered_from_it(library, question, doc, figure):
    answer = library.ask(question)
    assert answer.answerable and figure in answer.answer, answer.answer
    assert _docs(answer) == {doc}
    assert f"《{doc}》" in answer.answer          # the answer says which document it quotes
    _exact(library, answer)


def test_a_compare_question_is_answered_per_document_in_the_order_asked(library):
    answer = library.ask("川渝两地今年GDP增长目标各是多少？")
    assert answer.answerable and _docs(answer) == {"2025年四川省政府工作报告", "2025年重庆市政府工作报告"}
    text = answer.answer
    assert "5.5%以上" in text and "6%左右" in text
    assert text.index("《2025年四川省政府工作报告》") < text.index("5.5%以上") \
        < text.index("《2025年重庆市政府工作报告》") < text.index("6%左右")
    _exact(library, answer)
    assert all(c.doc_title for c in answer.citations)


def test_which_document_is_answered_with_the_document(library):
    answer = library.ask("哪个省的报告提到了晋江经验？")
    assert answer.answerable and answer.answer.startswith("出自《2025年福建省政府工作报告》")
    assert "2025年1月13日" in answer.answer.splitlines()[0]
    assert _docs(answer) == {"2025年福建省政府工作报告"}


def test_a_province_the_library_has_no_document_about_is_refused_not_answered_from_another(library):
    answer = library.ask("陕西今年GDP增长目标是多少？")
    assert not answer.answerable and not answer.citations and "陕西" in answer.answer


def test_a_question_several_documents_answer_gives_each_under_its_document(library):
    answer = library.ask("省交通运输厅要做什么？")
    assert answer.answerable and len(_docs(answer)) == 2
    text = answer.answer
    sichuan, chongqing = text.index("《2025年四川省政府工作报告》"), text.index("《2025年重庆市政府工作报告》")
    # Each duty sits under the document that assigns it: the lists never mix.
    first, second = sorted([(sichuan, "川藏铁路"), (chongqing, "成渝中线")])
    assert first[0] < text.index(first[1]) < second[0] < text.index(second[1])
    _exact(library, answer)


def test_a_body_only_another_document_names_is_not_in_the_one_asked(library):
    # 福建's report names no 省交通运输厅: asked of it alone, the body is refused, not answered from 四川 or 重庆.
    answer = library.ask("省交通运输厅要做什么？", docs=["2025年福建省政府工作报告"])
    assert not answer.answerable and "省交通运输厅" in answer.answer and "《2025年福建省政府工作报告》" in answer.answer
    assert "川藏铁路" not in answer.answer and "成渝中线" not in answer.answer
    answer = library.ask("省交通运输厅要做什么？", docs=["2025年四川省政府工作报告"])
    assert answer.answerable and "川藏铁路" in answer.answer and "成渝中线" not in answer.answer
    _exact(library, answer)


def test_an_english_name_of_bodies_with_one_core_in_several_documents_reaches_each(library):
    # 省交通运输厅 (四川, 重庆) and 市交通运输委员会 (重庆) share the core 交通运输: both are read, neither dropped.
    answer = library.ask("What must the transport department do?")
    assert answer.answerable and "川藏铁路" in answer.answer and "成渝中线" in answer.answer, answer.answer
    _exact(library, answer)


def test_docs_narrows_the_answer_and_an_unknown_id_is_one_line(library):
    from assistant.clean import InvalidQuestion

    answer = library.ask("今年地区生产总值增长目标是多少？", docs=["2025年福建省政府工作报告"])
    assert answer.answerable and "5.0%—5.5%" in answer.answer and _docs(answer) == {"2025年福建省政府工作报告"}
    with pytest.raises(InvalidQuestion) as err:
        library.ask("今年粮食产量目标是多少？", docs=["no-such-report"])
    assert "no-such-report" in str(err.value) and "\n" not in str(err.value)


def test_the_retriever_documents_carry_their_document(library):
    docs = library.retriever.invoke("西部陆海新通道", k=2)
    assert docs and docs[0].metadata["doc"] == "2025年重庆市政府工作报告"
    assert docs[0].metadata["doc_title"] == "2025年重庆市政府工作报告"


def test_the_page_picks_documents_and_marks_each_citation_in_the_viewer(library):
    from ui.handlers import Handlers

    h = Handlers(library)
    _, turns, *_ = h.chat_once("今年地区生产总值增长目标是多少？", [], None, ["2025年重庆市政府工作报告"])
    ans = turns[-1]["answer"]
    assert "6%左右" in ans["answer"] and {c["doc"] for c in ans["citations"]} == {"2025年重庆市政府工作报告"}
    text = library.viewer_text
    for c in ans["citations"]:
        assert text[c["view_start"]:c["view_end"]] == c["quote"]


def test_the_duty_and_figure_tabs_show_and_filter_each_document(library):
    from ui.handlers import Handlers

    h = Handlers(library)
    assert h.document_titles == ["2025年四川省政府工作报告", "2025年重庆市政府工作报告", "2025年福建省政府工作报告"]
    table, count = h.filter_duties("全部", "", "2025年重庆市政府工作报告")
    assert "成渝中线" in table and "川藏铁路" not in table and "《2025年重庆市政府工作报告》" in table
    figures, _ = h.filter_figures("全部", "", "2025年福建省政府工作报告")
    assert "511万吨以上" in figures and "720亿斤以上" not in figures
    everything, _ = h.filter_figures("全部", "")
    assert "511万吨以上" in everything and "720亿斤以上" in everything


def test_each_document_has_its_own_parts(library):
    answer = library.ask("四川的报告分哪几部分？")
    assert answer.answerable and answer.route == "list", answer.answer
    assert answer.items == ["一、2024年工作回顾", "二、2025年工作安排"]
    assert _docs(answer) == {"2025年四川省政府工作报告"}
    _exact(library, answer)


def test_a_quiz_over_a_library_asks_each_documents_parts_once(library):
    from assistant.quiz.generate import generate

    questions = generate(library)
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    parts = [q for q in questions if q.id.startswith("list-parts")]
    # Each document's two parts, never the library's six headings as one list.
    assert len(parts) >= 2 and all(len(q.items) == 2 for q in parts)
    for q in parts:
        doc = library.index.corpus.locate(q.citation["start"])
        assert all(doc.start <= it["citation"]["start"] < doc.end for it in q.items)


def test_a_questions_last_clause_is_read_inside_the_documents_its_best_sentences_come_from(library):
    """"天府粮仓那边，城镇新增就业目标是多少？": the last clause alone reaches every report's employment target;
    read after the whole question, whose best sentences are Sichuan's, it stays in Sichuan's report."""
    from assistant.retrieve.hits import Hit

    s, corpus = library.searcher, library.index.corpus
    sichuan = corpus.document("2025年四川省政府工作报告")

    def docs(hits):
        return {corpus.locate(s.sentence_by_id[h.id].start).id for h in hits}

    focus = "城镇新增就业目标是多少？"
    question = "天府粮仓那边，" + focus
    assert docs(s.sentences_ranked(s.prepare(focus), k=3)) != {sichuan.id}   # alone, it reaches the others
    own = [Hit(x.id, 1.0) for x in s.sentences if sichuan.start <= x.start < sichuan.end][:3]
    evidence = s.evidence(question, s.prepare(question), own, [], focus)
    assert evidence.focus_hits and docs(evidence.focus_hits) == {sichuan.id}
