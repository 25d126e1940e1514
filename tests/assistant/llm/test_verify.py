"""Claim-level verification on the planted sets (eval/planted_claims*.jsonl): every planted wrong claim —
changed numbers, swapped or invented bodies, negations, lost or changed qualifiers, wrong dates, a
number on the wrong item, a marker on the wrong passage — is dropped, and faithful controls are kept.

planted_claims_blind.jsonl was written by a session that never saw the verifier and scored once
(eval/scores/planted-blind-first-sight.json: 11 of 62 survived, 8 of 27 controls dropped); it has been a
development set since. Controls kept: 35 of 36 measured; the gate sits 0.03 below."""
from __future__ import annotations

import json

import pytest

from assistant.llm.verify import Passage, sentences, verify
from index import tokens
from index.normalize import normalize
from tests.conftest import ROOT

PLANTED = [json.loads(line) for name in ("planted_claims.jsonl", "planted_claims_blind.jsonl")
           for line in (ROOT / "eval" / name).read_text("utf-8").splitlines() if line.strip()]
WRONG = [p for p in PLANTED if not p["supported"]]
CONTROLS = [p for p in PLANTED if p["supported"]]
MIN_CONTROLS_KEPT = 0.94


@pytest.fixture(scope="module")
def checker(assistant):
    return assistant.reader_checker()


def _kept(item, checker, source) -> bool:
    quote = normalize(item["quote"]).strip()
    start = source.index(quote)
    return bool(verify(item["claim"], [Passage(1, quote, start, start + len(quote), "")], checker).kept)


def test_the_planted_sets_are_big_enough_and_quote_the_speech(source):
    assert len(WRONG) >= 30
    assert {p["kind"] for p in WRONG} >= {"changed_number", "swapped_body", "negation", "lost_qualifier"}
    assert all(normalize(p["quote"]).strip() in source for p in PLANTED)


@pytest.mark.parametrize("item", WRONG, ids=[p["id"] for p in WRONG])
def test_planted_wrong_claims_never_survive(item, checker, source):
    assert not _kept(item, checker, source), item["claim"]


def test_claims_are_read_with_the_index_dictionary_whatever_index_the_process_opened_last(checker, source):
    # Another corpus opened later in the same process switches the process-wide tokenizer dictionary; with
    # jieba's full dictionary 达标城市 cuts differently and "安康比商洛市更早进入…" used to pass.
    active = tokens._active["dictionary"]
    try:
        tokens.use_dictionary(None)
        survived = [p["id"] for p in WRONG if _kept(p, checker, source)]
    finally:
        tokens.use_dictionary(active)
    assert survived == []


def test_faithful_controls_are_kept(checker, source):
    kept = [p["id"] for p in CONTROLS if _kept(p, checker, source)]
    assert len(kept) / len(CONTROLS) >= MIN_CONTROLS_KEPT, sorted({p["id"] for p in CONTROLS} - set(kept))


def test_markers_in_any_usual_place_are_read():
    assert sentences("甲乙。[1]丙丁[2]。") == [("甲乙。", [1]), ("丙丁。", [2])]
    assert sentences("[1] 甲乙。") == [("甲乙。", [1])]
    assert sentences("- 甲乙【1，2】\n- 丙［3］") == [("甲乙", [1, 2]), ("丙", [3])]


def test_english_glosses_are_allowed_but_english_claims_are_not_kept(checker, source):
    quote = "市交通局要对全市汽修行业开展一次全面检查，督促企业严格落实喷漆作业时间规定，力争把臭氧污染降低到最低水平。"
    start = source.index(quote)
    passage = [Passage(1, quote, start, start + len(quote), "")]
    glossed = "市交通局要对全市汽修行业开展一次全面检查 (the transport bureau inspects the repair trade once)[1]。"
    assert verify(glossed, passage, checker).kept
    english = "The transport bureau must inspect the vehicle repair trade three times [1]."
    assert not verify(english, passage, checker).kept
