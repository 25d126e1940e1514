"""index.english: which of a library's words get English glosses when there are more than a glossary holds."""
from __future__ import annotations

from index import gloss
from index.english import glossary_words


def test_a_vocabulary_that_fits_is_glossed_whole_in_character_order():
    assert glossary_words({"重点", "项目", "交通"}, [], {}) == ["交通", "重点", "项目"]


def test_past_the_limit_named_terms_and_widely_used_words_are_kept_not_the_first_in_character_order(monkeypatch):
    monkeypatch.setattr(gloss, "MAX_TERMS", 3)
    vocabulary = {"一网通办", "一次性", "万人", "项目", "重点", "领导小组"}
    used = {"项目": 40, "重点": 35, "一次性": 2, "万人": 1, "一网通办": 1}
    # 领导小组 is a body the documents name; 项目 and 重点 are in 40 and 35 documents.
    assert glossary_words(vocabulary, ["领导小组"], used) == ["重点", "项目", "领导小组"]
