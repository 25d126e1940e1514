"""The 评测 tab's runner without a browser: a run lands whole in the person's own folder; bad input is one line."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from tests.conftest import ROOT
from ui.eval_tab import EvalRunner
from ui.identity import COOKIE


def _request(c: str):
    return SimpleNamespace(session_hash="s", username=None, cookies={COOKIE: c * 32})


def test_a_run_writes_its_files_whole_into_the_owners_folder(assistant, tmp_path):
    runner = EvalRunner(assistant)
    upload = tmp_path / "three.jsonl"
    upload.write_text("\n".join((ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines()[:3]),
                      encoding="utf-8")
    status, summary, chart, failures, files = runner.run(str(upload), False, _request("a"), progress=lambda *a, **k: None)
    assert "3 道题" in status and "本助手" in summary and "朴素基线" not in summary
    folder = {p.rsplit("/", 1)[0] for p in files}
    assert len(folder) == 1 and chart.endswith("chart.png")
    run_dir = Path(folder.pop())
    assert sorted(p.name for p in run_dir.iterdir()) == ["chart.png", "report.md", "results.json"]
    assert json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["set"] == "three.jsonl"
    assert not [p for p in run_dir.parent.iterdir() if p.name.startswith(".")]      # no temporary left behind
    # Another browser's results are elsewhere.
    other = runner.run(str(upload), False, _request("b"), progress=lambda *a, **k: None)[4]
    assert other[0].rsplit("/", 3)[0] != files[0].rsplit("/", 3)[0]


def test_bad_uploads_are_one_line(assistant, tmp_path):
    runner = EvalRunner(assistant)
    binary = tmp_path / "x.jsonl"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for upload, needle in ((None, "请先选择"), (str(binary), "UTF-8"), (str(tmp_path / "gone.jsonl"), "不见了")):
        status, summary, chart, failures, files = runner.run(upload, True, _request("c"), progress=lambda *a, **k: None)
        assert needle in status and 'role="alert"' in status and summary == "" and files is None
