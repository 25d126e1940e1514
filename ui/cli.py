"""Command-line interface (typer + rich): a thin layer over ``Assistant``."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markdown import Markdown

from assistant.config import Settings, SettingsError
from ui import terminal

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="讲话问答助手: cited answers from the loaded documents (default: the shipped speech).")
console = Console()
err = Console(stderr=True)


@app.callback()
def _check_environment() -> None:
    # Every command reads the settings somewhere (train and bench deep inside): check them once, up front.
    _settings()


def _open(rebuild: bool = False, llm: str | None = None, corpus: list[str] | None = None):
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.core import Assistant
    from assistant.models import ModelMissing
    from index.build import IndexError_
    from index.load import LoadError

    settings = _settings(llm=llm, corpus=tuple(corpus) if corpus else None)
    try:
        return _open_with(Assistant, settings, rebuild, Progress, BarColumn, TextColumn, TimeElapsedColumn)
    except (LoadError, ModelMissing, IndexError_, KeyError, ValueError) as exc:
        _fail(str(exc).replace("\n", " "), code=1)


def _settings(**overrides) -> Settings:
    """Settings from the environment; an unusable value is a one-line error (exit 2), not a traceback."""
    try:
        return Settings.from_env(**overrides)
    except SettingsError as exc:
        _fail(str(exc))


def _open_with(Assistant, settings, rebuild, Progress, BarColumn, TextColumn, TimeElapsedColumn):
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("建立索引 (building the index)", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, description=f"建立索引: {terminal.escape(stage)}")

        return Assistant.open(settings, rebuild=rebuild, progress=progress)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]错误:[/red] {terminal.escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _render_answer(answer, as_json: bool, assistant=None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
        return
    style = "" if answer.answerable else "yellow"
    console.print(Markdown(answer.answer), style=style)
    if answer.citations:
        t = terminal.table("n", "section", "quote")
        for c in answer.citations:
            where = ""
            if assistant is not None:
                place = assistant.place(c.doc or None, c.start)
                where = f"{c.section} · {terminal.label('paragraph', n=place['paragraph'])}"
            doc = f"《{c.doc_title}》 " if c.doc_title else ""   # several documents: which one it is from
            terminal.add_row(t, c.n, doc + (where or c.section), c.quote)
        console.print(t)
    llm = getattr(answer, "llm", None) or {}
    if llm.get("reason"):
        err.print(f"[dim]{'LLM' if llm.get('used') else '原文摘录'}：{terminal.escape(llm['reason'])}[/dim]",
                  highlight=False)


@app.command()
def index(rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if the index is current."),
          corpus: Optional[list[str]] = typer.Option(None, "--corpus",
                                                     help="Document to index (.txt/.md/.docx/.pdf); repeat for several."),
          add: Optional[list[str]] = typer.Option(None, "--add", help="Add a document to those indexed; repeatable."),
          remove: Optional[list[str]] = typer.Option(None, "--remove",
                                                     help="Remove a document (its id, file name or path); repeatable.")):
    """Build the index of the chosen documents (or check it is current). --add/--remove change the indexed
    documents; the others' vectors are reused, not embedded again."""
    if (add or remove) and corpus:
        _fail("--corpus 与 --add/--remove 不能同时使用 (use --corpus, or --add/--remove)")
    if add or remove:
        corpus = _changed_corpus(_settings().corpus_paths(), add or [], remove or [])
    assistant = _open(rebuild=rebuild, corpus=corpus)
    assistant.settings.remember_corpus()
    for d in assistant.documents:
        console.print(f"文档 {d['id']}: {d['title']}", markup=False)
    m = assistant.index.manifest
    console.print(f"index {m['build_id']}: {m['passages']} passages, {m['sentences']} sentences, "
                  f"{len(assistant.index.corpus.duties)} duties, {len(assistant.index.corpus.figures)} figures, "
                  f"embedding {m['embedding_model']} ({m['embedding_dim']}d), chroma {m['chroma']}", markup=False)
    console.print(f"at {assistant.index.path}", markup=False)


