"""``assistant train``: the selection models are fitted from data, reproducibly, and the shipped artefacts
are what the command writes from the development sets in the repository."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.models import (DUTY_FEATURES, DUTY_SELECTION_FILE, FIGURE_FEATURES, FIGURE_SELECTION_FILE,
                              SENTENCE_FEATURES, ModelMissing, SelectionModel, artefact_path)
from assistant.train import (ANSWERABILITY_SETS, SELECTION_SETS, SELECTION_TABLES, Table, _digest, _fit_selection,
                             answerability_table, figure_check_table, quoted, read_tables, refit, report_sets,
                             selection_tables, sources, turn_table, Source, TURN_SETS)

REPO = Path(__file__).resolve().parents[2]


def test_a_candidate_is_quoted_when_it_is_or_holds_a_gold_quote():
    quotes = ["市交通局要对全市汽修行业开展一次全面检查"]
    assert quoted("市交通局要对全市汽修行业开展一次全面检查。", quotes)                # the sentence itself
    assert quoted("市交通局要对全市汽修行业开展一次全面检查，督促企业严格落实。", quotes)  # holds it
    assert quoted("对全市汽修行业开展一次全面检查", quotes)                            # a clause of it
    assert not quoted("市城管局要强化道路清扫保洁。", quotes)
    assert not quoted("检查", quotes)                                                 # too short to count


def test_the_threshold_favours_recall_and_the_fit_is_deterministic():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(1.0, 1.0, (40, 2)), rng.normal(-1.0, 1.0, (400, 2))])
    y = np.array([1] * 40 + [0] * 400)
    first, second = _fit_selection(X, y, ("a", "b")), _fit_selection(X, y, ("a", "b"))
    assert first == second
    assert first["recall"] > first["precision"]          # F2: a missed item costs more than an extra one
    model = SelectionModel.from_dict(first)
    assert model.scores(np.array([[3.0, 3.0]]))[0] >= model.threshold > model.scores(np.array([[-3.0, -3.0]]))[0]


def test_a_model_fitted_on_other_features_is_refused(tmp_path, monkeypatch):
    data = json.loads(artefact_path(DUTY_SELECTION_FILE).read_text(encoding="utf-8"))
    assert data["features"] == list(DUTY_FEATURES)
    with pytest.raises(ModelMissing):
        SelectionModel.load(DUTY_SELECTION_FILE, SENTENCE_FEATURES)


def test_shipped_models_are_what_the_written_rows_fit():
    """``assistant train`` writes every model's feature rows; fitting them again gives the shipped artefacts
    (same data digest, coefficients and thresholds), and the question files have not changed since."""
    tables = read_tables()
    for name, fitted in refit(tables).items():
        shipped = json.loads(artefact_path(name).read_text(encoding="utf-8"))
        assert fitted["data_sha256"] == shipped["data_sha256"], f"{name}: the rows changed; run assistant train"
        assert fitted.get("candidates") == shipped.get("candidates") and fitted.get("positives") == shipped.get("positives")
        assert fitted.get("questions") == shipped.get("questions")
        assert np.allclose(fitted["coef"], shipped["coef"], atol=1e-4), name
        assert abs(fitted.get("threshold", 0) - shipped.get("threshold", 0)) < 1e-3, name
        assert fitted.get("C") == shipped.get("C"), name
    for key in ("answerability_digest", "selection_digest", "figure_check_digest"):
        digest = tables[key]
        assert digest["data_sha256"] == _digest([REPO / p for p in digest["data"]]), \
            f"{key}: a question set changed since the models were fitted; run assistant train"
    assert {p for p in tables["answerability_digest"]["data"]} >= set(report_sets(REPO))


def _relative(data: list, root: Path) -> list:
    for source in data:
        if not source.document:
            source.group = str(source.path.relative_to(root))
    return data


def _same_rows(computed: Table, written: Table, groups: set[str]) -> None:
    assert groups and set(computed.group) <= groups
    for group in sorted(groups):
        mine, theirs = computed.of(group), written.of(group)
        assert mine.y == theirs.y, f"{group}: labels differ from the written rows; run assistant train"
        assert np.allclose(mine.arrays()[0], theirs.arrays()[0], atol=1e-5), \
            f"{group}: features differ from the written rows; run assistant train"


# Of the speech's sets, every EVERY-th question (from the first, in file order) is computed again; of the
# report, every question. Each table still gets rows from every group of the sample.
EVERY = 2


def _sampled(data: list[Source]) -> list[Source]:
    for source in data:
        if not source.document:
            source.items = source.items[::EVERY]
    return data


def _block_at(block: Table, X: np.ndarray, y: np.ndarray, start: int, where: str) -> int:
    """Where ``block`` (one question's rows) ends among the written rows ``X``, ``y`` of its group: found
    whole, labels and features, at ``start`` or after it."""
    n = len(block.y)
    if not n:
        return start
    bx, by = block.arrays()[:2]
    for j in range(start, len(y) - n + 1):
        if np.array_equal(y[j:j + n], by) and np.allclose(X[j:j + n], bx, atol=1e-5):
            return j + n
    raise AssertionError(f"{where}: rows not among the written rows, in order; run assistant train")


def _check_rows(tables_of, data: list[Source], written: dict[str, Table]) -> dict[str, int]:
    """The rows ``tables_of(sources)`` computes (a dict of tables), against the ``written`` tables of the
    same names. A report (every question computed): its rows equal the written rows of that report. A
    speech set (a sample of its questions): each question's rows, computed alone, are found whole among the
    set's written rows, each question after the one before it. Returns the rows checked per table."""
    checked = dict.fromkeys(written, 0)
    whole = [s for s in data if s.document]
    if whole:
        tables = tables_of(whole)
        for name in written:
            _same_rows(tables[name], written[name], {s.group for s in whole})
            checked[name] += len(tables[name].y)
    for source in data:
        if source.document:
            continue
        theirs = {name: written[name].of(source.group).arrays()[:2] for name in written}
        at = dict.fromkeys(written, 0)
        for item in source.items:
            tables = tables_of([Source(source.assistant, [item], source.group, source.path)])
            for name in written:
                assert set(tables[name].group) <= {source.group}
                at[name] = _block_at(tables[name], *theirs[name], at[name], f"{source.group} {item.get('id')} ({name})")
                checked[name] += len(tables[name].y)
    return checked


@pytest.mark.slow
def test_the_written_rows_are_what_the_engine_computes(assistant, monkeypatch, report_homes):
    """A deterministic sample of the written rows, computed again from the questions: every other question
    of two of the speech's sets and of its follow-up pairs, and one work report whole (the full replay over
    every set and report is ``assistant train``)."""
    from eval.reports import CORPUS_DIRS, assistant_for

    if not any(CORPUS_DIRS[0].glob("*.txt")):
        pytest.skip("the shared corpus of work reports is absent (it lies beside the checkout)")
    composer = assistant.composer
    for name in ("duty_selection", "sentence_selection", "figure_selection", "list_selection", "answerability",
                 "figure_check"):
        monkeypatch.setattr(composer, name, None)          # as `assistant train` computes them
    monkeypatch.setattr(assistant, "turn_model", None)
    sample = "eval/reports/beijing.jsonl"
    opened = {}

    def opener(doc):
        if doc not in opened:
            opened[doc] = assistant_for(doc, report_homes)
        return opened[doc]

    written = read_tables()
    # Two of the speech's sets (every other question) and one report: every kind of row.
    speech = ("eval/gold.jsonl", "eval/blind4.jsonl")
    assert set(speech) <= set(ANSWERABILITY_SETS) and set(speech) <= set(SELECTION_SETS)
    checked = _sampled(_relative(sources(assistant, speech + (sample,), REPO, opener), REPO))
    assert {s.group for s in checked} == set(speech) | {s.group for s in checked if s.document} and opened
    rows = _check_rows(lambda d: {"answerability": answerability_table(d)}, checked,
                       {"answerability": written["answerability"]})
    rows |= _check_rows(lambda d: selection_tables(d)[0], checked, {n: written[n] for n, _ in SELECTION_TABLES})
    # The figure check's rows are computed with the fitted figure selection in place.
    figure = SelectionModel.load(FIGURE_SELECTION_FILE, FIGURE_FEATURES)
    for source in checked:
        source.assistant.composer.figure_selection = figure
    rows |= _check_rows(lambda d: {"figure_check": figure_check_table(d)}, checked,
                        {"figure_check": written["figure_check"]})
    # The turn model's rows: the speech's labelled follow-up pairs (and 北京's, its index already open).
    paired = _sampled(_relative(sources(assistant, TURN_SETS, REPO), REPO))   # the speech's pairs (no opener)
    items = [json.loads(line) for line in (REPO / TURN_SETS[0]).read_text(encoding="utf-8").splitlines() if line.strip()]
    for doc, other in opened.items():
        paired.append(Source(other, [i for i in items if i.get("doc") == doc], doc, REPO / TURN_SETS[0], True))
    rows |= _check_rows(lambda d: {"turn": turn_table(d)}, paired, {"turn": written["turn"]})
    assert all(rows.values()), rows                       # every table is checked on some rows


def test_who_answers_quote_every_task_the_model_keeps(assistant):
    """A topic question is answered with the tasks under that topic, each quoted verbatim with its body."""
    answer = assistant.ask("秸秆禁烧谁负责？")
    text = answer.answer
    assert "市农业农村局" in text and "各县区政府" in text
    for c in answer.citations:
        assert c.quote == assistant.source(c.doc or None)[c.start:c.end]


def test_without_fitted_selection_models_answers_still_come(assistant, monkeypatch):
    for name in ("duty_selection", "sentence_selection", "figure_selection", "list_selection", "figure_check"):
        monkeypatch.setattr(assistant.composer, name, None)
    answer = assistant.ask("谁负责秸秆禁烧？")
    assert answer.answerable and len(answer.citations) >= 1
    parts = assistant.ask("讲话分了哪几个部分？").answer
    assert "成绩不易" in parts and "责任重大" in parts
    assert "3.6" in assistant.ask("十三五期间PM2.5浓度年均下降多少？").answer


def test_a_list_question_naming_a_section_gets_the_list_under_it(assistant):
    """The enumeration under the heading a question names (第二，要直面问题 → 一是…四是), all of it."""
    answer = assistant.ask("“直面问题”那部分列了哪几个问题？")
    for item in ("思想认识还不高", "工作成效还不稳", "污染治理还不力", "执法监管还不严"):
        assert item in answer.answer
    for c in answer.citations:
        assert c.quote == assistant.source(c.doc or None)[c.start:c.end]


def test_a_figure_of_another_place_does_not_answer(assistant):
    """The fitted figure check: the document gives 安康's good-air-days target, not 商洛's."""
    other = assistant.ask("商洛市今年优良天数目标定了多少天？")
    assert not other.answerable and "325" not in other.answer.split("最接近")[0]
    own = assistant.ask("今年中心城市优良天数目标定了多少天？")
    assert own.answerable and "325" in own.answer
