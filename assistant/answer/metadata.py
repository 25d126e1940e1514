"""Metadata answers: title, speaker, date, issuer and issue number from each document's masthead."""
from __future__ import annotations

from assistant.answer.base import Composed, _quote
from assistant.understand import Analysis
from index.segment import DISTRIBUTION_LABEL
from index.tokens import content_terms


class MetadataAnswers:
    """Mixed into ``Composer`` (see ``assistant.answer.base.Answerer`` for the data it reads)."""

    def _about_masthead(self, a: Analysis) -> bool:
        """A metadata question asks about the document itself: none of its content words is something
        only the body of the text talks about (哪几部条例 is a question about the body)."""
        masthead = self._masthead.lower()
        body = [t for t in content_terms(a.question) if t in self.text_lower and t not in masthead]
        return not body

    def metadata_answer(self, a: Analysis) -> Composed | None:
        """Title, speaker, date, issuer and issue number, as each document's masthead gives them, and the
        distribution lines (主送/抄送) that close it."""
        citer = self._citer()
        labels = {"title": "标题", "speaker": "讲话人", "date": "日期", "issuer": "发文机关", "issue": "期号"}
        blocks = []
        documents = self.corpus.documents
        for doc in documents:
            lines = []
            for key, label in labels.items():
                field_ = (doc.metadata or {}).get(key)
                if field_:
                    n = citer.cite(doc.start + field_["start"], doc.start + field_["end"], "标题")
                    lines.append(f"- {label}：{field_['value']}[{n}]")
            for sent in self.sentences:
                if sent.path[:1] == [DISTRIBUTION_LABEL] and doc.start <= sent.start < doc.end:
                    lines.append(f"- {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
            if lines:
                head = f"**{doc.label()}**\n" if len(documents) > 1 else ""
                blocks.append(head + "\n".join(lines))
        if not blocks:
            return None
        return Composed("文档的版头信息：\n" + "\n\n".join(blocks), True, citer, route="metadata")
