"""Fitted models of question understanding, loaded from versioned artefacts in ``index/models/``.

- ``AnswerTypeModel``: a multinomial logistic regression over the question's mE5 vector, fitted on the
  labelled examples in ``index/models/examples.jsonl`` (zh + en, separate from every eval set). It
  predicts duty, who, figure, list, definition, metadata, yesno, general or out_of_scope.
- ``metadata_field.json`` (an ``AnswerTypeModel``): which masthead field a metadata question asks for,
  fitted on ``index/models/metadata_examples.jsonl`` (zh + en, generic, separate from every eval set).
- ``AnswerabilityModel``: a logistic regression over evidence features (retrieval scores, how much of
  the question the document and the best evidence contain, unknown bodies, absent years, the
  out-of-scope probability, whether one sentence or a figure's sentence holds the question's words), with
  a threshold fitted on out-of-fold scores to keep false refusals at or under 2 %.

- ``figure_check.json`` (a ``SelectionModel``): whether the figure a number question would be answered
  with answers it (商洛的优良天数 ≠ 安康的), fitted on the number questions of the development sets,
  unanswerable ones included, with an out-of-fold threshold that keeps false refusals at or under 2 %.

- ``SelectionModel``: which candidates join an answer, fitted on the development sets' gold quotes:
  ``duty_selection.json`` picks the tasks a "who" answer quotes (features ``DUTY_FEATURES`` of each
  task against the question), ``sentence_selection.json`` the sentences a general answer adds to its
  best one (``SENTENCE_FEATURES``), ``list_selection.json`` the enumeration a list question asks for
  (``LIST_FEATURES``). Each has a threshold fitted for the best F2 on those quotes.

All are plain numpy at run time (no scikit-learn import on the answering path); ``assistant train``
(``assistant.train``) fits them and writes the artefacts with a digest of the data they came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from index.language import message

MODELS_PACKAGE = "index.models"
ANSWER_TYPE_FILE = "answer_type.json"
ANSWERABILITY_FILE = "answerability.json"
# Which masthead field a metadata question asks for (the same kind of model as the answer type, fitted on
# index/models/metadata_examples.jsonl): "all" the header, "other" something no masthead field gives.
METADATA_FIELD_FILE = "metadata_field.json"
METADATA_EXAMPLES = "metadata_examples.jsonl"
METADATA_FIELDS = ("title", "speaker", "date", "issuer", "issue", "occasion", "distribution", "all", "other")
TYPES = ("duty", "who", "figure", "list", "definition", "metadata", "yesno", "general", "out_of_scope")
FEATURES = ("dense_top", "dense_margin", "bm25_top", "doc_coverage", "evidence_coverage", "unknown_body",
            "known_body", "missing_year", "out_of_scope", "english", "quoted_number",
            # whether one sentence holds the question's words (not just the top three together), whether a
            # figure question's best sentences hold a figure, how many question words the document lacks,
            # and whether the question's most specific word is in the best sentences.
            "sentence_coverage", "figure_asked", "figure_missing", "figure_coverage", "missing_terms",
            "rarest_in_top", "rarest_in_top3")


DUTY_SELECTION_FILE = "duty_selection.json"
SENTENCE_SELECTION_FILE = "sentence_selection.json"
# A task against a question: BM25 relative to the best task and absolute (log), cosine and its gap to the
# best task's, and whether the task shares its topic with the best BM25 match (tasks under one 在…方面).
DUTY_FEATURES = ("bm25_rel", "bm25_log", "dense", "dense_gap", "lead_topic")
# A further hit against the best one: fused score relative to it, same paragraph, next to it, its rank,
# and its cosine and BM25 relative to the best hit's.
SENTENCE_FEATURES = ("score_rel", "same_paragraph", "adjacent", "rank", "dense_rel", "bm25_rel")
FIGURE_SELECTION_FILE = "figure_selection.json"
# A figure in a candidate sentence: how many question words its measure holds (all, and the last clause's),
# its sentence's rank and cosine, whether it is a target, and whether it is the first figure of its sentence.
LIST_SELECTION_FILE = "list_selection.json"
# One of the document's enumerations against a list question: best hits on its items, on the sentence
# that introduces it and on the heading above it; the question's share of bigrams in its items and intro and
# in that heading; whether it lies in the part the question names, has the number of items the question
# says, and is the document's parts when the question asks for its structure. (The cosines of the question
# with the items and the heading were tried as features: they made no pick better on the development sets.)
LIST_FEATURES = ("hit_item", "hit_intro", "hit_parent", "share_items", "share_parent", "part_match",
                 "count_match", "parts", "structure")
FIGURE_CHECK_FILE = "figure_check.json"
# The figure a number question would be answered with, against the question: the share of the question's
# words (those the document uses) in the figure's paragraph, sentence and measure, and of its last
# clause's words in the paragraph; whether its most specific word is in the sentence; how many of its
# words the document lacks; the figure selection model's score; an English question.
FIGURE_CHECK_FEATURES = ("paragraph_coverage", "sentence_coverage", "measure_coverage", "clause_coverage",
                         "rarest_share", "missing_terms", "selection_score", "english", "asked_unit")
FIGURE_FEATURES = ("measure_overlap", "focus_overlap", "rank_inv", "dense", "target", "first_in_sentence",
                   "asked_unit", "unit_prior", "qualifier_match")


class ModelMissing(RuntimeError):
    """A fitted artefact is missing or was fitted for another embedding model: run ``assistant train``."""


def artefact_path(name: str) -> Path:
    return Path(str(resources.files(MODELS_PACKAGE).joinpath(name)))


def _read(name: str) -> dict:
    path = artefact_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelMissing(message("assistant.models.missing", path=path, reason=exc).replace("\n", " ")) from exc


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


@dataclass
class AnswerTypeModel:
    classes: list[str]
    coef: np.ndarray        # (classes, dim)
    intercept: np.ndarray   # (classes,)
    embedding_model: str

    @classmethod
    def from_dict(cls, data: dict) -> "AnswerTypeModel":
        return cls(list(data["classes"]), np.asarray(data["coef"], dtype=np.float32),
                   np.asarray(data["intercept"], dtype=np.float32), data["embedding_model"])

    @classmethod
    def load(cls, embedding_model: str, name: str = ANSWER_TYPE_FILE) -> "AnswerTypeModel":
        data = _read(name)
        if data.get("embedding_model") != embedding_model:
            raise ModelMissing(f"{name} was fitted for {data.get('embedding_model')}, not {embedding_model}")
        return cls.from_dict(data)

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        p = _softmax(self.coef @ vector.astype(np.float32) + self.intercept)
        return {c: float(x) for c, x in zip(self.classes, p)}

    def predict(self, vector: np.ndarray) -> tuple[str, dict[str, float]]:
        probs = self.probabilities(vector)
        # Ties (never in practice) break by the fixed class order, so every machine agrees.
        best = max(self.classes, key=lambda c: (round(probs[c], 6), -self.classes.index(c)))
        return best, probs


@dataclass
class SelectionModel:
    """Logistic regression over standardised candidate features, with a fitted keep threshold."""

    features: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> "SelectionModel":
        return cls(tuple(data["features"]), np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]),
                   np.asarray(data["mean"], dtype=np.float64), np.asarray(data["scale"], dtype=np.float64),
                   float(data["threshold"]))

    @classmethod
    def load(cls, name: str, features: tuple[str, ...]) -> "SelectionModel":
        model = cls.from_dict(_read(name))
        if model.features != tuple(features):
            raise ModelMissing(f"{name} was fitted on features {model.features}, not {tuple(features)}; "
                               "run assistant train")
        return model

    def scores(self, X: np.ndarray) -> np.ndarray:
        """Probability that each row (one candidate's features, in ``features`` order) belongs in the answer."""
        z = ((np.asarray(X, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


class AnswerabilityModel(SelectionModel):
    """The answerability logistic model: a ``SelectionModel`` over the evidence features (``FEATURES``)."""

    # The answer-type model's out-of-scope probability at or above which a question is an instruction or a
    # request outside the documents, whatever words it shares with them; fitted by `assistant train` as the
    # lowest value above every answerable development question's (no false refusal on that data).
    instruction_threshold: float = 1.01

    @classmethod
    def load(cls) -> "AnswerabilityModel":
        model = super().load(ANSWERABILITY_FILE, FEATURES)
        model.instruction_threshold = float(_read(ANSWERABILITY_FILE).get("instruction_threshold", 1.01))
        return model

    def instruction(self, features: dict[str, float]) -> bool:
        return features["out_of_scope"] >= self.instruction_threshold

    def score(self, features: dict[str, float]) -> float:
        return float(self.scores(np.array([[features[f] for f in self.features]]))[0])

    def answerable(self, features: dict[str, float]) -> bool:
        return self.score(features) >= self.threshold
