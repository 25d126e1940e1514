"""Fit the question-understanding models and write them to ``index/models/`` (``assistant train``).

- Answer type: multinomial logistic regression over mE5 query vectors of ``index/models/examples.jsonl``;
  the regularisation strength is chosen by 5-fold cross-validation (fixed folds, so the fit is
  reproducible), and the cross-validated accuracy is recorded in the artefact.
- Answerability: logistic regression over evidence features (``assistant.models.FEATURES``) of the
  labelled development questions (``ANSWERABILITY_SETS``). The threshold is the largest one that keeps
  false refusals at or under 2 % on out-of-fold scores (each set scored by a model fitted on the others),
  so it holds for questions the model was not fitted on, not only for its own data.
- Figure check: the same kind of model over the figure a number question would be answered with
  (``assistant.models.FIGURE_CHECK_FEATURES``), labelled by whether that figure is a must-include fact.
- Selection: logistic regression over candidate features (``assistant.answer.selection``) labelled by
  the gold quotes of the development sets (``SELECTION_SETS``): which tasks a "who" answer quotes and
  which further sentences a general answer adds to its best one. The keep threshold is the one with
  the best F2 on those labels (recall weighted twice: a missed duty is a bug, an extra quote is not;
  ties: the higher threshold). These replace hand-set score ratios.
Each artefact records the digest of the data it was fitted on and the scikit-learn version. The feature
rows every fit used are written too (``index/models/training_rows.json.gz``): ``refit`` replays the fits
from them, and the test suite recomputes a sample of them, instead of replaying every report's questions.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.models import (ANSWER_TYPE_FILE, ANSWERABILITY_FILE, DUTY_FEATURES, DUTY_SELECTION_FILE, FEATURES,
                              METADATA_EXAMPLES, METADATA_FIELD_FILE, METADATA_FIELDS,
                              FIGURE_CHECK_FEATURES, FIGURE_CHECK_FILE,
                              FIGURE_FEATURES, FIGURE_SELECTION_FILE, LIST_FEATURES, LIST_SELECTION_FILE,
                              SENTENCE_FEATURES, SENTENCE_SELECTION_FILE, TYPES, AnswerTypeModel, SelectionModel, artefact_path)

EXAMPLES = "examples.jsonl"
ANSWERABILITY_SETS = ("eval/gold.jsonl", "eval/holdout.jsonl", "eval/holdout2.jsonl", "eval/blind3.jsonl",
                      "eval/blind4.jsonl", "eval/blind5.jsonl", "eval/blind6.jsonl")
MAX_FALSE_REFUSALS = 0.02
# The figure check judges only number questions (about one question in eight): 5 % of the correct figures
# refused there is under 1 % of all questions, and each figure it stops is a confident wrong number.
FIGURE_CHECK_MAX_FALSE_REFUSALS = 0.05
SELECTION_SETS = ("eval/gold.jsonl", "eval/holdout.jsonl", "eval/holdout2.jsonl", "eval/blind3.jsonl",
                  "eval/blind4.jsonl")
_EDGE_PUNCTUATION = "。；，！？：、 \n"
BETA = 2.0  # F-beta of the selection thresholds: recall counts BETA times as much as precision


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _write(name: str, data: dict) -> Path:
    path = artefact_path(name)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def fit_answer_type(embedder) -> tuple[AnswerTypeModel, dict]:
    """Fit the answer-type model on the examples file with ``embedder``'s query vectors."""
    return _fit_question_classes(embedder, EXAMPLES, "type", TYPES)


def fit_metadata_field(embedder) -> tuple[AnswerTypeModel, dict]:
    """Fit the masthead-field model on its examples file with ``embedder``'s query vectors."""
    return _fit_question_classes(embedder, METADATA_EXAMPLES, "field", METADATA_FIELDS)


