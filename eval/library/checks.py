"""The checks both library question sets must pass against the corpus (``check_blind.py``, ``check_dev.py``).

Every line parses and has all keys; ids unique; category counts; cited files exist; every must_include /
gold_quote / item is a verbatim substring of a cited document (for which_document, the place name must
appear in the answering file's name — for the speech, whose file name is in pinyin, in its text); the key
phrase of each which_document question occurs in exactly one of the 29 files; unanswerable rows cite nothing.
"""
import collections, glob, json, os, re

CORPUS = os.environ.get("CORPUS", "/work/shared/corpus")
KEYS = ["id", "category", "docs", "question", "history", "answer", "must_include", "gold_quotes", "items"]
SPEECH = "ankang-2021-04-16-eco-speech.txt"


def corpus_files() -> dict[str, str]:
    files = {os.path.basename(p): open(p, encoding="utf-8").read()
             for p in glob.glob(os.path.join(CORPUS, "reports", "*.txt"))}
    files[SPEECH] = open(os.path.join(CORPUS, SPEECH), encoding="utf-8").read()
    return files


def check(path: str, expected: dict, which_key: dict) -> tuple[list[dict], list[str]]:
    """The rows of the set at ``path`` and every problem found in them."""
    files = corpus_files()
    errors, rows, ids = [], [], set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        try:
            r = json.loads(line)
        except Exception as e:
            errors.append(f"line {n}: does not parse: {e}"); continue
        rows.append(r)
        rid = r.get("id", f"line {n}")
        miss = [k for k in KEYS if k not in r]
        if miss: errors.append(f"{rid}: missing keys {miss}"); continue
        if rid in ids: errors.append(f"{rid}: duplicate id")
        ids.add(rid)
        if r["category"] == "english" and r.get("kind") not in (
                "named_document", "which_document", "compare", "unanswerable",
                "responsibility", "target", "fact", "list"):
            errors.append(f"{rid}: english row without a valid kind")
        kind = r.get("kind", r["category"])
        for d in r["docs"]:
            if d not in files: errors.append(f"{rid}: unknown doc {d}")
        texts = [files[d] for d in r["docs"] if d in files]
        if kind == "unanswerable":
            if r["docs"] or r["must_include"] or r["gold_quotes"] or r["answer"] != "文件中没有提到":
                errors.append(f"{rid}: unanswerable row must cite nothing and answer 文件中没有提到")
            continue
        if not r["docs"]: errors.append(f"{rid}: no docs")
        for s in r["must_include"]:
            if kind == "which_document":
                d = r["docs"][0]
                where = files[d] if d == SPEECH else d
                if s in where or any(s in t for t in texts):
                    continue
            if not any(s in t for t in texts): errors.append(f"{rid}: must_include not in cited doc: {s!r}")
        if kind == "which_document":
            d = r["docs"][0]
            place = r["must_include"][0]
            if d != SPEECH and place not in d: errors.append(f"{rid}: place {place!r} not in file name {d}")
            if d == SPEECH and place not in files[d]: errors.append(f"{rid}: place {place!r} not in speech")
            key = which_key.get(rid)
            if not key: errors.append(f"{rid}: no key phrase registered")
            else:
                hits = [f for f, t in files.items() if key in t]
                if hits != [d]: errors.append(f"{rid}: key {key!r} occurs in {hits}, expected only {d}")
        for q in r["gold_quotes"]:
            if not any(q in t for t in texts): errors.append(f"{rid}: gold_quote not in cited doc: {q!r}")
        for it in r["items"]:
            if not any(it in t for t in texts): errors.append(f"{rid}: item not in cited doc: {it!r}")
        if kind == "compare":
            for d in r["docs"]:
                if not any(s in files[d] for s in r["must_include"]):
                    errors.append(f"{rid}: no must_include from {d}")
                if not any(q in files[d] for q in r["gold_quotes"]):
                    errors.append(f"{rid}: no gold_quote from {d}")
    counts = collections.Counter(r.get("category") for r in rows)
    if dict(counts) != expected: errors.append(f"category counts {dict(counts)} != {expected}")
    return rows, errors


def report(rows: list[dict], errors: list[str]) -> int:
    """Print the summary and every problem; the exit status (1 when there is a problem)."""
    counts = collections.Counter(r.get("category") for r in rows)
    eng = sum(1 for r in rows if not re.search(r"[\u4e00-\u9fff]", re.sub(r"[（(][^）)]*[)）]|\(.*?\)|'[^']*'|“[^”]*”", "", r.get("question", ""))[:12]))
    print(f"{len(rows)} rows; categories {dict(counts)}; English questions {eng} ({eng/len(rows):.0%})")
    for e in errors: print("FAIL", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0
