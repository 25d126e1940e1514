"""Accuracy across documents: question sets whose items name their document (``"doc"``), each document
indexed alone in its own data dir and asked its own questions, next to the naive hybrid baseline.

This is how the engine is measured on documents it was not built on (the work reports of
``shared/corpus/reports``): figures per category, per document and over all, and the failures. A set
under ``eval/reports/blind/`` is a first-sight set until ``eval/sets.json`` says otherwise.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from eval.metrics import aggregate, by_category, score_item
from eval.run import evaluate, load_gold, set_status

ROOT = Path(__file__).resolve().parents[1]
# Where a set's "doc" is looked for: the shared corpus beside the checkout, then the shipped speech.
CORPUS_DIRS = (ROOT.parent / "shared" / "corpus" / "reports", ROOT.parent / "shared" / "corpus",
               ROOT / "index" / "corpus")
DEV_SETS = sorted((ROOT / "eval" / "reports").glob("*.jsonl"))


class MissingDocument(FileNotFoundError):
    """A set names a document that none of the corpus folders holds."""


def find_document(name: str, dirs=CORPUS_DIRS) -> Path:
    if not name:   # an item without a document (``"doc": ""``) is about the shipped default document
        from index.documents import default_document_path

        return Path(default_document_path())
    for folder in dirs:
        path = Path(folder) / name
        if path.is_file():
            return path
    raise MissingDocument(f"文档 {name} 不在 {', '.join(str(d) for d in dirs)} (document not found)")


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", Path(name).stem).strip("-") or "doc"


HOMES = ROOT / "eval" / "out" / "homes"


def assistant_for(name: str, homes: Path = HOMES):
    """An assistant over one document of the corpus folders, its index in its own data dir (built on first use)."""
    from assistant.config import Settings
    from assistant.core import Assistant

    path = find_document(name)
    return Assistant.open(Settings.from_env(home=homes / _slug(path.name), corpus=(str(path),), llm=None))


def evaluate_document(name: str, items: list[dict], homes: Path = HOMES, progress=None) -> dict:
    """Open an assistant over one document (building its index on first use) and score its items, with the
    naive hybrid baseline over the same sentences and vectors."""
    from eval.naive import NaiveHybrid

    assistant = assistant_for(name, homes)
    result = evaluate(assistant, items, progress)
    naive = NaiveHybrid(assistant.searcher.sentences, assistant.searcher.vectors, assistant.index.embedder)
    source = assistant.source()
    baseline_rows = []
    for item in items:
        question = " ".join((item.get("history") or [])[-1:] + [item["question"]])
        baseline_rows.append(score_item(item, naive.ask(question), source))
        if progress:
            progress()
    return {"rows": result["rows"], "failures": result["failures"], "baseline_rows": baseline_rows,
            "retrieval": result["retrieval"], "turns": turn_rows(assistant, items)}


def turn_rows(assistant, items: list[dict]) -> list[dict]:
    """For labelled follow-up pairs (``"label"``: standalone / merge / swap): how the assistant read each."""
    rows = []
    for item in items:
        if item.get("label") and item.get("history"):
            read = assistant.read_turn(item["question"], item["history"])
            rows.append({"id": item.get("id"), "label": item["label"], "read": read["turn"],
                         "standalone_question": read["standalone_question"], "resolved": item.get("resolved", "")})
    return rows


def turn_figures(rows: list[dict]) -> dict | None:
    """Label accuracy over all pairs and per gold label."""
    if not rows:
        return None
    out = {"pairs": len(rows), "accuracy": round(sum(r["read"] == r["label"] for r in rows) / len(rows), 4)}
    for label in sorted({r["label"] for r in rows}):
        mine = [r for r in rows if r["label"] == label]
        out[label] = {"n": len(mine), "accuracy": round(sum(r["read"] == label for r in mine) / len(mine), 4)}
    return out


def run_reports(sets: list[Path] | None = None, homes: Path = HOMES,
                out: Path = ROOT / "eval" / "out" / "reports", progress=None) -> dict:
    """Score every set (default: the development sets of ``eval/reports``) and write report.md and
    results.json into ``out``. Returns the figures."""
    sets = list(sets or DEV_SETS)
    by_doc: dict[str, list[dict]] = {}
    status = {}
    for path in sets:
        for item in load_gold(path):
            by_doc.setdefault(item.get("doc") or "", []).append(item)
        status[path.name] = set_status(path)[0]
    if progress:
        progress(0, total=2 * sum(len(v) for v in by_doc.values()))
    rows, base, failures, per_doc, turns = [], [], [], {}, []
    for name, items in by_doc.items():
        got = evaluate_document(name, items, homes, progress)
        turns += got["turns"]
        rows += got["rows"]
        base += got["baseline_rows"]
        failures += [f | {"doc": name} for f in got["failures"]]
        per_doc[name] = {"assistant": aggregate(got["rows"]), "baseline": aggregate(got["baseline_rows"]),
                         "retrieval": got["retrieval"]}
    result = {"sets": status, "overall": aggregate(rows), "baseline": aggregate(base),
              "categories": by_category(rows), "baseline_categories": by_category(base),
              "documents": per_doc, "failures": failures, "turns": turn_figures(turns),
              "turn_rows": turns}
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.md").write_text(render(result), encoding="utf-8")
    return result


def _f(v) -> str:
    return "—" if v is None else f"{v:.3f}"


def render(result: dict) -> str:
    sets = ", ".join(f"{k} ({v})" for k, v in result["sets"].items())
    lines = ["# Accuracy across documents", "", f"Sets: {sets}.", "",
             "| | n | accuracy | refusal recall | refusal precision | naive hybrid |", "|---|---|---|---|---|---|"]
    o, b = result["overall"], result["baseline"]
    lines.append(f"| all | {o['n']} | {_f(o['accuracy'])} | {_f(o['refusal_recall'])} | "
                 f"{_f(o['refusal_precision'])} | {_f(b['accuracy'])} |")
    for cat, m in result["categories"].items():
        bm = result["baseline_categories"].get(cat, {})
        lines.append(f"| {cat} | {m['n']} | {_f(m['accuracy'])} | {_f(m['refusal_recall'])} | "
                     f"{_f(m['refusal_precision'])} | {_f(bm.get('accuracy'))} |")
    lines += ["", "| document | n | accuracy | naive hybrid | hit@5 |", "|---|---|---|---|---|"]
    for name, d in result["documents"].items():
        lines.append(f"| {name} | {d['assistant']['n']} | {_f(d['assistant']['accuracy'])} | "
                     f"{_f(d['baseline']['accuracy'])} | {_f(d['retrieval'].get('hit@5'))} |")
    turns = result.get("turns")
    if turns:
        lines += ["", f"Follow-up reading (standalone / merge / swap): {turns['pairs']} pairs, label accuracy "
                  f"{_f(turns['accuracy'])} (" + ", ".join(f"{k} {_f(v['accuracy'])} of {v['n']}" for k, v in turns.items()
                                                         if isinstance(v, dict)) + ")."]
    lines += ["", f"## Failures ({len(result['failures'])})", ""]
    for f in result["failures"]:
        got = " ".join(f["got"].split())[:160]
        lines.append(f"- `{f['id']}` ({f['category']}) {f['question']} — expected {f['must_include'] or 'a refusal'}; "
                     f"got: {got}")
    return "\n".join(lines) + "\n"
