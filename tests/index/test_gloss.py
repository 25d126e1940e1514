"""index.gloss: English questions reach derived Chinese terms through CC-CEDICT, with nothing typed by hand."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.gloss import Glossary, clean_definitions, segment, stem

ROOT = Path(__file__).resolve().parents[2]

# Terms as a simple extraction over a speech would derive them (test inputs only).
TERMS = [
    "市交通局", "市住建局", "市城管局", "市生态环境局", "市公安局", "市农业农村局", "各县区", "秸秆", "网箱",
    "扬尘", "汽修行业", "渣土车", "优良天数", "挥发性有机物", "道路清扫保洁", "餐饮油烟", "水质", "考核",
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(TERMS)


def first(glossary: Glossary, question: str) -> str | None:
    hits = glossary.match(question)
    return hits[0][0] if hits else None


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("transport bureau", "市交通局"),
        ("Which bureau handles transportation?", "市交通局"),
        ("public security bureau", "市公安局"),
        ("public security", "市公安局"),
        ("city management", "市城管局"),
        ("straw", "秸秆"),
        ("net cages", "网箱"),
        ("net cage", "网箱"),
        ("dust", "扬尘"),
        ("agriculture", "市农业农村局"),
        ("construction", "市住建局"),
        ("ecology", "市生态环境局"),
        ("environment bureau", "市生态环境局"),
        ("auto repair industry", "汽修行业"),
        ("volatile organic compounds", "挥发性有机物"),
        ("water quality", "水质"),
        ("assessment", "考核"),
        ("catering", "餐饮油烟"),
        ("county", "各县区"),
        ("what does the plan say about 秸秆 straw", "秸秆"),
    ],
)
def test_english_question_reaches_term(glossary, question, term):
    assert first(glossary, question) == term


@pytest.mark.xfail(strict=True, reason="CC-CEDICT glosses 公安 as 'public security', not 'police'")
def test_police_reaches_public_security_bureau(glossary):
    assert "市公安局" in [t for t, _ in glossary.match("police")]


@pytest.mark.xfail(strict=True, reason="CC-CEDICT glosses 城管 as 'city management', not 'urban management'")
def test_urban_management_reaches_city_management_bureau(glossary):
    assert first(glossary, "urban management") == "市城管局"


@pytest.mark.xfail(strict=True, reason="住建 is not in CC-CEDICT; its pieces 住/建 read 'to live'/'to build'")
def test_housing_reaches_housing_bureau(glossary):
    assert first(glossary, "housing") == "市住建局"


def test_affixes_come_from_the_dictionary(glossary):
    assert glossary.pieces("市交通局") == ["市", "交通", "局"]
    assert "city" in glossary.gloss("市交通局")
    assert "office" in glossary.gloss("市交通局")
    assert "county" in glossary.gloss("各县区")
    assert "district" in glossary.gloss("各县区")
    assert Glossary(["委员会"]).gloss("委员会")[0] == "committee"


def test_affixes_count_little(glossary):
    # 'city' alone touches every 市…局 body, but less than a body's own subject does.
    city = dict(glossary.match("city", top=10))
    transport = dict(glossary.match("city transport bureau", top=10))
    assert transport["市交通局"] > city["市交通局"]
    assert max(city.values()) < 0.5
    assert list(transport) == ["市交通局"]


def test_unrelated_question_matches_nothing(glossary):
    assert glossary.match("what is the weather on mars") == []
    assert glossary.match("") == []
    assert glossary.match("the of and") == []


def test_scores_sorted_and_cut(glossary):
    hits = glossary.match("dust", top=10)
    assert hits[0][0] == "扬尘"
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len(glossary.match("city", top=2)) == 2


def test_deterministic():
    questions = ["transport bureau", "dust", "city", "public security bureau", "county district"]
    one, two = Glossary(TERMS), Glossary(list(reversed(TERMS)))
    for q in questions:
        assert one.match(q) == one.match(q)
        assert one.match(q) == two.match(q)
        assert one.match(q) == Glossary(TERMS).match(q)


def test_max_terms_and_dedup():
    g = Glossary(TERMS + TERMS + ["  ", ""], max_terms=5)
    assert g.terms == TERMS[:5]


def test_clean_definitions_drops_notes():
    raw = [
        "CL:個|个[ge4]", "surname Ou", "variant of 揚|扬[yang2]", "old variant of 區|区[qu1]",
        "see 某某[mou3 mou3]", "abbr. for 揚州|扬州[Yang2 zhou1]",
        "city management (abbr. for 城市管理行政執法局|城市管理行政执法局[Cheng2 shi4])",
        "(Ministry of) Public Security", "trade, profession", "net cage (fish farming)",
    ]
    assert clean_definitions(raw) == ["city management", "public security", "trade", "profession", "net cage"]


def test_segment_longest_match():
    words = {"交通": (), "交": (), "通": (), "局": ()}
    assert segment("交通局", words) == ["交通", "局"]
    assert segment("交PM2.5通", words) == ["交", "PM2.5", "通"]


def test_stem():
    assert stem("transportation") == stem("transport")
    assert stem("cages") == stem("cage")
    assert stem("cities") == stem("city")
    assert stem("housing") == stem("house")
    assert stem("environmental") == stem("environment")
    assert stem("construction") == stem("construct")


def test_no_document_words_in_code():
    source = (ROOT / "index" / "gloss.py").read_text(encoding="utf-8")
    for term in TERMS:
        assert term not in source
    # No Chinese at all: the module cannot carry a hand-typed glossary.
    assert not re.search(r"[\u3400-\u9fff]", source)


def test_build_is_fast_for_two_thousand_terms():
    """Cold process: dictionary load + build over 2000 terms from the speech's own text."""
    script = (
        "import re,random,time\n"
        "t0=time.perf_counter()\n"
        "from index.gloss import Glossary\n"
        "text=open('index/corpus/ankang-2021-04-16-eco-speech.txt',encoding='utf-8').read()\n"
        "runs=re.findall(r'[\\u4e00-\\u9fff]+',text)\n"
        "grams=sorted({r[i:i+n] for r in runs for n in (2,3,4,5,6) for i in range(len(r)-n+1)})\n"
        "terms=random.Random(0).sample(grams,2000)\n"
        "t1=time.perf_counter()\n"
        "Glossary(terms)\n"
        "print(time.perf_counter()-t1)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = float(out.stdout.strip())
    # Target is 1.5 s (about 1.0 s measured); the bound leaves room for a loaded CI machine.
    assert seconds < 4.0, seconds


def test_warm_build_is_fast(glossary):
    terms = [a + b for a in TERMS for b in TERMS][:2000]
    start = time.perf_counter()
    Glossary(terms)
    assert time.perf_counter() - start < 1.0


def test_a_derived_english_word_reaches_its_verb():
    """"rectification" is "to rectify" (CC-CEDICT's 整改: "to rectify and improve")."""
    from index.gloss import content_stems, stem

    assert stem("rectification") == stem("rectify") == "rectify"
    assert stem("classification") == "classify"
    assert content_stems("to rectify and improve") == ["rectify", "improv"]


def test_a_build_lets_go_of_the_parsed_dictionary(cedict_parsed_once, monkeypatch, tmp_path):
    """Once a build has written its English data, no parsed CC-CEDICT stays in memory (answering reads
    english.json). The suite's other builds keep it parsed (tests/conftest.py cedict_parsed_once): here the
    clearing is put back."""
    from index.documents import Corpus
    from index.english import build_english

    for function in cedict_parsed_once:
        monkeypatch.delattr(function, "cache_clear")      # the lru_cache's own cache_clear again
        function()                                        # parsed (kept from the builds before, if any)
    assert [f.cache_info().currsize for f in cedict_parsed_once] == [1] * len(cedict_parsed_once)
    doc = tmp_path / "notice.txt"
    doc.write_text("关于做好河道保洁工作的通知\n县水务局要加强河道日常巡查。\n", encoding="utf-8")
    data = build_english(Corpus.load([doc]), ["河道", "保洁"])
    assert data["glossary"] and data["pinyin"]
    assert [f.cache_info().currsize for f in cedict_parsed_once] == [0] * len(cedict_parsed_once)


def test_among_equal_shares_the_term_covering_more_of_the_question_comes_first():
    # All three are glossed wholly by the question's words; the compound covers two of them. (Ordered by the
    # characters alone, the compound came last and was cut when a question matched many terms.)
    glossary = Glossary(["质量", "空气", "空气质量"])
    assert [t for t, _ in glossary.match("How was the air quality?")][0] == "空气质量"


def test_each_telling_word_of_a_question_gets_a_term_before_a_second_for_another():
    # Four translations of "year" are all glossed wholly; before, they filled the first places in
    # character order and the question's subject ("employment") came after them, cut at eight terms.
    glossary = Glossary(["年度", "每年", "百年", "成年", "全年", "就业", "充分就业", "城镇"])
    terms = [t for t, _ in glossary.match("How many urban jobs were created this year?", top=4)]
    assert "就业" in terms[:2] or "充分就业" in terms[:2]
    assert sum(t in ("年度", "每年", "百年", "成年", "全年") for t in terms) <= 2


def test_among_translations_of_one_word_the_one_the_text_uses_most_comes_first():
    glossary = Glossary(["就业", "充分就业"])
    use = {"就业": 12, "充分就业": 1}.get
    assert [t for t, _ in glossary.match("new jobs", use=use)][0] == "就业"
    assert [t for t, _ in glossary.match("new jobs", use=lambda t: {"就业": 1, "充分就业": 12}[t])][0] == "充分就业"


def test_a_year_in_an_english_question_translates_to_no_term():
    glossary = Glossary(["2025年度计划", "目标"])
    assert [t for t, _ in glossary.match("What is the target for 2025?")] == ["目标"]
