"""Many words found in one pass: the same counts as ``str.count`` and the same marks as a search per word."""
import random
import re

from index import occurrences


def _naive_covered(text, words):
    marks = [False] * len(text)
    for w in words:
        for m in re.finditer(re.escape(w), text):
            marks[m.start():m.end()] = [True] * len(w)
    return marks


def test_counts_and_marks_match_one_search_per_word():
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("市局委交通局局办") for _ in range(rng.randint(0, 60)))
        words = {"".join(rng.choice("市局委交通办") for _ in range(rng.randint(1, 4))) for _ in range(8)}
        words |= {"局局", "局局局"}   # words that overlap themselves: str.count does not count overlaps
        assert occurrences.counts(text, words) == {w: text.count(w) for w in words}
        assert occurrences.covered(text, words).tolist() == _naive_covered(text, words)


def test_no_words_and_no_text():
    assert occurrences.counts("市交通局", []) == {}
    assert occurrences.covered("市交通局", []).tolist() == [False] * 4
    assert occurrences.counts("", ["局"]) == {"局": 0}
