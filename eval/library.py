"""Accuracy over a library: every document of the corpus folders indexed together in one data dir, and
questions that name a document, ask which document says something, compare documents, ask the speech's
own questions without naming it, or cannot be answered by any document (``eval/library/*.jsonl``).

An item's ``docs`` are the file names that answer it; a citation is valid when it quotes its own
document exactly. The naive hybrid baseline ranks the same sentences of the whole library.
"""
from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import aggregate, by_category, char_f1, plain, REFUSAL_CATEGORIES
from eval.run import load_gold, set_status

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEV_SET = ROOT / "eval" / "library" / "dev.jsonl"
HOME = ROOT / "eval" / "out" / "library-home"


def library_files(corpus: Path = CORPUS) -> list[Path]:
    """The library of issue 20: the speech and the work reports of the shared corpus."""
    return sorted(corpus.glob("*.txt")) + sorted((corpus / "reports").glob("*.txt"))


def open_library(home: Path = HOME, files: list[Path] | None = None, progress=None):
    from assistant.config import Settings
    from assistant.core import Assistant

    files = files or library_files()
    return Assistant.open(Settings.from_env(home=home, corpus=tuple(str(f) for f in files), llm=None), progress=progress)


def score(item: dict, got: dict, sources: dict[str, str], names: dict[str, str]) -> dict:
    """One library answer against one item: refusal right, every must_include in the answer, citations
    exact in their own documents, and (for answerable items) one citation from an answering document."""
    gold_answerable = item["category"] not in REFUSAL_CATEGORIES and item.get("kind") != "unanswerable" \
        and bool(item.get("docs"))
    answer = plain(got.get("answer", ""))
    keys_ok = all(plain(m) in answer for m in item.get("must_include", []))
    cits = got.get("citations", [])
    valid = all(sources.get(c.get("doc"), "")[c["start"]:c["end"]] == c["quote"] for c in cits)
    wanted = {names.get(d, d) for d in item.get("docs", [])}
    from_doc = any(c.get("doc") in wanted for c in cits) if wanted else None
    answerable_ok = bool(got.get("answerable")) == gold_answerable
    correct = answerable_ok and (keys_ok if gold_answerable else True) and valid
    return {"id": item["id"], "category": item["category"], "correct": correct, "answerable_ok": answerable_ok,
            "keys_ok": keys_ok, "item_recall": None, "citations_valid": valid, "citation_precision": None,
            "quote_recall": None, "focused": correct, "char_f1": char_f1(got.get("answer", ""), item["answer"]),
            "pred_answerable": bool(got.get("answerable")), "gold_answerable": gold_answerable,
            "latency_ms": got.get("timings_ms", {}).get("total"), "cites_answering_document": from_doc}


def run_library(sets: list[Path] | None = None, home: Path = HOME, out: Path = ROOT / "eval" / "out" / "library",
                progress=None, assistant=None) -> dict:
    """Score each set over the whole library (built on first use) with the naive hybrid beside it; write
    report.md and results.json into ``out``."""
    from eval.naive import NaiveHybrid

    sets = list(sets or [DEV_SET])
    items = [i for s in sets for i in load_gold(s)]
    assistant = assistant or open_library(home)
    documents = assistant.index.corpus.documents
    sources = {d.id: d.text for d in documents}
    names = {Path(d.path).name: d.id for d in documents}
    naive = NaiveHybrid(assistant.searcher.sentences, assistant.searcher.vectors, assistant.index.embedder)
    if progress:
        progress(0, total=len(items))
    rows, base, failures = [], [], []
    for item in items:
        got = assistant.ask(item["question"], item.get("history") or []).to_dict()
        row = score(item, got, sources, names)
        rows.append(row)
        if not row["correct"]:
            failures.append({"id": item["id"], "category": item["category"], "question": item["question"],
                             "expected": item["answer"], "must_include": item.get("must_include", []),
                             "got": got["answer"], "answerable": got["answerable"],
                             "cited": sorted({c.get("doc", "") for c in got["citations"]})})
        base.append(score(item, _naive_answer(naive, item, assistant.index.corpus), sources, names))
        if progress:
            progress()
    result = {"sets": {s.name: set_status(s)[0] for s in sets}, "documents": len(documents),
              "overall": aggregate(rows), "baseline": aggregate(base), "categories": by_category(rows),
              "baseline_categories": by_category(base), "failures": failures,
              "cites_answering_document": _share(r["cites_answering_document"] for r in rows)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.md").write_text(render(result), encoding="utf-8")
    return result


def _naive_answer(naive, item: dict, corpus) -> dict:
    """The naive hybrid's answer, its citations turned into document-local offsets."""
    question = " ".join((item.get("history") or [])[-1:] + [item["question"]])
    got = naive.ask(question)
    cits = []
    for c in got.get("citations", []):
        doc = corpus.locate(c["start"])
        cits.append(c | {"doc": doc.id, "start": c["start"] - doc.start, "end": c["end"] - doc.start})
    return got | {"citations": cits}


def _share(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def _f(v) -> str:
    return "—" if v is None else f"{v:.3f}"


def render(result: dict) -> str:
    sets = ", ".join(f"{k} ({v})" for k, v in result["sets"].items())
    lines = [f"# Accuracy over a library of {result['documents']} documents", "", f"Sets: {sets}.", "",
             "| | n | accuracy | refusal recall | refusal precision | naive hybrid |", "|---|---|---|---|---|---|"]
    o, b = result["overall"], result["baseline"]
    lines.append(f"| all | {o['n']} | {_f(o['accuracy'])} | {_f(o['refusal_recall'])} | "
                 f"{_f(o['refusal_precision'])} | {_f(b['accuracy'])} |")
    for cat, m in result["categories"].items():
        base = result["baseline_categories"].get(cat, {})
        lines.append(f"| {cat} | {m['n']} | {_f(m['accuracy'])} | {_f(m['refusal_recall'])} | "
                     f"{_f(m['refusal_precision'])} | {_f(base.get('accuracy'))} |")
    lines += ["", f"Answers citing an answering document: {_f(result['cites_answering_document'])}; "
              f"latency p50 {o['latency_p50_ms']} ms, p95 {o['latency_p95_ms']} ms.", "", "## Failures", ""]
    for f in result["failures"]:
        lines.append(f"- **{f['id']}** ({f['category']}) {f['question']} — expected {f['must_include']}; got: "
                     + " ".join(f["got"].split())[:160])
    return "\n".join(lines) + "\n"