def _changed_corpus(current: list[str], add: list[str], remove: list[str]) -> list[str]:
    """The indexed documents' paths with ``add`` appended and ``remove`` (ids, file names or paths) taken out;
    a one-line error for a name that matches no document or a library left empty."""
    from index.documents import default_document_path
    from index.load import LoadError, load_document

    paths = list(current) or [default_document_path()]
    ids: dict[str, str] = {}
    for path in paths if remove else []:   # each document's id, read once (only to name one to remove)
        try:
            ids[path] = load_document(path).id
        except LoadError:
            ids[path] = ""
    for name in remove:
        found = [p for p in paths if name in (p, Path(p).name, Path(p).stem, ids[p])
                 or Path(name).resolve() == Path(p).resolve()]
        if not found:
            _fail(f"--remove {name}: 没有这个文档 (no such document among {', '.join(Path(p).name for p in paths)})")
        paths = [p for p in paths if p not in found]
    for name in add:
        resolved = str(Path(name).resolve())
        if any(Path(p).resolve() == Path(resolved) for p in paths):
            err.print(f"已在索引中，跳过：{terminal.escape(name)} (already indexed)", highlight=False)
            continue
        paths.append(resolved)
    if not paths:
        _fail("--remove 会删除所有文档，索引至少要有一个文档 (the index needs at least one document)")
    return paths