def kept_or_fitted(name: str, examples: str, fit, embedder, refit: bool = False) -> tuple[dict, bool]:
    """The shipped question-class model ``name`` while its examples and embedding model are those it was fitted
    on, else (or with ``refit``) fitted again; and whether it was fitted. The 4-bit model's query vectors
    differ in their last bits from one CPU to another, which moved the fitted coefficients by up to 0.37 and
    the instruction threshold read from them (0.915 → 0.926) with no example changed."""
    path = artefact_path(name)
    if not refit and path.exists():
        shipped = json.loads(path.read_text(encoding="utf-8"))
        if shipped.get("data_sha256") == _digest([artefact_path(examples)]) \
                and shipped.get("embedding_model") == embedder.model_id:
            return shipped, False
    return fit(embedder)[1], True


def _fit_question_classes(embedder, examples: str, key: str, allowed: tuple[str, ...]) -> tuple[AnswerTypeModel, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    path = artefact_path(examples)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    X = np.stack([embedder.embed_query_vector(r["text"]) for r in rows])
    y = np.array([r[key] for r in rows])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = {c: float(cross_val_score(LogisticRegression(C=c, max_iter=3000), X, y, cv=folds).mean())
              for c in (1.0, 4.0, 16.0, 64.0)}
    best_c = max(scores, key=lambda c: (round(scores[c], 6), -c))
    clf = LogisticRegression(C=best_c, max_iter=3000).fit(X, y)
    classes = [str(c) for c in clf.classes_]
    assert set(classes) <= set(allowed), classes
    import sklearn

    data = {"classes": classes, "coef": clf.coef_.round(6).tolist(), "intercept": clf.intercept_.round(6).tolist(),
            "embedding_model": embedder.model_id, "C": best_c, "cv_accuracy": scores,
            "examples": len(rows), "data_sha256": _digest([path]), "sklearn": sklearn.__version__}
    return AnswerTypeModel.from_dict(data), data


def answerable_gold(item: dict) -> bool:
    """The label the eval suite uses: an item expects an answer unless it expects a refusal."""
    return item["category"] not in ("unanswerable", "injection") and not (
        not item.get("must_include") and item["answer"].startswith("讲话中没有"))


@dataclass
class Source:
    """Labelled questions about one set of documents, with the assistant that reads those documents. Its
    ``group`` is what out-of-fold scores leave out: a speech set, or a report (leave one document out)."""

    assistant: object
    items: list[dict]
    group: str
    path: Path
    document: bool = False  # grouped by document (the work reports), not by set


@dataclass
class Table:
    """Feature rows and labels of one model, each row tagged with its source's group (a set, or a report)
    and whether that group is another document. ``assistant train`` writes every table
    (``TRAINING_ROWS``), so a fit can be replayed, and checked, without replaying the questions."""

    features: tuple[str, ...]
    X: list = field(default_factory=list)
    y: list = field(default_factory=list)
    group: list = field(default_factory=list)
    document: list = field(default_factory=list)

    def add(self, row, label: int, source: "Source") -> None:
        self.X.append([float(v) for v in row])
        self.y.append(int(label))
        self.group.append(source.group)
        self.document.append(bool(source.document))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        X = np.array(self.X, dtype=np.float64).reshape(len(self.X), len(self.features))
        return X, np.array(self.y, dtype=int), np.array(self.group), np.array(self.document, dtype=bool)

    def of(self, group: str) -> "Table":
        keep = [i for i, g in enumerate(self.group) if g == group]
        return Table(self.features, [self.X[i] for i in keep], [self.y[i] for i in keep], [group] * len(keep),
                     [self.document[i] for i in keep])

    def to_dict(self) -> dict:
        return {"features": list(self.features), "X": self.X, "y": self.y, "group": self.group, "document": self.document}

    @classmethod
    def from_dict(cls, d: dict) -> "Table":
        return cls(tuple(d["features"]), d["X"], d["y"], d["group"], d["document"])


TRAINING_ROWS = "training_rows.json.gz"


def write_tables(tables: dict) -> Path:
    """Every table with the digest of the data it came from (gzip without a timestamp: same rows, same bytes)."""
    import gzip

    path = artefact_path(TRAINING_ROWS)
    data = {name: (t.to_dict() if isinstance(t, Table) else t) for name, t in tables.items()}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    tmp.replace(path)
    return path


def read_tables() -> dict:
    import gzip

    data = json.loads(gzip.decompress(artefact_path(TRAINING_ROWS).read_bytes()).decode("utf-8"))
    return {name: (Table.from_dict(d) if isinstance(d, dict) and "X" in d else d) for name, d in data.items()}


def report_sets(root: Path = Path(".")) -> tuple[str, ...]:
    """The development sets written on other documents (each item names its ``doc``); blind sets live in
    ``eval/reports/blind/`` and are never fitted on."""
    return tuple(sorted(f"eval/reports/{p.name}" for p in (root / "eval" / "reports").glob("*.jsonl")))


def sources(assistant, sets: tuple[str, ...], root: Path = Path("."), opener=None) -> list[Source]:
    """The labelled questions of ``sets``: items without a ``doc`` are about ``assistant``'s documents;
    items naming a ``doc`` are asked of ``opener(doc)`` (skipped without an opener)."""
    out = []
    for name in sets:
        path = root / name
        if not path.is_file():
            continue
        items = list(_items([path]))
        own = [i for i in items if not i.get("doc")]
        if own:
            out.append(Source(assistant, own, str(path), path))
        for doc in sorted({i["doc"] for i in items if i.get("doc")}) if opener else []:
            out.append(Source(_features_only(opener(doc)), [i for i in items if i.get("doc") == doc], doc, path, True))
    return out


def _features_only(assistant):
    """Nothing fitted earlier may shape a fit (earlier turns replay without the old models), so the same data
    always gives the same artefacts."""
    assistant.turn_model = None
    composer = assistant.composer
    composer.answerability = composer.duty_selection = composer.sentence_selection = None
    composer.figure_selection = composer.list_selection = composer.figure_check = None
    return assistant


def fit_answerability(assistant, sets: tuple[str, ...] = ANSWERABILITY_SETS, root: Path = Path("."),
                      data: list[Source] | None = None) -> dict:
    """Fit the answerability model on the evidence features of labelled development questions."""
    return _fit_answerability(data if data is not None else sources(assistant, sets, root))


def _fit_answerability(data: list[Source]) -> dict:
    return fit_answerability_table(answerability_table(data), _data_digest(data))


def answerability_table(data: list[Source]) -> Table:
    table = Table(FEATURES)
    for source in data:
        with source.assistant.own_tokenizer():
            for item in source.items:
                state = _evidence(source.assistant, item)
                if not state["hits"]:
                    continue
                feats = source.assistant.composer.features(state["analysis"], state["hits"])
                table.add([feats[f] for f in FEATURES], answerable_gold(item), source)
    return table


def fit_answerability_table(table: Table, digest: dict) -> dict:
    X, y, group, by_document = table.arrays()
    out_of_scope = X[:, FEATURES.index("out_of_scope")]
    instruction = round(float(out_of_scope[y == 1].max()) + 1e-6, 6) if (y == 1).any() else 1.01
    return _fit_out_of_fold(X, y, group, FEATURES, documents=by_document) | digest | {
        "instruction_threshold": instruction,
        "instruction_refusals": int((out_of_scope[y == 0] >= instruction).sum()), "unanswerable": int((y == 0).sum())}


def _data_digest(data: list[Source]) -> dict:
    paths = sorted({s.path for s in data})
    return {"data": [str(p) for p in paths], "data_sha256": _digest(paths),
            "documents": sorted({s.group for s in data if s.document})}


def _fit_out_of_fold(X: np.ndarray, y: np.ndarray, group: np.ndarray, features: tuple[str, ...],
                     max_false_refusals: float = MAX_FALSE_REFUSALS, documents: np.ndarray | None = None) -> dict:
    """Logistic regression on all rows, with the largest threshold whose false-refusal rate (positives
    scored under it) stays ≤ ``max_false_refusals`` on out-of-fold scores: each set scored by the model
    fitted on the others."""
    from sklearn.linear_model import LogisticRegression

    def fit(rows: np.ndarray) -> dict:
        mean, scale = X[rows].mean(axis=0), X[rows].std(axis=0) + 1e-9
        clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit((X[rows] - mean) / scale, y[rows])
        return {"coef": clf.coef_[0].round(6).tolist(), "intercept": round(float(clf.intercept_[0]), 6),
                "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(), "features": list(features),
                "threshold": 0.0}

    held_out = np.zeros(len(y))
    for g in np.unique(group):
        held_out[group == g] = SelectionModel.from_dict(fit(group != g)).scores(X[group == g])
    pos = np.sort(held_out[y == 1])
    k = int(np.floor(max_false_refusals * len(pos)))
    threshold = float(pos[k]) - 1e-6 if len(pos) else 0.5
    refused = held_out < threshold
    out = fit(np.ones(len(y), dtype=bool)) | {
        "threshold": round(threshold, 6), "questions": len(y), "answerable": int(y.sum()),
        "false_refusal_rate": round(float(refused[y == 1].mean()), 4),
        "refusal_recall": round(float(refused[y == 0].mean()), 4) if (y == 0).any() else None,
        "rates_are": "out-of-fold (leave one set out; a report's questions: leave one document out)"}
    if documents is not None and documents.any():
        # The same out-of-fold rates over the questions on the other documents alone.
        d = documents
        out["documents_out_of_fold"] = {
            "questions": int(d.sum()),
            "false_refusal_rate": round(float(refused[d & (y == 1)].mean()), 4) if (d & (y == 1)).any() else None,
            "refusal_recall": round(float(refused[d & (y == 0)].mean()), 4) if (d & (y == 0)).any() else None}
    return out


def fit_figure_check(assistant, sets: tuple[str, ...] = ANSWERABILITY_SETS, root: Path = Path("."),
                     data: list[Source] | None = None) -> dict:
    """Fit the figure check on the number questions of the development sets: does the figure the
    engine would answer with hold a must-include fact (1), or is it another figure, or is the question
    unanswerable (0)? Needs the fitted figure selection model in place (it picks the figure)."""
    return _fit_figure_check(data if data is not None else sources(assistant, sets, root))


def _fit_figure_check(data: list[Source]) -> dict:
    return fit_figure_check_table(figure_check_table(data), _data_digest(data))


def figure_check_table(data: list[Source]) -> Table:
    table = Table(FIGURE_CHECK_FEATURES)
    for source in data:
        with source.assistant.own_tokenizer():
            _figure_check_rows(source, table)
    return table


def fit_figure_check_table(table: Table, digest: dict) -> dict:
    X, y, group, by_document = table.arrays()
    return _fit_out_of_fold(X, y, group, FIGURE_CHECK_FEATURES, FIGURE_CHECK_MAX_FALSE_REFUSALS,
                            documents=by_document) | digest


def _figure_check_rows(source: Source, table: Table) -> None:
    from assistant.answer.composer import _lexical_winner_first

    assistant = source.assistant
    composer = assistant.composer
    for item in source.items:
        state = _evidence(assistant, item)
        analysis, evidence = state["analysis"], state["evidence"]
        if not (analysis.intent == "number" or (analysis.number and analysis.actors)):
            continue
        ev = replace(evidence, hits=_lexical_winner_first(analysis, evidence.hits))
        found, _ = composer.figure_choices(analysis, ev)
        if not found:
            continue
        fig, score = composer._best_figure([f for f, _ in found], [r for _, r in found])
        if composer._figure_mismatch(analysis, fig):
            continue  # refused on the facts (a year, body or event the figure's paragraph lacks)
        table.add(composer.figure_check_row(analysis, fig, score),
                  answerable_gold(item) and any(_normal(fig.text) in _normal(m) for m in item.get("must_include") or []),
                  source)


def _normal(text: str) -> str:
    return "".join(text.split()).strip(_EDGE_PUNCTUATION)


def quoted(text: str, quotes: list[str]) -> bool:
    """Whether a candidate's text is one of the gold quotes, or contains or is contained by one."""
    t = _normal(text)
    return bool(t) and any(q and (q in t or (len(t) >= 6 and t in q)) for q in map(_normal, quotes))


def _items(paths: list[Path]):
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def _evidence(assistant, item: dict) -> dict:
    """The analysed question and its evidence, as the engine sees them (earlier turns replayed)."""
    from assistant.core import Conversation

    conversation = Conversation()
    for earlier in item.get("history") or []:
        conversation.add(assistant._answer(earlier, conversation))
    standalone = assistant._standalone(item["question"], conversation)
    return assistant._retrieve_step({"question": item["question"], "standalone_question": standalone,
                                     "timings_ms": {}})


def _fit_selection(X: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)  # a feature constant in the data: left as it is (coef 0)
    clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit((X - mean) / scale, y)
    data = {"features": list(features), "coef": clf.coef_[0].round(6).tolist(),
            "intercept": round(float(clf.intercept_[0]), 6), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(), "threshold": 0.5}
    p = SelectionModel.from_dict(data).scores(X)
    best = (-1.0, 0.5)
    b2 = BETA * BETA
    for t in sorted(set(np.round(p, 6).tolist())):
        keep = p >= t
        tp = int((keep & (y == 1)).sum())
        f = (1 + b2) * tp / (int(keep.sum()) + b2 * int(y.sum())) if tp else 0.0
        if f >= best[0]:  # ties: the higher threshold, fewer quotes for the same score
            best = (f, t)
    keep = p >= best[1]
    tp = int((keep & (y == 1)).sum())
    return data | {"threshold": round(best[1] - 1e-6, 6), "f_beta": round(best[0], 4), "beta": BETA,
                   "precision": round(tp / max(1, int(keep.sum())), 4), "recall": round(tp / max(1, int(y.sum())), 4),
                   "candidates": int(len(y)), "positives": int(y.sum())}


def fit_selection(assistant, sets: tuple[str, ...] = SELECTION_SETS, root: Path = Path("."),
                  data: list[Source] | None = None) -> tuple[dict, dict, dict, dict]:
    """Fit the duty, sentence, figure and list selection models on the gold quotes (figures: the
    must-include facts; lists: the gold items) of the development sets. The figure model only ranks (the
    likeliest figure answers); the list model's likeliest enumeration answers if it clears the threshold."""
    return _fit_selection_models(data if data is not None else sources(assistant, sets, root))


def _fit_selection_models(data: list[Source]) -> tuple[dict, dict, dict, dict]:
    tables, questions = selection_tables(data)
    return fit_selection_tables(tables, _data_digest(data) | {"questions": questions})


SELECTION_TABLES = (("duty", DUTY_FEATURES), ("sentence", SENTENCE_FEATURES), ("figure", FIGURE_FEATURES),
                    ("list", LIST_FEATURES))


def selection_tables(data: list[Source]) -> tuple[dict[str, Table], int]:
    """The candidate rows of the duty, sentence, figure and list selection models, and the questions used."""
    tables = {name: Table(features) for name, features in SELECTION_TABLES}
    questions = 0
    for source in data:
        with source.assistant.own_tokenizer():  # the answerers' parts are called directly here
            questions += _selection_rows(source, tables)
    return tables, questions


def fit_selection_tables(tables: dict[str, Table], digest: dict) -> tuple[dict, dict, dict, dict]:
    fitted = []
    for name, features in SELECTION_TABLES:
        X, y, _, _ = tables[name].arrays()
        fitted.append(_fit_selection(X, y, features) | digest)
    return tuple(fitted)


def _selection_rows(source: Source, tables: dict[str, Table]) -> int:
    """Candidate rows and labels of one source's questions, added to ``tables``; returns the questions used."""
    from assistant.answer.composer import _lexical_winner_first

    assistant = source.assistant
    composer = assistant.composer
    duty, sentence, figure, listing = (tables[n] for n, _ in SELECTION_TABLES)
    questions = 0
    for item in source.items:
        quotes = item.get("gold_quotes") or []
        if not quotes or not answerable_gold(item):
            continue
        questions += 1
        state = _evidence(assistant, item)
        analysis, evidence = state["analysis"], state["evidence"]
        gold_items = [_normal(i) for i in item.get("items") or [] if _normal(i)]
        if analysis.intent == "list" or gold_items:
            # An enumeration is the answer when it holds at least half of the gold items.
            hits = _lexical_winner_first(analysis, evidence.hits)
            for group, row in composer.group_candidates(analysis, hits):
                texts = [_normal(composer.text[s:e]) for s, e, _ in group.items]
                held = sum(any(i in t for t in texts) for i in gold_items)
                listing.add(row, bool(gold_items) and 2 * held >= len(gold_items), source)
        if analysis.intent == "who":
            for part in evidence.hop_queries or [evidence.query]:
                for row, d in zip(composer.duty_candidates(part), composer.duties):
                    duty.add(row, quoted(d.task, quotes), source)
        if analysis.intent == "number" or (analysis.number and analysis.actors):
            as_composed = replace(evidence, hits=_lexical_winner_first(analysis, evidence.hits))
            found, _ = composer.figure_choices(analysis, as_composed)
            labels = [int(any(_normal(f.text) in _normal(m) for m in item.get("must_include") or []))
                      for f, _ in found]
            if len(found) >= 2 and any(labels):  # only a choice between figures teaches the ranking
                for (_, row), label in zip(found, labels):
                    figure.add(row, label, source)
        hits = _lexical_winner_first(analysis, evidence.hits)
        if len(hits) >= 2 and quoted(composer.sentence_by_id[hits[0].id].text, quotes):
            candidates = composer.sentence_candidates(hits)
            for row, h in zip(candidates, hits[1:1 + len(candidates)]):
                sentence.add(row, quoted(composer.sentence_by_id[h.id].text, quotes), source)
    return questions


def train(root: Path = Path("."), progress=print, opener=None, refit: bool = False) -> dict:
    """Fit every model and write their artefacts; returns what was written. ``opener(doc)``: an assistant
    over one other document (a work report), for the development sets written on such documents; without
    it only the sets about the configured documents are used. ``refit``: fit the question-class models even
    when their examples are unchanged (``kept_or_fitted``)."""
    from assistant.config import Settings
    from index.embed import get_embedder

    settings = Settings.from_env()
    embedder = get_embedder(settings.embedding, settings.threads)
    classes = {}
    for name, examples, fit, what in ((ANSWER_TYPE_FILE, EXAMPLES, fit_answer_type, "answer type"),
                                      (METADATA_FIELD_FILE, METADATA_EXAMPLES, fit_metadata_field, "metadata field")):
        classes[what], fitted = kept_or_fitted(name, examples, fit, embedder, refit)
        if fitted:
            _write(name, classes[what])
        progress(f"{what}: {classes[what]['examples']} examples, C={classes[what]['C']}, cv accuracy "
                 f"{max(classes[what]['cv_accuracy'].values()):.3f}" + ("" if fitted else " (examples unchanged: kept)"))
    from assistant.core import Assistant

    assistant = _features_only(Assistant.open(settings))
    reports = report_sets(root)
    opened: dict = {}

    def open_once(doc: str):
        if doc not in opened:
            opened[doc] = opener(doc)
        return opened[doc]

    checked = sources(assistant, ANSWERABILITY_SETS + reports, root, open_once if opener else None)
    tables: dict = {"answerability": answerability_table(checked), "answerability_digest": _data_digest(checked)}
    ans = fit_answerability_table(tables["answerability"], tables["answerability_digest"])
    _write(ANSWERABILITY_FILE, ans)
    progress(f"answerability: {ans['questions']} questions, threshold {ans['threshold']}, "
             f"false refusals {ans['false_refusal_rate']}, refusal recall {ans['refusal_recall']}; "
             f"other documents (leave one out): {ans.get('documents_out_of_fold')}; instructions refused at "
             f"out-of-scope ≥ {ans['instruction_threshold']} ({ans['instruction_refusals']} of {ans['unanswerable']})")
    selected = sources(assistant, SELECTION_SETS + reports, root, open_once if opener else None)
    selection, questions = selection_tables(selected)
    tables |= selection | {"selection_digest": _data_digest(selected) | {"questions": questions}}
    duty, sentence, figure, listing = fit_selection_tables(selection, tables["selection_digest"])
    _write(DUTY_SELECTION_FILE, duty)
    _write(SENTENCE_SELECTION_FILE, sentence)
    _write(FIGURE_SELECTION_FILE, figure)
    _write(LIST_SELECTION_FILE, listing)
    for name, fitted in (("duty selection", duty), ("sentence selection", sentence), ("figure selection", figure),
                         ("list selection", listing)):
        progress(f"{name}: {fitted['candidates']} candidates ({fitted['positives']} quoted), threshold "
                 f"{fitted['threshold']}, F{fitted['beta']:g} {fitted['f_beta']} (precision {fitted['precision']}, recall {fitted['recall']})")
    # The figure check judges the figure the fitted selection model picks, so it is fitted with it in place.
    for source in checked:
        source.assistant.composer.figure_selection = SelectionModel.from_dict(figure)
    tables |= {"figure_check": figure_check_table(checked), "figure_check_digest": _data_digest(checked)}
    check = fit_figure_check_table(tables["figure_check"], tables["figure_check_digest"])
    _write(FIGURE_CHECK_FILE, check)
    from assistant.turns import TURN_FILE

    paired = sources(assistant, TURN_SETS, root, open_once if opener else None)
    complete = standalone_pairs(checked, str(root / TURN_SETS[0]))
    tables |= {"turn": turn_table(paired), "turn_standalone": turn_table(complete),
               "turn_digest": _data_digest(paired + complete)}
    turn = fit_turn_table(tables["turn"], tables["turn_digest"], tables["turn_standalone"])
    _write(TURN_FILE, turn)
    progress(f"turn (standalone / merge / swap): {turn['pairs']} pairs, C={turn['C']}, out-of-fold accuracy "
             f"{turn['out_of_fold_accuracy']} (by document: {turn['out_of_fold_by_group']})")
    write_tables(tables)
    progress(f"figure check: {check['questions']} number questions, threshold {check['threshold']}, "
             f"false refusals {check['false_refusal_rate']}, refusal recall {check['refusal_recall']} (out of fold); "
             f"other documents: {check.get('documents_out_of_fold')}")
    return {"answer_type": classes["answer type"], "metadata_field": classes["metadata field"], "answerability": ans, "duty_selection": duty, "sentence_selection": sentence,
            "figure_selection": figure, "list_selection": listing, "figure_check": check, "turn": turn}


def refit(tables: dict) -> dict:
    """Every evidence model fitted again from the written rows (``read_tables()``): what ``assistant train``
    wrote, without replaying a question. The figure check's rows were computed with the figure selection
    fitted from the same rows in place."""
    duty, sentence, figure, listing = fit_selection_tables({n: tables[n] for n, _ in SELECTION_TABLES},
                                                           tables["selection_digest"])
    return {ANSWERABILITY_FILE: fit_answerability_table(tables["answerability"], tables["answerability_digest"]),
            DUTY_SELECTION_FILE: duty, SENTENCE_SELECTION_FILE: sentence, FIGURE_SELECTION_FILE: figure,
            LIST_SELECTION_FILE: listing,
            FIGURE_CHECK_FILE: fit_figure_check_table(tables["figure_check"], tables["figure_check_digest"]),
            "turn.json": fit_turn_table(tables["turn"], tables["turn_digest"], tables.get("turn_standalone"))}


TURN_SETS = ("eval/followups/dev.jsonl",)
TURN_C = (0.1, 0.3, 1.0, 3.0, 10.0)
# Questions the development sets ask without history are complete by construction: each, asked right after
# the question before it in its set, is a "standalone" pair. Up to this many per set and document.
STANDALONE_PER_SOURCE = 60


def standalone_pairs(data: list[Source], group_of_own: str) -> list[Source]:
    """``STANDALONE_PER_SOURCE`` standalone pairs from each source's first questions (in file order), each
    after the question before it; the speech's pairs are grouped as ``group_of_own`` (one document)."""
    out = []
    for source in data:
        firsts = [i for i in source.items if not i.get("history") and i.get("category") != "followup"]
        pairs = [{"question": b["question"], "history": [a["question"]], "label": "standalone"}
                 for a, b in zip(firsts, firsts[1:])][:STANDALONE_PER_SOURCE]
        out.append(Source(source.assistant, pairs, source.group if source.document else group_of_own, source.path,
                          source.document))
    return out


def turn_table(data: list[Source]) -> Table:
    """One row per labelled pair: the question's ``TURN_FEATURES`` after its history, replayed."""
    from assistant.core import Conversation
    from assistant.turns import LABELS, TURN_FEATURES

    table = Table(TURN_FEATURES)
    for source in data:
        a = source.assistant
        for item in source.items:
            if item.get("label") not in LABELS or not item.get("history"):
                continue
            conversation = Conversation()
            for earlier in item["history"]:
                conversation.add(a._answer(earlier, conversation, read=False))
            table.add(a.turn_row(item["question"], conversation.last), LABELS.index(item["label"]), source)
    return table


def fit_turn_table(table: Table, digest: dict, standalone: Table | None = None) -> dict:
    """Multinomial logistic regression on the labelled pairs and the ``standalone`` pairs of the development
    sets; C chosen by leave-one-document-out log-loss over all the pairs; the accuracy recorded is on the
    labelled pairs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    from assistant.turns import LABELS, TURN_FEATURES

    X, y, group, _ = table.arrays()
    labelled = np.ones(len(y), dtype=bool)
    if standalone is not None and standalone.y:
        Xs, ys, gs, _ = standalone.arrays()
        X, y, group = np.vstack([X, Xs]), np.concatenate([y, ys]), np.concatenate([group, gs])
        labelled = np.concatenate([labelled, np.zeros(len(ys), dtype=bool)])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    Z = (X - mean) / scale

    def fitted(C: float, rows: np.ndarray):
        return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(Z[rows], y[rows])

    classes_all = np.unique(y)

    def out_of_fold(C: float) -> np.ndarray:
        proba = np.zeros((len(y), len(classes_all)))
        for g in np.unique(group):
            clf = fitted(C, group != g)
            proba[np.ix_(group == g, np.searchsorted(classes_all, clf.classes_))] = clf.predict_proba(Z[group == g])
        return proba

    proba_by_C = {C: out_of_fold(C) for C in TURN_C}
    held_by_C = {C: classes_all[proba_by_C[C].argmax(axis=1)] for C in TURN_C}
    scores = {C: float((held_by_C[C][labelled] == y[labelled]).mean()) for C in TURN_C}
    # C by the out-of-fold log-loss over every pair, the labelled follow-ups and the complete questions
    # asked after another (988 pairs): accuracy on the 240 labelled pairs alone moved by two pairs between
    # neighbouring values of C, and the one it picked read a complete question after another as a merge.
    losses = {C: float(log_loss(y, proba_by_C[C], labels=classes_all)) for C in TURN_C}
    best = min(TURN_C, key=lambda C: (round(losses[C], 6), C))
    held_all = held_by_C[best]
    clf = fitted(best, np.ones(len(y), dtype=bool))
    classes = [LABELS[int(c)] for c in clf.classes_]
    standalone_accuracy = round(float((held_all[~labelled] == y[~labelled]).mean()), 4) if (~labelled).any() else None
    held, y, group = held_all[labelled], y[labelled], group[labelled]
    return {"features": list(TURN_FEATURES), "classes": classes, "coef": clf.coef_.round(6).tolist(),
            "intercept": clf.intercept_.round(6).tolist(), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(), "C": best, "pairs": int(len(y)),
            "standalone_pairs": int((~labelled).sum()), "standalone_pairs_out_of_fold_accuracy": standalone_accuracy,
            "out_of_fold_accuracy": round(float((held == y).mean()), 4),
            "accuracy_by_C": {str(C): round(v, 4) for C, v in scores.items()},
            "log_loss_by_C": {str(C): round(v, 4) for C, v in losses.items()},
            "out_of_fold_by_group": {str(g): round(float((held[group == g] == y[group == g]).mean()), 4)
                                     for g in np.unique(group)},
            "confusion": {LABELS[t]: {LABELS[q]: int(((y == t) & (held == q)).sum()) for q in range(len(LABELS))}
                          for t in range(len(LABELS))},
            "rates_are": "out-of-fold (leave one document out: the speech's pairs, or one report's)"} | digest
