"""Run the gold set through the assistant (and the naive baseline) and write report.md, results.json, chart.png."""
from __future__ import annotations

import json
import os
from pathlib import Path

from assistant import InvalidQuestion
from assistant.clean import clean_question
from eval.metrics import aggregate, by_category, gold_spans, retrieval_scores, score_item

GOLD = Path(__file__).with_name("gold.jsonl")
SETS = Path(__file__).with_name("sets.json")
TABLE_KEYS = ("n", "accuracy", "refusal_recall", "key_fact_accuracy", "item_recall", "citation_validity",
              "citation_precision", "quote_recall", "char_f1")


def load_gold(path: Path | None = None) -> list[dict]:
    lines = (path or GOLD).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


MAX_UPLOADED_ITEMS = 1000   # a question set from outside (the web UI): ~25 ms each, so at most a minute or so
REQUIRED_TEXT = ("question", "answer", "category")
OPTIONAL_LISTS = ("must_include", "gold_quotes", "items", "history")


class GoldFormatError(ValueError):
    """A question file that is not in the eval format: the message is one line, naming the line at fault."""


def parse_gold(text: str, max_items: int = MAX_UPLOADED_ITEMS) -> list[dict]:
    """Question items from JSONL text in the eval format (see eval/gold.jsonl), checked field by field before
    anything is asked: ``question``, ``answer`` and ``category`` strings, ``id`` a string or number (default
    ``line-N``), and the optional lists of strings ``must_include``, ``gold_quotes``, ``items``, ``history``.
    Each question must be one the assistant accepts. Raises ``GoldFormatError`` with one line."""
    items: list[dict] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise GoldFormatError(f"第 {n} 行不是 JSON（line {n} is not JSON: {exc.msg}）") from None
        if not isinstance(item, dict):
            raise GoldFormatError(f"第 {n} 行应是一个 JSON 对象（line {n} must be a JSON object）")
        for key in REQUIRED_TEXT:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise GoldFormatError(f"第 {n} 行缺少文字字段 {key}（line {n}: \"{key}\" must be a non-empty string）")
        for key in OPTIONAL_LISTS:
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise GoldFormatError(f"第 {n} 行的 {key} 应是字符串列表（line {n}: \"{key}\" must be a list of strings）")
        ident = item.get("id", f"line-{n}")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool):
            raise GoldFormatError(f"第 {n} 行的 id 应是字符串或数字（line {n}: \"id\" must be a string or a number）")
        try:
            clean_question(item["question"])
        except InvalidQuestion as exc:
            raise GoldFormatError(f"第 {n} 行的问题不能提问：{exc}") from None
        items.append(dict(item, id=str(ident)))
        if len(items) > max_items:
            raise GoldFormatError(f"题目超过 {max_items} 道（more than {max_items} questions）")
    if not items:
        raise GoldFormatError("文件里没有题目（the file holds no questions）")
    return items


def evaluate(assistant, gold: list[dict], progress=None) -> dict:
    """Score the assistant on the gold set: per-item rows, overall and per-category figures, retrieval."""
    source = assistant.source()
    rows, failures, rankings, golds = [], [], [], []
    for item in gold:
        got = assistant.ask(item["question"], item.get("history") or []).to_dict()
        row = score_item(item, got, source)
        rows.append(row)
        if not row["correct"]:
            failures.append({"id": item["id"], "category": item["category"], "question": item["question"],
                             "history": item.get("history", []), "expected": item["answer"],
                             "must_include": item.get("must_include", []), "got": got["answer"],
                             "answerable": got["answerable"]})
        q = assistant.searcher.prepare(got["standalone_question"])
        rankings.append([(p.start, p.end) for p in (assistant.searcher.passages[h.id]
                                                    for h in assistant.searcher.passages_ranked(q, 10))])
        golds.append(gold_spans(item.get("gold_quotes", []), source))
        if progress:
            progress()
    return {"overall": aggregate(rows), "categories": by_category(rows), "retrieval": retrieval_scores(rankings, golds),
            "rows": rows, "failures": failures}


