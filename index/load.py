"""Load one published document (.txt/.md/.docx/.pdf) into its raw text, or fail with a one-line LoadError.

This module only reads files: it does not normalise the text (see ``index.normalize``) and it does not
derive metadata (see ``index.metadata``).

- Plain text (``.txt``, ``.md``, ``.text`` or no suffix): UTF-8 (a BOM is stripped), otherwise the
  charset-normalizer best guess, so GBK/GB18030 files decode correctly. Binary data is rejected.
- ``.docx``: python-docx paragraphs and table cells, in document order, joined with ``\\n``.
- ``.pdf``: pypdf page texts joined with ``\\n``; a PDF without a text layer (a scan) is rejected.

Every failure (missing file, directory, not a regular file, unsupported type, too large, empty, corrupt,
binary) raises :class:`LoadError`, whose message is a single human-readable line in Chinese and English
naming the file.

Only regular files are read: a device (``/dev/zero`` never ends), a FIFO (opening it waits for a writer
forever) or a socket is refused before it is opened, and a file is read at most ``MAX_BYTES + 1`` bytes
even if it grows after its size was checked. The bytes read once are what is hashed and parsed.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from index.language import message

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = ("", ".txt", ".md", ".text")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")
# A PDF whose extracted text has fewer non-space characters than this is treated as a scan.
MIN_PDF_TEXT_CHARS = 20
# Text in which more than this share of characters are control characters / U+FFFD is binary.
MAX_CONTROL_RATIO = 0.1
_UTF8_BOM = b"\xef\xbb\xbf"
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32 BOMs (UTF-32LE starts with FF FE too)
_ALLOWED_CONTROLS = "\t\n\r\f\v"
# U+FFFD and the control characters (category Cc: U+0000-001F, U+007F-009F) but the allowed ones (U+0009-000D).
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


class LoadError(ValueError):
    """A document could not be loaded. ``str(err)`` is one line: ``无法读取 <path>：<中文> (<english>)``."""

    def __init__(self, path: str | os.PathLike, reason_zh: str, reason_en: str) -> None:
        self.path = str(path)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(_one_line(message("index.load.error", path=self.path, reason_zh=reason_zh,
                                           reason_en=reason_en)))


@dataclass
class LoadedDocument:
    """A loaded document. ``text`` is the raw published text; ``sha256`` hashes the raw file bytes."""

    id: str
    path: str
    name: str
    text: str
    sha256: str


def _one_line(text: str, limit: int = 500) -> str:
    text = " ".join(text.split()) if ("\n" in text or "\r" in text) else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(exc: BaseException) -> str:
    detail = str(exc).strip()
    return _one_line(f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__, 200)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3134F
    )


def slugify(stem: str, sha256: str) -> str:
    """Stable id from a file-name stem: ASCII letters/digits/hyphens (lowercased) and CJK characters kept,
    anything else becomes ``-``, repeats collapse; an empty result falls back to ``doc-<8 hex of sha256>``."""
    out = []
    for ch in stem:
        if (ch.isascii() and ch.isalnum()) or ch == "-":
            out.append(ch.lower())
        elif _is_cjk(ch):
            out.append(ch)
        else:
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    return slug or f"doc-{sha256[:8]}"


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = len(_BAD_CHARACTERS.findall(text))
    return bad / len(text) > MAX_CONTROL_RATIO


def _decode_text(path: Path, data: bytes) -> str:
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        # NUL bytes only occur in text in UTF-16/32, which carries a BOM; otherwise this is binary.
        if b"\x00" in data and not data.startswith(_UNICODE_BOMS):
            raise LoadError(path, message("index.load.binary"), "binary content, not text")
        from charset_normalizer import from_bytes

        try:
            best = from_bytes(data).best()
        except Exception as exc:  # defensive: the detector should not fail, but never leak a traceback
            raise LoadError(path, message("index.load.detection_failed"),
                            f"encoding detection failed: {_describe(exc)}") from exc
        if best is None:
            raise LoadError(path, message("index.load.undecodable"), "undecodable or binary content")
        text = str(best)
    if _looks_binary(text):
        raise LoadError(path, message("index.load.control_characters"), "binary content, mostly control characters")
    return text


def _file_kind(mode: int) -> tuple[str, str]:
    """What a non-regular file is, in Chinese and English, for the one-line error."""
    if stat.S_ISDIR(mode):
        return message("index.load.kind_directory"), "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return message("index.load.kind_device"), "a device"
    if stat.S_ISFIFO(mode):
        return message("index.load.kind_fifo"), "a FIFO"
    if stat.S_ISSOCK(mode):
        return message("index.load.kind_socket"), "a socket"
    return message("index.load.kind_special"), "a special file"


def _not_regular(path: Path, mode: int) -> LoadError:
    zh, en = _file_kind(mode)
    return LoadError(path, message("index.load.not_regular", kind=zh), f"not a regular file: {en}")


def _read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file. O_NONBLOCK makes opening a FIFO that replaced the file
    after it was checked return at once (the fstat then refuses it) instead of waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        return fh.read(limit)


def _docx_text(path: Path, data: bytes) -> str:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            seen: list = []  # holds the cell elements, so identity comparison stays valid
            for row in block.rows:
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):  # a merged cell repeats once per grid column
                        continue
                    seen.append(cell._tc)
                    lines.append(cell.text)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise LoadError(path, message("index.load.encrypted_pdf"), "encrypted PDF")
    text = "\n".join((page.extract_text() or "") for page in reader.pages)
    if sum(1 for ch in text if not ch.isspace()) < MIN_PDF_TEXT_CHARS:
        raise LoadError(path, message("index.load.no_text_layer"), "no text layer")
    return text


def load_document(path: str | os.PathLike) -> LoadedDocument:
    """Read one document and return its raw text; raise :class:`LoadError` (one line) on any failure."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise LoadError(p, message("index.load.not_found"), "file not found") from None
    except OSError as exc:
        raise LoadError(p, message("index.load.no_access"), f"cannot access: {_describe(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(p, message("index.load.directory"), "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(p, st.st_mode)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(s or message("index.load.no_suffix") for s in SUPPORTED_SUFFIXES)
        raise LoadError(p, message("index.load.unsupported", suffix=suffix, kinds=kinds),
                        f"unsupported file type {suffix}; supported: {kinds}")
    if st.st_size > MAX_BYTES:
        raise LoadError(
            p, message("index.load.too_large", size=st.st_size, limit=MAX_BYTES),
            f"file too large: {st.st_size} bytes > {MAX_BYTES}",
        )
    try:
        data = _read_regular(p, MAX_BYTES + 1)
    except OSError as exc:
        raise LoadError(p, message("index.load.unreadable"), f"unreadable: {_describe(exc)}") from None
    if len(data) > MAX_BYTES:   # it grew after the size check
        raise LoadError(p, message("index.load.grew_too_large", limit=MAX_BYTES),
                        f"file too large: more than {MAX_BYTES} bytes")
    sha = hashlib.sha256(data).hexdigest()

    try:
        if suffix == ".docx":
            text = _docx_text(p, data)
        elif suffix == ".pdf":
            text = _pdf_text(p, data)
        else:
            text = _decode_text(p, data)
    except LoadError:
        raise
    except Exception as exc:  # corrupt zip/xml/pdf etc.: report, never a traceback
        kind = {".docx": message("index.load.kind_docx"), ".pdf": message("index.load.kind_pdf")}.get(
            suffix, message("index.load.kind_text"))
        raise LoadError(p, message("index.load.corrupt", kind=kind), f"corrupt file: {_describe(exc)}") from None
    if not text.strip():
        raise LoadError(p, message("index.load.empty"), "empty document")
    return LoadedDocument(id=slugify(p.stem, sha), path=str(p), name=p.name, text=text, sha256=sha)


def corpus_paths(arg: list[str] | None, env: str | None) -> list[Path]:
    """Which documents to index: an explicit (non-empty) list wins; otherwise the value of the corpus
    environment variable split on ``os.pathsep`` (empty parts dropped); otherwise ``[]``, meaning
    "the shipped default corpus"."""
    if arg:
        return [Path(a).expanduser() for a in arg]
    if env:
        return [Path(part).expanduser() for part in env.split(os.pathsep) if part.strip()]
    return []
