"""Validate eval/library/blind.jsonl against the corpus (run from the repo root or anywhere).

Checks: every line parses and has all keys; ids unique; category counts; cited files exist;
every must_include / gold_quote / item is a verbatim substring of a cited document (for
which_document, the place name must appear in the answering file's name — for the speech,
whose file name is in pinyin, in its text); the key phrase of each which_document question
occurs in exactly one of the 29 files; unanswerable rows cite nothing.
"""
import collections, glob, json, os, re, sys

CORPUS = os.environ.get("CORPUS", "/work/shared/corpus")
SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blind.jsonl")
KEYS = ["id", "category", "docs", "question", "history", "answer", "must_include", "gold_quotes", "items"]
EXPECTED = {"named_document": 40, "which_document": 30, "compare": 25, "responsibility": 10,
            "target": 3, "fact": 8, "list": 4, "unanswerable": 20, "english": 10}
SPEECH = "ankang-2021-04-16-eco-speech.txt"
# key phrase of each "which document" question (must occur in exactly one file)
WHICH_KEY = {
    "lib-041": "胖东来", "lib-042": "村超", "lib-043": "天开高教科创园", "lib-044": "浦江之光",
    "lib-045": "世界级盐湖产业基地", "lib-046": "三地一区", "lib-047": "百千万工程", "lib-048": "晋创谷",
    "lib-049": "花湖机场", "lib-050": "定日县", "lib-051": "360碗", "lib-052": "中国绿氢谷",
    "lib-053": "光伏长城", "lib-054": "117颗卫星", "lib-055": "天府粮仓", "lib-056": "海葵一号",
    "lib-057": "白龙核电", "lib-058": "天山文学奖", "lib-059": "医惠保1号", "lib-060": "5A级零碳景区",
    "lib-061": "净菜进京", "lib-062": "南繁硅谷", "lib-063": "我的韶山行", "lib-064": "培黎工坊",
    "lib-065": "晋江经验", "lib-066": "锦州银行", "lib-067": "马驹桥", "lib-068": "亚冬会",
    "lib-069": "白石河", "lib-070": "长者饭堂", "lib-144": "天都", "lib-145": "探索三号",
}

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
    counts = collections.Counter(r.get("category") for r in rows)
    if dict(counts) != EXPECTED: errors.append(f"category counts {dict(counts)} != {EXPECTED}")
    eng = sum(1 for r in rows if not re.search(r"[\u4e00-\u9fff]", re.sub(r"[（(][^）)]*[)）]|\(.*?\)|'[^']*'|“[^”]*”", "", r.get("question", ""))[:12]))
    print(f"{len(rows)} rows; categories {dict(counts)}; English questions {eng} ({eng/len(rows):.0%})")
    for e in errors: print("FAIL", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main())
