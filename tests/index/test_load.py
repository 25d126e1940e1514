"""Document loading: encodings, docx, pdf, and one-line LoadErrors for every bad input."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.load import MAX_BYTES, LoadedDocument, LoadError, corpus_paths, load_document, slugify

SHARED_SPEECH = Path("/work/shared/corpus/ankang-2021-04-16-eco-speech.txt")
CHINESE = (
    "关于做好春季森林防火工作的通知\n"
    "各乡镇人民政府，县直各部门：\n"
    "为切实做好今年春季森林防火工作，确保人民群众生命财产安全，现将有关事项通知如下。\n"
)


def _assert_one_line(err: LoadError, path: Path | str) -> str:
    msg = str(err)
    assert "\n" not in msg and "\r" not in msg
    assert msg.startswith("无法读取 ")
    assert str(path) in msg
    return msg


def _text_pdf(text: str) -> bytes:
    """A minimal one-page PDF with a Helvetica (standard Type1) text layer, built by hand."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- text files ---------------------------------------------------------------------------------------

def test_utf8_text_is_loaded_raw(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(CHINESE, encoding="utf-8")
    doc = load_document(path)
    assert isinstance(doc, LoadedDocument)
    assert doc.text == CHINESE
    assert doc.name == "notice.txt" and doc.path == str(path) and doc.id == "notice"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_legacy_encodings_decode(tmp_path, encoding):
    path = tmp_path / "通知.txt"
    path.write_bytes(CHINESE.encode(encoding))
    doc = load_document(path)
    assert doc.text == CHINESE
    assert doc.id == "通知"
    assert doc.sha256 == hashlib.sha256(CHINESE.encode(encoding)).hexdigest()


def test_utf8_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + CHINESE.encode("utf-8"))
    doc = load_document(path)
    assert doc.text == CHINESE and not doc.text.startswith("\ufeff")


@pytest.mark.parametrize("name", ["README", "notes.text", "NOTES.TXT"])
def test_other_text_suffixes(tmp_path, name):
    path = tmp_path / name
    path.write_text("plain text document", encoding="utf-8")
    assert load_document(path).text == "plain text document"


def test_real_speech_loads_unchanged():
    path = SHARED_SPEECH if SHARED_SPEECH.exists() else Path(__file__).resolve().parents[2] / "index/corpus" / SHARED_SPEECH.name
    doc = load_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.id == "ankang-2021-04-16-eco-speech"


# --- docx and pdf -------------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("关于印发工作方案的通知")
    document.add_paragraph("各县区人民政府：")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "序号"
    table.cell(0, 1).text = "任务"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "加强监管"
    document.add_paragraph("请认真贯彻执行。")
    path = tmp_path / "方案 v2.docx"
    document.save(path)

    doc = load_document(path)
    assert doc.text.split("\n") == ["关于印发工作方案的通知", "各县区人民政府：", "序号", "任务", "1", "加强监管", "请认真贯彻执行。"]
    assert doc.id == "方案-v2"


def test_docx_merged_cell_text_appears_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("附表")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "合并标题"
    for col, text in enumerate(["甲", "乙", "丙"]):
        table.cell(1, col).text = text
    path = tmp_path / "merged.docx"
    document.save(path)
    assert load_document(path).text.split("\n") == ["附表", "合并标题", "甲", "乙", "丙"]


def test_pdf_with_text_layer(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_text_pdf("Hello annual work report 2021"))
    doc = load_document(path)
    assert "Hello annual work report 2021" in doc.text
    assert doc.id == "report"


def test_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LoadError) as info:
        load_document(path)
    msg = _assert_one_line(info.value, path)
    assert "no text layer" in msg and "文字层" in msg


def test_pdf_with_too_little_text_is_a_scan(tmp_path):
    path = tmp_path / "stamp.pdf"
    path.write_bytes(_text_pdf("Page 1"))
    with pytest.raises(LoadError, match="no text layer") as info:
        load_document(path)
    _assert_one_line(info.value, path)


# --- bad inputs: always a one-line LoadError ----------------------------------------------------------

