"""The compact dictionary and every passage's and sentence's BM25 tokens (as postings, index.postings), cut once
per document and kept.

Cutting every passage and sentence with jieba again was half of adding one document to a library of 1,000
(about 30 s of a minute). What jieba makes of a text depends only on the dictionary entries that occur in it
(each word and its frequency) and on the dictionary's total, which stays jieba's own (index.tokens). So a
document's cuts are kept under ``<home>/tokens`` keyed by its text and by the entries that occur in what is cut
from it (a document is segmented and chunked on its own, so its text decides what is cut); which words of
jieba's dictionary occur there is kept once per text too, and the library's terms are found in one
Aho-Corasick pass: a word another document brings changes the key of exactly the documents it occurs in, and
only those are cut again. The same holds for a document's own dictionary words, keyed by its
text and the library's terms that occur in it. A document's tokens are kept as its postings, and the library's
are those merged (reading three million tokens back and counting them again was 3 s of adding one document to
1,000). A build that reads everything back gives what cutting it all again gives, array for array.
"""
from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from itertools import chain
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import kept
from index.occurrences import automaton
from index.postings import Numbering, Postings
from index.tokens import (base_entries, dictionary as tokenizer_dictionary, dictionary_entries, document_words,
                          full_entries, full_tokenizer, tokenize, write_dictionary)
from index.vectors import prune_unused

FOLDER = "tokens"


@dataclass
class CorpusTokens:
    """The postings of a corpus's BM25 tokens (rows in corpus order), and its vocabulary (words of two or more
    Chinese characters)."""

    passages: Postings
    sentences: Postings
    vocabulary: set[str]
    documents_with: dict[str, int]   # how many documents use each vocabulary word
    sentences_with: dict[str, int]   # how many sentences use each vocabulary word in their own text


class TokenCache:
    """Values kept per key under ``<home>/tokens``; a damaged or foreign file is recomputed, never used."""

    def __init__(self, home: Path, fingerprint: str):
        self.folder = Path(home) / FOLDER
        self.fingerprint = fingerprint   # the code and language data that made the values
        self.used: set[str] = set()
        self.computed = 0

    def key(self, *parts: str | list[str]) -> str:
        """A digest of ``parts``: strings, or lists of strings (joined: repr-ing a document's texts and words
        was 4 s of adding one document to 1,000). Cleaned text holds no control characters to confuse them."""
        h = hashlib.sha256(self.fingerprint.encode())
        for part in parts:
            h.update(b"\x1e" + (part if isinstance(part, str) else "\x1f".join(part)).encode("utf-8"))
        return h.hexdigest()[:40]

    def get(self, key: str, compute):
        self.used.add(key)
        value = kept.read(self.folder / f"{key}.pickle", key)
        if value is kept.MISSING:
            value = compute()
            self.computed += 1
            kept.write(self.folder / f"{key}.pickle", key, value)   # else the next build cuts it again
        return value

    def prune(self) -> None:
        """Remove what the last build did not use (and temp files left behind)."""
        prune_unused(self.folder, ".pickle", self.used)


