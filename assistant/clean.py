"""Input cleaning: turn what a user typed or pasted into one clean question, or a clear one-line error.

``clean_question`` is the single gate for a question; ``clean_history`` and ``load_history_file`` apply
the same gate to the user's earlier questions. Standard library and `regex` (for Unicode properties), no
project imports.

What cleaning does, in order (each step is safe to repeat, so cleaning is idempotent):

1. bytes must be UTF-8 (a UTF-8 BOM is allowed); anything else that is not ``str`` is refused;
2. invisible characters are *removed*, not replaced: lone surrogates, every format character
   (category Cf: U+200B-U+200F, U+2060, U+FEFF, U+00AD, U+180E, bidi controls, ...) and every
   Unicode Default_Ignorable_Code_Point (the combining grapheme joiner U+034F, the variation selectors,
   the Hangul fillers U+3164/U+115F/U+1160/U+FFA0, the Mongolian selectors U+180B-U+180D, the Khmer
   vowels U+17B4/U+17B5, tags, ...), plus the braille blank U+2800. They are removed first, so
   ``市交\u200b通局`` is exactly ``市交通局`` and ``e\u200b\u0301`` still composes. A combining mark
   (category Mn/Me) right after a CJK character has nothing to combine with and is removed too, unless
   the two compose (``か\u3099`` → ``が``); after NFKC any mark still left on a CJK character goes;
3. control characters (category Cc, including ``\\n \\t \\r``) and the line and paragraph separators
   U+2028/U+2029: a run of them (with any whitespace around it) between two CJK characters is dropped,
   a line wrapped inside a Chinese phrase (``市交通\\n局``) reads as ``市交通局``; anywhere else the run
   becomes one space;
4. NFKC: full-width letters, digits and signs become ASCII (``６１００％`` → ``6100%``, ``ＰＭ２．５`` →
   ``PM2.5``). Full-width Chinese punctuation ``，？：`` becomes ASCII ``,?:``; the Chinese quotes “”
   and the ideographic ``。、「」`` are not compatibility characters and stay as typed;
5. whitespace runs collapse to one space, and the ends are stripped.

A cleaned question is refused (``InvalidQuestion``) when it is empty, longer than
``MAX_QUESTION_CHARS``, or has no letter, digit or CJK character at all (only punctuation, symbols or
emoji). Every error message is one line: Chinese first, English in parentheses.

Earlier questions are replayed to resolve a follow-up, each one a full answer's work, on every request:
so history is bounded by count (``MAX_HISTORY_ITEMS``), by entry (``MAX_HISTORY_ITEM_CHARS``) and in
total (``MAX_HISTORY_TOTAL_CHARS``), newest first; whatever is left out gets a notice.
"""
from __future__ import annotations

import json
import os
import stat
import unicodedata

import regex

from index.language import message

__all__ = [
    "InvalidHistory",
    "InvalidQuestion",
    "MAX_HISTORY_FILE_BYTES",
    "MAX_HISTORY_ITEM_CHARS",
    "MAX_HISTORY_ITEMS",
    "MAX_HISTORY_TOTAL_CHARS",
    "MAX_QUESTION_CHARS",
    "QUOTATION",
    "clean_history",
    "clean_question",
    "load_history_file",
]

# A quotation in a question: the document's own words, which every later step keeps as written.
QUOTATION = regex.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」|‘[^’]*’")

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_ITEMS = 20
# A follow-up needs the earlier questions' bodies and topics, not pasted paragraphs: one earlier question
# of this length costs about 0.25 s to replay (its embeddings dominate), the total under a second.
MAX_HISTORY_ITEM_CHARS = 200
MAX_HISTORY_TOTAL_CHARS = 600
MAX_HISTORY_FILE_BYTES = 256 * 1024

