"""Tokenize Chinese (jieba, with the speech's domain dictionary) and English for BM25 and term checks."""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from index.language import read_words

STOPWORDS = read_words("stopwords.txt")
# Words that frame a question rather than name its topic: never a reason to refuse.
FRAME_WORDS = read_words("frame_words.txt")
# Numeral + classifier ("四项", "三个", "几条"): a count in the question, not a topic.
_COUNTED = re.compile(r"^[一二三四五六七八九十两几多\d]+[个项条点件处次天年名部期块类种大句字]?$")
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+|\d+(?:\.\d+)?")


TOKENIZER_VERSION = "8"
# General words kept in the compact dictionary besides the speech's own: enough to segment questions well.
GENERAL_WORDS = 30000
_active = {"dictionary": None}


_QUOTED = re.compile(r"“([^”“]{2,8})”")


def derived_terms(text: str, bodies: list) -> list[str]:
    """The document's own terms for the tokenizer: its bodies' names and short forms, and the short
    terms it puts in quotation marks (“河长制”, “回头看”). Derived at index time, never typed in."""
    words = [f for b in bodies for f in b.surface_forms] + [b.core for b in bodies]
    words += [m.group(1) for m in _QUOTED.finditer(text) if not re.search(r"[，。、；：！？]", m.group(1))]
    return sorted({w for w in words if len(w) >= 2 and " " not in w})


@lru_cache(maxsize=1)
def _full_jieba():
    # jieba's full dictionary (about 1 s to load): used only when building the compact dictionary.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.dt


def part_of_speech(word: str) -> tuple[str | None, int]:
    """jieba's part-of-speech tag and frequency of a two-character ``word`` in its full dictionary
    (``(None, 0)``: unknown or another length)."""
    return _two_character_words().get(word, (None, 0))


@lru_cache(maxsize=1)
def _two_character_words() -> dict[str, tuple[str, int]]:
    # Read from jieba's dictionary file itself (0.15 s, once per process): initialising jieba's full
    # tokenizer would take longer and writes a cache file, which an open must not need (a full disk).
    import jieba

    with jieba.dt.get_dict_file() as fh:
        text = fh.read().decode("utf-8")
    return {w: (tag, int(f)) for w, f, tag in re.findall(r"^(\S\S) (\d+) (\S+)$", text, re.M)}


@lru_cache(maxsize=4)
def _compact_jieba(path: str):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(dictionary=path)
    # The parsed-dictionary cache lives beside the dictionary (written once, at build), never in /tmp.
    tokenizer.tmp_dir = os.path.dirname(os.path.abspath(path))
    tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()
    try:
        with open(path + TOTAL_SUFFIX, encoding="utf-8") as fh:
            tokenizer.total = int(fh.read().strip())   # jieba's full total (write_dictionary)
    except (OSError, ValueError):
        pass   # a build from before the total was kept: its own total, as it was built
    return tokenizer


_scoped: ContextVar[str | None] = ContextVar("tokenizer_dictionary", default=None)


def _jieba():
    path = _scoped.get() or _active["dictionary"]
    return _compact_jieba(path) if path else _full_jieba()


# A word the document itself names (a body, a quoted term) weighs as a common word in jieba's model.
TERM_FREQ = 20000
TOTAL_SUFFIX = ".total"


@lru_cache(maxsize=1)
def full_entries() -> tuple[dict[str, int], int]:
    """jieba's full dictionary as ``{word: frequency}`` and its total, read from the file itself."""
    tables = _jieba_tables()
    return tables["entries"], tables["total"]


@lru_cache(maxsize=1)
def _jieba_tables() -> dict:
    """jieba's entries and total, and the base entries of every compact dictionary: parsed and sorted once per
    machine, jieba release and code, and kept (index.kept.per_machine; a second of every build in a new process)."""
    import hashlib

    import jieba

    from index import kept
    from index.snapshot import code_fingerprint

    key = hashlib.sha256(f"{jieba.dt.dictionary}\n{code_fingerprint()}".encode()).hexdigest()[:24]
    return kept.per_machine("jieba-", key, _parse_jieba)


def _parse_jieba() -> dict:
    import jieba

    with jieba.dt.get_dict_file() as fh:
        lines = fh.read().decode("utf-8").splitlines()
    entries, total = {}, 0
    for line in lines:
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            entries[parts[0]] = int(parts[1])
            total += int(parts[1])
    general = sorted(((f, w) for w, f in entries.items() if f > 0), reverse=True)[:GENERAL_WORDS]
    base = {w: f for f, w in general}
    base.update({w: entries[w] for w in STOPWORDS | FRAME_WORDS if entries.get(w)})
    return {"entries": entries, "total": total, "base": base}


