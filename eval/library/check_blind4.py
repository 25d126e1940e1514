#!/usr/bin/env python3
"""Validate eval/library/blind4.jsonl (blind question set on the Ankang eco speech).

Standard library only. Prints one "PROBLEM ..." line per problem and "N problems" last;
exits 1 if N > 0.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "blind4.jsonl")
CORPUS = os.environ.get("CORPUS_DIR", "/work/shared/corpus")
SPEECH_NAME = "ankang-2021-04-16-eco-speech.txt"
SPEECH = os.path.join(CORPUS, SPEECH_NAME)
REPORTS = os.path.join(CORPUS, "reports")

N_ROWS = 50
COUNTS = {"responsibility": 16, "target": 8, "fact": 10, "list": 8, "unanswerable": 8}
KEYS = {"id", "category", "docs", "question", "history", "answer",
        "must_include", "gold_quotes", "items"}
OPTIONAL = {"lang"}
MIN_EN = 8
MAX_NAMING = 10
NAMING_TERMS = ["讲话", "安康", "寇全安", "生态环境保护工作会议", "speech", "ankang"]
UNANSWERABLE_ANSWER = "文件中没有提到"

# Unanswerable rows: id -> key subject terms that must occur in none of the 28 reports.
PROBES = {
    "lib4-005": ["白石河"],
    "lib4-009": ["瀛湖"],
    "lib4-014": ["商洛"],
    "lib4-021": ["硫铁办", "硫铁矿"],
    "lib4-029": ["月河"],
    "lib4-035": ["6个100%", "6 个 100%", "住建局"],
    "lib4-043": ["路检路查"],
    "lib4-045": ["微站"],
}
# Unanswerable rows: id -> strings the missing answer would need; none may occur in the speech.
SPEECH_ABSENT = {
    "lib4-005": ["投资", "万元", "亿元", "资金总额"],
    "lib4-009": ["补偿", "每口", "元/口"],
    "lib4-014": ["商洛市去年", "商洛市PM", "商洛市 PM"],
    "lib4-021": ["主任", "硫铁办负责人"],
    "lib4-029": ["预算", "万元", "亿元"],
    "lib4-035": ["100%围挡", "100% 围挡", "100%覆盖", "100% 覆盖", "100%冲洗", "100% 冲洗"],
    "lib4-043": ["罚款", "元罚"],
    "lib4-045": ["个微站", "个大气监测微站", "微站数量"],
}

problems = []


def problem(msg):
    problems.append(msg)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def has_cjk(s):
    return re.search(r"[\u4e00-\u9fff]", s) is not None


def main():
    try:
        speech = read(SPEECH)
    except OSError as e:
        problem("cannot read speech %s: %s" % (SPEECH, e))
        speech = ""
    reports = {}
    try:
        for name in sorted(os.listdir(REPORTS)):
            if name.endswith(".txt"):
                reports[name] = read(os.path.join(REPORTS, name))
    except OSError as e:
        problem("cannot read reports dir %s: %s" % (REPORTS, e))
    if len(reports) != 28:
        problem("expected 28 reports in %s, found %d" % (REPORTS, len(reports)))

    rows = []
    try:
        lines = read(DATA).split("\n")
    except OSError as e:
        problem("cannot read %s: %s" % (DATA, e))
        lines = []
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            problem("line %d: blank line" % n)
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            problem("line %d: invalid JSON: %s" % (n, e))
            continue
        if not isinstance(obj, dict):
            problem("line %d: not a JSON object" % n)
            continue
        if line != json.dumps(obj, ensure_ascii=False):
            if "\\u" in line:
                problem("line %d: not written with ensure_ascii=False" % n)
        rows.append(obj)

    if len(rows) != N_ROWS:
        problem("expected %d rows, found %d" % (N_ROWS, len(rows)))

    counts = {}
    n_en = 0
    n_naming = 0
    seen_q = {}
    seen_unans = set()
    for i, r in enumerate(rows, 1):
        rid = r.get("id")
        tag = rid if isinstance(rid, str) else "row %d" % i
        want_id = "lib4-%03d" % i
        if rid != want_id:
            problem("%s: id should be %s" % (tag, want_id))
        keys = set(r)
        missing = KEYS - keys
        extra = keys - KEYS - OPTIONAL
        if missing:
            problem("%s: missing keys %s" % (tag, sorted(missing)))
        if extra:
            problem("%s: unexpected keys %s" % (tag, sorted(extra)))
        cat = r.get("category")
        if cat not in COUNTS:
            problem("%s: bad category %r" % (tag, cat))
        counts[cat] = counts.get(cat, 0) + 1

        q = r.get("question")
        a = r.get("answer")
        if not isinstance(q, str) or not q.strip():
            problem("%s: empty question" % tag)
            q = ""
        if not isinstance(a, str) or not a.strip():
            problem("%s: empty answer" % tag)
            a = ""
        if q in seen_q:
            problem("%s: duplicate question of %s" % (tag, seen_q[q]))
        seen_q[q] = tag
        if r.get("history") != []:
            problem("%s: history must be []" % tag)
        for k in ("docs", "must_include", "gold_quotes", "items"):
            v = r.get(k)
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                problem("%s: %s must be a list of strings" % (tag, k))
                r[k] = []

        if "lang" in r:
            if r["lang"] != "en":
                problem("%s: lang must be \"en\" when present" % tag)
            else:
                n_en += 1
                if has_cjk(q) and len(re.findall(r"[A-Za-z]", q)) < 15:
                    problem("%s: English row question is not mainly English" % tag)
        elif not has_cjk(q):
            problem("%s: question has no Chinese but lang is not en" % tag)

        ql = q.lower()
        if any(t.lower() in ql for t in NAMING_TERMS):
            n_naming += 1

        mi, gq, items = r["must_include"], r["gold_quotes"], r["items"]
        if cat == "unanswerable":
            seen_unans.add(rid)
            if r["docs"] != []:
                problem("%s: unanswerable docs must be []" % tag)
            if mi or gq or items:
                problem("%s: unanswerable must_include/gold_quotes/items must be []" % tag)
            if a != UNANSWERABLE_ANSWER:
                problem("%s: unanswerable answer must be %r" % (tag, UNANSWERABLE_ANSWER))
            terms = PROBES.get(rid)
            if not terms:
                problem("%s: no PROBES entry" % tag)
            else:
                if not any(t in q for t in terms):
                    problem("%s: no PROBES term occurs in the question" % tag)
                for t in terms:
                    for name, text in reports.items():
                        if t in text:
                            problem("%s: probe term %r occurs in report %s" % (tag, t, name))
            for t in SPEECH_ABSENT.get(rid, []):
                if t in speech:
                    problem("%s: would-be answer string %r occurs in the speech" % (tag, t))
            continue

        # answerable rows
        if r["docs"] != [SPEECH_NAME]:
            problem("%s: docs must be [%r]" % (tag, SPEECH_NAME))
        if not mi:
            problem("%s: must_include is empty" % tag)
        for s in mi:
            if not 2 <= len(s) <= 15:
                problem("%s: must_include %r length %d not in 2..15" % (tag, s, len(s)))
            if s not in speech:
                problem("%s: must_include %r not verbatim in speech" % (tag, s))
            if s not in a:
                problem("%s: must_include %r not in reference answer" % (tag, s))
        if not gq:
            problem("%s: gold_quotes is empty" % tag)
        for s in gq:
            if len(s) < 10:
                problem("%s: gold_quote %r shorter than 10 chars" % (tag, s))
            if s not in speech:
                problem("%s: gold_quote %r not verbatim in speech" % (tag, s))
        for s in items:
            if s not in speech:
                problem("%s: item %r not verbatim in speech" % (tag, s))
        if cat == "responsibility":
            if not 2 <= len(mi) <= 3:
                problem("%s: responsibility needs 2-3 must_include, has %d" % (tag, len(mi)))
            if not items:
                problem("%s: responsibility needs items" % tag)
        elif cat == "list":
            if len(mi) != 2:
                problem("%s: list needs exactly 2 must_include, has %d" % (tag, len(mi)))
            if len(items) < 2:
                problem("%s: list needs at least 2 items" % tag)
        elif cat in ("target", "fact"):
            if items:
                problem("%s: %s rows must have items []" % (tag, cat))

    for cat, want in COUNTS.items():
        if counts.get(cat, 0) != want:
            problem("category %s: expected %d rows, found %d" % (cat, want, counts.get(cat, 0)))
    if n_en < MIN_EN:
        problem("only %d English rows, need at least %d" % (n_en, MIN_EN))
    if n_naming > MAX_NAMING:
        problem("%d questions name the speech, at most %d allowed" % (n_naming, MAX_NAMING))
    for pid in PROBES:
        if pid not in seen_unans:
            problem("PROBES entry %s is not an unanswerable row" % pid)

    for p in problems:
        print("PROBLEM " + p)
    print("%d problems" % len(problems))
    print("(info: %d rows, %d English, %d name the speech, categories %s)" % (
        len(rows), n_en, n_naming, dict(sorted((str(k), v) for k, v in counts.items()))),
        file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
