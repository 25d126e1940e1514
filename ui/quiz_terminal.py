"""``assistant quiz``: the self-quiz in a terminal (answers typed or piped on stdin), or ``--json``."""
from __future__ import annotations

import json
import random
import sys

from assistant.quiz import LETTERS, LEVEL_LABELS, ActorNames, parse_choice, resolve_kinds


def run_quiz(assistant, n: int = 10, seed: int | None = None, kind: str | None = None,
                 level: int | None = None, as_json: bool = False, console=None) -> dict | None:
    """``assistant quiz``: an interactive quiz in the terminal (stdin), or ``--json`` to dump one."""
    from rich.console import Console
    from rich.markup import escape
    from rich.prompt import Prompt

    console = console or Console()
    err = Console(stderr=True)
    if level is not None and int(level) not in (1, 2, 3):
        err.print("[red]错误:[/red] --level must be 1, 2 or 3")
        raise SystemExit(2)
    retry = (kind or "").strip().lower() in ("missed", "retry", "错题")
    try:
        kinds = None if retry else resolve_kinds(kind)
    except ValueError as e:
        err.print(f"[red]错误:[/red] {escape(str(e))}（或用 --retry-missed 重做答错的题）")
        raise SystemExit(2)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**6)
    bank = assistant.quiz_bank()
    if retry:  # --kind missed: the questions whose latest attempt was wrong
        known = {q.id for q in bank}
        ids = [qid for qid in assistant.progress.missed() if qid in known][:n]
        questions = assistant.quiz(n=n, seed=seed, ids=ids)
    else:
        questions = assistant.quiz(n=n, seed=seed, kind=kinds, level=level)

    if as_json:
        out = {"seed": seed, "n": len(questions), "kind": kinds, "level": level, "bank_size": len(bank),
               "questions": [q.to_dict() for q in questions]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return out
    if not questions:
        err.print("没有符合条件的题目。")
        return None

    progress = assistant.progress
    session = progress.start_session(n=len(questions), seed=seed, kind=kind, level=level, origin="cli")
    console.print(f"[bold]自测[/bold]：{len(questions)} 道题（种子 {seed}；题库共 {len(bank)} 题）。"
                  "输入答案后回车；选择题可答字母，判断题答 对/错；直接回车跳过，输入 q 退出。", highlight=False)
    total, answered, ended_early = 0.0, 0, False
    for i, q in enumerate(questions, 1):
        console.print()
        console.print(f"[bold cyan]第 {i}/{len(questions)} 题[/bold cyan] [dim]{escape(q.kind_label)} · "
                      f"难度 {q.level}（{LEVEL_LABELS[q.level]}） · {escape(q.topic)}[/dim]", highlight=False)
        console.print(escape(q.prompt), highlight=False, soft_wrap=True)
        if q.options and q.answer_type == "choice":
            for j, o in enumerate(q.options):
                console.print(f"  {LETTERS[j]}. {escape(o)}", highlight=False, soft_wrap=True)
        try:
            response = Prompt.ask("你的答案", console=console, default="", show_default=False)
        except (EOFError, KeyboardInterrupt):
            console.print()
            console.print("[yellow]输入结束，提前结束本次自测。[/yellow]")
            ended_early = True
            break
        if not _interactive():
            console.print(escape(response), highlight=False, soft_wrap=True)  # echo piped answers
        if response.strip().lower() in ("q", "quit", "exit", "退出"):
            ended_early = True
            break
        result = assistant.grade(q, response)
        progress.record(session, q, result, response)
        total += result.score
        answered += 1
        style = "green" if result.correct else ("yellow" if result.score > 0 else "red")
        head, _, rest = result.feedback.partition("\n")
        console.print(f"[{style}]{escape(head)}[/{style}]", highlight=False)
        if q.options and q.answer_type == "choice" and not result.correct:
            # The options again, the right one marked ✓ and the pick ✗: the answer shown where it was asked.
            picked = parse_choice(q, response, ActorNames(assistant.registry))
            for j, o in enumerate(q.options):
                mark = "✓" if o == q.answer else ("✗" if j == picked else " ")
                note = "（正确答案）" if o == q.answer else ("（你的选择）" if j == picked else "")
                line = f"{mark} {LETTERS[j]}. {o}{note}"
                console.print(f"[green]{escape(line)}[/green]" if o == q.answer else escape(line),
                              highlight=False, soft_wrap=True)
        console.print(escape(rest), highlight=False, soft_wrap=True)
    info = progress.finish_session(session)
    console.print()
    if answered:
        console.print(f"[bold]本次得分：{total:g} / {answered}（{total / answered:.0%}）[/bold]"
                      + ("，未答完" if ended_early and answered < len(questions) else ""), highlight=False)
    else:
        console.print("[bold]本次没有作答。[/bold]")
    console.print(escape(progress.summary_text()), highlight=False, soft_wrap=True)
    missed = progress.missed(session)
    if missed:
        console.print(f"答错 {len(missed)} 题：运行 [bold]assistant quiz --retry-missed[/bold] 重做这些题。",
                      highlight=False)
    return info


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False