def full_tokenizer(terms: list[str]):
    """A private tokenizer with jieba's full dictionary and ``terms`` (adding them to the shared one would
    carry them into every later build in the same process). Its total stays the dictionary's own, so a
    document is cut the same way whatever other terms its library brings."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    full = jieba.Tokenizer()
    full.check_initialized()
    total = full.total
    for word in terms:
        full.add_word(word, freq=TERM_FREQ)
    full.total = total
    return full


def document_words(full, text: str) -> dict[str, int]:
    """The dictionary words of one document as ``full`` cuts it in search mode (every word of the precise cut
    and the dictionary words inside each), with their frequencies."""
    words = {}
    for tok in full.lcut_for_search(text):
        tok = tok.strip()
        if tok and full.FREQ.get(tok):
            words[tok] = full.FREQ[tok]
    return words


def base_entries() -> dict[str, int]:
    """The entries every compact dictionary has, whatever its documents: the most frequent general words, the
    stopwords and frame words (with jieba's frequencies)."""
    return _jieba_tables()["base"]


def dictionary_entries(documents_words: list[dict[str, int]], terms: list[str]) -> dict[str, int]:
    """A compact dictionary's entries: the most frequent general words, the stopwords and frame words, every
    document's own words and the domain terms and aliases. It loads in a fraction of the full dictionary's
    time. Each part is the same whatever else is in the library, so adding a document only adds entries."""
    entries = dict(base_entries())
    for words in documents_words:
        entries.update(words)
    entries.update({w: TERM_FREQ for w in terms})
    return {w: f for w, f in entries.items() if " " not in w and "\n" not in w}


def write_dictionary(path, entries: dict[str, int]) -> None:
    """Write the compact dictionary and, beside it, jieba's full total: the compact one's own total would grow
    with every term a library adds and change how every other document is cut (index.document_tokens)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(f"{w} {f}" for w, f in sorted(entries.items())) + "\n")
    with open(str(path) + TOTAL_SUFFIX, "w", encoding="utf-8") as fh:
        fh.write(f"{full_entries()[1]}\n")


def use_dictionary(path) -> None:
    """Tokenize with the compact dictionary of an opened index (``None``: jieba's full dictionary)."""
    _active["dictionary"] = str(path) if path else None


@contextmanager
def dictionary(path):
    """Tokenize with ``path`` inside the block, in this thread only: an index opened later in the same
    process (another corpus) must not change how an earlier one reads its questions."""
    token = _scoped.set(str(path))
    try:
        yield
    finally:
        _scoped.reset(token)


def tokenize(text: str) -> list[str]:
    """Search-mode tokens without punctuation or stopwords; English words lowercased."""
    jieba = _jieba()
    tokens = []
    for tok in jieba.lcut_for_search(text):
        tok = tok.strip().lower()
        if not tok or _PUNCT.match(tok) or tok in STOPWORDS:
            continue
        tokens.append(tok)
    return tokens


def cut_words(text: str) -> list[str]:
    """The text cut into words (precise mode) by the active dictionary; joined, they give the text back."""
    return _jieba().lcut(text)


def term_share(term: str, text: str) -> float:
    """How much of a question word a text holds: 1 when it is there whole, else the share of its dictionary
    pieces that are (粮食产量 in "粮食播种面积…，总产量达到…": 粮食 and 产量, 1.0; in "总产量达到…": 0.5).
    A compound the question writes as one word is often split or abbreviated by the document."""
    if term in text:
        return 1.0
    parts = _pieces(_jieba(), term)
    return sum(p in text for p in parts) / len(parts) if parts else 0.0


@lru_cache(maxsize=4096)
def _pieces(tokenizer, term: str) -> tuple[str, ...]:
    # Search mode yields the dictionary words inside a compound (never a junction such as 食产).
    return tuple(dict.fromkeys(p for p in tokenizer.lcut_for_search(term) if len(p) >= 2 and p != term))


def content_terms(text: str) -> list[str]:
    """The question's content words (precise mode): what must be covered for an answer to exist."""
    jieba = _jieba()
    terms = []
    for tok in jieba.lcut(text):
        tok = tok.strip().lower()
        # ASCII words are English (handled by the glossary); codes with digits (PM2.5, CO2) are content.
        english = tok.isascii() and not (re.search(r"\d", tok) and re.search(r"[a-z]", tok))
        if (len(tok) < 2 or _PUNCT.match(tok) or tok in STOPWORDS or tok in FRAME_WORDS or english
                or _COUNTED.match(tok)):
            continue
        terms.append(tok)
    return terms
