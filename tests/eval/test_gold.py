"""The gold set is valid: quotes are verbatim, key strings are in the answers, ids are unique."""
from collections import Counter

from eval.run import load_gold

GOLD = load_gold()
CATEGORIES = {"responsibility", "target", "achievement", "problem", "policy", "fact", "list", "unanswerable",
              "english", "followup"}


def test_size_and_categories():
    counts = Counter(item["category"] for item in GOLD)
    assert len(GOLD) >= 150 and set(counts) == CATEGORIES
    assert counts["unanswerable"] >= 20 and counts["english"] >= 15 and counts["followup"] >= 15


def test_ids_unique_and_fields_present():
    assert len({item["id"] for item in GOLD}) == len(GOLD)
    for item in GOLD:
        assert set(item) >= {"id", "category", "question", "history", "answer", "must_include", "gold_quotes", "items"}


def test_quotes_items_and_keys_are_verbatim(source):
    for item in GOLD:
        for quote in item["gold_quotes"] + item["items"]:
            assert quote in source, (item["id"], quote)
        for key in item["must_include"]:
            assert key in item["answer"], (item["id"], key)
        if item["category"] == "followup":
            assert item["history"]
        if item["category"] == "unanswerable":
            assert not item["gold_quotes"] and not item["must_include"]