# A raw input this long is refused before any cleaning work: no real question is 20x the limit even
# with invisible characters in it, and it bounds the cost of cleaning hostile input.
_MAX_RAW_CHARS = 20 * MAX_QUESTION_CHARS
# At most this many per-entry notices from ``clean_history``; the rest are counted in one notice.
_MAX_NOTICES = MAX_HISTORY_ITEMS
# ``[["..."]]`` is the deepest nesting a history file may have (the inner lists are dropped with a notice).
_MAX_HISTORY_DEPTH = 2


class InvalidQuestion(ValueError):
    """A question that cannot be asked: not text, not UTF-8, empty, too long or without any words."""


class InvalidHistory(ValueError):
    """A history file that cannot be used: unreadable, too large, not UTF-8, not JSON or not a list."""


def _type_name(obj: object) -> str:
    """The type's name, safe to put in a one-line message."""
    name = " ".join(str(getattr(type(obj), "__name__", "object")).split())
    return name[:60] or "object"


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def _not_text(obj: object) -> str:
    name = _type_name(obj)
    return message("assistant.clean.not_text", name=name)


def _too_long(n: int) -> InvalidQuestion:
    return InvalidQuestion(message("assistant.clean.too_long", n=n, limit=MAX_QUESTION_CHARS))


# --- characters -------------------------------------------------------------------------------------

# Deleted outright. Unicode's Default_Ignorable_Code_Point is the list of characters a renderer shows as
# nothing (the regex module knows it; unicodedata does not); U+2800 is a visible-width blank that still
# reads as nothing. NFKC never produces any of these from a character that is kept (checked over all of
# Unicode), so removing them once, before NFKC, is enough.
_INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cs}\u2800]")
# Line and paragraph separators are line breaks, folded like ``\n``.
_SEPARATORS = "\u2028\u2029"


def _is_control(ch: str) -> bool:
    """A line-breaking character: category Cc (U+0000-U+001F, U+007F-U+009F) or U+2028/U+2029."""
    return ch <= "\x1f" or "\x7f" <= ch <= "\x9f" or ch in _SEPARATORS


# Scripts written without spaces between words: a line break inside them is not a word break.
# Hangul is deliberately absent (Korean separates words with spaces).
_CJK_RANGES = (
    (0x2E80, 0x2FDF),    # CJK radicals supplement, Kangxi radicals
    (0x3001, 0x303F),    # CJK symbols and punctuation (not U+3000, the ideographic space)
    (0x3040, 0x30FF),    # hiragana, katakana
    (0x3100, 0x312F),    # bopomofo
    (0x31A0, 0x31FF),    # bopomofo extended, CJK strokes, katakana phonetic extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE30, 0xFE4F),    # CJK compatibility forms
    (0xFF01, 0xFF0F),    # full-width punctuation ！＂＃…／
    (0xFF1A, 0xFF20),    # ：；＜＝＞？＠
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),    # ｛｜｝～ and the half-width ideographic punctuation
    (0x20000, 0x323AF),  # CJK extensions B-H, compatibility supplement
)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _drop_invisible(text: str) -> str:
    if text.isascii():   # fast path: nothing to remove
        return text
    return _INVISIBLE.sub("", text)


def _drop_marks_after_cjk(text: str, *, keep_composing: bool) -> str:
    """Combining marks on a CJK character (``交\u0301``) show as nothing a reader notices in a Chinese
    word, so they must not change the question: each is removed. Before NFKC a mark that composes with
    the character is kept (``か\u3099`` is ``が``); after NFKC whatever could compose has, and every mark
    still on a CJK character goes (so the result stays NFKC and cleaning stays idempotent)."""
    if text.isascii():
        return text
    out: list[str] = []
    base = ""        # the character the next mark sits on, "" when it sits on a kept mark
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            if base and _is_cjk(base):
                if not (keep_composing and len(unicodedata.normalize("NFC", base + ch)) == 1):
                    continue
            base = ""
        else:
            base = ch
        out.append(ch)
    return "".join(out)


