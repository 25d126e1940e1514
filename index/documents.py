"""The corpus: one or more documents, each normalized, segmented and read for its facts.

Every document keeps its own canonical text (citations point into it). Internally the documents are
laid end to end in one combined text, separated by a newline, so retrieval and the answerers work on
one tree; ``Corpus.locate`` turns a combined offset back into ``(document, local offset)``.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from index.language import message, read_words, template
from index.bodies import BODIES_VERSION, Body, derive_bodies, load_lexicon
from index.chunk import Passage, chunk
from index.facts import Duty, Figure, extract_duties, extract_figures
from index.normalize import CORPUS_FILE, normalize
from index.segment import Document, Paragraph, Sentence, segment

DEFAULT_DOCUMENT = "index.corpus", CORPUS_FILE


def default_document_path() -> str:
    """The shipped document's path on disk (what is indexed when no documents are chosen)."""
    package, name = DEFAULT_DOCUMENT
    return str(resources.files(package).joinpath(name))


@dataclass
class SourceDoc:
    """One loaded document: its canonical text and where it sits in the combined text."""

    id: str
    name: str
    path: str
    text: str
    start: int
    sha256: str
    metadata: dict = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def label(self) -> str:
        title = (self.metadata.get("title") or {}).get("value") if self.metadata else None
        return title or self.name

    def noun(self) -> str:
        """What kind of document this is, as its title ends (…的讲话 → 讲话, …的通知 → 通知); else 文件."""
        title = ((self.metadata.get("title") or {}).get("value") or "").rstrip("》」”\"'　 。")
        kinds = [k for k in read_words("document_kinds.txt") if title.endswith(k)]
        return min(kinds, key=len) if kinds else template("index.documents.default_noun")


@dataclass
class Corpus:
    """Everything derived from the documents' text (cheap: recomputed in well under a second)."""

    text: str
    doc: Document
    passages: list[Passage]
    duties: list[Duty]
    figures: list[Figure]
    bodies: list[Body]
    documents: list[SourceDoc]
    sha256: str

    @property
    def noun(self) -> str:
        """How answers call the loaded documents: their kind when they share one (讲话), else 文件."""
        nouns = {d.noun() for d in self.documents}
        return nouns.pop() if len(nouns) == 1 else template("index.documents.default_noun")

    @classmethod
    def load(cls, paths: list[str | Path] | None = None) -> "Corpus":
        """Load documents from ``paths`` (default: the shipped speech). Raises ``LoadError`` (one line)."""
        return Sources.load(paths).derive()

    @classmethod
    def from_texts(cls, items: list[tuple[str, str, str, str, str, dict]]) -> "Corpus":
        """Build from ``(id, name, path, published text, sha256, lexicon)`` tuples."""
        from index.load import LoadError
        from index.metadata import derive_metadata

        documents, parts, paragraphs, lexicon = [], [], [], {}
        offset = 0
        for doc_id, name, path, published, sha, lex in items:
            text = normalize(published)
            if not _visible(text):
                raise LoadError(path, message("index.documents.no_text"), "no text after cleaning")
            meta = derive_metadata(text).to_dict()
            documents.append(SourceDoc(doc_id, name, path, text, offset, sha, meta))
            tree = segment(text)
            paragraphs += _shifted(tree, offset, len(paragraphs), doc_id)
            parts.append(text)
            offset += len(text) + 1
            for k, v in lex.items():
                lexicon.setdefault(k, []).extend(v)
        combined = "\n".join(parts)
        doc = Document(combined, paragraphs)
        bodies = derive_bodies(combined, lexicon)
        digest = _digest([(d.id, d.sha256) for d in documents])
        return cls(combined, doc, chunk(doc), extract_duties(doc, bodies), extract_figures(doc, _years(documents)),
                   bodies, documents, digest)

    def locate(self, pos: int) -> SourceDoc:
        """The document that holds combined offset ``pos`` (its end, the separator after it, included)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and pos <= self.documents[i].end:
            return self.documents[i]
        return self.documents[-1]

    @cached_property
    def _by_id(self) -> dict[str, SourceDoc]:
        return {d.id: d for d in self.documents}

    @cached_property
    def _starts(self) -> list[int]:
        return [d.start for d in self.documents]   # in text order: each document follows the one before

    def document(self, doc_id: str | None = None) -> SourceDoc:
        """A document by id (``None``: the only or first one). Raises ``KeyError`` with the known ids."""
        if doc_id is None:
            return self.documents[0]
        found = self._by_id.get(doc_id)
        if found is not None:
            return found
        raise KeyError(message("index.documents.unknown", doc=doc_id, known=", ".join(d.id for d in self.documents)))


@dataclass
class Sources:
    """The documents as read from disk, before anything is derived from them: enough to name the index
    they belong to (``sha256``, ``ids``) so that an open can read what a build derived instead of
    deriving it again."""

    items: list[tuple[str, str, str, str, str, dict]]   # (id, name, path, published text, sha256, lexicon)

    @classmethod
    def load(cls, paths: list[str | Path] | None = None) -> "Sources":
        """Read documents from ``paths`` (default: the shipped speech). Raises ``LoadError`` (one line)."""
        from index.load import LoadedDocument, load_document

        loaded: list[tuple[LoadedDocument, dict]] = []
        if paths:
            seen: set[str] = set()
            for path in paths:
                item = load_document(path)
                base, k = item.id, 2
                while item.id in seen:  # two files with one name in different folders
                    item.id, k = f"{base}-{k}", k + 1
                seen.add(item.id)
                loaded.append((item, load_lexicon(path)))
        else:
            package, name = DEFAULT_DOCUMENT
            ref = resources.files(package).joinpath(name)
            with resources.as_file(ref) as real:
                loaded.append((load_document(real), load_lexicon(real)))
        return cls([(d.id, d.name, d.path, d.text, d.sha256, lex) for d, lex in loaded])

    @property
    def sha256(self) -> str:
        """The same digest as the derived ``Corpus.sha256``."""
        return _digest([(i[0], i[4]) for i in self.items])

    @property
    def ids(self) -> list[str]:
        return [i[0] for i in self.items]

    def derive(self) -> Corpus:
        return Corpus.from_texts(self.items)


def _visible(text: str) -> bool:
    """Whether ``text`` has a character that shows (not whitespace, not an invisible format character)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def _digest(ids_and_hashes: list[tuple[str, str]]) -> str:
    return hashlib.sha256("\n".join(f"{i}:{h}" for i, h in ids_and_hashes).encode()
                          + BODIES_VERSION.encode()).hexdigest()


def _years(documents: list[SourceDoc]) -> dict[str, int]:
    """Each document's own year: from its date, else from its title (2025年…政府工作报告)."""
    out = {}
    for d in documents:
        for key in ("date", "title"):
            found = re.search(r"(\d{4})\s*年", (d.metadata.get(key) or {}).get("value") or "")
            if found:
                out[d.id] = int(found.group(1))
                break
    return out


def _shifted(tree: Document, offset: int, first_index: int, doc_id: str) -> list[Paragraph]:
    """The tree's paragraphs with spans moved into the combined text and ids made corpus-unique."""
    out = []
    for para in tree.paragraphs:
        index = first_index + para.index
        shifted = Paragraph(index, para.start + offset, para.end + offset, para.text, para.kind, list(para.path))
        shifted.doc = doc_id
        for k, s in enumerate(para.sentences):
            sent = Sentence(f"s{index:03d}.{k:02d}", s.start + offset, s.end + offset, s.text, index, list(s.path))
            shifted.sentences.append(sent)
        out.append(shifted)
    return out
