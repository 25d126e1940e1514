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
