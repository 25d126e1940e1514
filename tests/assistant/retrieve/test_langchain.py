"""``Assistant.retriever`` under LangChain's own standard retriever tests, plus what a user of it sees:
passages of the asked topic, ``k`` honoured, offsets that point into the document's canonical text."""
from __future__ import annotations

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.retrieve.langchain import HybridRetriever


class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _searcher(self, assistant):
        type(self).searcher = assistant.searcher

    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"searcher": self.searcher}

    @property
    def retriever_query_example(self) -> str:
        return "市交通局要做什么？"


def test_retriever_finds_the_passage_and_cites_it_exactly(assistant, source):
    docs = assistant.retriever.invoke("渣土车 抛洒 治理", k=3)
    assert len(docs) == 3
    assert any("渣土" in d.page_content for d in docs)
    for d in docs:
        text = assistant.source(d.metadata["doc"])
        assert text[d.metadata["start"]:d.metadata["end"]] == d.page_content


def test_k_at_construction_and_at_invoke(assistant):
    retriever = HybridRetriever(searcher=assistant.searcher, k=2)
    assert len(retriever.invoke("秸秆禁烧")) == 2
    assert len(retriever.invoke("秸秆禁烧", k=4)) == 4
    assert retriever.invoke("秸秆禁烧", k=0) == []
