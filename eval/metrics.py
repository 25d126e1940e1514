"""Per-item scores and their aggregation; no LLM judge, only string and span checks."""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


# Categories whose questions the document cannot answer: the right answer is a refusal.
REFUSAL_CATEGORIES = ("unanswerable", "injection")


def plain(text: str) -> str:
    """Answer text without markdown emphasis, citation markers, whitespace and width differences
    (％ and %, ５ and 5 count alike), for containment checks."""
    text = unicodedata.normalize("NFKC", re.sub(r"\[\d+\]", "", text).replace("**", ""))
    return re.sub(r"\s+", "", text)


def char_f1(pred: str, gold: str) -> float:
    """Character-level F1 (works for Chinese, where word tokenizers score nothing)."""
    p, g = Counter(_NOISE.sub("", plain(pred))), Counter(_NOISE.sub("", plain(gold)))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def gold_spans(quotes: list[str], source: str) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        i = source.find(q)
        if i >= 0:
            spans.append((i, i + len(q)))
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_item(item: dict, got: dict, source: str) -> dict:
    """Scores of one answer against one gold item."""
    # An item of any category whose reference answer is a refusal ("讲话中没有…") expects a refusal.
    answerable_gold = item["category"] not in REFUSAL_CATEGORIES and not (
        not item.get("must_include") and item["answer"].startswith("讲话中没有"))
    answer = plain(got.get("answer", ""))
    cits = got.get("citations", [])
    must = item.get("must_include", [])
    keys_ok = all(plain(m) in answer for m in must)
    items = item.get("items", [])
    item_recall = sum(plain(x) in answer for x in items) / len(items) if items else None
    valid = all(0 <= c["start"] < c["end"] <= len(source) and source[c["start"]:c["end"]] == c["quote"] for c in cits)
    spans = gold_spans(item.get("gold_quotes", []), source)
    cit_spans = [(c["start"], c["end"]) for c in cits]
    precision = (sum(any(_overlaps(c, g) for g in spans) for c in cit_spans) / len(cit_spans)
                 if cit_spans and spans else None)
    recall = sum(any(_overlaps(g, c) for c in cit_spans) for g in spans) / len(spans) if spans else None
    answerable_ok = bool(got.get("answerable")) == answerable_gold
    correct = answerable_ok and (keys_ok if answerable_gold else True)
    focused = correct and (not answerable_gold or len(answer) <= max(4 * len(plain(item["answer"])), 400))
    return {
        "id": item["id"], "category": item["category"], "correct": correct, "answerable_ok": answerable_ok,
        "keys_ok": keys_ok, "item_recall": item_recall, "citations_valid": valid, "citation_precision": precision,
        "quote_recall": recall, "focused": focused, "char_f1": char_f1(got.get("answer", ""), item["answer"]),
        "pred_answerable": bool(got.get("answerable")), "gold_answerable": answerable_gold,
        "latency_ms": got.get("timings_ms", {}).get("total"),
    }


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: list[float], q: float) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 2)


def aggregate(rows: list[dict]) -> dict:
    """Overall figures: accuracy, refusal precision/recall, key facts, items, citations, latency."""
    refused = [r for r in rows if not r["pred_answerable"]]
    unans = [r for r in rows if not r["gold_answerable"]]
    ans = [r for r in rows if r["gold_answerable"]]
    return {
        "n": len(rows),
        # How many questions each partial metric rests on (a score over one question says little).
        "n_refusal_precision": len(refused), "n_refusal_recall": len(unans),
        "n_item_recall": sum(r["item_recall"] is not None for r in rows),
        "n_citation_precision": sum(r["citation_precision"] is not None for r in rows),
        "n_quote_recall": sum(r["quote_recall"] is not None for r in rows),
        "accuracy": _mean(r["correct"] for r in rows),
        "answerable_accuracy": _mean(r["answerable_ok"] for r in rows),
        "refusal_precision": _mean(not r["gold_answerable"] for r in refused) if refused else None,
        "refusal_recall": _mean(not r["pred_answerable"] for r in unans) if unans else None,
        "key_fact_accuracy": _mean(r["keys_ok"] and r["pred_answerable"] for r in ans),
        "item_recall": _mean(r["item_recall"] for r in rows),
        "citation_validity": _mean(r["citations_valid"] for r in rows),
        "citation_precision": _mean(r["citation_precision"] for r in rows),
        "quote_recall": _mean(r["quote_recall"] for r in rows),
        "focused_rate": _mean(r["focused"] for r in rows),
        "char_f1": _mean(r["char_f1"] for r in rows),
        "latency_p50_ms": percentile([r["latency_ms"] for r in rows], 50),
        "latency_p95_ms": percentile([r["latency_ms"] for r in rows], 95),
    }


def by_category(rows: list[dict]) -> dict[str, dict]:
    cats: dict[str, list[dict]] = {}
    for r in rows:
        cats.setdefault(r["category"], []).append(r)
    return {c: aggregate(rs) for c, rs in sorted(cats.items())}


def retrieval_scores(rankings: list[list[tuple[int, int]]], golds: list[list[tuple[int, int]]], k: int = 5) -> dict:
    """hit@k and MRR of passage rankings against gold quote spans."""
    hits, rr = [], []
    for ranking, spans in zip(rankings, golds):
        if not spans:
            continue
        first = next((i for i, p in enumerate(ranking) if any(_overlaps(p, g) for g in spans)), None)
        hits.append(first is not None and first < k)
        rr.append(1.0 / (first + 1) if first is not None else 0.0)
    return {f"hit@{k}": _mean(hits), "mrr": _mean(rr)}
