"""Fitted models of question understanding, loaded from versioned artefacts in ``index/models/``.

- ``AnswerTypeModel``: a multinomial logistic regression over the question's mE5 vector, fitted on the
  labelled examples in ``index/models/examples.jsonl`` (zh + en, separate from every eval set). It
  predicts duty, who, figure, list, definition, metadata, yesno, general or out_of_scope.
- ``AnswerabilityModel``: a logistic regression over evidence features (retrieval scores, how much of
  the question the document and the best evidence contain, unknown bodies, absent years, the
  out-of-scope probability), with a threshold fitted to keep false refusals at or under 2 %.

Both are plain numpy at run time (no scikit-learn import on the answering path); ``assistant train``
(``assistant.train``) fits them and writes the artefacts with a digest of the data they came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

MODELS_PACKAGE = "index.models"
ANSWER_TYPE_FILE = "answer_type.json"
ANSWERABILITY_FILE = "answerability.json"
TYPES = ("duty", "who", "figure", "list", "definition", "metadata", "yesno", "general", "out_of_scope")
FEATURES = ("dense_top", "dense_margin", "bm25_top", "doc_coverage", "evidence_coverage", "unknown_body",
            "known_body", "missing_year", "out_of_scope", "english", "quoted_number")


class ModelMissing(RuntimeError):
    """A fitted artefact is missing or was fitted for another embedding model: run ``assistant train``."""


def artefact_path(name: str) -> Path:
    return Path(str(resources.files(MODELS_PACKAGE).joinpath(name)))


def _read(name: str) -> dict:
    path = artefact_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelMissing(f"模型文件缺失或损坏：{path}；请运行 assistant train ({exc})".replace("\n", " ")) from exc


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
    def load(cls, embedding_model: str) -> "AnswerTypeModel":
        data = _read(ANSWER_TYPE_FILE)
        if data.get("embedding_model") != embedding_model:
            raise ModelMissing(f"answer-type model was fitted for {data.get('embedding_model')}, not {embedding_model}")
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
class AnswerabilityModel:
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> "AnswerabilityModel":
        return cls(np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]),
                   np.asarray(data["mean"], dtype=np.float64), np.asarray(data["scale"], dtype=np.float64),
                   float(data["threshold"]))

    @classmethod
    def load(cls) -> "AnswerabilityModel":
        return cls.from_dict(_read(ANSWERABILITY_FILE))

    def score(self, features: dict[str, float]) -> float:
        x = (np.array([features[f] for f in FEATURES], dtype=np.float64) - self.mean) / self.scale
        return float(1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept))))

    def answerable(self, features: dict[str, float]) -> bool:
        return self.score(features) >= self.threshold