def _fold_controls(text: str) -> str:
    """Each run of whitespace containing a control character: dropped between CJK, else one space."""
    if not any(_is_control(ch) for ch in text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if not (ch.isspace() or _is_control(ch)):
            out.append(ch)
            i += 1
            continue
        j = i
        has_control = False
        while j < n and (text[j].isspace() or _is_control(text[j])):
            has_control = has_control or _is_control(text[j])
            j += 1
        if not has_control:
            out.append(text[i:j])                 # plain whitespace: collapsed later
        elif 0 < i and j < n and _is_cjk(text[i - 1]) and _is_cjk(text[j]):
            pass                                  # 市交通\n局 → 市交通局
        else:
            out.append(" ")
        i = j
    return "".join(out)


def _has_words(text: str) -> bool:
    """Any letter or digit (category L* or N*; every CJK ideograph is Lo)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# --- questions --------------------------------------------------------------------------------------

# Chinese sentence punctuation stays as typed (the user sees their question echoed); NFKC would make it ASCII.
_KEEP = "，。？！：；（）"
_HIDE = {ord(ch): chr(0xE000 + i) for i, ch in enumerate(_KEEP)}
_SHOW = {0xE000 + i: ch for i, ch in enumerate(_KEEP)}


def _nfkc_keeping_cjk_punctuation(text: str) -> str:
    # Private-use stand-ins pass NFKC unchanged; a text that already holds such characters is folded plainly.
    private = {ch for ch in text if 0xE000 <= ord(ch) < 0xE000 + len(_KEEP)}
    if private:
        return unicodedata.normalize("NFKC", text)
    return unicodedata.normalize("NFKC", text.translate(_HIDE)).translate(_SHOW)


def clean_question(obj: object) -> str:
    """The cleaned question (see the module docstring), or ``InvalidQuestion`` with a one-line message."""
    if isinstance(obj, (bytes, bytearray)):
        try:
            obj = bytes(obj).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidQuestion(message("assistant.clean.not_utf8")) from exc
    if not isinstance(obj, str):
        raise InvalidQuestion(_not_text(obj))
    text = str.__str__(obj)   # a plain str, whatever a subclass overrides
    if len(text) > _MAX_RAW_CHARS:
        raise _too_long(len(text))
    text = _drop_invisible(text)
    text = _drop_marks_after_cjk(text, keep_composing=True)
    text = _fold_controls(text)
    text = _nfkc_keeping_cjk_punctuation(text)   # never introduces Cc, Cf or surrogates (Unicode 14)
    text = _drop_marks_after_cjk(text, keep_composing=False)   # a mark left on a composed が\u0301
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestion(message("assistant.clean.empty"))
    if len(text) > MAX_QUESTION_CHARS:
        raise _too_long(len(text))
    if not _has_words(text):
        raise InvalidQuestion(message("assistant.clean.no_words"))
    return text


# --- history ----------------------------------------------------------------------------------------

def clean_history(items: object) -> tuple[list[str], list[str]]:
    """``(questions, notices)``: the last valid earlier questions, cleaned, and one line per thing ignored.
    Accepts None, a list or a tuple; never raises.

    Kept, newest first: at most ``MAX_HISTORY_ITEMS`` questions of at most ``MAX_HISTORY_ITEM_CHARS``
    characters each and ``MAX_HISTORY_TOTAL_CHARS`` together; once the total is reached every older entry
    is left out too (a conversation has no gaps). Entries are numbered from 1 in the notices. Entries
    older than the last ``MAX_HISTORY_ITEMS`` valid ones are not examined; a single notice says how many
    were dropped.
    """
    if items is None:
        return [], []
    if not isinstance(items, (list, tuple)):
        name = _type_name(items)
        return [], [message("assistant.clean.history_not_a_list", name=name)]
    entries = list(items)
    kept: list[str] = []
    dropped: list[str] = []          # newest first while scanning
    extra = 0
    used, full = 0, False
    i = len(entries)
    while i > 0 and len(kept) < MAX_HISTORY_ITEMS:
        i -= 1
        entry = entries[i]
        if full:
            reason = _TOTAL_REACHED
        elif isinstance(entry, str):
            try:
                question = clean_question(entry)
            except InvalidQuestion as exc:
                reason = str(exc)
            else:
                if len(question) > MAX_HISTORY_ITEM_CHARS:
                    reason = message("assistant.clean.history_item_too_long", n=len(question),
                                     limit=MAX_HISTORY_ITEM_CHARS)
                elif used + len(question) > MAX_HISTORY_TOTAL_CHARS:
                    full, reason = True, _TOTAL_REACHED
                else:
                    kept.append(question)
                    used += len(question)
                    continue
        else:
            reason = _not_text(entry)
        if len(dropped) < _MAX_NOTICES:
            dropped.append(message("assistant.clean.history_item_ignored", number=i + 1, reason=reason))
        else:
            extra += 1
    notices: list[str] = []
    if i > 0:
        notices.append(message("assistant.clean.history_older_ignored", count=i, limit=MAX_HISTORY_ITEMS))
    if extra:
        notices.append(message("assistant.clean.history_more_ignored", count=extra))
    notices.extend(reversed(dropped))
    kept.reverse()
    return kept, notices


_TOTAL_REACHED = message("assistant.clean.history_total_reached", limit=MAX_HISTORY_TOTAL_CHARS)


def _too_deep(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests arrays/objects deeper than ``limit``; a flat scan, no recursion."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "[" or ch == "{":
            depth += 1
            if depth > limit:
                return True
        elif ch == "]" or ch == "}":
            depth -= 1
    return False


_NOT_A_LIST = message("assistant.clean.file_not_a_list")


def _unreadable(path: str | os.PathLike, reason: str) -> InvalidHistory:
    return InvalidHistory(message("assistant.clean.file_unreadable", path=_one_line(path, 120), reason=reason))


def _read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file; ``InvalidHistory`` for anything else. A FIFO would wait
    for a writer forever and a device such as ``/dev/zero`` never ends, so both are refused: by ``stat``
    before opening, and by ``fstat`` of what was opened (with O_NONBLOCK, so a FIFO swapped in between
    cannot block the open either)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _unreadable(path, "not a regular file")
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise _unreadable(path, "not a regular file")
            return fh.read(limit)
    except InvalidHistory:
        raise
    except (OSError, ValueError, TypeError) as exc:   # ValueError: a NUL in the path
        raise _unreadable(path, _one_line(getattr(exc, "strerror", None) or exc) or type(exc).__name__) from exc


def load_history_file(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """``clean_history`` of a JSON file holding a list of question strings.

    Raises ``InvalidHistory`` (one line) when the file cannot be read, is not a regular file (a FIFO, a
    device), is larger than ``MAX_HISTORY_FILE_BYTES``, is not UTF-8, is not JSON, nests deeper than a
    list of lists, or is not a list. Problems with single entries are notices, not errors.
    """
    data = _read_regular_file(path, MAX_HISTORY_FILE_BYTES + 1)
    if len(data) > MAX_HISTORY_FILE_BYTES:
        raise InvalidHistory(message("assistant.clean.file_too_large", kb=MAX_HISTORY_FILE_BYTES // 1024,
                                     limit=MAX_HISTORY_FILE_BYTES))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidHistory(message("assistant.clean.file_not_utf8")) from exc
    if _too_deep(text, _MAX_HISTORY_DEPTH):
        raise InvalidHistory(f"{_NOT_A_LIST} (the history file must be a list of question strings; "
                             f"it nests deeper than {_MAX_HISTORY_DEPTH} levels)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidHistory(message("assistant.clean.file_bad_json_at", line=exc.lineno, column=exc.colno,
                                     reason=_one_line(exc.msg))) from exc
    except (ValueError, RecursionError) as exc:   # e.g. an integer with more digits than Python allows
        raise InvalidHistory(message("assistant.clean.file_bad_json", reason=_one_line(exc) or type(exc).__name__)) \
            from exc
    if not isinstance(value, list):
        name = "null" if value is None else _type_name(value)
        raise InvalidHistory(f"{_NOT_A_LIST} (the history file must be a list of question strings, got {name})")
    return clean_history(value)
