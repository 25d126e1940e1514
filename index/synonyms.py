"""Query expansion: English and colloquial words → the speech's own terms.

BM25 only matches the speech's words, so a question in English or in everyday words is expanded with
the terms the speech uses. Dense retrieval (multilingual e5) covers what this table misses.
"""
from __future__ import annotations

import re

# English phrase (lowercase, matched on word boundaries) → speech terms.
EN_TERMS: dict[str, str] = {
    "good air quality days": "优良天数", "good air days": "优良天数", "good days": "优良天数",
    "air quality days": "优良天数", "excellent days": "优良天数", "good-quality days": "优良天数",
    "air quality": "空气质量", "air": "空气质量 大气", "smog": "治霾 大气污染", "haze": "治霾",
    "target": "目标 确保 不少于", "goal": "目标", "dust": "扬尘", "construction site": "建筑工地 工地 扬尘",
    "construction sites": "建筑工地 工地 扬尘", "road cleaning": "道路清扫保洁", "street cleaning": "道路清扫保洁",
    "road sweeping": "道路清扫保洁", "straw": "秸秆", "straw burning": "秸秆禁烧 禁燃", "crop residue": "秸秆",
    "vocs": "挥发性有机物", "voc": "挥发性有机物", "volatile organic": "挥发性有机物", "ozone": "臭氧",
    "auto repair": "汽修行业 喷漆", "car repair": "汽修行业", "repair shops": "汽修行业", "garages": "汽修行业",
    "spray painting": "喷漆作业", "painting": "喷漆作业", "restaurant": "餐饮油烟", "cooking fumes": "餐饮油烟",
    "oil fumes": "餐饮油烟", "catering": "餐饮", "muck trucks": "渣土车", "muck truck": "渣土车",
    "dump trucks": "渣土车", "slag trucks": "渣土车", "vehicle": "机动车", "vehicles": "机动车",
    "roadside inspection": "路检路查", "roadside inspections": "路检路查", "road checks": "路检路查",
    "inspections": "检查 路检路查", "per month": "每月", "a month": "每月", "times": "次",
    "water quality": "水质", "sections": "断面", "monitoring sections": "断面", "state-controlled": "国控",
    "national": "国家 全国", "provincial": "省控", "municipal": "市控", "pyrite": "硫铁矿", "sulfur": "硫铁矿",
    "mine": "矿山 硫铁矿", "mines": "矿山", "baishi river": "白石河", "baishihe": "白石河", "han river": "汉江",
    "hanjiang": "汉江", "yinghu": "瀛湖", "ying lake": "瀛湖", "phase ii": "二期工程", "second phase": "二期工程",
    "phase 2": "二期工程", "progress": "进度", "pm2.5": "PM2.5", "pm10": "PM10", "13th five-year": "十三五",
    "14th five-year": "十四五", "five-year": "五年", "inspection": "督察 检查", "central inspection": "中央生态环保督察",
    "environmental inspection": "生态环保督察", "complaints": "信访投诉 投诉", "problems": "问题", "rectification": "整改",
    "accountability": "问责", "assessment": "考核", "fireworks": "烟花爆竹", "fish": "禁渔", "fishing ban": "禁渔",
    "net cages": "网箱", "cages": "网箱", "speaker": "寇全安同志", "who gave": "讲话", "date": "2021年4月16日",
    "when": "时间 日期", "speech": "讲话", "delivered": "讲话 同志", "gave": "讲话", "rank": "排名 第", "ranking": "排名", "cities": "城市", "sewage": "污水", "garbage": "垃圾",
    "rural": "农村", "toilet": "厕所革命", "carbon": "碳达峰 碳中和", "qinling": "秦岭", "political": "政治",
    "responsibility": "责任", "counties": "县区", "emission": "排放", "permit": "排污许可", "noise": "噪声",
    "problem": "问题", "ban": "禁", "burn": "禁烧", "burning": "禁烧", "fumes": "油烟", "monitoring": "监测",
    "micro stations": "微站", "source apportionment": "源解析", "yuehe": "月河", "yue river": "月河",
    "party": "党", "year-end": "年底", "end of the year": "年底", "deadline": "年底前 按期",
    "on average": "年均", "each year": "年均", "per year": "年均", "annual": "年均", "improve": "改善 增加 下降",
    "grade ii": "二级标准", "air standard": "大气环境质量 达标", "meet the": "达标", "mindset": "思想认识",
    "officials": "干部", "cadres": "干部", "inspectors": "督察 督察组", "focus on": "重点督察内容 重点",
    "crop straw": "秸秆", "in charge": "负责", "restaurant fumes": "餐饮油烟", "restaurants": "餐饮",
    "langao": "岚皋县", "pingli": "平利县", "hanbin": "汉滨区", "hanyin": "汉阴县", "shangluo": "商洛市",
    "ankang": "安康", "xunyang": "旬阳", "honors": "表彰", "honours": "表彰", "honored": "表彰", "named": "表彰",
    "awarded": "表彰", "demonstration county": "示范县", "ecological civilization": "生态文明建设",
    "gave speeches": "作了工作发言", "spoke": "发言", "speeches": "发言", "reports": "发言", "four years": "连续4年",
    "in a row": "连续", "compliant": "达标城市", "standard-compliant": "达标城市", "april 13": "截至4月13日",
    "as of": "截至", "not yet": "还不", "shortcomings": "还不 问题", "feasibility": "可行性研究报告",
    "one site, one policy": "一点一策", "one site one policy": "一点一策", "sites": "点", "pyrite mine sites": "硫铁矿点",
    "regulations": "条例", "documents": "方案 清单", "plan": "方案", "leader": "一把手 第一责任人",
    "first person responsible": "第一责任人", "instructions": "批示", "conveyed": "传达", "praise": "表扬",
    "increase": "增加 上升", "decrease": "下降 减少", "fell": "下降", "rose": "上升", "composite index": "综合指数",
    "heavy metal": "重金属", "monitoring stations": "微站 标准站", "villages": "农村",
    "parts": "部分", "priorities": "重点 四个方面工作", "tasks for 2021": "2021年 四个方面工作",
}
# Everyday Chinese → the speech's words.
ZH_TERMS: dict[str, str] = {
    "空气好的": "优良天数", "夏天": "夏收 夏病早治", "秋天": "秋收", "夏季": "夏收 夏病早治", "秋季": "秋收",
    "程度": "进度 效益 完工", "治到": "进度 效益", "毛病": "问题 还不", "开局": "开局不利 同比", "进展": "进度 效益 完工 通过", "走到哪": "进度 通过 印发", "到哪一步": "进度 通过 印发",
    "大气治理": "空气质量", "大气污染防治": "空气质量", "好天": "优良天数", "蓝天": "优良天数 蓝天", "天数": "优良天数", "雾霾": "治霾 大气污染",
    "灰尘": "扬尘", "尘土": "扬尘", "工地": "建筑工地 扬尘", "扫马路": "道路清扫保洁", "扫街": "道路清扫保洁",
    "洒水": "道路清扫保洁", "路面": "道路清扫保洁", "烧秸秆": "秸秆禁烧", "焚烧": "禁烧 焚烧", "麦秆": "秸秆",
    "汽修": "汽修行业", "修车": "汽修行业", "喷漆": "喷漆作业时间", "油烟": "餐饮油烟", "烧烤": "餐饮摊点 油烟",
    "饭馆": "餐饮经营单位", "饭店": "餐饮经营单位", "查车": "路检路查", "拦车": "路检路查", "车检": "路检路查",
    "尾气": "机动车 路检路查", "大货车": "渣土车", "拉土": "渣土车", "频次": "每月 每次", "多久一次": "每月 每次",
    "考核断面": "断面", "国考": "国控 国考", "监测点": "断面 监测", "硫铁": "硫铁矿", "黄水": "硫铁矿",
    "矿": "矿山 硫铁矿", "网箱": "养殖网箱", "养鱼": "养殖网箱", "禁渔": "十年禁渔", "钓鱼": "禁渔",
    "投诉": "信访投诉 投诉", "督查": "督察", "巡视": "督察", "整改": "整改", "问责": "问责追责",
    "排名": "排名 第", "名次": "第 排名", "降了多少": "下降", "升了多少": "上升", "涨": "上升", "降": "下降",
    "目标": "目标 确保 不少于", "指标": "目标 不少于", "任务": "要", "达标": "达标", "臭氧": "臭氧 夏病早治",
    "VOC": "挥发性有机物", "voc": "挥发性有机物", "有机废气": "挥发性有机物", "一把手": "第一责任人",
    "污水": "污水 雨污分流", "垃圾": "垃圾", "厕所": "厕所革命", "碳": "碳达峰 碳中和", "作风": "作风",
    "廉洁": "廉洁自律", "领导": "领导", "谁讲的": "寇全安同志", "谁讲话": "寇全安同志", "讲话人": "寇全安同志",
    "哪天": "2021年4月16日", "什么时候开": "2021年4月16日", "日期": "2021年4月16日",
}
_EN_PATTERNS = sorted(EN_TERMS, key=len, reverse=True)


def expand(question: str) -> str:
    """The speech's own terms for the English and everyday words in a question (space-joined)."""
    extra: list[str] = []
    lower = question.lower()
    for phrase in _EN_PATTERNS:
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", lower):
            extra.append(EN_TERMS[phrase])
            lower = lower.replace(phrase, " ")
    for word, terms in ZH_TERMS.items():
        if word in question:
            extra.append(terms)
    return " ".join(extra)


def is_english(question: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in question)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in question)
    return letters > 2 * cjk and letters >= 3