def evaluate_naive(assistant, gold: list[dict], progress=None, naive=None) -> dict:
    """The naive baseline on the same items; ``naive``: a ``NaiveRAG`` built earlier over the same document
    (embedding its windows takes seconds, so a server that evaluates again keeps one)."""
    from eval.naive import NaiveRAG

    naive = naive or NaiveRAG(assistant.source(), assistant.index.embedder)
    rows, rankings, golds = [], [], []
    for item in gold:
        question = " ".join((item.get("history") or [])[-1:] + [item["question"]])
        rows.append(score_item(item, naive.ask(question), assistant.source()))
        rankings.append(naive.rank(question))
        golds.append(gold_spans(item.get("gold_quotes", []), assistant.source()))
        if progress:
            progress()
    return {"overall": aggregate(rows), "categories": by_category(rows), "retrieval": retrieval_scores(rankings, golds),
            "rows": rows}


def _fmt(v) -> str:
    return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


DEFINITIONS = [
    ("accuracy", "share of questions answered right: an answerable question must be answered (not refused) "
                 "and contain every `must_include` string; an unanswerable one must be refused"),
    ("answerable_accuracy", "share where answering vs refusing was right, whatever the content"),
    ("refusal_precision", "of the answers that refused, the share that should have (n = refusals given)"),
    ("refusal_recall", "of the questions that should be refused, the share that were (n = such questions)"),
    ("key_fact_accuracy", "of the answerable questions, the share answered with every `must_include` string"),
    ("item_recall", "for list questions, the share of the expected items that the answer contains "
                    "(n = questions with an item list)"),
    ("citation_validity", "share of answers whose every citation quote equals source[start:end]"),
    ("citation_precision", "share of citations that overlap a gold quote (n = answers with citations and gold quotes)"),
    ("quote_recall", "share of gold quotes overlapped by a citation (n = questions with gold quotes)"),
    ("focused_rate", "share of right answers that are at most 4× the reference length (or 400 characters)"),
    ("char_f1", "character-level F1 between answer and reference (no word segmentation needed)"),
    ("latency", "time inside `Assistant.ask` per question, p50/p95 in ms"),
    ("retrieval hit@5 / mrr", "whether a passage overlapping a gold quote is in the top 5 ranked passages, and its "
                              "mean reciprocal rank"),
]


def set_status(gold_path: Path | None) -> tuple[str, str]:
    """(status, note) of a question set from eval/sets.json: development or blind."""
    path = Path(gold_path or GOLD).resolve()
    # Keyed by the path under eval/ (reports/blind/fujian.jsonl), or by the bare name (gold.jsonl).
    name = path.relative_to(SETS.parent).as_posix() if path.is_relative_to(SETS.parent) else path.name
    try:
        sets = json.loads(SETS.read_text(encoding="utf-8"))
        entry = sets.get(name, sets.get(path.name))
    except (OSError, ValueError):
        entry = None
    if not isinstance(entry, dict):
        return "unlisted", ("not listed in eval/sets.json: count it as a development set unless it was written "
                            "before the change it measures and this is its first scoring")
    return entry.get("status", "unlisted"), entry.get("note", "")


def _with_n(m: dict, key: str) -> str:
    value = _fmt(m.get(key))
    n = m.get(f"n_{key}")
    return value if n is None or value == "—" or n == m.get("n") else f"{value} (n={n})"


def render_report(result: dict, baseline: dict | None, gold_path: Path | None = None, *,
                  set_name: str | None = None, status: tuple[str, str] | None = None) -> str:
    """report.md; ``set_name``/``status`` name a set that is not a file of eval/ (an upload)."""
    o = result["overall"]
    path = Path(set_name) if set_name else (gold_path or GOLD)
    status, note = status or set_status(gold_path)
    kind = {"development": "a DEVELOPMENT set (looked at while building: its score is optimistic)",
            "blind": "a BLIND set (not looked at while building: a first-sight figure if scored once)"}.get(
        status, "an UNLISTED set")
    lines = ["# 讲话问答助手 — answer-accuracy report", "",
             f"Question set: `{path.name}` ({o['n']} questions), {kind}. {note}", "",
             f"Latency p50 {o['latency_p50_ms']} ms, p95 {o['latency_p95_ms']} ms. Scored by string and span "
             "checks only, no LLM judge.", "",
             "## Overall", "", "| metric | assistant | naive baseline |", "|---|---|---|"]
    for key, value in o.items():
        if key.startswith("n_") or key.startswith("latency"):
            continue
        base = _with_n(baseline["overall"], key) if baseline else "—"
        lines.append(f"| {key} | {_with_n(o, key)} | {base} |")
    for key, value in result["retrieval"].items():
        lines.append(f"| retrieval {key} | {_fmt(value)} | {_fmt(baseline['retrieval'].get(key)) if baseline else '—'} |")
    lines += ["", "## Per category", "",
              "A figure over fewer questions than the category holds shows its own n.", "",
              "| category | " + " | ".join(TABLE_KEYS) + " | baseline accuracy |",
              "|---" * (len(TABLE_KEYS) + 2) + "|"]
    for cat, m in result["categories"].items():
        base = baseline["categories"].get(cat, {}).get("accuracy") if baseline else None
        lines.append(f"| {cat} | " + " | ".join(_with_n(m, k) for k in TABLE_KEYS) + f" | {_fmt(base)} |")
    lines += ["", "![per-category accuracy](chart.png)", "", "## Metrics", ""]
    lines += [f"- **{name}**: {text}." for name, text in DEFINITIONS]
    lines += ["", f"## Failures ({len(result['failures'])})", ""]
    for f in result["failures"]:
        hist = f" (after: {' / '.join(f['history'])})" if f["history"] else ""
        got = f["got"].replace("\n", " ")[:300]
        lines += [f"### {f['id']} [{f['category']}] {f['question']}{hist}", "",
                  f"- expected: {f['expected']} (must include: {', '.join(f['must_include']) or '—'})",
                  f"- got ({'answerable' if f['answerable'] else 'refused'}): {got}", ""]
    return "\n".join(lines)


