"""Names written the English way reach the document's words: pinyin spellings derived from CC-CEDICT."""
from __future__ import annotations

from index.romanize import pinyin_index, spellings, words_spelled


def test_spellings_come_from_the_dictionary():
    assert "baihe" in spellings("白河")
    assert "yinghu" in spellings("瀛湖")          # not a dictionary word: its characters' readings


def test_a_spelling_that_is_an_english_word_is_never_kept():
    index = pinyin_index(["我们", "瀛湖", "汉滨区", "PM2.5"])
    assert "women" not in index                   # 我们 would turn "women" into "we"
    assert index["yinghu"] == ["瀛湖"]
    assert index["hanbin"] == ["汉滨区"] and index["hanbinqu"] == ["汉滨区"]


def test_names_are_read_across_written_words():
    index = {"kouquanan": ["寇全安"], "ankang": ["安康"]}
    assert words_spelled("Who is Kou Quan'an from Ankang?", index) == ["寇全安", "安康"]
    assert words_spelled("What about women?", pinyin_index(["我们"])) == []


def test_an_english_question_naming_a_place_in_pinyin_is_answered_from_it(assistant, source):
    answer = assistant.ask("How many cages were cleared out of Yinghu?")
    assert answer.answerable and "3.5万余口" in answer.answer
    assert all(c.quote == source[c.start:c.end] for c in answer.citations)
