"""The evaluator's report: it names its question set and says whether it is a development or a blind
set, defines its metrics, gives n where a metric rests on fewer questions, and labels its chart."""
from __future__ import annotations

from pathlib import Path

from eval.metrics import aggregate
from eval.run import DEFINITIONS, TABLE_KEYS, render_report, set_status, write_chart

ROOT = Path(__file__).resolve().parents[2]


def _row(cat: str, correct: bool, item_recall=None) -> dict:
    return {"id": cat, "category": cat, "correct": correct, "answerable_ok": True, "keys_ok": correct,
            "item_recall": item_recall, "citations_valid": True, "citation_precision": None, "quote_recall": None,
            "focused": correct, "char_f1": 0.5, "pred_answerable": True, "gold_answerable": True, "latency_ms": 20.0}


def _result() -> dict:
    rows = [_row("fact", True), _row("fact", False, item_recall=0.0), _row("list", True, item_recall=1.0)]
    cats = {c: aggregate([r for r in rows if r["category"] == c]) for c in ("fact", "list")}
    return {"overall": aggregate(rows), "categories": cats, "retrieval": {"hit@5": 1.0, "mrr": 1.0}, "rows": rows,
            "failures": []}


def test_every_shipped_set_has_a_status():
    for path in (ROOT / "eval").glob("*.jsonl"):
        if path.name.startswith("planted_"):   # claims for the LLM verifier, not question sets
            continue
        status, note = set_status(path)
        assert status in ("development", "blind"), path.name
        assert note


def test_report_names_its_set_and_defines_its_metrics():
    text = render_report(_result(), None, ROOT / "eval" / "blind4.jsonl")
    assert "Question set: `blind4.jsonl` (3 questions), a DEVELOPMENT set" in text
    for name, _ in DEFINITIONS:
        assert f"**{name}**" in text
    # "fact item_recall 0.000" rests on one of the two fact questions: the report says so.
    fact = next(line for line in text.splitlines() if line.startswith("| fact |"))
    assert "0.000 (n=1)" in fact
    assert len(fact.split("|")) == len(TABLE_KEYS) + 4


def test_unlisted_set_is_not_passed_off_as_blind(tmp_path):
    text = render_report(_result(), None, tmp_path / "mine.jsonl")
    assert "an UNLISTED set" in text and "development set unless" in text


def test_chart_is_written_with_value_labels(tmp_path, monkeypatch):
    import matplotlib.axes

    labels = []
    real = matplotlib.axes.Axes.bar_label
    monkeypatch.setattr(matplotlib.axes.Axes, "bar_label",
                        lambda self, bars, labels_=None, **kw: labels.append(kw.get("labels")) or real(self, bars, **kw))
    write_chart(_result(), _result(), tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000
    assert labels == [["0.50", "1.00"], ["0.50", "1.00"]]
