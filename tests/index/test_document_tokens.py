"""index.document_tokens: a library that gains a document cuts only what the new document changes, and gets
exactly what cutting the whole library afresh gives (dictionary, tokens, vocabulary)."""
from __future__ import annotations

import pytest

from eval.reports import find_document
from index.document_tokens import TokenCache, cut_corpus
from index.documents import Sources
from index.postings import Postings
from index.tokens import derived_terms, dictionary, tokenize


def _cut(corpus, home, name):
    cache = TokenCache(home, "test")
    dictionary = home / name
    home.mkdir(parents=True, exist_ok=True)
    return cut_corpus(corpus, derived_terms(corpus.text, corpus.bodies), dictionary, cache), cache, dictionary


NOTICE = "关于做好春季植树造林工作的通知\n各区要在三月底前完成植树造林任务，市园林绿化局要做好苗木调配。\n"


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    paths = [str(find_document(n)) for n in ("2025年北京市政府工作报告.txt", "2025年四川省政府工作报告.txt")]
    notice = tmp_path_factory.mktemp("notice") / "植树通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    return Sources.load(paths).derive(), Sources.load(paths + [str(notice)]).derive()


def test_adding_a_document_cuts_it_and_gives_what_a_fresh_cut_gives(tmp_path, libraries):
    two, three = libraries
    _cut(two, tmp_path / "grown", "two.dict")
    grown, cache, grown_dict = _cut(three, tmp_path / "grown", "three.dict")
    fresh, fresh_cache, fresh_dict = _cut(three, tmp_path / "fresh", "three.dict")
    assert grown.passages == fresh.passages and grown.sentences == fresh.sentences
    assert grown.vocabulary == fresh.vocabulary and grown.sentences_with == fresh.sentences_with
    assert grown_dict.read_bytes() == fresh_dict.read_bytes()
    # The library's postings are its documents' merged: what counting every token of the library gives.
    with dictionary(fresh_dict):
        assert fresh.sentences == Postings.of([tokenize(s.search_text()) for s in three.doc.sentences])
        assert fresh.passages == Postings.of([tokenize(p.embed_text()) for p in three.passages])
    # Fresh: the scan, words and tokens of three documents. Grown: the notice's, and an earlier document's
    # words or tokens only when a word the notice brought occurs in it (its scan depends on its text alone).
    assert fresh_cache.computed == 9
    assert cache.computed <= 5


def test_a_document_is_cut_the_same_way_whatever_library_it_is_in(tmp_path, libraries):
    """The dictionary's total stays jieba's own: another document's terms do not shift how this one is cut,
    except where their words occur in it."""
    two, three = libraries
    alone = Sources.load([two.documents[0].path]).derive()
    cut_alone, _, _ = _cut(alone, tmp_path / "alone", "one.dict")
    cut_three, _, _ = _cut(three, tmp_path / "three", "three.dict")
    n = cut_alone.sentences.size
    same = sum(a == b for a, b in zip(cut_alone.sentences.bags(), cut_three.sentences.bags()[:n]))
    assert same / n >= 0.95   # 0.979 measured (Beijing alone and beside Sichuan and a notice)


def test_a_damaged_kept_cut_is_cut_again_not_used(tmp_path, libraries):
    two, _ = libraries
    first, _, _ = _cut(two, tmp_path / "home", "a.dict")
    for path in (tmp_path / "home" / "tokens").glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    again, cache, _ = _cut(two, tmp_path / "home", "b.dict")
    assert cache.computed == 6 and again.sentences == first.sentences


def test_a_word_is_counted_once_per_sentence_that_says_it_not_per_sentence_under_a_heading_with_it(tmp_path):
    from index.documents import Sources

    doc = tmp_path / "notice.txt"
    doc.write_text("关于春季工作的通知\n一、加强巡查\n各县要落实值班制度。各乡镇要配齐保洁人员。"
                   "水务部门要加强河道巡查。\n", encoding="utf-8")
    cut, _, _ = _cut(Sources.load([str(doc)]).derive(), tmp_path / "home", "a.dict")
    # Each sentence is searched with its heading, so three search texts hold 巡查; the heading and one
    # sentence say it.
    assert cut.sentences_with["巡查"] == 2 and cut.sentences_with["河道"] == 1
