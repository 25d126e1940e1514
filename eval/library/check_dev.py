"""Validate eval/library/dev.jsonl (development set; adapted from check_blind.py) against the corpus (run from the repo root or anywhere).

Checks: every line parses and has all keys; ids unique; category counts; cited files exist;
every must_include / gold_quote / item is a verbatim substring of a cited document (for
which_document, the place name must appear in the answering file's name — for the speech,
whose file name is in pinyin, in its text); the key phrase of each which_document question
occurs in exactly one of the 29 files; unanswerable rows cite nothing.
"""
import collections, glob, json, os, re, sys

CORPUS = os.environ.get("CORPUS", "/work/shared/corpus")
SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dev.jsonl")
KEYS = ["id", "category", "docs", "question", "history", "answer", "must_include", "gold_quotes", "items"]
EXPECTED = {"named_document": 30, "which_document": 24, "compare": 20, "responsibility": 8,
            "target": 4, "fact": 6, "list": 4, "unanswerable": 16, "english": 8}
SPEECH = "ankang-2021-04-16-eco-speech.txt"
# key phrase of each "which document" question, including English rows of kind which_document
# (must occur in exactly one file; none reuses a key phrase of check_blind.py)
WHICH_KEY = {
    "libdev-031": "大零号湾", "libdev-032": "蒙科聚", "libdev-033": "无籍房", "libdev-034": "拉索",
    "libdev-035": "沙漠钻石酒店", "libdev-036": "星火大模型", "libdev-037": "黄河口国家公园",
    "libdev-038": "三个一号旅游公路", "libdev-039": "黄茅海", "libdev-040": "平陆运河",
    "libdev-041": "天山胜利隧道", "libdev-042": "引力子", "libdev-043": "二冬汤颗粒",
    "libdev-044": "燕赵钢铁实验室", "libdev-045": "殷墟博物馆", "libdev-046": "天涯海角",
    "libdev-047": "腾龙洞", "libdev-048": "江海号", "libdev-049": "铀矿", "libdev-050": "富矿精开",
    "libdev-051": "五女山", "libdev-052": "龙民黑猪", "libdev-053": "京彩灯会", "libdev-054": "汞矿",
    "libdev-115": "生命鸟巢", "libdev-116": "背篓专线",
}

def _blind_which_keys():
    """Key phrases of the blind set's which_document rows (read from check_blind.py, not from blind.jsonl)."""
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_blind.py"), encoding="utf-8").read()
    block = src[src.index("WHICH_KEY = {"):]
    block = block[:block.index("}")]
    return re.findall(r'"lib-\d+":\s*"([^"]+)"', block)

def main():
    files = {os.path.basename(p): open(p, encoding="utf-8").read()
             for p in glob.glob(os.path.join(CORPUS, "reports", "*.txt"))}
    files[SPEECH] = open(os.path.join(CORPUS, SPEECH), encoding="utf-8").read()
    errors, rows, ids = [], [], set()
    for n, line in enumerate(open(SET, encoding="utf-8"), 1):
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
            key = WHICH_KEY.get(rid)
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
    # dev-only checks: the key phrase is asked about, and no key phrase of the blind set is reused
    blind_keys = set(_blind_which_keys())
    for rid, key in WHICH_KEY.items():
        if key in blind_keys: errors.append(f"{rid}: key {key!r} is a key phrase of check_blind.py")
    for r in rows:
        rid = r.get("id")
        if rid in WHICH_KEY and WHICH_KEY[rid] not in r.get("question", ""):
            errors.append(f"{rid}: key {WHICH_KEY[rid]!r} not in the question")
        for bk in blind_keys:
            if bk in r.get("question", ""): errors.append(f"{rid}: question reuses blind key phrase {bk!r}")
    counts = collections.Counter(r.get("category") for r in rows)
    if dict(counts) != EXPECTED: errors.append(f"category counts {dict(counts)} != {EXPECTED}")
    eng = sum(1 for r in rows if not re.search(r"[\u4e00-\u9fff]", re.sub(r"[（(][^）)]*[)）]|\(.*?\)|'[^']*'|“[^”]*”", "", r.get("question", ""))[:12]))
    print(f"{len(rows)} rows; categories {dict(counts)}; English questions {eng} ({eng/len(rows):.0%})")
    for e in errors: print("FAIL", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main())
