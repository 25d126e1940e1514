"""Metadata answers: title, speaker, date, issuer, issue number and occasion from each document's masthead."""
from __future__ import annotations

import re
from functools import cached_property

from assistant import scope as document_scope
from assistant.answer.base import Composed, _quote
from assistant.scope import MAX_DOCUMENTS, TOP_DOCUMENT_HITS
from assistant.understand import Analysis
from index.language import message, template
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL
from index.tokens import content_terms


class MetadataAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def _about_masthead(self, a: Analysis) -> bool:
        """A metadata question asks about the document itself: none of its content words is something
        only the body of the text talks about (哪几部条例 is a question about the body)."""
        masthead = self._masthead.lower()
        body = [t for t in content_terms(a.question) if t in self.text_lower and t not in masthead]
        return not body

    def asked_fields(self, a: Analysis) -> list[str]:
        """The masthead fields a metadata question asks for, by the fitted field model, one per clause
        ("谁讲的？啥时候？" → speaker, date; clauses joined by an enumeration comma too). ["all"] without the model."""
        if self.metadata_fields is None or a.vector is None:
            return ["all"]
        clauses = [c for c in re.split(r"[？?，,；;。、]", a.question) if len(c.strip()) >= 2]
        vectors = [self.embed(c) for c in clauses] if len(clauses) > 1 and self.embed else [a.vector]
        fields = []
        for vector in vectors:
            p = self.metadata_fields.probabilities(vector)
            top = max(p.values())
            # Every field within half the likeliest one's probability: a question may ask for two at once.
            fields += [f for f in self.metadata_fields.classes if p[f] >= 0.5 * top]
        # Something no field gives ("在哪开的") is refused only when nothing else may be meant.
        return list(dict.fromkeys(f for f in fields if f != "other")) or ["other"]

    def _masthead_documents(self, hits) -> list:
        """The documents whose mastheads answer: those in scope; in a library larger than an answer shows
        (``MAX_DOCUMENTS``), the documents of the question's best sentences; else every document."""
        documents = self.corpus.documents
        scope = document_scope.current()
        if scope is not None:
            return [d for d in documents if d.id in scope.docs]
        if len(documents) <= MAX_DOCUMENTS:
            return documents
        chosen = []
        for hit in hits[:TOP_DOCUMENT_HITS]:
            doc = self.corpus.locate(self.sentence_by_id[hit.id].start)
            if doc not in chosen:
                chosen.append(doc)
        return chosen

    @cached_property
    def _distribution_lines(self) -> dict[str, list]:
        """Each document's distribution sentences (the lines that close its masthead), by document id."""
        out: dict[str, list] = {}
        for sent in self.sentences:
            if sent.path[:1] == [DISTRIBUTION_LABEL]:
                out.setdefault(self.corpus.locate(sent.start).id, []).append(sent)
        return out

    def metadata_answer(self, a: Analysis, hits=()) -> Composed | None:
        """The masthead fields the question asks for (title, speaker, date, issuer, issue number), as each
        document's masthead gives them, and the distribution lines (主送/抄送) that close it; a refusal when
        it asks for something no masthead field gives (where the meeting was held)."""
        asked = self.asked_fields(a)
        everything = "all" in asked
        citer = self._citer()
        blocks, given = [], set()
        documents = self._masthead_documents(hits)
        several = len(self.corpus.documents) > 1 and len(documents) > 1
        for doc in documents:
            lines = []
            for key, label in _LABELS.items():
                field_ = (doc.metadata or {}).get(key)
                if field_:
                    given.add(label)
                # The title always leads: it names the document (and, for a speech, its meeting).
                if field_ and (everything or key in asked or (key == "title" and asked != ["other"])):
                    n = citer.cite(doc.start + field_["start"], doc.start + field_["end"], TITLE_LABEL)
                    lines.append(f"- {label}：{field_['value']}[{n}]")
            for sent in self._distribution_lines.get(doc.id, []):
                given.add(_DISTRIBUTION)
                if everything or "distribution" in asked:
                    lines.append(f"- {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
            if lines:
                head = f"**{doc.label()}**\n" if several else ""
                blocks.append(head + "\n".join(lines))
        if not blocks:
            if not given:
                return None
            return self._refuse(message("assistant.answer.metadata.not_given", noun=self.noun,
                                        given="、".join(sorted(given, key=_ORDER.index))), route="metadata-refusal")
        return Composed(message("assistant.answer.metadata.head") + "\n\n".join(blocks), True, citer, route="metadata")


# How answers name the masthead fields and the distribution lines, in this order.
_LABELS = {"title": template("assistant.answer.metadata.label.title"),
           "speaker": template("assistant.answer.metadata.label.speaker"),
           "date": template("assistant.answer.metadata.label.date"),
           "issuer": template("assistant.answer.metadata.label.issuer"),
           "issue": template("assistant.answer.metadata.label.issue"),
           "occasion": template("assistant.answer.metadata.label.occasion")}
_DISTRIBUTION = template("assistant.answer.metadata.label.distribution")
_ORDER = [*_LABELS.values(), _DISTRIBUTION]
