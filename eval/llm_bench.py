"""LLM bench (not CI): the same questions answered extractively and by the LLM reader against a real
server, and the verifier on the planted wrong claims.

It reports accuracy per category for both, the share of LLM answers kept (verified, not fallen back),
sentences dropped and items added by verification, time to first token and to a settled answer
(p50/p95), and how many planted unsupported claims survive (must be 0). A real model on 2 CPU cores
takes seconds per answer, so each set is sampled: ``limit`` questions, spread over its categories,
the same ones on every run.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

from eval.metrics import percentile, score_item
from eval.run import load_gold, set_status

EVAL = Path(__file__).parent
PLANTED = [EVAL / "planted_claims.jsonl", EVAL / "planted_claims_blind.jsonl"]


def sample(items: list[dict], limit: int) -> list[dict]:
    """Up to ``limit`` items, round-robin over categories in file order (deterministic)."""
    by_cat: dict[str, list[dict]] = {}
    for it in items:
        by_cat.setdefault(it["category"], []).append(it)
    out: list[dict] = []
    while len(out) < limit and any(by_cat.values()):
        for cat in list(by_cat):
            if by_cat[cat] and len(out) < limit:
                out.append(by_cat[cat].pop(0))
    return out


def _timed(assistant, item: dict) -> tuple[object, float | None, float]:
    t0 = time.perf_counter()
    first = None
    answer = None
    for event in assistant.stream(item["question"], item.get("history") or []):
        if isinstance(event, str):
            first = first if first is not None else time.perf_counter() - t0
        else:
            answer = event
    return answer, first, time.perf_counter() - t0


def bench_set(extractive, llm, path: Path, limit: int, progress=None, examples: list | None = None) -> dict:
    items = sample(load_gold(path), limit)
    source = extractive.source()
    rows_x, rows_l, firsts, settles, kept, dropped, added, reasons, drops = [], [], [], [], 0, 0, 0, {}, {}
    for item in items:
        ex = extractive.ask(item["question"], item.get("history") or []).to_dict()
        ans, first, settle = _timed(llm, item)
        got = ans.to_dict()
        rows_x.append(score_item(item, ex, source))
        rows_l.append(score_item(item, got, source))
        info = ans.llm or {}
        if info.get("used"):
            kept += 1
            if examples is not None and (info.get("dropped") or info.get("added")):
                examples.append({"question": item["question"], "reply": info.get("reply", ""),
                                 "settled": ans.answer, "dropped": info.get("dropped_claims", []),
                                 "added": info.get("added", 0)})
        elif info.get("reason"):
            key = info["reason"].split("：")[0]
            reasons[key] = reasons.get(key, 0) + 1
        for d in info.get("dropped_claims", []):
            why = re.sub(r"“[^”]*”", "“…”", d["why"])
            drops[why] = drops.get(why, 0) + 1
        dropped += info.get("dropped", 0)
        added += info.get("added", 0)
        if first is not None:
            firsts.append(first * 1000)
        settles.append(settle * 1000)
        if progress:
            progress()
    called = sum(1 for r in rows_l)  # every question went to the reader unless the engine refused it
    cats = sorted({r["category"] for r in rows_x})

    def acc(rows, cat=None):
        sel = [r for r in rows if cat is None or r["category"] == cat]
        return round(sum(r["correct"] for r in sel) / len(sel), 3) if sel else None

    return {"set": path.name, "status": set_status(path)[0], "n": len(items),
            "accuracy": {"extractive": acc(rows_x), "llm": acc(rows_l)},
            "by_category": {c: {"n": sum(r["category"] == c for r in rows_x), "extractive": acc(rows_x, c),
                                "llm": acc(rows_l, c)} for c in cats},
            "llm_kept": kept, "llm_kept_share": round(kept / called, 3) if called else None,
            "sentences_dropped": dropped, "items_added": added, "fallback_reasons": reasons,
            "drop_reasons": dict(sorted(drops.items(), key=lambda kv: -kv[1])),
            "first_token_ms": {"p50": percentile(firsts, 50), "p95": percentile(firsts, 95)},
            "settled_ms": {"p50": percentile(settles, 50), "p95": percentile(settles, 95)}}


def planted(checker, source: str) -> dict:
    """The verifier alone on every planted file: wrong claims that survive, and controls that do not."""
    from assistant.llm.verify import Passage, verify
    from index.normalize import normalize

    out = {}
    for path in PLANTED:
        if not path.exists():
            continue
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        survived, lost, unplaced = [], [], 0
        for it in items:
            # Quotes copied from a raw file are read as the reader sees them: in canonical (normalized) form.
            quote = normalize(it["quote"]).strip()
            start = source.find(quote)
            unplaced += start < 0
            span = (start, start + len(quote)) if start >= 0 else (-1, -1)
            passage = Passage(1, quote, span[0], span[1], "")
            kept = bool(verify(it["claim"], [passage], checker).kept)
            if kept and not it["supported"]:
                survived.append(it["id"])
            if not kept and it["supported"]:
                lost.append(it["id"])
        out[path.name] = {"wrong_claims": sum(not i["supported"] for i in items), "survived": survived,
                          "controls": sum(i["supported"] for i in items), "controls_dropped": lost,
                          "quotes_not_in_canonical_text": unplaced}
    return out


def render(result: dict) -> str:
    lines = [f"# LLM bench — {result['model']}", "",
             "| set | status | n | extractive acc | LLM acc | LLM kept | dropped | added | TTFT p50/p95 ms | "
             "settled p50/p95 ms |", "|---|---|---|---|---|---|---|---|---|---|"]
    for s in result["sets"]:
        lines.append(f"| {s['set']} | {s['status']} | {s['n']} | {s['accuracy']['extractive']} | "
                     f"{s['accuracy']['llm']} | {s['llm_kept']} ({s['llm_kept_share']}) | {s['sentences_dropped']} | "
                     f"{s['items_added']} | {s['first_token_ms']['p50']}/{s['first_token_ms']['p95']} | "
                     f"{s['settled_ms']['p50']}/{s['settled_ms']['p95']} |")
    for s in result["sets"]:
        lines += ["", f"## {s['set']} by category", "", "| category | n | extractive | LLM |", "|---|---|---|---|"]
        lines += [f"| {c} | {m['n']} | {m['extractive']} | {m['llm']} |" for c, m in s["by_category"].items()]
        if s["fallback_reasons"]:
            lines += ["", "Fallbacks: " + ", ".join(f"{k} ×{v}" for k, v in s["fallback_reasons"].items())]
        if s.get("drop_reasons"):
            lines += ["", "Why sentences were dropped: " + ", ".join(f"{k} ×{v}" for k, v in s["drop_reasons"].items())]
    lines += ["", "## Planted wrong claims", "", "| file | wrong claims | survived | controls | controls dropped |",
              "|---|---|---|---|---|"]
    for name, p in result["planted"].items():
        lines.append(f"| {name} | {p['wrong_claims']} | {len(p['survived'])} {p['survived'] or ''} | {p['controls']} | "
                     f"{len(p['controls_dropped'])} {p['controls_dropped'] or ''} |")
    lines += ["", "## Real answers before and after verification", ""]
    for ex in result["examples"][:5]:
        lines += [f"### {ex['question']}", "", "Model:", "", "```", ex["reply"].strip(), "```", "", "Settled:", "",
                  "```", ex["settled"], "```", ""]
        lines += [f"- dropped: {d['claim']} — {d['why']}" for d in ex["dropped"]]
        if ex["added"]:
            lines.append(f"- added: {ex['added']} item(s) from the evidence")
        lines.append("")
    return "\n".join(lines)


def run_llm_bench(extractive, llm, sets: list[Path], limit: int = 40, out: Path | None = None, progress=None) -> dict:
    examples: list = []
    result = {"model": llm.settings.llm, "limit": limit,
              "sets": [bench_set(extractive, llm, path, limit, progress, examples) for path in sets],
              "planted": planted(llm.reader_checker(), llm.index.corpus.text), "examples": examples}
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "llm_bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        (out / "llm_bench.md").write_text(render(result), encoding="utf-8")
    return result
