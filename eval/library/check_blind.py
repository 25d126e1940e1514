"""Validate eval/library/blind.jsonl against the corpus (run from the repo root or anywhere).

The checks are ``checks.py``'s (shared with ``check_dev.py``); here: this set's counts and key phrases.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402

SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blind.jsonl")
EXPECTED = {"named_document": 40, "which_document": 30, "compare": 25, "responsibility": 10,
            "target": 3, "fact": 8, "list": 4, "unanswerable": 20, "english": 10}

# key phrase of each "which document" question (must occur in exactly one file)
WHICH_KEY = {
    "lib-041": "胖东来", "lib-042": "村超", "lib-043": "天开高教科创园", "lib-044": "浦江之光",
    "lib-045": "世界级盐湖产业基地", "lib-046": "三地一区", "lib-047": "百千万工程", "lib-048": "晋创谷",
    "lib-049": "花湖机场", "lib-050": "定日县", "lib-051": "360碗", "lib-052": "中国绿氢谷",
    "lib-053": "光伏长城", "lib-054": "117颗卫星", "lib-055": "天府粮仓", "lib-056": "海葵一号",
    "lib-057": "白龙核电", "lib-058": "天山文学奖", "lib-059": "医惠保1号", "lib-060": "5A级零碳景区",
    "lib-061": "净菜进京", "lib-062": "南繁硅谷", "lib-063": "我的韶山行", "lib-064": "培黎工坊",
    "lib-065": "晋江经验", "lib-066": "锦州银行", "lib-067": "马驹桥", "lib-068": "亚冬会",
    "lib-069": "白石河", "lib-070": "长者饭堂", "lib-144": "天都", "lib-145": "探索三号",
}


def main() -> int:
    return report(*check(SET, EXPECTED, WHICH_KEY))


if __name__ == "__main__":
    sys.exit(main())
