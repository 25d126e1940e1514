"""The scale bench (eval/scale.py): every figure per size, the chart, and synthetic documents that are
deterministic and name no real province."""
from __future__ import annotations

import json

import pytest

from eval.scale import CORPUS, place_lines, run_scale, synthetic_documents

pytestmark = pytest.mark.skipif(not (CORPUS / "reports").is_dir(), reason="needs ../shared/corpus/reports")

FIGURES = ("build_s", "embed_only_s", "build_over_embed", "disk_mb", "rss_mb", "cold_open_s", "cold_open_and_ask_s",
           "warm_p50_ms", "warm_p95_ms", "accuracy", "add_one_s")


def test_run_scale_gives_every_figure_per_size_and_a_chart(tmp_path):
    out = tmp_path / "scale"
    result = run_scale(sizes=(1, 2), stores=("embedded",), out=out, doc_chars=200, real=[], rounds=1,
                       warm_limit=5, threads=2)
    rows = {r["documents"]: r for r in result["rows"]}
    assert set(rows) == {1, 2}
    for row in rows.values():
        assert row["store"] == "embedded"
        for key in FIGURES:
            assert isinstance(row[key], (int, float)), key
        assert row["rebuilt"] is False           # the cold process opened the built index, did not rebuild it
        assert row["add_one_embedded_sentences"] > 0
    assert rows[2]["sentences"] > rows[1]["sentences"]
    assert (out / "chart.png").stat().st_size > 0
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["rows"] == result["rows"]
    assert "Growth per document" in (out / "report.md").read_text(encoding="utf-8")


def test_synthetic_documents_are_deterministic_and_name_no_real_place(tmp_path):
    first = synthetic_documents(12, tmp_path / "a", doc_chars=1500)
    again = synthetic_documents(12, tmp_path / "b", doc_chars=1500)
    texts = [p.read_text(encoding="utf-8") for p in first]
    assert texts == [p.read_text(encoding="utf-8") for p in again]
    assert len(set(texts)) == len(texts)
    names = [n for line in place_lines() for n in line]
    for text in texts:
        assert text.startswith("2025年示") and text.splitlines()[0].endswith("政府工作报告")
        assert len(text) >= 1500
        found = [n for n in names if n in text]
        assert not found, found
