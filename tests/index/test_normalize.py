"""Canonical text: page-break joins, PM notation, OCR spaces, idempotence."""
import re

import pytest

from index.normalize import canonical_text, load_published, normalize

TEXT = canonical_text()

# Every place where the published text was cut by a page break, as it must read after joining.
PAGE_BREAK_JOINS = [
    "追赶超越新篇章贡献生态环保力量。",
    "高度重视白石河废弃硫铁矿污染治理工作，重金属污染治理项目一期工程发挥效益",
    "五年来，我们始终把良好的生态环境是最普惠的民生福祉作为工作目标",
    "甚至存在环境保护影响经济发展的错误认识。",
    "三、任务艰巨，更需担当作为，确保高质量完成“十四五”及2021年生态环境保护目标任务\n",
    "按期高质量完成白石河流域废弃硫铁矿污染治理，深入实施臭氧和PM2.5协同治理",
    "可行性研究报告，认真组织实施。",
    "要加快整改进度，确保年底前按期完成。",
    "优良天数同比减少7天；",
    "加快完成大气污染物源解析",
    "各级各部门主管、分管生态环保的领导干部",
    "因失职渎职造成严重生态环境污染事故的",
]


@pytest.mark.parametrize("joined", PAGE_BREAK_JOINS)
def test_page_breaks_are_rejoined(joined):
    assert joined in TEXT


def test_heading_split_by_page_break_is_one_line():
    lines = TEXT.split("\n")
    assert "三、任务艰巨，更需担当作为，确保高质量完成“十四五”及2021年生态环境保护目标任务" in lines
    assert not any(line.startswith("及2021年") for line in lines)


def test_pm_notation_and_markers():
    assert "PM_" not in TEXT and "₂" not in TEXT and "₁₀" not in TEXT and "**" not in TEXT
    assert TEXT.count("PM2.5") == 3 and TEXT.count("PM10") == 1
    assert "其中PM10、PM2.5平均浓度同比分别上升8.1%、7.1%" in TEXT


def test_ocr_spaces_removed_between_cjk_and_digits():
    assert "二期工程进度达到95%以上" in TEXT
    assert "不少于325天" in TEXT and "“6个100%”" in TEXT
    assert not re.search(r"[\u4e00-\u9fff] +[\d\u4e00-\u9fff%]|[\d%] +[\u4e00-\u9fff]", TEXT)


def test_paragraph_breaks_kept_as_single_newlines():
    assert "\n\n" not in TEXT
    assert len(TEXT.split("\n")) == 45
    assert TEXT.split("\n")[4] == "寇全安同志在全市生态环境保护工作会议上的讲话"


def test_idempotent():
    assert normalize(TEXT) == TEXT
    assert normalize(normalize(load_published())) == normalize(load_published())


def test_normalize_small_inputs():
    assert normalize("达到 95% 以上，**重点**工作") == "达到95%以上，重点工作"
    assert normalize("PM₂.₅ 和 PM_{10} 浓度") == "PM2.5和PM10浓度"
    assert normalize("") == ""
