"""What a build derived is read back at open (index.snapshot) — the same as deriving it again, never stale."""
import shutil

from index import snapshot
from index.build import open_index
from index.documents import Sources
from index.postings import Postings
from index.tokens import dictionary, tokenize


def _same_corpus(a, b) -> None:
    assert a.text == b.text and a.sha256 == b.sha256
    assert [(s.id, s.start, s.end, s.path) for s in a.doc.sentences] == \
        [(s.id, s.start, s.end, s.path) for s in b.doc.sentences]
    assert [(p.id, p.start, p.end, p.sentence_ids) for p in a.passages] == \
        [(p.id, p.start, p.end, p.sentence_ids) for p in b.passages]
    assert [(d.actors, d.start, d.end) for d in a.duties] == [(d.actors, d.start, d.end) for d in b.duties]
    assert [(f.value, f.start, f.end) for f in a.figures] == [(f.value, f.start, f.end) for f in b.figures]
    assert [(x.name, x.surface_forms) for x in a.bodies] == [(x.name, x.surface_forms) for x in b.bodies]


def test_an_open_reads_what_the_build_derived(assistant):
    sources = Sources.load()
    kept = snapshot.read(assistant.index.path / snapshot.FILE, sources)
    assert kept is not None, "a build from Sources keeps its snapshot"
    fresh = sources.derive()
    _same_corpus(kept.corpus, fresh)
    with dictionary(assistant.index.path / "jieba.dict"):
        for postings, tokens in ((kept.sentence_postings, [tokenize(s.search_text()) for s in fresh.doc.sentences]),
                                 (kept.passage_postings, [tokenize(p.embed_text()) for p in fresh.passages])):
            again = Postings.of(tokens)
            assert postings.terms == again.terms and postings.lengths.tolist() == again.lengths.tolist()
            assert postings.rows.tolist() == again.rows.tolist() and postings.counts.tolist() == again.counts.tolist()


def test_a_snapshot_of_other_code_is_never_used_and_is_built_again_once(tmp_path, home, assistant, monkeypatch):
    """After an upgrade the open builds once, embedding nothing and keeping the store, and the opens after
    read the new snapshot; the answers stay."""
    from index.vectors import VectorCache

    copy = tmp_path / "home"
    shutil.copytree(home, copy, symlinks=True)
    question = "市交通局要做什么？"
    expected = assistant.ask(question).to_dict() | {"timings_ms": None}
    monkeypatch.setattr(snapshot, "code_fingerprint", lambda: "another release")
    assert snapshot.read(assistant.index.path / snapshot.FILE, Sources.load()) is None
    embedded = []
    vectors = VectorCache.vectors
    monkeypatch.setattr(VectorCache, "vectors", lambda self, *a: embedded.append(self) or vectors(self, *a))
    again = open_index(copy, corpus=Sources.load())
    assert again.rebuilt and all(c.embedded == 0 for c in embedded)
    assert snapshot.read(again.path / snapshot.FILE, Sources.load()) is not None
    assert not open_index(copy, corpus=Sources.load()).rebuilt
    from assistant import Assistant
    from assistant.config import Settings

    answer = Assistant.open(Settings.from_env(home=copy)).ask(question).to_dict() | {"timings_ms": None}
    assert answer == expected


def test_a_read_only_data_dir_derives_what_a_stale_snapshot_held(tmp_path, home, assistant, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(home, copy, symlinks=True)
    monkeypatch.setattr(snapshot, "code_fingerprint", lambda: "another release")
    from index import build as build_module

    monkeypatch.setattr(build_module, "_can_build", lambda home: False)
    index = open_index(copy, corpus=Sources.load())
    assert not index.rebuilt and len(index.corpus.duties) == len(assistant.index.corpus.duties)


def test_a_damaged_snapshot_is_found_at_open_and_rebuilt(tmp_path, home, assistant):
    copy = tmp_path / "home"
    shutil.copytree(home, copy, symlinks=True)
    path = (copy / "current").resolve() / snapshot.FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    index = open_index(copy, corpus=Sources.load())
    assert index.rebuilt
    assert snapshot.read(index.path / snapshot.FILE, Sources.load()) is not None


def test_the_vectors_read_at_open_are_the_stores(assistant):
    """The build's copy of its vectors, read at open, holds what the store holds, row for row (to the last
    bit of a float32, which the store may round once its index is written)."""
    import numpy as np

    s = assistant.searcher
    ids, held = assistant.index.sentences.all_vectors()
    order = {i: k for k, i in enumerate(ids)}
    assert np.allclose(s.vectors, held[[order[x.id] for x in s.sentences]], rtol=0, atol=1e-6)


def test_a_copy_that_disagrees_with_the_store_is_not_held_by_it(assistant):
    """A server's collections carry no checksum: its copy of the vectors is used only where the store holds it."""
    store = assistant.index.sentences
    ids = [x.id for x in assistant.searcher.sentences]
    good = assistant.searcher.vectors
    assert store.holds(ids, good)
    bad = good.copy()
    bad[-1] += 0.5   # the last row is always probed
    assert not store.holds(ids, bad) and not store.holds(ids, good[:-1])


def test_an_embedded_open_with_the_snapshot_does_not_open_chroma(settings, assistant, monkeypatch):
    """Every file of the build matched its checksum and the snapshot holds the vectors: answering asks the
    store nothing, so the open neither imports Chroma nor opens the store (2 s of a cold open at 1,000 documents);
    the store still opens on first use."""
    from assistant import Assistant
    from index import build as build_module

    opened = []
    real = build_module._reader_client
    monkeypatch.setattr(build_module, "_reader_client", lambda *a, **k: opened.append(a) or real(*a, **k))
    again = Assistant.open(settings)
    assert again.ask("市交通局要做什么？").answerable and not opened
    assert again.index.sentences.count() == len(again.searcher.sentences) and len(opened) == 1
    assert again.index.passages.count() == len(again.index.corpus.passages) and len(opened) == 1
