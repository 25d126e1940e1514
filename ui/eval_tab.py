"""The 评测 tab: run the accuracy suite (``eval.run``) on an uploaded question file in the eval format, show the
figures, the chart and the failures, and offer report.md, results.json and chart.png for download.

A thin layer: checking the file is ``eval.run.parse_gold``, scoring and writing the files is
``eval.run.run_eval`` (the code behind ``assistant eval``); this module reads the upload, keeps each person's
results apart (``ui.identity``) and turns the result into escaped markup. ``ui.app`` must not import ``eval``
(import-linter), so ``ui.cli serve`` hands this tab to ``ui.app.launch`` as an extra tab.
"""
from __future__ import annotations

import shutil
import threading
import traceback
from datetime import datetime
from pathlib import Path

import gradio as gr

from eval.run import GoldFormatError, parse_gold, run_eval
from ui.identity import owner_dir
from ui.render import esc

__all__ = ["EvalRunner", "TAB", "build_eval_tab"]

MAX_UPLOAD_BYTES = 2_000_000     # the server refuses larger request bodies anyway (ui.limits)
RUNS_KEPT = 5                    # each person's latest runs; older ones go
FAILURES_SHOWN = 50
OVERALL = [("accuracy", "准确率"), ("refusal_recall", "应拒答的拒答率"), ("refusal_precision", "拒答的准确率"),
           ("key_fact_accuracy", "关键事实"), ("item_recall", "列举项召回"), ("citation_validity", "引用有效"),
           ("quote_recall", "原文召回"), ("char_f1", "字符 F1")]


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.3f}"


