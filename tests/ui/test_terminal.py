"""The CLI in a terminal of a given width: tables wrap instead of cutting, headers follow the interface
language, figure kinds are words, and the quiz explains its options and how to retry."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ROOT

BOX = re.compile(r"[\s│┃┆┊|─━┄┈┌┐└┘├┤┬┴┼╭╮╯╰╷╵╴╶═║╒╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡╢╣╤╥╦╧╨╩╪╫╬]+")


def _flat(text: str) -> str:
    """Table text with borders and line breaks removed, so a wrapped cell reads as one string again."""
    return BOX.sub("", text)


@pytest.mark.parametrize("columns", ["80", "120"])
def test_duties_wrap_every_task_in_full(run_cli, columns):
    out = run_cli("duties", "交通局", env={"COLUMNS": columns})
    assert out.returncode == 0, out.stderr
    tasks = [d["task"] for d in json.loads(run_cli("duties", "交通局", "--json").stdout)]
    assert len(tasks) == 2
    # Each column wraps on its own, so a task reads whole when its column's lines are joined in order.
    lines = out.stdout.splitlines()
    task_col = "".join(_cell(line, 2) for line in lines)
    for task in tasks:
        assert _flat(task) in _flat(task_col), (task, out.stdout)
    assert "…" not in out.stdout
    assert all(len(line) <= int(columns) for line in lines)
    assert "责任主体" in out.stdout and "任务" in out.stdout and re.search(r"第\d+段", out.stdout)
    assert "actors" not in out.stdout and "span" not in out.stdout


def _cell(line: str, k: int) -> str:
    parts = re.split(r"[│┃]", line)
    return parts[k + 1] if len(parts) > k + 1 else ""


def test_headers_follow_the_interface_language(run_cli):
    en = run_cli("duties", "交通局", env={"ASSISTANT_LANG": "en", "COLUMNS": "120"})
    assert en.returncode == 0 and "actors" in en.stdout and "责任主体" not in en.stdout
    figures = run_cli("figures", env={"COLUMNS": "100"})
    assert "目标" in figures.stdout and "时间" in figures.stdout
    assert " target " not in figures.stdout and " date " not in figures.stdout


def _mini_gold(path, n: int):
    """The first ``n`` gold questions as a question set of their own (unlisted in eval/sets.json)."""
    lines = [line for line in (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("\n".join(lines[:n]), encoding="utf-8")
    return path


def test_eval_table_fits_80_columns_uncut(run_cli, tmp_path):
    gold = _mini_gold(tmp_path / "mini.jsonl", 4)
    out = run_cli("eval", "--gold", str(gold), "--out", str(tmp_path / "out"), "--compare", "none",
                  env={"COLUMNS": "80"}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "…" not in out.stdout
    assert all(len(line) <= 80 for line in out.stdout.splitlines())
    assert re.search(r"\b[01]\.\d{3}\b", out.stdout)      # whole numbers, not "0.9…"
    assert "准确率" in out.stdout and "mini.jsonl" in out.stdout
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Question set: `mini.jsonl`" in report and "UNLISTED" in report
    assert "## Metrics" in report and "**refusal_recall**" in report


def test_quiz_help_explains_every_option(run_cli):
    out = run_cli("quiz", "--help", env={"COLUMNS": "120"})
    assert out.returncode == 0
    text = re.sub(r"\s+", " ", out.stdout)
    for option, words in (("--n", "How many"), ("--seed", "Same seed"), ("--kind", "kinds"),
                          ("--level", "Difficulty"), ("--retry-missed", "wrong")):
        assert option in text and words in text, option


def test_progress_goes_to_stderr_and_stdout_stays_the_result(run_cli, tmp_path):
    gold = _mini_gold(tmp_path / "two.jsonl", 2)
    # FORCE_COLOR makes rich treat the (piped) stderr as a terminal, as it is when stdout is redirected.
    out = run_cli("eval", "--gold", str(gold), "--out", str(tmp_path / "out"), "--compare", "none",
                  env={"FORCE_COLOR": "1", "COLUMNS": "100"}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "eval" in out.stderr and "2/2" in re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.stderr)
    assert "0:00:" not in out.stdout and "0:00:" in out.stderr   # the elapsed-time column of the bar
