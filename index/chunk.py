"""Chunk the document tree into passages: one per paragraph, split at sentence boundaries when long.

Passages are the unit of retrieval; sentences inside them stay the unit of citation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from index.segment import Document, Paragraph, Sentence

CHUNKER_VERSION = "1"
MAX_PASSAGE_CHARS = 350


@dataclass
class Passage:
    id: str
    start: int
    end: int
    text: str
    section: str
    path: list[str]
    kind: str
    sentence_ids: list[str] = field(default_factory=list)

    def embed_text(self) -> str:
        """Text given to the embedder and BM25: the section path adds the heading's words."""
        return f"{' › '.join(self.path)}：{self.text}" if self.kind == "body" else self.text

    def to_metadata(self) -> dict:
        return {"passage_id": self.id, "start": self.start, "end": self.end, "section": self.section,
                "kind": self.kind, "sentence_ids": ",".join(self.sentence_ids)}


def _groups(sentences: list[Sentence], limit: int) -> list[list[Sentence]]:
    # Greedy packing: add sentences while the passage stays within the limit.
    groups: list[list[Sentence]] = [[]]
    for sent in sentences:
        current = groups[-1]
        if current and sent.end - current[0].start > limit:
            groups.append([sent])
        else:
            current.append(sent)
    return [g for g in groups if g]


def chunk_paragraph(doc: Document, para: Paragraph, limit: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    passages = []
    for k, group in enumerate(_groups(para.sentences, limit)):
        start, end = group[0].start, group[-1].end
        passages.append(Passage(f"p{para.index:03d}-{k}", start, end, doc.text[start:end], para.section,
                                list(para.path), para.kind, [s.id for s in group]))
    return passages


def chunk(doc: Document, limit: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    """All passages of the document, in reading order."""
    return [p for para in doc.paragraphs for p in chunk_paragraph(doc, para, limit)]
