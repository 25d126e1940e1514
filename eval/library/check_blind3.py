#!/usr/bin/env python3
"""Validate eval/library/blind3.jsonl (50 blind questions on the 安康 speech inside the 29-document library).

Standard library only. Loads the set and the 29 corpus files (the speech and the 28 provincial 2025
reports; corpus at /work/shared/corpus unless CORPUS is set) and prints one PROBLEM line per problem:

- a line that is not valid JSON, or not an object;
- ids not exactly lib3-001 ... lib3-050 in order;
- category counts other than responsibility 16, target 8, fact 10, list 8, unanswerable 8;
- missing or unexpected keys; history not []; lang other than "en";
- answerable rows whose docs are not [the speech]; empty must_include or gold_quotes on answerable rows;
- any must_include / gold_quotes / items string that is not a verbatim substring of the speech;
  must_include strings outside 2-15 characters or missing from the row's reference answer;
  gold quotes shorter than 10 characters;
- responsibility rows without items or with other than 2-3 must_include; list rows without items or
  with other than 2 must_include; target/fact rows with items;
- unanswerable rows that cite anything (docs, must_include, gold_quotes, items) or whose answer is not
  "文件中没有提到"; and, for each unanswerable row (probe terms in PROBES), a subject term that
  occurs in any of the 28 reports (then a report might answer it), or a term that would carry the
  missing answer occurring in the speech;
- more than 10 questions naming the speech (讲话, 安康, 寇全安, 生态环境保护工作会议, or in English
  speech / Ankang / Kou Quan'an);
- fewer than 7 English rows (lang "en"), English rows without an English question, Chinese rows without Chinese.

Prints "N problems" last and exits 1 if N > 0.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SET = os.path.join(HERE, "blind3.jsonl")
CORPUS = os.environ.get("CORPUS", "/work/shared/corpus")
SPEECH = "ankang-2021-04-16-eco-speech.txt"
N_ROWS = 50
COUNTS = {"responsibility": 16, "target": 8, "fact": 10, "list": 8, "unanswerable": 8}
KEYS = ["id", "category", "docs", "question", "history", "answer", "must_include", "gold_quotes", "items"]
OPTIONAL = {"lang"}
NA = "文件中没有提到"
NAMING = ["讲话", "安康", "寇全安", "生态环境保护工作会议"]
NAMING_EN = re.compile(r"speech|ankang|kou\s*quan", re.I)
MAX_NAMING = 10
MIN_EN = 7
CJK = re.compile(r"[\u4e00-\u9fff]")

# Unanswerable rows: subject terms that must occur in no report (so no report can answer the question),
# and terms that would carry the missing answer and must not occur in the speech. (Each row was also
# checked by reading the speech; these probes only catch a changed corpus or a renumbered set.)
PROBES = {
    "lib3-043": (["白石河"], ["总投资", "亿元", "万元"]),          # 白石河 investment
    "lib3-044": (["水利局"], ["水利"]),                            # 市水利局 duties
    "lib3-045": (["杨军"], ["杨军局长", "杨军同志任", "杨军副"]),  # 杨军's post
    "lib3-046": (["先进集体", "先进个人"], ["名单", "表扬通报》"]),  # list of commended units
    "lib3-047": (["安康"], ["PM10浓度控制", "PM₁₀ 浓度控制", "PM₁₀浓度控制"]),  # 安康 PM10 target
    "lib3-048": (["月河"], ["年前根本改善", "年根本改善"]),        # year for 月河
    "lib3-049": (["商洛"], ["商洛市优良天数", "商洛市空气质量优良"]),  # 商洛 good days
    "lib3-050": (["安康"], ["2020年优良天数", "2020年空气质量优良天数"]),  # 2020 good days
}


def main():
    problems = []

    def bad(msg):
        problems.append(msg)
        print("PROBLEM", msg)

    # ---- corpus ----
    files = {}
    try:
        files[SPEECH] = open(os.path.join(CORPUS, SPEECH), encoding="utf-8").read()
    except OSError as e:
        bad(f"cannot read speech: {e}")
        print(f"{len(problems)} problems")
        return 1
    rep_dir = os.path.join(CORPUS, "reports")
    reports = {}
    for name in sorted(os.listdir(rep_dir)) if os.path.isdir(rep_dir) else []:
        if name.endswith(".txt"):
            reports[name] = open(os.path.join(rep_dir, name), encoding="utf-8").read()
    if len(reports) != 28:
        bad(f"expected 28 reports in {rep_dir}, found {len(reports)}")
    files.update(reports)
    speech = files[SPEECH]

    # ---- set ----
    rows = []
    try:
        lines = open(SET, encoding="utf-8").read().splitlines()
    except OSError as e:
        bad(f"cannot read set: {e}")
        print(f"{len(problems)} problems")
        return 1
    for n, line in enumerate(lines, 1):
        if not line.strip():
            bad(f"line {n}: empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            bad(f"line {n}: bad JSON: {e}")
            continue
        if not isinstance(r, dict):
            bad(f"line {n}: not a JSON object")
            continue
        rows.append(r)

    if len(rows) != N_ROWS:
        bad(f"{len(rows)} rows, expected {N_ROWS}")
    ids = [r.get("id") for r in rows]
    want = [f"lib3-{i:03d}" for i in range(1, N_ROWS + 1)]
    if ids != want:
        bad(f"ids are not lib3-001 ... lib3-{N_ROWS:03d} in order (duplicates or gaps: "
            f"{sorted(set(want) ^ set(i for i in ids if isinstance(i, str)))})")

    counts = {}
    for r in rows:
        counts[r.get("category")] = counts.get(r.get("category"), 0) + 1
    if counts != COUNTS:
        bad(f"category counts {counts}, expected {COUNTS}")

    naming = 0
    english = 0
    for r in rows:
        rid = r.get("id", "?")
        missing = [k for k in KEYS if k not in r]
        extra = [k for k in r if k not in KEYS and k not in OPTIONAL]
        if missing:
            bad(f"{rid}: missing keys {missing}")
            continue
        if extra:
            bad(f"{rid}: unexpected keys {extra}")
        cat = r["category"]
        for k in ("docs", "history", "must_include", "gold_quotes", "items"):
            if not isinstance(r[k], list) or not all(isinstance(x, str) for x in r[k]):
                bad(f"{rid}: {k} is not a list of strings")
                r[k] = []
        if not isinstance(r["question"], str) or not r["question"].strip():
            bad(f"{rid}: empty question")
            r["question"] = ""
        if not isinstance(r["answer"], str) or not r["answer"].strip():
            bad(f"{rid}: empty answer")
            r["answer"] = ""
        if r["history"]:
            bad(f"{rid}: history is not []")
        q = r["question"]

        lang = r.get("lang")
        if lang is not None and lang != "en":
            bad(f"{rid}: lang {lang!r} (only 'en' is used)")
        if lang == "en":
            english += 1
            if CJK.search(q) or not re.search(r"[A-Za-z]{3}", q):
                bad(f"{rid}: lang en but question is not English")
        elif not CJK.search(q):
            bad(f"{rid}: question without Chinese but no lang en")

        if any(w in q for w in NAMING) or NAMING_EN.search(q):
            naming += 1

        if cat == "unanswerable":
            for k in ("docs", "must_include", "gold_quotes", "items"):
                if r[k]:
                    bad(f"{rid}: unanswerable row cites {k}")
            if r["answer"] != NA:
                bad(f"{rid}: unanswerable answer is not {NA!r}")
            if rid not in PROBES:
                bad(f"{rid}: unanswerable row without probe terms in PROBES")
            else:
                subject, answer_terms = PROBES[rid]
                for t in subject:
                    for name, text in reports.items():
                        if t in text:
                            bad(f"{rid}: subject term {t!r} occurs in report {name}")
                for t in answer_terms:
                    if t in speech:
                        bad(f"{rid}: answer term {t!r} occurs in the speech")
            continue

        # answerable rows
        if r["docs"] != [SPEECH]:
            bad(f"{rid}: docs {r['docs']} (expected [{SPEECH!r}])")
        if not r["must_include"]:
            bad(f"{rid}: empty must_include")
        if not r["gold_quotes"]:
            bad(f"{rid}: empty gold_quotes")
        for s in r["must_include"]:
            if s not in speech:
                bad(f"{rid}: must_include not verbatim in speech: {s!r}")
            if not 2 <= len(s) <= 15:
                bad(f"{rid}: must_include length {len(s)} outside 2-15: {s!r}")
            if s not in r["answer"]:
                bad(f"{rid}: must_include missing from reference answer: {s!r}")
        for s in r["gold_quotes"]:
            if s not in speech:
                bad(f"{rid}: gold quote not verbatim in speech: {s!r}")
            if len(s) < 10:
                bad(f"{rid}: gold quote shorter than 10 characters: {s!r}")
        for s in r["items"]:
            if s not in speech:
                bad(f"{rid}: item not verbatim in speech: {s!r}")
        if cat in ("responsibility", "list"):
            if not r["items"]:
                bad(f"{rid}: {cat} row without items")
            lo, hi = (2, 3) if cat == "responsibility" else (2, 2)
            if not lo <= len(r["must_include"]) <= hi:
                bad(f"{rid}: {cat} row has {len(r['must_include'])} must_include (expected {lo}-{hi})")
        elif cat in ("target", "fact"):
            if r["items"]:
                bad(f"{rid}: {cat} row has items")
        else:
            bad(f"{rid}: unknown category {cat!r}")

    if naming > MAX_NAMING:
        bad(f"{naming} questions name the speech (max {MAX_NAMING})")
    if english < MIN_EN:
        bad(f"{english} English rows (min {MIN_EN})")

    print(f"{len(rows)} rows, {len(files)} corpus files, {naming} naming the speech, {english} English")
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
