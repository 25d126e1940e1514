"""Chinese numerals, both ways: ``325`` ↔ ``三百二十五``, ``10.2`` ↔ ``十点二``, ``二〇二一`` → 2021.

The one numeral table of the project: segmentation's list markers, metadata dates, follow-up ordinals,
list answers and the quiz's grading all read numbers through here.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
NUMERAL_CHARS = "一二三四五六七八九十"
NUMERAL = f"[{NUMERAL_CHARS}]+"  # a regex fragment: the numerals of list markers (一、 / 第三， / 二是)

_VALUE = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "○": 0, "Ｏ": 0, "O": 0, "两": 2, "俩": 2}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十百千万]+(?:点[零〇一二两三四五六七八九]+)?")
NUMBER_PATTERN = _NUMBER.pattern  # a regex fragment: one number as a text writes it (4, 13.7, or in Chinese numerals)


def to_chinese(value: str | int | float) -> str:
    """``325`` → ``三百二十五``, ``10.2`` → ``十点二``, ``12`` → ``十二`` (integers below 10^8)."""
    text = str(value)
    whole, _, frac = text.partition(".")
    out = _int_to_chinese(int(whole))
    if frac:
        out += "点" + "".join(DIGITS[int(d)] for d in frac)
    return out


def _int_to_chinese(n: int) -> str:
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = _int_to_chinese(low) if low else ""
        if low and low < 1000:
            rest = "零" + rest
        return _int_to_chinese(high) + "万" + rest
    digits = [(n // 1000) % 10, (n // 100) % 10, (n // 10) % 10, n % 10]
    units = ["千", "百", "十", ""]
    out, zero = "", False
    for d, u in zip(digits, units):
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[d] + u
    if out.startswith("一十"):
        out = out[1:]
    return out


def parse_int(s: str) -> int | None:
    """``三百二十五`` → 325, ``十二`` → 12, ``二〇二一`` (digit by digit) → 2021, ``12`` → 12; None if not a numeral."""
    s = (s or "").strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in _VALUE and c not in _UNIT and c != "万" for c in s):
        return None
    if all(c in _VALUE for c in s):  # 三二五 / 二〇二一 read digit by digit
        return int("".join(str(_VALUE[c]) for c in s))
    total, section, num = 0, 0, 0
    for c in s:
        if c in _VALUE:
            num = _VALUE[c]
        elif c in _UNIT:
            if num == 0 and c == "十":
                num = 1
            section += num * _UNIT[c]
            num = 0
        elif c == "万":
            total += (section + num) * 10000
            section, num = 0, 0
    return total + section + num


def parse_numbers(text: str) -> list[float]:
    """Every number in a text, Arabic or Chinese: ``325天`` / ``三百二十五`` / ``十点二`` / ``百分之九十五``."""
    text = (text or "").replace("百分之", "").replace("，", ",")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,000
    out: list[float] = []
    for m in _NUMBER.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(float(tok))
            continue
        whole, _, frac = tok.partition("点")
        if whole and all(c in "百千万" for c in whole):  # a bare 百/千/万 is a word, not a number
            continue
        n = parse_int(whole) if whole else 0
        if n is None:
            continue
        if frac:
            out.append(float(f"{n}." + "".join(str(_VALUE[c]) for c in frac)))
        else:
            out.append(float(n))
    return out


def numbers_equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9 * max(1.0, abs(a), abs(b))
