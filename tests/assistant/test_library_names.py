"""Which documents a question names, and what is left to ask each of them (no index needed)."""
import pytest

from assistant.library import DocumentNames, strip_naming
from index.tokens import cut_words


class _Doc:
    def __init__(self, doc_id, title, speaker="", date="", issuer="", kind="报告"):
        self.id, self._kind = doc_id, kind
        self.metadata = {k: {"value": v} for k, v in
                         (("title", title), ("speaker", speaker), ("date", date), ("issuer", issuer)) if v}

    def noun(self):
        return self._kind


@pytest.fixture(scope="module")
def names():
    return DocumentNames([
        _Doc("hunan", "2025年湖南省政府工作报告", "毛伟明", "2025年1月14日"),
        _Doc("shanxi", "2025年山西省政府工作报告", "金湘军", "2025年1月17日"),
        _Doc("qinghai", "2025年青海省政府工作报告", "罗东川", "2025年1月19日"),
        _Doc("xinjiang", "2025年新疆政府工作报告", "", "2025年1月19日"),
        _Doc("speech", "寇全安同志在全市生态环境保护工作会议上的讲话", "寇全安", "2021年4月16日",
             "安康市人民政府办公室", kind="讲话"),
    ])


@pytest.mark.parametrize("question,docs", [
    ("湘晋青三省国考断面水质优良比例去年各是多少？", ["hunan", "shanxi", "qinghai"]),   # a run of abbreviations
    ("请问晋今年GDP目标？", ["shanxi"]),                                               # one, opening the question
    ("新增就业目标是多少？", []),                                                      # 新 inside a word is no place
    ("What did Qinghai report about salt lakes?", ["qinghai"]),                        # English name
    ("金湘军省长报告中，智能化煤矿达到多少座？", ["shanxi"]),                           # speaker
    ("2021年4月16日的讲话说了什么？", ["speech"]),                                      # date
    ("安康今年优良天数目标？", ["speech"]),                                             # the issuer's place
    ("讲话里说市交通局要做什么？", ["speech"]),                                         # kind, when it narrows
    ("西北五省今年GDP目标各是多少？", ["qinghai", "xinjiang"]),                          # a group: those loaded
])
def test_a_question_names_its_documents(names, question, docs):
    assert names(question, cut_words).docs == docs


def test_a_province_no_document_is_about_is_reported_and_which_is_read(names):
    got = names("陕西今年GDP目标是多少？", cut_words)
    assert got.docs == [] and got.absent == ["陕西省"]
    which = names("哪个省的报告提到了盐湖？", cut_words)
    assert which.which and which.docs != ["speech"]


@pytest.mark.parametrize("question,words,left", [
    ("嘎玛泽登代主席的报告里，清洁能源专项资金安排了多少？", ["嘎玛泽登"], "清洁能源专项资金安排了多少？"),
    ("王莉霞主席的政府工作报告说内蒙古算力总规模到了多少？", ["内蒙古"], "算力总规模到了多少？"),
    ("天津那份报告说去年盘活了多少土地？", ["天津"], "去年盘活了多少土地？"),
    ("皖报告里那句“每出口几辆汽车就有1辆安徽造”，原话是几辆？", ["皖", "安徽"], "那句“每出口几辆汽车就有1辆安徽造”，原话是几辆？"),
])
def test_what_is_asked_of_a_named_document_keeps_the_question_and_its_quotations(question, words, left):
    assert strip_naming(question, words) == left


def test_compare_words_go_when_each_document_answers_alone():
    assert strip_naming("川渝两地今年GDP增速目标各是多少？", ["川", "渝"], compare=True) == "今年GDP增速目标是多少？"


def test_a_question_without_a_post_is_left_as_it_is_without_the_tagger(monkeypatch):
    from assistant import places

    def no_tagger(question):
        raise AssertionError(f"the tagger was asked about {question!r}")

    monkeypatch.setattr(places, "tagged", no_tagger)
    assert strip_naming("川渝两地今年GDP增速目标各是多少？", ["川", "渝"], compare=True) == "今年GDP增速目标是多少？"
    assert strip_naming("天津那份报告说去年盘活了多少土地？", ["天津"]) == "去年盘活了多少土地？"