@app.command()
def ask(question: str = typer.Argument(..., help="The question, in Chinese or English."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
        history_file: Optional[Path] = typer.Option(None, "--history-file",
                                                    help="JSON list of the user's earlier questions."),
        llm: Optional[str] = typer.Option(None, "--llm", help="openai:MODEL | ollama:MODEL | gguf:/path.gguf"),
        doc: Optional[list[str]] = typer.Option(None, "--doc", help="Answer only from this document id (repeat; "
                                                "see `assistant source --list`); default: those the question "
                                                "names, else all.")):
    """Answer one question with cited quotes."""
    from assistant.clean import InvalidHistory, InvalidQuestion, load_history_file

    history: list[str] = []
    if history_file:
        try:
            history, notices = load_history_file(history_file)
        except (InvalidHistory, OSError) as exc:
            _fail(f"--history-file: {exc}".replace("\n", " "))
        for notice in notices:
            err.print(f"[yellow]{terminal.escape(notice)}[/yellow]", highlight=False)
    assistant = _open(llm=llm)
    try:
        answer = assistant.ask(question, history, docs=list(doc) if doc else None)
    except InvalidQuestion as exc:
        _fail(str(exc))
    _render_answer(answer, as_json, assistant)


@app.command()
def chat():
    """Terminal chat with history: follow-up questions are resolved against earlier ones."""
    from assistant.core import Conversation
    from assistant.clean import InvalidQuestion

    assistant = _open()
    conversation = Conversation()
    titles = "；".join(d["title"] for d in assistant.documents)
    console.print(f"[bold]讲话问答助手[/bold] — {terminal.escape(titles)}。输入问题，空行或 Ctrl-D 退出。",
                  highlight=False)
    while True:
        try:
            question = console.input("[bold cyan]问> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip():
            break
        answer, streamed = None, False
        try:
            for event in assistant.stream(question, conversation=conversation):
                if isinstance(event, str):  # an LLM reply as it streams; the settled answer follows
                    console.print(event, end="", style="dim", highlight=False, markup=False)
                    streamed = True
                else:
                    answer = event
        except InvalidQuestion as exc:
            err.print(f"[red]{terminal.escape(exc)}[/red]", highlight=False)
            continue
        except KeyboardInterrupt:  # stop this answer, keep the chat
            console.print()
            continue
        if streamed:
            console.print()
            console.rule("核对后的回答", style="dim")
        conversation.add(answer)
        if answer.standalone_question != answer.question:
            understood = terminal.escape(answer.standalone_question)
            console.print(f"[dim]（理解为：{understood}）[/dim]", highlight=False)
        _render_answer(answer, as_json=False, assistant=assistant)


@app.command()
def duties(actor: Optional[str] = typer.Argument(None, help="An actor, any alias (交通局, transport bureau)."),
           as_json: bool = typer.Option(False, "--json", help="Print the duties as JSON.")):
    """The duty map: every task the documents assign, by actor."""
    assistant = _open()
    rows = assistant.duties(actor)
    if actor and not rows:
        _fail(f"讲话没有给“{actor}”布置任务。", code=1)
    if as_json:
        return _print_json(rows)
    t = terminal.table("actors", "topic", "task", "place")
    for d in rows:
        terminal.add_row(t, "、".join(d["actors"]) + (terminal.label("inherited") if d.get("inherited") else ""),
                         d["topic"], d["task"], _paragraph(assistant, d["start"]))
    console.print(t)


def _print_json(rows: list[dict]) -> None:
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


def _paragraph(assistant, start: int) -> str:
    """第N段 of a duty's or figure's offset in the combined text, counted in its own document."""
    doc = assistant.index.corpus.locate(start)
    return terminal.label("paragraph", n=assistant.place(doc.id, start - doc.start)["paragraph"])


@app.command()
def figures(as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON.")):
    """Every number in the documents with unit, measure, kind and where it stands."""
    assistant = _open()
    rows = assistant.figures()
    if as_json:
        return _print_json(rows)
    t = terminal.table("figure", "kind", "measure", "place")
    for f in rows:
        terminal.add_row(t, f["text"], terminal.kind_label(f["kind"]), f["measure"], _paragraph(assistant, f["start"]))
    console.print(t)


@app.command()
def source(doc: Optional[str] = typer.Option(None, "--doc", help="Document id (default: the only or first one)."),
           listing: bool = typer.Option(False, "--list", help="List the loaded documents' ids and titles instead.")):
    """Print a document's canonical text, which its citations' offsets point into."""
    from index.documents import Corpus
    from index.load import LoadError

    settings = _settings()
    try:
        corpus = Corpus.load(settings.corpus_paths() or None)
        if listing:
            for d in corpus.documents:
                sys.stdout.write(f"{d.id}\t{d.label()}\n")
            return
        text = corpus.document(doc).text
    except (LoadError, KeyError) as exc:
        _fail(str(exc).strip("'\""), code=1)
    sys.stdout.write(text)


@app.command()
def train(refit: bool = typer.Option(False, "--refit", help="Fit the answer-type and masthead-field models even "
                                                                "when their examples are unchanged.")):
    """Fit the answer-type and answerability models and write them to index/models/."""
    from assistant.train import train as fit
    from eval.reports import assistant_for

    fit(progress=lambda line: err.print(line, highlight=False, markup=False), opener=assistant_for, refit=refit)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Bind address (local only by default)."),
          port: int = typer.Option(7860)):
    """Start the web UI."""
    from ui.app import launch
    from ui.eval_tab import TAB as EVAL_TAB

    try:
        _settings().ui_auth()   # before the index is opened: a login nobody can pass is refused at once
    except SettingsError as exc:
        _fail(str(exc))
    launch(_open(), host=host, port=port, extra_tabs=[EVAL_TAB])


@app.command("eval")
def eval_cmd(gold: Optional[Path] = typer.Option(None, "--gold", help="Question set (.jsonl); default eval/gold.jsonl."),
             out: Path = typer.Option(Path("eval/out"), "--out", help="Folder for report.md, results.json, chart.png."),
             compare: Optional[str] = typer.Option("naive", "--compare", help="Baseline to compare with: naive | none")):
    """Run the answer-accuracy suite and write report.md, results.json and chart.png."""
    from eval.run import run_eval

    assistant = _open()
    with terminal.progress("eval") as advance:
        result = run_eval(assistant, gold=gold, out=out, compare=None if compare in (None, "none") else compare,
                          progress=advance)
    ours, baseline = result["assistant"], result["baseline"]
    keys = ["accuracy", "refusal_recall", "key_fact_accuracy", "item_recall"]  # all figures: report.md
    t = terminal.table("category", "count", *keys, "baseline", numeric=("count", *keys, "baseline"), names=("category",),
                       title=f"{terminal.label('eval_title')} · {result['set']} ({result['status']})")
    for cat, m in list(ours["categories"].items()) + [(terminal.label("all"), ours["overall"])]:
        base = (baseline["categories"].get(cat, baseline["overall"]) if m is not ours["overall"]
                else baseline["overall"]) if baseline else {}
        terminal.add_row(t, cat, m["n"], *(_num(m.get(k)) for k in keys), _num(base.get("accuracy")))
    console.print(t)
    console.print(f"failures: {len(ours['failures'])} — report: {out / 'report.md'}", highlight=False, markup=False)


def _num(v) -> str:
    return "—" if v is None else f"{v:.3f}"


@app.command()
def bench(out: Optional[Path] = typer.Option(None, "--out", help="Also write the figures as JSON here (with "
                                            "--scale: the folder for results.json, report.md, chart.png)."),
          scale: bool = typer.Option(False, "--scale", help="Scale bench: 1 to 1,000 documents, embedded vs server."),
          sizes: str = typer.Option("1,10,29,100,1000", "--sizes", help="With --scale: document counts."),
          stores: str = typer.Option("embedded,server", "--stores", help="With --scale: embedded, server.")):
    """Measure speed and memory (index build, warm and cold asks, RSS) against the targets."""
    from eval.bench import TARGETS, run_bench

    if scale:
        return _bench_scale(out or Path("eval/out/scale"), sizes, stores)
    with terminal.progress("bench") as advance:
        results = run_bench(out=out, progress=advance)
    t = terminal.table("measure_name", "value", "target", "met", title=terminal.label("bench_title"))
    for k, v in TARGETS.items():
        terminal.add_row(t, k, results[k], f"≤ {v}", terminal.label("yes" if results["met"][k] else "no"))
    console.print(t)
    console.print(f"({results['warm_asks']} warm asks over the gold questions; the build took "
                  f"{results['build_over_embed']}× the embedding model's own time on the same sentences, "
                  f"{results['embed_only_s']} s, model load included in the build)", highlight=False)


def _bench_scale(out: Path, sizes: str, stores: str) -> None:
    from eval.scale import run_scale

    try:
        counts = tuple(int(x) for x in sizes.split(",") if x.strip())
    except ValueError:
        _fail(f"--sizes takes document counts such as 1,10,29 (got {sizes!r})")
    chosen = tuple(x.strip() for x in stores.split(",") if x.strip())
    if not counts or min(counts) < 1 or not chosen or set(chosen) - {"embedded", "server"}:
        _fail("--sizes takes positive counts (1,10,29) and --stores embedded and/or server")
    with terminal.progress("bench --scale") as advance:
        result = run_scale(sizes=counts, stores=chosen, out=out, progress=advance)
    console.print((out / "report.md").read_text(encoding="utf-8"), highlight=False, markup=False)
    console.print(f"({len(result['rows'])} rows — {out / 'results.json'}, {out / 'chart.png'})", highlight=False)


@app.command("eval-reports")
def eval_reports(sets: Optional[list[Path]] = typer.Option(None, "--set", help="Question set (repeat); default: "
                                                         "the development sets in eval/reports/."),
                 out: Path = typer.Option(Path("eval/out/reports"), "--out", help="Folder for report.md and results.json."),
                 homes: Path = typer.Option(Path("eval/out/homes"), "--homes", help="One data dir per document.")):
    """Accuracy across documents: each set's documents indexed alone, next to the naive hybrid baseline."""
    from eval.reports import MissingDocument, run_reports

    try:
        with terminal.progress("eval") as advance:
            result = run_reports(sets, homes=homes, out=out, progress=advance)
    except MissingDocument as exc:
        _fail(str(exc), code=1)
    t = terminal.table("category", "count", "accuracy", "baseline", numeric=("count", "accuracy", "baseline"),
                       names=("category",), title="eval-reports")
    for cat, m in list(result["categories"].items()) + [("all", result["overall"])]:
        base = result["baseline"] if m is result["overall"] else result["baseline_categories"].get(cat, {})
        t.add_row(cat, str(m["n"]), _num(m.get("accuracy")), _num(base.get("accuracy")))
    console.print(t)
    console.print(f"failures: {len(result['failures'])} — report: {out / 'report.md'}", highlight=False)


@app.command("eval-library")
def eval_library(sets: Optional[list[Path]] = typer.Option(None, "--set", help="Question set (repeat); default: "
                                                         "eval/library/dev.jsonl."),
                 out: Path = typer.Option(Path("eval/out/library"), "--out", help="Folder for report.md and results.json."),
                 home: Path = typer.Option(Path("eval/out/library-home"), "--home",
                                           help="Data dir of the library index (built on first use).")):
    """Accuracy over a library: the speech and the work reports of ../shared/corpus indexed together."""
    from eval.library import library_files, run_library

    if not library_files():
        _fail("没有找到文库：../shared/corpus (the shared corpus is not beside the checkout)", code=1)
    with terminal.progress("eval-library") as advance:
        result = run_library(sets, home=home, out=out, progress=advance)
    t = terminal.table("category", "count", "accuracy", "baseline", numeric=("count", "accuracy", "baseline"),
                       names=("category",), title=f"eval-library ({result['documents']} documents)")
    for cat, m in list(result["categories"].items()) + [("all", result["overall"])]:
        base = result["baseline"] if m is result["overall"] else result["baseline_categories"].get(cat, {})
        t.add_row(cat, str(m["n"]), _num(m.get("accuracy")), _num(base.get("accuracy")))
    console.print(t)
    console.print(f"failures: {len(result['failures'])} — report: {out / 'report.md'}", highlight=False)


@app.command("llm-bench")
def llm_bench(sets: Optional[list[Path]] = typer.Option(None, "--set", help="Question set (repeat); default: "
                                                       "eval/gold.jsonl and eval/blind4.jsonl."),
              limit: int = typer.Option(40, "--limit", help="Questions per set, spread over its categories."),
              out: Path = typer.Option(Path("eval/out"), "--out", help="Folder for llm_bench.md and .json."),
              llm: Optional[str] = typer.Option(None, "--llm", help="openai:MODEL | ollama:MODEL | gguf:/path.gguf")):
    """Extractive vs LLM reader against a real model: accuracy, answers kept, planted claims, latency."""
    from assistant.core import Assistant
    from eval.llm_bench import EVAL, run_llm_bench

    reader = _open(llm=llm)
    if not reader.settings.llm:
        _fail("llm-bench needs a model: set ASSISTANT_LLM or pass --llm", code=2)
    extractive = Assistant(reader.index, reader.settings.with_(llm=None))
    chosen = sets or [EVAL / "gold.jsonl", EVAL / "blind4.jsonl"]
    with terminal.progress("llm-bench", total=limit * len(chosen)) as advance:
        result = run_llm_bench(extractive, reader, chosen, limit=limit, out=out, progress=advance)
    for s in result["sets"]:
        console.print(f"{s['set']} ({s['status']}, n={s['n']}): extractive {s['accuracy']['extractive']}, "
                      f"LLM {s['accuracy']['llm']}, kept {s['llm_kept']} ({s['llm_kept_share']}), "
                      f"TTFT p50 {s['first_token_ms']['p50']} ms, settled p50 {s['settled_ms']['p50']} ms",
                      highlight=False, markup=False)
    for name, p in result["planted"].items():
        console.print(f"{name}: {len(p['survived'])} of {p['wrong_claims']} wrong claims survived; "
                      f"{len(p['controls_dropped'])} of {p['controls']} controls dropped", highlight=False,
                      markup=False)
    console.print(f"report: {out / 'llm_bench.md'}", highlight=False, markup=False)


@app.command()
def load(users: int = typer.Option(100, "--users", help="Simulated users, each one web session or API client."),
         seconds: int = typer.Option(60, "--seconds", help="How long to load the server."),
         think: str = typer.Option("0.5,1.5", "--think", help="Each user's pause between questions, "
                                   "'low,high' seconds (people reading an answer pause 5–20 s)."),
         steady: bool = typer.Option(False, "--steady", help="Count only turns after every user has arrived.")):
    """Load bench: serve the web UI on loopback and drive it with Locust (errors, p50/p95/p99, throughput)."""
    from eval.load import run_load

    try:
        low, high = (float(x) for x in think.split(","))
    except ValueError:
        raise typer.BadParameter("--think takes two numbers, 'low,high' (e.g. 5,15)") from None
    result = run_load(users, seconds, echo=lambda line: err.print(line, highlight=False, markup=False),
                      think=(low, high), steady=steady)
    t = terminal.table("measure_name", "value", title=terminal.label("load_title"))
    for key, value in result.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                terminal.add_row(t, f"{key}.{sub}", v)
        else:
            terminal.add_row(t, key, value)
    console.print(t)


@app.command()
def quiz(n: int = typer.Option(10, "--n", help="How many questions (1–50)."),
         seed: Optional[int] = typer.Option(None, "--seed", help="Same seed, same questions; default: random."),
         kind: Optional[str] = typer.Option(None, "--kind", help="Question kinds, comma-separated: true_false, who, "
                                            "task, structure, cloze, reverse, list, recall (or tf, mc, 填空 …)."),
         level: Optional[int] = typer.Option(None, "--level", help="Difficulty: 1 easy, 2 medium, 3 hard."),
         retry_missed: bool = typer.Option(False, "--retry-missed", help="Ask again the questions whose latest "
                                           "answer was wrong."),
         as_json: bool = typer.Option(False, "--json", help="Print the questions as JSON instead of asking them.")):
    """Self-quiz generated from the documents' facts, graded at once with the cited passage shown."""
    from ui.quiz_terminal import run_quiz

    run_quiz(_open(), n=n, seed=seed, kind="missed" if retry_missed else kind, level=level, as_json=as_json,
             console=console)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
