"""Run the gold set through the assistant (and the naive baseline) and write report.md, results.json, chart.png."""
from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import aggregate, by_category, gold_spans, retrieval_scores, score_item

GOLD = Path(__file__).with_name("gold.jsonl")
TABLE_KEYS = ("n", "accuracy", "refusal_recall", "key_fact_accuracy", "item_recall", "citation_validity",
              "citation_precision", "quote_recall", "char_f1")


def load_gold(path: Path | None = None) -> list[dict]:
    lines = (path or GOLD).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


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


def evaluate_naive(assistant, gold: list[dict], progress=None) -> dict:
    from eval.naive import NaiveRAG

    naive = NaiveRAG(assistant.source(), assistant.index.embedder)
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


def render_report(result: dict, baseline: dict | None) -> str:
    o = result["overall"]
    lines = ["# 讲话问答助手 — answer-accuracy report", "",
             f"Gold items: {o['n']}. Latency p50 {o['latency_p50_ms']} ms, p95 {o['latency_p95_ms']} ms.", "",
             "## Overall", "", "| metric | assistant | naive baseline |", "|---|---|---|"]
    for key, value in o.items():
        lines.append(f"| {key} | {_fmt(value)} | {_fmt(baseline['overall'].get(key)) if baseline else '—'} |")
    for key, value in result["retrieval"].items():
        lines.append(f"| retrieval {key} | {_fmt(value)} | {_fmt(baseline['retrieval'].get(key)) if baseline else '—'} |")
    lines += ["", "## Per category", "", "| category | " + " | ".join(TABLE_KEYS) + " | baseline accuracy |",
              "|---" * (len(TABLE_KEYS) + 2) + "|"]
    for cat, m in result["categories"].items():
        base = baseline["categories"].get(cat, {}).get("accuracy") if baseline else None
        lines.append(f"| {cat} | " + " | ".join(_fmt(m.get(k)) for k in TABLE_KEYS) + f" | {_fmt(base)} |")
    lines += ["", "![per-category accuracy](chart.png)", "", f"## Failures ({len(result['failures'])})", ""]
    for f in result["failures"]:
        hist = f" (after: {' / '.join(f['history'])})" if f["history"] else ""
        got = f["got"].replace("\n", " ")[:300]
        lines += [f"### {f['id']} [{f['category']}] {f['question']}{hist}", "",
                  f"- expected: {f['expected']} (must include: {', '.join(f['must_include']) or '—'})",
                  f"- got ({'answerable' if f['answerable'] else 'refused'}): {got}", ""]
    return "\n".join(lines)


def write_chart(result: dict, baseline: dict | None, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = list(result["categories"])
    ours = [result["categories"][c]["accuracy"] or 0 for c in cats]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.4 if baseline else 0.8
    xs = range(len(cats))
    ax.bar([x - width / 2 if baseline else x for x in xs], ours, width, label="assistant")
    if baseline:
        base = [baseline["categories"].get(c, {}).get("accuracy") or 0 for c in cats]
        ax.bar([x + width / 2 for x in xs], base, width, label="naive dense top-1")
    ax.set_xticks(list(xs), cats, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("accuracy")
    ax.set_title("Answer accuracy per category")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run_eval(assistant, gold: Path | None = None, out: Path = Path("eval/out"), compare: str | None = "naive",
             console=None) -> dict:
    """The `assistant eval` command: run, print the per-category table, write the report files."""
    from rich.progress import track
    from rich.table import Table

    items = load_gold(gold)
    total = len(items) * (2 if compare else 1)
    steps = iter(track(range(total), description="evaluating", console=console, transient=True))
    tick = lambda: next(steps, None)  # noqa: E731 - advance the shared progress bar
    result = evaluate(assistant, items, tick)
    baseline = evaluate_naive(assistant, items, tick) if compare else None
    for _ in steps:
        pass
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"assistant": result, "baseline": baseline}, ensure_ascii=False,
                                                 indent=1), encoding="utf-8")
    write_chart(result, baseline, out / "chart.png")
    (out / "report.md").write_text(render_report(result, baseline), encoding="utf-8")
    if console is not None:
        table = Table("category", *TABLE_KEYS, "baseline acc", title="answer accuracy")
        for cat, m in list(result["categories"].items()) + [("ALL", result["overall"])]:
            base = (baseline["categories"].get(cat, baseline["overall"]) if cat != "ALL" else baseline["overall"]
                    ) if baseline else {}
            table.add_row(cat, *(_fmt(m.get(k)) for k in TABLE_KEYS), _fmt(base.get("accuracy")))
        console.print(table)
        console.print(f"failures: {len(result['failures'])} — report: {out / 'report.md'}")
    return {"assistant": result, "baseline": baseline}
