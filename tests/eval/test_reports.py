"""Accuracy on other documents (`assistant eval-reports`): a small, deterministic sample of the work-report
development sets, each report indexed alone, scored next to the naive hybrid baseline. The full figures
(eight reports, 360 questions) come from `assistant eval-reports`; this gate keeps a fresh checkout honest."""
import pytest

from eval.reports import CORPUS_DIRS, ROOT, run_reports

SAMPLE = [ROOT / "eval" / "reports" / "beijing.jsonl", ROOT / "eval" / "reports" / "tianjin.jsonl"]
# Development sets: measured on this sample at the end of the session that wrote this gate (see MEASURED);
# the gate sits 0.03 below it. Never raise it by tuning to these two sets.
MEASURED = 0.789  # 2026-12-03: 北京 0.778, 天津 0.800 (development; naive hybrid 0.733, 0.578)
MIN_ACCURACY = 0.75


@pytest.mark.skipif(not (CORPUS_DIRS[0] / "2025年北京市政府工作报告.txt").is_file(), reason="shared corpus absent")
def test_report_sample_beats_the_naive_baseline_with_exact_citations(tmp_path, report_homes):
    result = run_reports(SAMPLE, homes=report_homes, out=tmp_path / "out")
    ours, naive = result["overall"], result["baseline"]
    assert ours["n"] == 90
    assert ours["citation_validity"] == 1.0
    assert ours["accuracy"] >= MIN_ACCURACY, ours
    assert ours["accuracy"] > naive["accuracy"], (ours["accuracy"], naive["accuracy"])
    assert (tmp_path / "out" / "report.md").read_text(encoding="utf-8").startswith("# Accuracy across documents")
