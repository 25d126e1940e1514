"""A count whose items come right before it is a list, not something the document only counts."""
from assistant.answer.refusal import _listed_before


def test_items_named_before_their_count_spell_the_count_out():
    text = "推动钢铁、有色、化工、建材4个重点行业绿色化改造"
    assert _listed_before(text, text.index("4个"), 4)
    text = "实施基础教育提升、医疗卫生发展和职业培训创新三项工程"
    assert _listed_before(text, text.index("三项"), 3)


def test_a_bare_count_or_a_different_number_of_items_is_not_a_list():
    assert not _listed_before("我讲四点意见", 2, 4)
    text = "推动钢铁、有色4个重点行业绿色化改造"
    assert not _listed_before(text, text.index("4个"), 4)
