"""English access, derived at index time: CC-CEDICT glosses of the document's own words (for English
questions' BM25 terms), the reverse lookup from English words to the Chinese words of its bodies'
names, and the pinyin spellings of its words (``index.romanize``: names written the English way). Stored beside the index (``english.json``) so answering never loads the 122k-entry dictionary."""
from __future__ import annotations

import json
from pathlib import Path

ENGLISH_VERSION = "4"
FILE = "english.json"


def build_english(corpus, words: list[str], sentences_with: dict[str, int] | None = None) -> dict:
    """The English data of a corpus: a glossary over ``words`` (its derived terms and vocabulary), how many
    sentences use each of them (which of two equal glosses the text means), and the reverse index restricted
    to words that start with a character of one of its bodies' names."""
    from index.gloss import Glossary, reverse_index
    from index.romanize import pinyin_index

    from index import cedict, gloss

    chars = {ch for b in corpus.bodies for f in b.surface_forms for ch in f}
    exact, loose = reverse_index(chars)
    data = {"version": ENGLISH_VERSION, "glossary": Glossary(words).to_state(), "reverse": exact, "loose": loose,
            "pinyin": pinyin_index(words),
            "use": {w: sentences_with[w] for w in words if sentences_with and sentences_with.get(w)}}
    # Answering reads english.json only: the parsed dictionary (~50 MB) is not kept once it is written.
    for cached in (gloss.cedict_entries, cedict.tables):
        cached.cache_clear()
    return data


def glossary_words(vocabulary: set[str], terms: list[str], documents_with: dict[str, int]) -> list[str]:
    """The words to gloss, in character order: all of them when they fit the glossary; else the document's
    named terms first, then the words the most documents use. Cut in character order, a 1,000-document
    library lost every word after the 20,000th (项目, 重点, 领导 …) whatever its use."""
    from index.gloss import MAX_TERMS

    if len(vocabulary) <= MAX_TERMS:
        return sorted(vocabulary)
    named = set(terms)
    ranked = sorted(vocabulary, key=lambda w: (w not in named, -documents_with.get(w, 0), w))
    return sorted(ranked[:MAX_TERMS])


def write_english(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_english(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
