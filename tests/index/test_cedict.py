"""CC-CEDICT's tables are parsed once per data dir and read back after (index.cedict)."""
import pickle

import pytest

from index import cedict, gloss


@pytest.fixture
def fresh(cedict_parsed_once, monkeypatch):
    """The tables as a new process sees them: nothing parsed in memory (the suite's copy is put back after)."""
    kept = cedict.tables()
    monkeypatch.delattr(cedict.tables, "cache_clear")
    cedict.tables.cache_clear()
    yield kept
    cedict.tables.cache_clear()


def _no_parse(monkeypatch):
    def refuse():
        raise AssertionError("CC-CEDICT parsed again")
    monkeypatch.setattr(gloss, "cedict_entries", refuse)


def test_a_second_build_reads_the_kept_tables_instead_of_parsing(fresh, monkeypatch, tmp_path):
    with cedict.kept_in(tmp_path):
        first = cedict.tables()
    kept = list(tmp_path.glob("cedict-*.pickle"))
    assert len(kept) == 1 and first["words"]["交通"] == fresh["words"]["交通"]
    cedict.tables.cache_clear()
    _no_parse(monkeypatch)
    with cedict.kept_in(tmp_path):
        again = cedict.tables()
    assert again == first
    assert "交通" in gloss.reverse_index({"交"})[0]["traffic"]


def test_a_damaged_or_foreign_file_is_parsed_again_and_replaced(fresh, tmp_path):
    with cedict.kept_in(tmp_path):
        cedict.tables()
    path = next(tmp_path.glob("cedict-*.pickle"))
    path.write_bytes(path.read_bytes()[:1000])                     # torn
    (tmp_path / "cedict-0123456789abcdef01234567.pickle").write_bytes(pickle.dumps(("other", {})))
    cedict.tables.cache_clear()
    with cedict.kept_in(tmp_path):
        tables = cedict.tables()
    assert tables["words"]["交通"] == fresh["words"]["交通"]
    assert [p.name for p in tmp_path.glob("cedict-*.pickle")] == [path.name]   # whole again; the stale one gone
    with open(path, "rb") as fh:
        assert pickle.load(fh)[1] == tables


def test_a_cache_dir_that_cannot_be_written_only_costs_the_parse(fresh, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with cedict.kept_in(blocked / "cache"):
        assert cedict.tables()["words"]["交通"] == fresh["words"]["交通"]


def test_by_default_the_tables_are_kept_in_the_users_cache_dir_for_every_data_dir(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cedict.tables()
    assert len(list((tmp_path / "xdg" / "jianghua-assistant").glob("cedict-*.pickle"))) == 1
