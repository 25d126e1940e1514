"""The compact dictionary and every passage's and sentence's BM25 tokens, cut once per document and kept.

Cutting every passage and sentence with jieba again was half of adding one document to a library of 1,000
(about 30 s of a minute). What jieba makes of a text depends only on the dictionary entries that occur in it
(each word and its frequency) and on the dictionary's total, which stays jieba's own (index.tokens). So a
document's cuts are kept under ``<home>/tokens`` keyed by its texts and by the entries that occur in them,
found in one Aho-Corasick pass: a word another document brings changes the key of exactly the documents it
occurs in, and only those are cut again. The same holds for a document's own dictionary words, keyed by its
text and the library's terms that occur in it. A build that reads everything back gives what cutting it all
again gives, token for token.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.occurrences import automaton
from index.tokens import (dictionary as tokenizer_dictionary, dictionary_entries, document_words, full_tokenizer,
                          tokenize, write_dictionary)
from index.vectors import prune_unused

FOLDER = "tokens"


@dataclass
class CorpusTokens:
    """A corpus's BM25 tokens in corpus order, and its vocabulary (words of two or more Chinese characters)."""

    passages: list[list[str]]
    sentences: list[list[str]]
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
        try:
            with open(self.folder / f"{key}.pickle", "rb") as fh:
                stored_key, value = pickle.load(fh)
            if stored_key == key:
                return value
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass
        value = compute()
        self.computed += 1
        self._write(key, value)
        return value

    def _write(self, key: str, value) -> None:
        """Whole or not at all; a data dir that cannot take it only costs the next build the cutting again."""
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / f"{key}.pickle")
        except OSError:
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

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

    # Each document's dictionary words, as jieba's full dictionary with the library's terms cuts it.
    terms_in = automaton(terms)
    full = None

    def words_of(text: str) -> dict[str, int]:
        nonlocal full
        full = full or full_tokenizer(terms)
        return document_words(full, text)

    words = []
    for d in docs:
        present = sorted({w for _, w in terms_in.iter(d.text)}) if len(terms_in) else []
        words.append(cache.get(cache.key("words", d.text, present), lambda t=d.text: words_of(t)))
    entries = dictionary_entries(words, terms)
    write_dictionary(dictionary, entries)

    # Each document's tokens, keyed by its texts and the dictionary entries that occur in them.
    entries_in = automaton(entries)
    out_p: list[list[str]] = [[] for _ in corpus.passages]
    out_s: list[list[str]] = [[] for _ in all_sentences]
    vocabulary: set[str] = set(terms)
    documents_with: Counter = Counter()
    sentences_with: Counter = Counter()
    longest = max(map(len, entries), default=1)
    with tokenizer_dictionary(dictionary):
        for k, _ in enumerate(docs):
            p_items = [corpus.passages[i] for i in passages[k]]
            s_items = [all_sentences[i] for i in sentences[k]]
            p_texts = [p.embed_text() for p in p_items]
            s_texts = [s.search_text() for s in s_items]
            scanned = _scanned(corpus.text, docs[k], p_items, s_items, longest)
            present = sorted({w for _, w in entries_in.iter(scanned)}) if len(entries_in) else []
            key = cache.key("tokens", p_texts, s_texts, present, [str(entries[w]) for w in present])
            cut = cache.get(key, lambda p=p_texts, s=s_items, t=s_texts: _cut(p, s, t))
            for i, tokens in zip(passages[k], cut[0]):
                out_p[i] = tokens
            for i, tokens in zip(sentences[k], cut[1]):
                out_s[i] = tokens
            vocabulary |= cut[2].keys()
            documents_with.update(cut[2].keys())
            sentences_with.update(cut[2])
    return CorpusTokens(out_p, out_s, vocabulary, dict(documents_with), dict(sentences_with))


def _scanned(text: str, doc, passages: list, sentences: list, longest: int) -> str:
    """Every string in which a dictionary entry can meet what is cut for a document: its text, its heading
    paths, and where a sentence's heading meets the sentence (search_text joins them with nothing between).
    A passage's heading path is joined with › and ：, which end jieba's blocks, so nothing is met across
    them. A passage or sentence not cut from the text at its offsets is scanned whole. Scanning the cut texts
    themselves instead read each sentence two or three times (3 s of an add at 1,000 documents)."""
    parts = [text[doc.start:doc.end]]
    parts += {h for item in passages + sentences for h in item.path}
    edge = longest - 1
    parts += [s.path[-1][-edge:] + s.text[:edge] for s in sentences if s.path]
    parts += [item.text for item in passages + sentences if text[item.start:item.end] != item.text]
    return "\n".join(parts)


def _cut(passage_texts: list[str], sentences: list, search_texts: list[str]) -> tuple:
    # Counted over the sentences' own words: a heading's words would count once per sentence under it.
    vocabulary = Counter(t for s in sentences for t in set(tokenize(s.text)) if len(t) >= 2 and not t.isascii())
    return [tokenize(t) for t in passage_texts], [tokenize(t) for t in search_texts], vocabulary
