"""The accuracy suite end to end (`assistant eval`), and the CI gate on its figures."""
import json

import pytest

# Gates sit at least 0.03 below the figures measured on this machine, so a near-tie flipping elsewhere cannot
# fail a fresh checkout. Never raise a gate by tuning to the set it gates. Gates set 2026-11-29 after the
# fitted selection models (gold then 0.851, refusal recall 0.700); measured again at the end of that day's
# engine changes: gold (dev) accuracy 0.892, refusal recall 0.800. The gates were not raised.
MIN_ACCURACY = 0.82
MIN_CITATION_VALIDITY = 1.0
MIN_REFUSAL_RECALL = 0.67
# holdout, holdout2, blind3 … blind6: development sets, measured 0.858, 0.825, 0.856, 0.844, 0.809, 0.827
# (first sights were blind3 0.726, blind4 0.766, blind5 0.745, blind6 0.756). blind7: 0.807 at first sight
# (eval/scores/blind7-first-sight.json); its gate sits 0.037 below that single score.
HOLDOUT_MIN_ACCURACY = {"eval/holdout.jsonl": 0.77, "eval/holdout2.jsonl": 0.73, "eval/blind3.jsonl": 0.77,
                        "eval/blind4.jsonl": 0.70, "eval/blind5.jsonl": 0.71,
                        "eval/blind6.jsonl": 0.72, "eval/blind7.jsonl": 0.77}


def test_eval_command_writes_report_chart_and_results(run_cli, tmp_path):
    out = run_cli("eval", "--out", str(tmp_path), timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    for name in ("report.md", "results.json", "chart.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "naive baseline" in report and "## Failures" in report and "responsibility" in report
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    ours, base = results["assistant"]["overall"], results["baseline"]["overall"]
    # The CI gate.
    assert ours["citation_validity"] >= MIN_CITATION_VALIDITY
    assert ours["accuracy"] >= MIN_ACCURACY, ours
    assert ours["refusal_recall"] >= MIN_REFUSAL_RECALL, ours
    # The system must beat the naive dense top-1 baseline it is compared with.
    assert ours["accuracy"] > base["accuracy"]
    assert "全部" in out.stdout and "gold.jsonl (development)" in out.stdout


@pytest.mark.parametrize("path,minimum", HOLDOUT_MIN_ACCURACY.items())
def test_holdout_set_accuracy(assistant, tmp_path, path, minimum):
    # What `assistant eval --gold PATH --compare none` runs (eval.run.run_eval), in this process on the session's
    # index rather than in a new process per set: the same figures (checked equal for all seven sets, every key
    # but latency), ~2.5 s less each. The command itself, with --gold and --compare none, is run as a process
    # by test_eval_command_writes_report_chart_and_results above and tests/ui/test_terminal.py.
    from eval.run import run_eval
    from tests.conftest import ROOT

    run_eval(assistant, gold=ROOT / path, out=tmp_path, compare=None)
    overall = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["assistant"]["overall"]
    assert overall["citation_validity"] == 1.0
    assert overall["accuracy"] >= minimum, overall


def test_metrics_score_known_cases():
    from eval.metrics import char_f1, score_item

    source = "在扬尘管控方面，市住建局要加大管控力度。"
    item = {"id": "x", "category": "responsibility", "answer": "市住建局要加大管控力度", "must_include": ["市住建局"],
            "gold_quotes": ["市住建局要加大管控力度"], "items": []}
    good = {"answer": "**市住建局**要加大管控力度[1]", "answerable": True,
            "citations": [{"n": 1, "quote": "市住建局要加大管控力度", "start": 8, "end": 19}]}
    row = score_item(item, good, source)
    assert row["correct"] and row["citations_valid"] and row["citation_precision"] == 1.0 and row["quote_recall"] == 1.0
    bad = dict(good, citations=[{"n": 1, "quote": "伪造", "start": 0, "end": 2}], answerable=False)
    row = score_item(item, bad, source)
    assert not row["correct"] and not row["citations_valid"]
    assert char_f1("安康市", "安康市") == 1.0 and char_f1("abc", "安康") == 0.0