def write_chart(result: dict, baseline: dict | None, path: Path, title: str = "") -> None:
    """Accuracy per category (n under each name), value labels on the bars, the legend above the plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = list(result["categories"])
    ours = [result["categories"][c]["accuracy"] or 0 for c in cats]
    fig, ax = plt.subplots(figsize=(11, 5))
    width = 0.4 if baseline else 0.7
    xs = list(range(len(cats)))
    bars = ax.bar([x - width / 2 if baseline else x for x in xs], ours, width, label="assistant", color="#0f766e")
    ax.bar_label(bars, labels=[f"{v:.2f}" for v in ours], fontsize=8, padding=2)
    if baseline:
        base = [baseline["categories"].get(c, {}).get("accuracy") or 0 for c in cats]
        bbars = ax.bar([x + width / 2 for x in xs], base, width, label="naive dense top-1", color="#94a3b8")
        ax.bar_label(bbars, labels=[f"{v:.2f}" for v in base], fontsize=8, padding=2, color="#475569")
    names = [f"{c}\n(n={result['categories'][c]['n']})" for c in cats]
    ax.set_xticks(xs, names, rotation=30, ha="right", fontsize=9)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("accuracy")
    ax.set_title(f"Answer accuracy per category{' — ' + title if title else ''}", pad=28)
    ax.spines[["top", "right"]].set_visible(False)
    # Above the axes, so it can never cover a bar.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


UPLOADED = ("unlisted", "uploaded question set: a development set unless it was written before the change it "
                        "measures and this is its first scoring")


def _write_whole(path: Path, data: bytes | str) -> None:
    """Write a file under a temporary name and rename it into place: never a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def run_eval(assistant, gold: Path | None = None, out: Path = Path("eval/out"), compare: str | None = "naive",
             progress=None, *, items: list[dict] | None = None, set_name: str | None = None, naive=None) -> dict:
    """The `assistant eval` command's work: score, then write report.md, results.json and chart.png.
    ``progress(n=1, total=None)`` is called once per question scored. ``items`` (with ``set_name``) scores
    questions already read, e.g. an uploaded file checked by ``parse_gold``; such a set is "unlisted".
    ``naive``: a baseline built earlier (see ``evaluate_naive``)."""
    if items is None:
        items = load_gold(gold)
        name, (status, note) = (gold or GOLD).name, set_status(gold)
    else:
        name, (status, note) = set_name or "uploaded.jsonl", UPLOADED
    if progress:
        progress(0, total=len(items) * (2 if compare else 1))
    result = evaluate(assistant, items, progress)
    baseline = evaluate_naive(assistant, items, progress, naive=naive) if compare else None
    out.mkdir(parents=True, exist_ok=True)
    _write_whole(out / "results.json", json.dumps({"set": name, "status": status, "assistant": result,
                                                   "baseline": baseline}, ensure_ascii=False, indent=1))
    chart_tmp = out / f".chart.{os.getpid()}.tmp.png"
    write_chart(result, baseline, chart_tmp, f"{name} ({status} set)")
    os.replace(chart_tmp, out / "chart.png")
    _write_whole(out / "report.md", render_report(result, baseline, gold, set_name=name, status=(status, note)))
    return {"assistant": result, "baseline": baseline, "set": name, "status": status}
