"""Candidate features for the fitted selection models (``assistant.models.SelectionModel``): which tasks a
"who" answer quotes, which sentences a general answer adds to its best one, which figure answers and
which enumeration a list question asks for. The same functions feed
``assistant train`` and the answerers, so fitting and answering see identical numbers."""
from __future__ import annotations

import numpy as np

from assistant.retrieve.hits import Hit
from index.tokens import term_share


def duty_features(bm25: np.ndarray, dense: np.ndarray, topics: list[str]) -> np.ndarray:
    """One row per task (``DUTY_FEATURES``), from its BM25 and cosine against the question."""
    n = len(bm25)
    if n == 0:
        return np.zeros((0, 5))
    best_bm = float(bm25.max())
    lead = int(np.argmax(bm25))  # first maximum: ties go to document order
    lead_topic = topics[lead] if best_bm > 0 else ""
    same = np.array([1.0 if lead_topic and t == lead_topic else 0.0 for t in topics])
    rel = bm25 / best_bm if best_bm > 0 else np.zeros(n)
    return np.column_stack([rel, np.log1p(np.clip(bm25, 0, None)), dense, float(dense.max()) - dense, same])


def sentence_features(top: Hit, hit: Hit, rank: int, top_paragraph: int, paragraph: int,
                      top_index: int, index: int) -> list[float]:
    """One row for a further hit against the best one (``SENTENCE_FEATURES``)."""
    return [hit.score / top.score if top.score else 0.0, float(paragraph == top_paragraph),
            float(abs(index - top_index) == 1), float(rank), hit.dense / top.dense if top.dense else 0.0,
            hit.bm25 / top.bm25 if top.bm25 else 0.0]


def figure_features(measure_overlap: float, focus_overlap: float, rank: int, dense: float, target: bool,
                    first: bool, unit_fit: tuple[float, float], qualifier_match: bool) -> list[float]:
    """One row for a figure of a candidate sentence (``FIGURE_FEATURES``); ``unit_fit``: the asked unit's
    match and the document's prior for the figure's unit (``FigureAnswers._unit_fit``)."""
    return [float(measure_overlap), float(focus_overlap), 1.0 / (rank + 1), dense, float(target), float(first),
            unit_fit[0], unit_fit[1], float(qualifier_match)]


def list_features(hit_item: float, hit_intro: float, hit_parent: float, share_items: float, share_parent: float,
                  part_match: bool, count_match: bool, parts: bool, structure: bool) -> list[float]:
    """One row for an enumeration of the document against a list question (``LIST_FEATURES``)."""
    return [hit_item, hit_intro, hit_parent, share_items, share_parent, float(part_match), float(count_match),
            float(parts), float(parts and structure)]


def figure_check_features(question_terms: list[str], clause_terms: list[str], paragraph: str, sentence: str,
                          measure: str, rarest: str | None, missing: int, selection_score: float,
                          english: bool, unit_match: float) -> list[float]:
    """One row for the figure a number question would be answered with (``FIGURE_CHECK_FEATURES``).
    ``question_terms`` / ``clause_terms``: the question's (last clause's) words that the document uses;
    ``unit_match``: 1 (-1) when the question asks in the figure's (another) unit, else 0."""
    def share(terms: list[str], text: str) -> float:
        return sum(term_share(t, text) for t in terms) / len(terms) if terms else 1.0

    return [share(question_terms, paragraph), share(question_terms, sentence), share(question_terms, measure),
            # The rarest word graded like the others: a report writes a compound's parts apart (grain total output).
            share(clause_terms, paragraph), 1.0 if rarest is None else term_share(rarest, sentence), float(missing),
            selection_score, float(english), unit_match]