class EvalRunner:
    """Runs the suite for one person at a time and keeps each person's results in their own folder."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.home = Path(assistant.settings.home)
        # One evaluation at a time in the whole server: a run takes the CPU for a while, and the engine's
        # answers stay quick for everyone else only if runs do not pile up.
        self._one_at_a_time = threading.Lock()
        self._naive = None   # the baseline's embedded windows (~15 s to build): built on the first run, kept

    def naive(self):
        if self._naive is None:
            from eval.naive import NaiveRAG

            self._naive = NaiveRAG(self.assistant.source(), self.assistant.index.embedder)
        return self._naive

    def run(self, upload, compare: bool, request: gr.Request | None = None, progress=gr.Progress()):
        """(status line, summary, chart path, failures, result files) for an uploaded JSONL file."""
        try:
            items, name = self._read(upload)
        except GoldFormatError as exc:
            return _status(str(exc), error=True), "", None, "", None
        if not self._one_at_a_time.acquire(blocking=False):
            return _status("另一项评测正在运行，请稍后再试。", error=True), "", None, "", None
        try:
            total = [0, 1]

            def advance(n: int = 1, total_n: int | None = None, **kw) -> None:
                total_n = kw.get("total", total_n)
                if total_n:
                    total[1] = total_n
                total[0] += n
                progress((total[0], total[1]), desc="评测中", unit="题")

            runs = owner_dir(self.home, request) / "eval"
            runs.mkdir(mode=0o700, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            tmp, final = runs / f".{stamp}.tmp", runs / stamp
            tmp.mkdir(mode=0o700)
            try:
                result = run_eval(self.assistant, out=tmp, compare="naive" if compare else None, progress=advance,
                                  items=items, set_name=name, naive=self.naive() if compare else None)
                tmp.rename(final)   # the run's folder appears only complete
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self._prune(runs)
        except Exception as exc:  # the page gets one line; the traceback goes to the server log
            traceback.print_exc()
            return _status(f"评测失败：{type(exc).__name__}: {exc}", error=True), "", None, "", None
        finally:
            self._one_at_a_time.release()
        ours = result["assistant"]
        line = (f"{esc(name)}：{ours['overall']['n']} 道题，准确率 {_fmt(ours['overall']['accuracy'])}，"
                f"未答对 {len(ours['failures'])} 道。")
        files = [str(final / f) for f in ("report.md", "results.json", "chart.png")]
        return (_status(line), render_summary(result), str(final / "chart.png"),
                render_failures(ours["failures"]), files)

    def _read(self, upload) -> tuple[list[dict], str]:
        """The upload's items, checked; ``GoldFormatError`` (one line) for anything else."""
        path = getattr(upload, "name", upload)
        if not path:
            raise GoldFormatError("请先选择一个 JSONL 题目文件（choose a .jsonl question file first）")
        path = Path(path)
        try:
            if not path.is_file():
                raise GoldFormatError("上传的文件不见了，请重新选择（the upload is gone: choose it again）")
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise GoldFormatError(f"文件太大：上限 {MAX_UPLOAD_BYTES // 1_000_000} MB")
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise GoldFormatError("文件不是 UTF-8 文本（the file is not UTF-8 text）") from None
        except OSError as exc:
            raise GoldFormatError(f"读不了上传的文件：{exc.strerror or exc}") from None
        return parse_gold(text), path.name

    @staticmethod
    def _prune(runs: Path) -> None:
        done = sorted((p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
        for old in done[RUNS_KEPT:]:
            shutil.rmtree(old, ignore_errors=True)


def _status(text: str, error: bool = False) -> str:
    cls = "eval-status error" if error else "eval-status"
    return f'<p class="{cls}" role="{"alert" if error else "status"}">{esc(text)}</p>'


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A small table; each cell carries its column name (``data-label``), so on a phone, where app.css stacks
    the cells of ``table.rows``, every figure still says what it is."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join('<tr><th scope="row">' + esc(r[0]) + "</th>"
                   + "".join(f'<td data-label="{esc(h)}">{esc(v)}</td>' for h, v in zip(headers[1:], r[1:]))
                   + "</tr>" for r in rows)
    return (f'<table class="rows eval-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def render_summary(result: dict) -> str:
    """Overall figures (assistant and naive baseline) and accuracy per category, as escaped HTML tables."""
    ours, base = result["assistant"], result.get("baseline")
    o, b = ours["overall"], (base or {}).get("overall", {})
    cols = ["指标", "本助手"] + (["朴素基线"] if base else [])
    rows = [[label, _fmt(o.get(k))] + ([_fmt(b.get(k))] if base else []) for k, label in OVERALL]
    rows.append(["延迟 p50 / p95", f'{o.get("latency_p50_ms")} / {o.get("latency_p95_ms")} ms'] + (["—"] if base else []))
    cat_cols = ["类别", "题数", "准确率"] + (["朴素基线"] if base else [])
    cats = [[c, str(int(m["n"])), _fmt(m.get("accuracy"))]
            + ([_fmt((base["categories"].get(c) or {}).get("accuracy"))] if base else [])
            for c, m in ours["categories"].items()]
    kind = {"development": "开发集", "blind": "盲测集", "unlisted": "未登记的题集"}.get(result["status"], result["status"])
    return (f'<div class="eval-summary"><p class="count">题集：{esc(result["set"])}（{esc(kind)}）</p>'
            + _table("总体", cols, rows) + _table("各类别", cat_cols, cats) + "</div>")


def render_failures(failures: list[dict]) -> str:
    """Each wrong answer: the question (and what came before), what was expected, what was answered."""
    if not failures:
        return '<p class="muted">全部答对。</p>'
    out = [f'<div class="eval-failures"><h4>未答对的题（{len(failures)}）</h4><ol>']
    for f in failures[:FAILURES_SHOWN]:
        hist = f'<div class="muted">前文：{esc(" / ".join(f.get("history") or []))}</div>' if f.get("history") else ""
        must = "、".join(f.get("must_include") or [])
        got = ("拒答：" if not f.get("answerable") else "") + (f.get("got") or "")
        out.append(f'<li><div><b>{esc(f["question"])}</b> <span class="muted">[{esc(f["category"])} · '
                   f'{esc(f["id"])}]</span></div>{hist}'
                   f'<div>应答：{esc(f["expected"])}' + (f'（须含：{esc(must)}）' if must else "") + '</div>'
                   f'<div>实答：{esc(got[:300])}{"…" if len(got) > 300 else ""}</div></li>')
    out.append("</ol>")
    if len(failures) > FAILURES_SHOWN:
        out.append(f'<p class="muted">另有 {len(failures) - FAILURES_SHOWN} 道，见 report.md。</p>')
    out.append("</div>")
    return "".join(out)


def build_eval_tab(assistant) -> None:
    """The tab's components and events, inside the current Blocks/Tab context."""
    runner = EvalRunner(assistant)
    gr.Markdown("上传一个评测格式的题目文件（JSONL，每行一题：`question`、`answer`、`category`，可选 `must_include`、"
                "`gold_quotes`、`items`、`history`，见 eval/gold.jsonl），用 `assistant eval` 的同一套评分运行，"
                "查看各项指标、各类别准确率图和未答对的题，并下载结果文件。结果只对本浏览器可见。")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            upload = gr.File(label="题目文件（.jsonl）", file_types=[".jsonl"], type="filepath", elem_id="eval-upload")
            compare = gr.Checkbox(value=True, label="同时评测朴素基线（稠密检索取第一句）", elem_id="eval-compare")
            run_btn = gr.Button("运行评测", variant="primary", elem_id="eval-run")
            status = gr.HTML("", elem_id="eval-status")
            files = gr.File(label="结果文件", file_count="multiple", interactive=False, elem_id="eval-files")
        with gr.Column(scale=3, min_width=300):
            summary = gr.HTML("", elem_id="eval-summary")
            chart = gr.Image(label="各类别准确率", type="filepath", interactive=False, elem_id="eval-chart",
                             buttons=["download", "fullscreen"], alt_text="各类别准确率柱状图（本助手与朴素基线）")
    failures = gr.HTML("", elem_id="eval-failures")
    run_btn.click(runner.run, inputs=[upload, compare], outputs=[status, summary, chart, failures, files],
                  concurrency_limit=1, api_visibility="private", show_progress="minimal")


TAB = ("评测", "eval", build_eval_tab)   # (label, id, builder) for ui.app.launch(extra_tabs=…)
