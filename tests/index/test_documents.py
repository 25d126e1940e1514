"""Other documents: a plain text with no bodies, lists or figures; several documents in one index; bad
documents that leave the previous index answering."""
import json

import pytest


NOTICE = ("某县人民政府办公室\n2022年3月1日\n关于做好春季河道保洁工作的通知\n"
          "为改善河道环境，现就春季河道保洁工作通知如下。县水务局要加强河道日常巡查，发现问题及时处置。"
          "各镇要落实河长制，每周至少巡河1次。\n")


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory, settings, seed_vectors):
    from assistant import Assistant
    from index.normalize import load_published

    folder = tmp_path_factory.mktemp("docs")
    speech = folder / "speech.txt"
    speech.write_text(load_published(), encoding="utf-8")
    notice = folder / "notice-gbk.txt"
    notice.write_bytes(NOTICE.encode("gb18030"))  # GBK-family file: the encoding is detected
    # The speech's vectors come from the session index (same model, same sentences); the notice is embedded.
    home = seed_vectors(folder / "home")
    return Assistant.open(settings.with_(home=home, corpus=(str(speech), str(notice))))


def test_plain_text_without_bodies_lists_or_figures_indexes_and_answers(tmp_path, settings):
    from assistant import Assistant

    doc = tmp_path / "plain.txt"
    doc.write_text("春天来了，公园里的花都开了。\n很多人周末去公园散步，也有人在湖边钓鱼。\n", encoding="utf-8")
    a = Assistant.open(settings.with_(home=tmp_path / "home", corpus=(str(doc),)))
    assert a.duties() == [] and a.figures() == []
    answer = a.ask("周末大家去公园做什么？")
    assert answer.answerable and "散步" in answer.answer
    for c in answer.citations:
        assert a.source(c.doc)[c.start:c.end] == c.quote


def test_each_answer_cites_the_document_that_says_it(two_documents):
    a = two_documents
    ids = [d["id"] for d in a.documents]
    assert ids == ["speech", "notice-gbk"]
    water = a.ask("县水务局要做什么？")
    assert water.answerable and "河道日常巡查" in water.answer
    assert {c.doc for c in water.citations} == {"notice-gbk"}
    transport = a.ask("市交通局要做什么？")
    assert {c.doc for c in transport.citations} == {"speech"} and "汽修行业" in transport.answer
    for answer in (water, transport):
        for c in answer.citations:
            assert a.source(c.doc)[c.start:c.end] == c.quote
    assert "河道" in a.source("notice-gbk") and a.source("speech").startswith("安政通报")


def test_masthead_of_each_document_is_its_metadata(two_documents):
    titles = {d["id"]: d["title"] for d in two_documents.documents}
    assert titles["notice-gbk"] == "关于做好春季河道保洁工作的通知"
    assert "讲话" in titles["speech"]


def _blank_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with open(path, "wb") as fh:
        writer.write(fh)


@pytest.mark.parametrize("name,make", [
    ("empty.txt", lambda p: p.write_bytes(b"")),
    ("binary.txt", lambda p: p.write_bytes(bytes(range(256)) * 64)),
    ("scan.pdf", _blank_pdf),
    ("huge.txt", lambda p: p.write_bytes(b"a" * (21 * 1024 * 1024))),
    ("missing.txt", lambda p: None),
])
def test_bad_document_is_one_line_error_and_previous_index_keeps_answering(run_cli, tmp_path, name, make):
    path = tmp_path / name
    make(path)
    out = run_cli("index", "--corpus", str(path))
    assert out.returncode == 1, out.stdout
    message = out.stderr.strip()
    assert message and "\n" not in message and "Traceback" not in message, message
    answer = run_cli("ask", "市交通局要做什么？", "--json")
    assert answer.returncode == 0, answer.stderr[-500:]
    assert "汽修行业" in json.loads(answer.stdout)["answer"]


def test_source_command_prints_each_document(run_cli, tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text("# 通知\n\n市水务局要加强巡查。\n", encoding="utf-8")
    out = run_cli("source", "--doc", "note", env={"ASSISTANT_CORPUS": str(doc)})
    assert out.returncode == 0 and "市水务局要加强巡查。" in out.stdout
    bad = run_cli("source", "--doc", "nope", env={"ASSISTANT_CORPUS": str(doc)})
    assert bad.returncode == 1 and "note" in bad.stderr and "Traceback" not in bad.stderr
