"""Command-line interface (typer + rich): a thin layer over ``Assistant``."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from assistant.config import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="讲话问答助手: cited answers from the loaded documents (default: the shipped speech).")
console = Console()
err = Console(stderr=True)


def _open(rebuild: bool = False, llm: str | None = None, corpus: list[str] | None = None):
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.core import Assistant
    from assistant.models import ModelMissing
    from index.build import IndexError_
    from index.load import LoadError

    settings = Settings.from_env(llm=llm, corpus=tuple(corpus) if corpus else None)
    try:
        return _open_with(Assistant, settings, rebuild, Progress, BarColumn, TextColumn, TimeElapsedColumn)
    except (LoadError, ModelMissing, IndexError_, KeyError, ValueError) as exc:
        _fail(str(exc).replace("\n", " "), code=1)


def _open_with(Assistant, settings, rebuild, Progress, BarColumn, TextColumn, TimeElapsedColumn):
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("建立索引 (building the index)", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, description=f"建立索引: {stage}")

        return Assistant.open(settings, rebuild=rebuild, progress=progress)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]错误:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _render_answer(answer, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
        return
    style = "" if answer.answerable else "yellow"
    console.print(Markdown(answer.answer), style=style)
    if answer.citations:
        table = Table(show_header=True, header_style="bold", box=None)
        table.add_column("[n]")
        table.add_column("出处 (section)")
        table.add_column("原文 (quote)")
        for c in answer.citations:
            table.add_row(str(c.n), c.section, f"{c.quote}  [dim]({c.start}:{c.end})[/dim]")
        console.print(table)


@app.command()
def index(rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if the index is current."),
          corpus: Optional[list[str]] = typer.Option(None, "--corpus",
                                                     help="Document to index (.txt/.md/.docx/.pdf); repeat for several.")):
    """Build the index of the chosen documents (or check it is current)."""
    assistant = _open(rebuild=rebuild, corpus=corpus)
    assistant.settings.remember_corpus()
    for d in assistant.documents:
        console.print(f"文档 {d['id']}: {d['title']}")
    m = assistant.index.manifest
    console.print(f"index {m['build_id']}: {m['passages']} passages, {m['sentences']} sentences, "
                  f"{len(assistant.index.corpus.duties)} duties, {len(assistant.index.corpus.figures)} figures, "
                  f"embedding {m['embedding_model']} ({m['embedding_dim']}d), chroma {m['chroma']}")
    console.print(f"at {assistant.index.path}")


@app.command()
def ask(question: str = typer.Argument(..., help="The question, in Chinese or English."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
        history_file: Optional[Path] = typer.Option(None, "--history-file",
                                                    help="JSON list of the user's earlier questions."),
        llm: Optional[str] = typer.Option(None, "--llm", help="openai:MODEL | ollama:MODEL | gguf:/path.gguf")):
    """Answer one question with cited quotes."""
    from assistant.clean import InvalidHistory, InvalidQuestion, load_history_file

    history: list[str] = []
    if history_file:
        try:
            history, notices = load_history_file(history_file)
        except (InvalidHistory, OSError) as exc:
            _fail(f"--history-file: {exc}".replace("\n", " "))
        for notice in notices:
            err.print(f"[yellow]{notice}[/yellow]", highlight=False)
    assistant = _open(llm=llm)
    try:
        answer = assistant.ask(question, history)
    except InvalidQuestion as exc:
        _fail(str(exc))
    _render_answer(answer, as_json)


@app.command()
def chat():
    """Terminal chat with history: follow-up questions are resolved against earlier ones."""
    from assistant.core import Conversation
    from assistant.clean import InvalidQuestion

    assistant = _open()
    conversation = Conversation()
    titles = "；".join(d["title"] for d in assistant.documents)
    console.print(f"[bold]讲话问答助手[/bold] — {titles}。输入问题，空行或 Ctrl-D 退出。", highlight=False)
    while True:
        try:
            question = console.input("[bold cyan]问> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip():
            break
        try:
            answer = assistant.ask(question, conversation=conversation)
        except InvalidQuestion as exc:
            err.print(f"[red]{exc}[/red]")
            continue
        conversation.add(answer)
        if answer.standalone_question != answer.question:
            console.print(f"[dim]（理解为：{answer.standalone_question}）[/dim]")
        _render_answer(answer, as_json=False)


@app.command()
def duties(actor: Optional[str] = typer.Argument(None, help="An actor, any alias (交通局, transport bureau)."),
           as_json: bool = typer.Option(False, "--json")):
    """The duty map: every task the speech assigns, by actor."""
    assistant = _open()
    rows = assistant.duties(actor)
    if actor and not rows:
        _fail(f"讲话没有给“{actor}”布置任务。", code=1)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("actors", "topic", "task", "span")
    for d in rows:
        table.add_row("、".join(d["actors"]), d["topic"], d["task"], f"{d['start']}:{d['end']}")
    console.print(table)


@app.command()
def figures(as_json: bool = typer.Option(False, "--json")):
    """Every number in the speech with unit, measure, kind and sentence."""
    assistant = _open()
    rows = assistant.figures()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("figure", "kind", "measure", "span")
    for f in rows:
        table.add_row(f["text"], f["kind"], f["measure"], f"{f['start']}:{f['end']}")
    console.print(table)


@app.command()
def source(doc: Optional[str] = typer.Option(None, "--doc", help="Document id (default: the only or first one).")):
    """Print a document's canonical text, which its citations' offsets point into."""
    from index.documents import Corpus
    from index.load import LoadError

    settings = Settings.from_env()
    try:
        text = Corpus.load(settings.corpus_paths() or None).document(doc).text
    except (LoadError, KeyError) as exc:
        _fail(str(exc).strip("'\""), code=1)
    sys.stdout.write(text)


@app.command()
def train():
    """Fit the answer-type and answerability models and write them to index/models/."""
    from assistant.train import train as fit

    fit(progress=lambda line: err.print(line, highlight=False))


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Bind address (local only by default)."),
          port: int = typer.Option(7860)):
    """Start the web UI."""
    from ui.app import launch

    launch(_open(), host=host, port=port)


@app.command("eval")
def eval_cmd(gold: Optional[Path] = typer.Option(None, "--gold"), out: Path = typer.Option(Path("eval/out"), "--out"),
             compare: Optional[str] = typer.Option("naive", "--compare", help="Baseline to compare with: naive | none")):
    """Run the answer-accuracy suite and write report.md, results.json and chart.png."""
    from eval.run import run_eval

    run_eval(_open(), gold=gold, out=out, compare=None if compare in (None, "none") else compare, console=console)


@app.command()
def bench():
    """Measure speed and memory (warm/cold ask, index build, RSS)."""
    from eval.bench import run_bench

    run_bench(console=console)


@app.command()
def load(users: int = typer.Option(100, "--users"), seconds: int = typer.Option(60, "--seconds")):
    """Load bench: serve the web UI on loopback and drive it with Locust (errors, p50/p95/p99, throughput)."""
    from eval.load import run_load

    result = run_load(users, seconds, echo=lambda line: err.print(line, highlight=False))
    table = Table("measure", "value")
    for key, value in result.items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
def quiz(n: int = typer.Option(10, "--n"), seed: Optional[int] = typer.Option(None, "--seed"),
         kind: Optional[str] = typer.Option(None, "--kind"), level: Optional[int] = typer.Option(None, "--level"),
         as_json: bool = typer.Option(False, "--json")):
    """Self-quiz generated from the speech's facts, graded with the passage shown."""
    from ui.quiz_terminal import run_quiz

    run_quiz(_open(), n=n, seed=seed, kind=kind, level=level, as_json=as_json, console=console)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