def test_png_bytes_with_txt_suffix(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    with pytest.raises(LoadError, match="binary") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_random_bytes_with_txt_suffix(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(LoadError) as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_control_characters_are_binary(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + b"some text")
    with pytest.raises(LoadError, match="control") as info:
        load_document(path)
    _assert_one_line(info.value, path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n \xe3\x80\x80 "])
def test_empty_or_whitespace_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(LoadError, match="empty") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_empty_docx(tmp_path):
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    with pytest.raises(LoadError, match="empty") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_too_large_file_is_rejected_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: 21 MB without writing them
    assert path.stat().st_size > MAX_BYTES

    def no_read(self):
        raise AssertionError("the size limit must be checked before reading")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(LoadError, match="too large") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(LoadError, match="not found") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_directory(tmp_path):
    with pytest.raises(LoadError, match="directory") as info:
        load_document(tmp_path)
    _assert_one_line(info.value, tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(LoadError) as info:
            load_document(path)
        _assert_one_line(info.value, path)
    finally:
        path.chmod(0o600)


def test_read_error_is_a_load_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied\nsecond line", str(path))

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(LoadError, match="unreadable") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def _unblock_fifo_later(path: Path, after_s: float) -> threading.Thread:
    """Open ``path``'s write end after a while and close it: a reader stuck opening the FIFO then sees
    end-of-file, so a test of code that would block forever fails instead of hanging the suite."""
    def writer():
        time.sleep(after_s)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)   # ENXIO when nobody is reading: fine
            os.close(fd)
        except OSError:
            pass
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("name", ["fifo.txt", "fifo"])
def test_fifo_is_refused_at_once(tmp_path, name):
    path = tmp_path / name
    os.mkfifo(path)
    _unblock_fifo_later(path, 3)
    started = time.monotonic()
    with pytest.raises(LoadError, match="not a regular file") as info:
        load_document(path)
    assert time.monotonic() - started < 2
    _assert_one_line(info.value, path)


def test_symlink_to_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "doc.txt"
    link.symlink_to(fifo)
    _unblock_fifo_later(fifo, 3)
    with pytest.raises(LoadError, match="not a regular file"):
        load_document(link)


def test_symlink_to_a_regular_file_is_read(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(CHINESE, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert load_document(link).text == CHINESE


# The old loader read /dev/zero until memory ran out: the check runs in a child process capped at 1 GB of
# address space and 60 s, so a regression fails quickly instead of taking the machine down.
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_is_refused_without_reading(device):
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    code = ("from index.load import LoadError, load_document\n"
            f"try:\n    load_document({device!r})\nexcept LoadError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, preexec_fn=cap,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-1000:]
    assert "not a regular file: a device" in out.stdout and len(out.stdout.strip().splitlines()) == 1


def test_unsupported_suffix_lists_supported_types(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(LoadError) as info:
        load_document(path)
    msg = _assert_one_line(info.value, path)
    assert "unsupported" in msg
    for suffix in (".txt", ".md", ".docx", ".pdf"):
        assert suffix in msg


@pytest.mark.parametrize("content", [b"PK\x03\x04 this is not a real zip archive", b"plain text pretending", b""])
def test_corrupt_docx(tmp_path, content):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hello\nworld")
    with pytest.raises(LoadError, match="corrupt") as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog\ngarbage\n" + os.urandom(512))
    with pytest.raises(LoadError) as info:
        load_document(path)
    _assert_one_line(info.value, path)


def test_newline_in_library_message_is_flattened():
    err = LoadError("/x/a.pdf", "PDF 没有文字层（扫描件？）", "no text layer\nsecond line")
    assert str(err) == "无法读取 /x/a.pdf：PDF 没有文字层（扫描件？） (no text layer second line)"
    assert isinstance(err, ValueError) and err.path == "/x/a.pdf"


# --- ids and corpus paths -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("Ankang-2021-04-16-Eco-Speech", "ankang-2021-04-16-eco-speech"),
        ("2021 安康 Speech_v2!!", "2021-安康-speech-v2"),
        ("__政府工作报告__", "政府工作报告"),
        ("--a--b--", "a-b"),
        ("！！！", "doc-abcdef12"),
        ("", "doc-abcdef12"),
        ("Ré sumé", "r-sum"),
    ],
)
def test_slugify(stem, expected):
    assert slugify(stem, "abcdef1234567890") == expected


def test_id_falls_back_to_hash(tmp_path):
    path = tmp_path / "《》.txt"
    path.write_text("正文内容", encoding="utf-8")
    doc = load_document(path)
    assert doc.id == "doc-" + doc.sha256[:8]


def test_corpus_paths():
    sep = os.pathsep
    assert corpus_paths(["a.txt", "b.pdf"], f"c.txt{sep}d.txt") == [Path("a.txt"), Path("b.pdf")]
    assert corpus_paths(None, f"c.txt{sep}{sep}d.txt{sep}") == [Path("c.txt"), Path("d.txt")]
    assert corpus_paths([], "c.txt") == [Path("c.txt")]
    assert corpus_paths(None, None) == []
    assert corpus_paths(None, "") == []
    assert corpus_paths(None, sep) == []