def cut_corpus(corpus, terms: list[str], dictionary: Path, cache: TokenCache) -> CorpusTokens:
    """Write the compact dictionary for ``corpus`` at ``dictionary`` and cut its passages and sentences with
    it, each document through ``cache``."""
    docs, all_sentences = corpus.documents, corpus.doc.sentences   # (a property that builds the list)
    starts = [d.start for d in docs]

    def owner(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    passages: list[list[int]] = [[] for _ in docs]
    sentences: list[list[int]] = [[] for _ in docs]
    for i, p in enumerate(corpus.passages):
        passages[owner(p.start)].append(i)
    for i, s in enumerate(all_sentences):
        sentences[owner(s.start)].append(i)

    def items(k: int) -> tuple[list, list]:
        return [corpus.passages[i] for i in passages[k]], [all_sentences[i] for i in sentences[k]]

    # What is cut for a document (its passages with their heading paths, its sentences after their headings)
    # depends on its text alone: it is segmented and chunked on its own. So is which of jieba's words occur
    # in it, kept once per text; the library's terms that occur in it are found in its text and in the few
    # strings that are not part of it (headings met to sentences).
    full = None

    def full_cut():
        nonlocal full
        full = full or full_tokenizer(terms)
        return full

    terms_in = automaton(terms)
    scans, present_terms = [], []
    for k, d in enumerate(docs):
        scan = cache.get(cache.key("scan", d.text), lambda k=k: _scan(corpus.text, docs[k], *items(k), full_cut().FREQ))
        scans.append(scan)
        found = {w for text in (d.text, scan[1]) for _, w in terms_in.iter(text)} if len(terms_in) else set()
        present_terms.append(found)

    # Each document's dictionary words, as jieba's full dictionary with the library's terms cuts it.
    words = [cache.get(cache.key("words", d.text, sorted(found)), lambda t=d.text: document_words(full_cut(), t))
             for d, found in zip(docs, present_terms)]
    entries = dictionary_entries(words, terms)
    write_dictionary(dictionary, entries)

    # Each document's tokens, keyed by its text and the dictionary entries that occur in what is cut from it.
    parts_p: list[Postings] = []
    parts_s: list[Postings] = []
    counted: list[Counter] = []
    with tokenizer_dictionary(dictionary):
        for k, d in enumerate(docs):
            # What decides the cut: the entries that occur in it and their frequencies. Every dictionary has
            # the base entries (the scan leaves them out: the text alone says which occur), and an entry's
            # frequency is jieba's own unless it is a term: so the words present and the terms among them.
            present = sorted(entries.keys() & scans[k][0])
            key = cache.key("tokens", d.text, present, sorted(entries.keys() & present_terms[k]))
            cut = cache.get(key, lambda k=k: _cut(*items(k)))
            parts_p.append(cut[0])
            parts_s.append(cut[1])
            counted.append(cut[2])
    # Summed in numpy: Counter.update over a mapping is a Python loop, 0.5 s over 1,000 documents.
    words = Numbering()
    numbers = np.fromiter(map(words.__getitem__, chain.from_iterable(counted)), dtype=np.int64)
    in_sentences = np.fromiter(chain.from_iterable(c.values() for c in counted), dtype=np.int64, count=len(numbers))
    documents_with = np.bincount(numbers, minlength=len(words)).tolist()
    sentences_with = np.bincount(numbers, weights=in_sentences, minlength=len(words)).astype(np.int64).tolist()
    return CorpusTokens(Postings.merged(parts_p, passages, len(corpus.passages)),
                        Postings.merged(parts_s, sentences, len(all_sentences)),
                        set(terms) | words.keys(), dict(zip(words, documents_with)), dict(zip(words, sentences_with)))


# Characters kept on each side where a sentence meets its heading: more than any word of jieba's dictionary
# (16) or any term of a document's own is long, so every word that can span the meeting point is seen.
EDGE = 48


def _scan(text: str, doc, passages: list, sentences: list, prefixes) -> tuple[list[str], str]:
    """(the words of jieba's full dictionary that occur in what is cut for a document, but for the entries
    every compact dictionary has, and the strings cut for it that are not part of its text). Those strings are
    its heading paths' joins (› and ： end jieba's blocks, so only each heading itself counts, and headings are
    cut from the text), where a sentence's heading meets
    the sentence (search_text joins them with nothing between), and any passage or sentence not cut from the
    text at its offsets. Scanning every document with the library's whole dictionary at each build instead
    was 3 s of adding one document to 1,000."""
    own = text[doc.start:doc.end]
    extra = [s.path[-1][-EDGE:] + s.text[:EDGE] for s in sentences if s.path]
    extra += [h for h in dict.fromkeys(h for item in passages + sentences for h in item.path) if h not in own]
    extra += [item.text for item in passages + sentences if text[item.start:item.end] != item.text]
    joined = "\n".join(extra)
    found = _dictionary_words_in(own, prefixes) | _dictionary_words_in(joined, prefixes)
    return sorted(found - base_entries().keys()), joined


def _dictionary_words_in(text: str, prefixes) -> set[str]:
    """Every word of jieba's full dictionary that occurs in ``text`` (overlapping ones too). ``prefixes``: a
    container of every prefix of its words (a jieba tokenizer's FREQ has them all: the words, with their
    prefixes at frequency 0)."""
    entries, _ = full_entries()
    found = set()
    for i in range(len(text)):
        j = i + 1
        while j <= len(text) and text[i:j] in prefixes:
            if entries.get(text[i:j]):
                found.add(text[i:j])
            j += 1
    return found


def _cut(passages: list, sentences: list) -> tuple:
    # Counted over the sentences' own words: a heading's words would count once per sentence under it.
    vocabulary = Counter(t for s in sentences for t in set(tokenize(s.text)) if len(t) >= 2 and not t.isascii())
    return (Postings.of([tokenize(p.embed_text()) for p in passages]),
            Postings.of([tokenize(s.search_text()) for s in sentences]), vocabulary)
