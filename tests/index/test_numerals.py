"""Chinese numerals both ways (index/numerals.py)."""
from __future__ import annotations


import pytest

from index.numerals import parse_int, parse_numbers, to_chinese


@pytest.mark.parametrize("value", ["325", "10.2", "12", "111", "738", "100", "3.5", "105", "20300"])
def test_chinese_numerals_round_trip(value):
    assert parse_numbers(to_chinese(value)) == [float(value)]


def test_parse_numbers_forms():
    assert parse_numbers("两次") == [2.0]
    assert parse_numbers("百分之九十五") == [95.0]
    assert parse_numbers("第二十七名") == [27.0]
    assert parse_numbers("不少于325天") == [325.0]
    assert parse_numbers("三二五") == [325.0]
    assert parse_numbers("没有数字") == []


def test_parse_int_reads_dates_and_counts():
    assert parse_int("二〇二一") == 2021 and parse_int("二O二一") == 2021
    assert parse_int("十六") == 16 and parse_int("三百二十五") == 325 and parse_int("12") == 12
    assert parse_int("第") is None and parse_int("") is None
