"""index.postings: token lists turned into postings, and documents' postings merged into a library's."""
import numpy as np

from index.postings import EMPTY, Postings

ROWS = [["道路", "养护", "道路"], [], ["扬尘", "道路"], ["工地", "扬尘", "扬尘"], ["养护"]]


def test_each_term_lists_its_rows_in_order_with_counts_and_rows_their_lengths():
    p = Postings.of(ROWS)
    assert p.terms == ["道路", "养护", EMPTY, "扬尘", "工地"]   # numbered by first appearance
    bags = p.bags()
    assert bags[0] == {"道路": 2, "养护": 1} and bags[1] == {EMPTY: 1} and bags[3] == {"工地": 1, "扬尘": 2}
    assert p.lengths.tolist() == [3, 1, 2, 3, 1] and p.frequencies()["道路"] == 2


def test_merged_documents_give_what_counting_the_whole_gives():
    whole = Postings.of(ROWS)
    parts = [Postings.of(ROWS[:2]), Postings.of(ROWS[2:4]), Postings.of(ROWS[4:])]
    merged = Postings.merged(parts, [np.arange(0, 2), np.arange(2, 4), np.arange(4, 5)], len(ROWS))
    assert merged == whole
    assert Postings.merged([], [], 0) == Postings.of([])
    # In another order the rows are right but the terms are numbered differently: not the same postings.
    swapped = Postings.merged(parts[::-1], [np.arange(4, 5), np.arange(2, 4), np.arange(0, 2)], len(ROWS))
    assert swapped.bags() == whole.bags() and swapped != whole
