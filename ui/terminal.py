"""Terminal output for the CLI: tables that wrap instead of cutting, headers in the interface language,
and progress bars on stderr (so ``assistant eval > out.txt`` still shows progress, and stdout stays data).

Rich reads ``[...]`` in a printed string as markup, and a stray ``[/red]`` in a question or a document
raises ``MarkupError``; so every text that comes from a user or a document goes through ``escape`` (a
``rich.markup.escape`` that also takes non-strings) and every table row through ``add_row``.

The interface language is ``ASSISTANT_LANG`` (``zh`` by default, or ``en``).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.markup import escape as _escape
from rich.table import Table

LABELS: dict[str, tuple[str, str]] = {  # key → (中文, English)
    "actors": ("责任主体", "actors"), "topic": ("方面", "topic"), "task": ("任务", "task"),
    "place": ("位置", "where"), "figure": ("数值", "figure"), "kind": ("类型", "kind"),
    "measure": ("衡量内容", "measure"), "n": ("[n]", "[n]"), "section": ("出处", "section"),
    "quote": ("原文", "quote"), "category": ("类别", "category"), "count": ("题数", "n"),
    "accuracy": ("准确率", "accuracy"), "refusal_recall": ("拒答召回", "refusal recall"),
    "key_fact_accuracy": ("关键事实", "key facts"), "item_recall": ("列举召回", "item recall"),
    "citation_validity": ("引用有效", "citations valid"), "baseline": ("基线", "baseline"),
    "measure_name": ("指标", "measure"), "value": ("数值", "value"), "target": ("目标", "target"),
    "met": ("达标", "met"), "yes": ("是", "yes"), "no": ("否", "NO"), "all": ("全部", "ALL"),
    "eval_title": ("回答准确率", "answer accuracy"), "bench_title": ("性能", "benchmark"),
    "load_title": ("负载测试", "load test"), "paragraph": ("第{n}段", "para {n}"),
    "inherited": ("（承上）", " (inherited)"),
}
KIND_LABELS = {"target": ("目标", "target"), "result": ("成绩", "result"), "status": ("现状", "status"),
               "count": ("数量", "count"), "date": ("时间", "date")}


def lang() -> str:
    return "en" if os.environ.get("ASSISTANT_LANG", "zh").lower().startswith("en") else "zh"


def label(key: str, **fmt) -> str:
    zh, en = LABELS.get(key, (key, key))
    text = en if lang() == "en" else zh
    return text.format(**fmt) if fmt else text


def kind_label(kind: str) -> str:
    zh, en = KIND_LABELS.get(kind, (kind, kind))
    return en if lang() == "en" else zh


def escape(value: object) -> str:
    """``value`` as text that Rich prints literally (``[/red]`` stays ``[/red]``, never markup)."""
    return _escape(str(value))


def add_row(t: Table, *cells: object) -> None:
    """A row of literal text: cells hold quotes, tasks and names from documents and users."""
    t.add_row(*(escape(c) for c in cells))


def table(*keys: str, title: str | None = None, numeric: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> Table:
    """A table whose columns wrap (fold) rather than cut with "…"; numeric columns never split, and name
    columns (``names``: short labels such as categories) keep their words whole."""
    t = Table(title=None if title is None else escape(title), show_lines=False, header_style="bold", expand=False,
              padding=(0, 1))
    for key in keys:
        if key in numeric:  # a 5-character figure always fits; a long header wraps above it
            t.add_column(escape(label(key)), justify="right", overflow="fold", min_width=5)
        elif key in names:
            t.add_column(escape(label(key)), overflow="fold", min_width=14)
        else:
            t.add_column(escape(label(key)), overflow="fold")
    return t


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator:
    """A progress bar on stderr (shown when stderr is a terminal); yields ``advance(n=1)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(escape(description), total=total)

        def advance(n: int = 1, total: int | None = None, description: str | None = None) -> None:
            changes = {"total": total} if total is not None else {}
            if description:
                changes["description"] = escape(description)
            bar.update(task, advance=n, **changes)

        yield advance
