"""Pinyin spellings of the document's words, derived at index time from CC-CEDICT's readings, so an English
question that writes a Chinese name the way English does ("Ankang", "Baihe County", "the Yinghu reservoir",
"Kou Quan'an") reaches the word it names. Glosses cannot do this: a place or person name has no meaning
to translate, only a sound.

A spelling is kept only when it cannot be an English word: every lower-case word of CC-CEDICT's English
definitions is excluded (so 我们 "women" never turns the English word into a Chinese one)."""
from __future__ import annotations

import itertools
import re

MIN_LETTERS = 5          # shorter spellings ("han", "anhe") are too often parts of unrelated words
MAX_SPELLINGS = 8        # readings multiply for polyphonic characters: keep the first few combinations
_SYLLABLE = re.compile(r"[a-zü:]+")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _toneless(pinyin: str) -> str:
    return "".join(_SYLLABLE.findall(pinyin.lower().replace("u:", "u").replace("ü", "u")))


def _readings() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], frozenset[str]]:
    """(word → spellings, character → spellings, English words of the definitions) from CC-CEDICT."""
    from index.cedict import tables

    return tables()["readings"]


def readings_of(entries) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], frozenset[str]]:
    """The readings table of CC-CEDICT ``entries`` (index.cedict keeps it)."""
    words: dict[str, set[str]] = {}
    chars: dict[str, set[str]] = {}
    english: set[str] = set()
    for entry in entries:
        head, spelled = entry["simplified"], _toneless(entry["pinyin"])
        if len(head) == 1:
            chars.setdefault(head, set()).add(spelled)
        elif _HAN.match(head):
            words.setdefault(head, set()).add(spelled)
        for definition in entry["definitions"]:
            english.update(re.findall(r"\b[a-z]+\b", definition))  # lower case only: not "Ankang"
    return ({w: tuple(sorted(s)) for w, s in words.items()}, {c: tuple(sorted(s)) for c, s in chars.items()},
            frozenset(english))


def spellings(word: str) -> list[str]:
    """Toneless pinyin spellings of a Chinese word (the dictionary's own when it has the word)."""
    words, chars, _ = _readings()
    if word in words:
        return list(words[word])
    per_char = [chars.get(ch) for ch in word]
    if not all(per_char):
        return []
    return ["".join(p) for p in itertools.islice(itertools.product(*per_char), MAX_SPELLINGS)]


def pinyin_index(vocabulary: list[str]) -> dict[str, list[str]]:
    """Spelling → the document's words spelled so: each 2–4 character word, and the leading two or three
    characters of a longer one (汉滨区 is also "hanbin")."""
    _, _, english = _readings()
    index: dict[str, set[str]] = {}
    for word in vocabulary:
        if not _HAN.match(word):
            continue
        for end in range(2, len(word) + 1):
            for spelled in spellings(word[:end]):
                if len(spelled) >= MIN_LETTERS and spelled not in english:
                    index.setdefault(spelled, set()).add(word)
    return {k: sorted(v) for k, v in sorted(index.items())}


def words_spelled(text: str, index: dict[str, list[str]]) -> list[str]:
    """The document's words an English text spells in pinyin, one to three written words at a time
    ("Kou Quan'an" → kouquanan)."""
    written = [w for w in re.split(r"[^a-z]+", text.lower().replace("'", "").replace("’", "")) if w]
    found: list[str] = []
    for n in (3, 2, 1):
        for i in range(len(written) - n + 1):
            for word in index.get("".join(written[i:i + n]), []):
                if word not in found:
                    found.append(word)
    return found
