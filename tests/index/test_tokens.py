"""Question words against document text: a compound the question writes as one word counts by its pieces."""
from index.tokens import content_terms, term_share


def test_a_whole_word_counts_fully_and_an_absent_one_not_at_all():
    assert term_share("生产总值", "全省地区生产总值增长5%") == 1.0
    assert term_share("胖东来", "全省地区生产总值增长5%") == 0.0


def test_a_compound_counts_by_the_share_of_its_dictionary_pieces_in_the_text():
    # 粮食产量 asked; the report writes "粮食播种面积…，总产量达到…": both pieces are there.
    assert term_share("粮食产量", "粮食播种面积达到8780.7万亩，总产量达到853.2亿斤") == 1.0
    assert term_share("粮食产量", "总产量达到853.2亿斤") == 0.5


def test_the_documents_own_jurisdiction_is_no_content_word():
    # 全省 (the whole province) is where the report speaks from, as its own place is: never a reason to refuse.
    assert content_terms("去年全省粮食总产量多少？") == content_terms("去年粮食总产量多少？")


def test_jiebas_tables_are_parsed_once_per_machine_and_read_back_after(tmp_path, monkeypatch):
    """A new process (an `index --add`) reads jieba's entries, total and base entries back instead of parsing
    and sorting the 349,000-line dictionary again; a damaged file is parsed again."""
    from index import kept, tokens

    expected = tokens._jieba_tables()
    for cached in (tokens._jieba_tables, tokens.full_entries):
        cached.cache_clear()
    try:
        with kept.kept_in(tmp_path):
            assert tokens._jieba_tables() == expected
        assert len(list(tmp_path.glob("jieba-*.pickle"))) == 1
        tokens._jieba_tables.cache_clear()

        def refuse():
            raise AssertionError("jieba's dictionary parsed again")

        with monkeypatch.context() as m, kept.kept_in(tmp_path):
            m.setattr(tokens, "_parse_jieba", refuse)
            assert tokens.full_entries() == (expected["entries"], expected["total"])
            assert tokens.base_entries() == expected["base"]
        tokens._jieba_tables.cache_clear()
        tokens.full_entries.cache_clear()
        path = next(tmp_path.glob("jieba-*.pickle"))
        path.write_bytes(path.read_bytes()[:500])
        with kept.kept_in(tmp_path):
            assert tokens._jieba_tables() == expected
    finally:
        for cached in (tokens._jieba_tables, tokens.full_entries):
            cached.cache_clear()
