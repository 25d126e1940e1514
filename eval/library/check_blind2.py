#!/usr/bin/env python3
"""Validate eval/library/blind2.jsonl against the 29 corpus documents."""
import glob, json, os, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QSET = os.path.join(HERE, 'blind2.jsonl')
CORPUS = '/work/shared/corpus'
FILES = sorted(glob.glob(os.path.join(CORPUS, 'reports', '*.txt'))) + [os.path.join(CORPUS, 'ankang-2021-04-16-eco-speech.txt')]
TEXT = {os.path.basename(f): open(f, encoding='utf-8').read() for f in FILES}
KEYS = ['id', 'category', 'docs', 'question', 'history', 'answer', 'must_include', 'gold_quotes', 'items']
COUNTS = {'named_document': 25, 'which_document': 15, 'compare': 15, 'responsibility': 8, 'target': 4,
          'fact': 6, 'list': 4, 'unanswerable': 13, 'english': 10}
KINDS = {'named_document', 'which_document', 'compare', 'responsibility', 'target', 'unanswerable'}

problems = []
rows = []
for n, line in enumerate(open(QSET, encoding='utf-8'), 1):
    if not line.strip():
        problems.append(f'line {n}: blank line'); continue
    try:
        rows.append(json.loads(line))
    except Exception as e:
        problems.append(f'line {n}: bad JSON: {e}')

ids = Counter(r.get('id') for r in rows)
for i, c in ids.items():
    if c > 1: problems.append(f'duplicate id {i}')
expected_ids = {'lib2-%03d' % k for k in range(1, 101)}
if set(ids) != expected_ids: problems.append('ids are not exactly lib2-001..lib2-100')

cats = Counter(r.get('category') for r in rows)
for c, k in COUNTS.items():
    if cats.get(c, 0) != k: problems.append(f'category {c}: {cats.get(c, 0)} rows, want {k}')
for c in cats:
    if c not in COUNTS: problems.append(f'unknown category {c}')

used = set()
for r in rows:
    rid = r.get('id', '?')
    for k in KEYS:
        if k not in r: problems.append(f'{rid}: missing key {k}')
    if r.get('history') != []: problems.append(f'{rid}: history must be []')
    for k in ('docs', 'must_include', 'gold_quotes', 'items'):
        if not isinstance(r.get(k), list): problems.append(f'{rid}: {k} not a list')
    cat = r.get('category')
    kind = r.get('kind')
    if cat == 'english' and kind not in KINDS: problems.append(f'{rid}: english row with bad kind {kind!r}')
    eff = kind if cat == 'english' else cat
    docs = r.get('docs') or []
    for d in docs:
        if d not in TEXT: problems.append(f'{rid}: cited file {d} does not exist')
    docs = [d for d in docs if d in TEXT]
    used.update(docs)
    if eff == 'unanswerable':
        if any(r.get(k) for k in ('docs', 'must_include', 'gold_quotes', 'items')):
            problems.append(f'{rid}: unanswerable row cites something')
        continue
    if not docs: problems.append(f'{rid}: no docs'); continue
    if not r.get('must_include'): problems.append(f'{rid}: empty must_include')
    if not r.get('gold_quotes'): problems.append(f'{rid}: empty gold_quotes')
    for k in ('must_include', 'gold_quotes', 'items'):
        for s in r.get(k) or []:
            if not s or not any(s in TEXT[d] for d in docs):
                problems.append(f'{rid}: {k} not verbatim in cited docs: {s!r}')
    if eff == 'compare':
        if len(docs) < 2: problems.append(f'{rid}: compare needs >=2 docs')
        for d in docs:
            if not any(q in TEXT[d] for q in r['gold_quotes']): problems.append(f'{rid}: no gold quote from {d}')
            if not any(m in TEXT[d] for m in r['must_include']): problems.append(f'{rid}: no must_include from {d}')
    if eff == 'which_document':
        kp = r.get('key_phrase')
        if not kp: problems.append(f'{rid}: which_document without key_phrase'); continue
        hits = [f for f, t in TEXT.items() if kp in t]
        if len(hits) != 1 or hits[0] != docs[0]:
            problems.append(f'{rid}: key phrase {kp!r} occurs in {len(hits)} files {hits}')
        place = r['must_include'][0]
        want_in = '安康' if docs[0].startswith('ankang') else docs[0]
        if place not in want_in: problems.append(f'{rid}: must_include[0] {place!r} not in file name {docs[0]}')
    if eff == 'responsibility' and not r.get('items'): problems.append(f'{rid}: responsibility without items')

for p in problems: print('PROBLEM', p)
print(f'{len(rows)} rows, {len(problems)} problems, {len(used)} distinct documents used, categories: '
      + ', '.join(f'{c}={cats.get(c, 0)}' for c in COUNTS))
sys.exit(1 if problems else 0)
