"""Validate eval/library/dev.jsonl (development set) against the corpus (run from the repo root or anywhere).

The checks are ``checks.py``'s (shared with ``check_blind.py``); here: this set's counts and key phrases,
and that each key phrase is asked about and none of the blind set's is reused.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_blind import WHICH_KEY as BLIND_WHICH_KEY  # noqa: E402
from checks import check, report  # noqa: E402

SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dev.jsonl")
EXPECTED = {"named_document": 30, "which_document": 24, "compare": 20, "responsibility": 8,
            "target": 4, "fact": 6, "list": 4, "unanswerable": 16, "english": 8}
SPEECH = "ankang-2021-04-16-eco-speech.txt"
# key phrase of each "which document" question, including English rows of kind which_document
# (must occur in exactly one file; none reuses a key phrase of check_blind.py)
WHICH_KEY = {
    "libdev-031": "大零号湾", "libdev-032": "蒙科聚", "libdev-033": "无籍房", "libdev-034": "拉索",
    "libdev-035": "沙漠钻石酒店", "libdev-036": "星火大模型", "libdev-037": "黄河口国家公园",
    "libdev-038": "三个一号旅游公路", "libdev-039": "黄茅海", "libdev-040": "平陆运河",
    "libdev-041": "天山胜利隧道", "libdev-042": "引力子", "libdev-043": "二冬汤颗粒",
    "libdev-044": "燕赵钢铁实验室", "libdev-045": "殷墟博物馆", "libdev-046": "天涯海角",
    "libdev-047": "腾龙洞", "libdev-048": "江海号", "libdev-049": "铀矿", "libdev-050": "富矿精开",
    "libdev-051": "五女山", "libdev-052": "龙民黑猪", "libdev-053": "京彩灯会", "libdev-054": "汞矿",
    "libdev-115": "生命鸟巢", "libdev-116": "背篓专线",
}


def main() -> int:
    rows, errors = check(SET, EXPECTED, WHICH_KEY)
    blind_keys = set(BLIND_WHICH_KEY.values())
    for rid, key in WHICH_KEY.items():
        if key in blind_keys: errors.append(f"{rid}: key {key!r} is a key phrase of check_blind.py")
    for r in rows:
        rid = r.get("id")
        if rid in WHICH_KEY and WHICH_KEY[rid] not in r.get("question", ""):
            errors.append(f"{rid}: key {WHICH_KEY[rid]!r} not in the question")
        for bk in blind_keys:
            if bk in r.get("question", ""): errors.append(f"{rid}: question reuses blind key phrase {bk!r}")
    return report(rows, errors)


if __name__ == "__main__":
    sys.exit(main())
