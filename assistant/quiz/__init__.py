"""Trainee self-quiz: questions generated from the facts layer, graded with the cited passage shown.

Nothing here is a hand-typed question bank. Every question is derived from the speech itself:

* figures (``Assistant.figures()``, kinds target/result/status/count) → fill-in-the-number cloze and
  true/false statements whose false version changes the number;
* the duty map (``Assistant.duties()``) → who-does-what multiple choice, which-task multiple choice,
  which-department free answer ("reverse"), true/false statements whose false version swaps an actor,
  and free recall ("what must 市交通局 do?", "which bodies are named under 在秸秆禁烧方面?");
* the speech's own enumerations (``index.enumerations``) → list recall (the four parts,
  the four 还不, the four 2021 priorities, the five air-pollution fronts …) and structure questions.

Every question carries a citation ``{quote, start, end, section}`` with ``quote == source[start:end]``;
questions whose answer is not visible in their cited passage are dropped at generation time.

Levels: 1 easy (multiple choice, true/false), 2 medium (cloze, reverse), 3 hard (list and free recall).
The bank is the same on every run (ids are stable, so progress can follow a question); a quiz is a
sample of the bank drawn with ``random.Random(seed)`` in which no two questions test the same fact or
passage. Distractors come from the asked duty's own section and are the same sort of body.

Modules: ``question`` (the Question and its kinds), ``generate`` (the bank), ``sample`` (drawing a quiz),
``overlap`` (when two questions give each other away), ``grade`` (scoring a response), ``progress``
(SQLite history, one owner per browser or login), ``actors`` (the document's bodies), ``bench``
(``python -m assistant.quiz.bench``: the duplicate-fact rate and distractor checks, measured).
The terminal loop lives with the CLI (``ui/quiz_terminal.py``).
"""
from __future__ import annotations

from assistant.quiz.actors import ActorNames
from assistant.quiz.generate import generate, supported
from assistant.quiz.grade import Grade, citations_of, grade, parse_bool, parse_choice
from assistant.quiz.progress import Progress
from assistant.quiz.question import KIND_LABELS, KINDS, LETTERS, LEVEL_LABELS, Question
from assistant.quiz.sample import make_quiz, resolve_kinds

__all__ = ["KINDS", "KIND_LABELS", "LETTERS", "LEVEL_LABELS", "ActorNames", "Grade", "Progress", "Question",
           "citations_of", "generate", "grade", "make_quiz", "parse_bool", "parse_choice", "resolve_kinds",
           "supported"]
