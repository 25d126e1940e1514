"""Actor registry: every body the speech addresses, with canonical names, aliases and English names.

The registry says how people *name* an actor; what an actor must do is extracted from the text
(index/facts.py). Bodies that people may ask about but the speech never tasks (市教育局 …) are
recognised by pattern so the answer can say so instead of guessing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    name: str                      # canonical name, as the speech writes it
    kind: str                      # bureau | office | county | collective | leader | other
    forms: tuple[str, ...] = ()    # other ways the speech itself writes it (used for extraction)
    aliases: tuple[str, ...] = ()  # how people ask for it (zh)
    english: tuple[str, ...] = ()  # how people ask for it (en, lowercase)
    covers: tuple[str, ...] = field(default=())  # narrower actors whose duties also answer for this one

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name,) + self.forms


ACTORS: tuple[Actor, ...] = (
    Actor("市交通局", "bureau", aliases=("交通局", "交通运输局", "市交通运输局", "交通部门", "交通运输部门", "交通"),
          english=("transport bureau", "transportation bureau", "transport department", "transportation department",
                   "bureau of transport", "traffic bureau", "transport authority")),
    Actor("市住建局", "bureau", aliases=("住建局", "住房和城乡建设局", "住房城乡建设局", "市住房和城乡建设局", "住建部门",
                                       "住房城乡建设部门", "建设局", "住建"),
          english=("housing and urban-rural development bureau", "housing bureau", "construction bureau",
                   "housing and construction bureau", "bureau of housing", "urban-rural development bureau")),
    Actor("市城管局", "bureau", aliases=("城管局", "城管", "城市管理局", "城市管理执法局", "市城市管理局", "城管部门",
                                       "城市管理部门", "城管执法局"),
          english=("urban management bureau", "city management bureau", "urban administration bureau",
                   "urban management", "city management", "chengguan")),
    Actor("市生态环境局", "bureau", aliases=("生态环境局", "环保局", "环境局", "生态环境部门", "环保部门", "市环保局",
                                         "环境保护局", "生态局", "环境保护部门"),
          english=("ecology and environment bureau", "ecological environment bureau", "environment bureau",
                   "environmental protection bureau", "environmental bureau", "epb", "bureau of ecology",
                   "ecology bureau", "environment department")),
    Actor("市公安局", "bureau", aliases=("公安局", "公安", "公安部门", "公安机关", "警察", "交警"),
          english=("public security bureau", "police", "psb", "public security")),
    Actor("市农业农村局", "bureau", aliases=("农业农村局", "农业局", "农业部门", "农业农村部门", "农村局", "农业"),
          english=("agriculture and rural affairs bureau", "agriculture bureau", "agricultural bureau",
                   "bureau of agriculture", "rural affairs bureau", "agriculture department")),
    Actor("市治霾办", "office", aliases=("治霾办", "治霾办公室", "大气污染防治办公室", "铁腕治霾办公室", "治霾"),
          english=("smog control office", "haze control office", "haze office", "smog office",
                   "air pollution control office", "anti-smog office")),
    Actor("市硫铁办", "office", aliases=("硫铁办", "硫铁矿办", "硫铁矿治理办公室", "硫铁办公室"),
          english=("pyrite office", "pyrite mine office", "sulfur iron office", "pyrite remediation office")),
    Actor("市整改办", "office", aliases=("整改办", "整改办公室", "督察整改办", "环保督察整改办"),
          english=("rectification office", "inspection rectification office", "remediation office")),
    Actor("市生态环保委员会办公室", "office",
          aliases=("环委办", "市环委办", "生态环保委员会办公室", "生态环境保护委员会办公室", "环保委员会办公室", "环委会办公室",
                   "生态环保委员会", "环委会"),
          english=("ecological and environmental protection committee office", "environmental protection committee office",
                   "environmental committee office", "eco-environment committee office", "environment commission office",
                   "environmental protection commission")),
    Actor("市考核办", "office", aliases=("考核办", "考核办公室", "目标考核办"),
          english=("assessment office", "evaluation office", "performance assessment office")),
    Actor("白河县", "county", aliases=("白河", "白河县政府"), english=("baihe county", "baihe")),
    Actor("各县区", "collective", forms=("县区",), aliases=("各县", "各区县", "县区", "各县区", "区县"),
          english=("counties and districts", "each county", "every county", "all counties", "county and district",
                   "counties and county-level districts"),
          covers=("各县区政府", "各县区“一把手”")),
    Actor("各县区政府", "collective", forms=("县区政府",), aliases=("县区政府", "县政府", "区县政府", "各县政府"),
          english=("county governments", "county and district governments", "county government")),
    Actor("各县区“一把手”", "leader", forms=("县区“一把手”",),
          aliases=("县区一把手", "一把手", "县区主要负责同志", "县区主要领导", "主要领导", "第一责任人", "县委书记", "县长"),
          english=("top leader", "top leaders", "county leaders", "county heads", "number one", "party secretaries")),
    Actor("市直各部门", "collective", aliases=("市直部门", "市级部门", "市直单位", "市直各单位"),
          english=("municipal departments", "city departments", "city-level departments")),
    Actor("各级各部门", "collective",
          forms=("各级各有关部门", "各级各相关部门", "各相关部门", "各有关部门", "各部门"),
          aliases=("各级各有关部门", "各级各相关部门", "各相关部门", "各有关部门", "各部门", "所有部门", "有关部门", "相关部门"),
          english=("all departments", "departments at all levels", "relevant departments", "every department"),
          covers=("市直各部门",)),
    Actor("各级环保部门领导班子", "leader", forms=("环保部门领导班子",),
          aliases=("环保部门领导班子", "环保部门领导", "环保系统领导班子", "环保系统"),
          english=("environmental protection leadership", "leadership of environmental departments")),
    Actor("各级各部门主管、分管生态环保的领导干部", "leader", forms=("主管、分管生态环保的领导干部",),
          aliases=("分管生态环保的领导干部", "分管领导", "主管领导", "分管生态环保领导", "领导干部"),
          english=("leading cadres in charge", "officials in charge of environmental protection")),
)

# Bodies the speech mentions but gives no task: answers say what the speech says of them.
MENTIONED_WITHOUT_TASKS: dict[str, tuple[str, ...]] = {
    "市委": ("市委",), "市政府": ("市政府", "安康市人民政府"), "市纪委监委": ("市纪委监委", "纪委", "监委"),
    "汉滨区": ("汉滨区", "汉滨"), "汉阴县": ("汉阴县", "汉阴"), "岚皋县": ("岚皋县", "岚皋"), "平利县": ("平利县", "平利"),
    "商洛市": ("商洛市", "商洛"), "生态环境部规划院": ("生态环境部规划院", "规划院"),
}

_BY_NAME = {a.name: a for a in ACTORS}
# Words that make a department-like name: 市教育局, 水利部门, education bureau.
_ZH_BODY = re.compile(r"(?:[市县区省]?[\u4e00-\u9fff]{2,6}?(?:局|委员会|委|办公室|办|厅|部门))")
# Characters that never occur inside a body's name in a question: question words, verbs, particles.
_NOT_IN_NAME = set("哪什么谁归管的是和与及要做干呢吗啥怎由给对把被让向在有没")
_EN_BODY = re.compile(r"\b((?:[a-z-]+ ){0,4}(?:bureau|department|office|commission|committee|authority|agency))\b")
# Words that end like a body's name but are not one: 大环保格局, 三色督办, 怎么办.
_NOT_BODY_SUFFIXES = ("格局", "布局", "大局", "全局", "开局", "结局", "局面", "督办", "怎么办", "举办", "承办", "创办", "兴办",
                      "包办", "代办", "照办", "好办", "难办", "原委")
_NOT_BODY_ZH = ("哪个部门", "什么部门", "哪些部门", "部门", "哪个局", "什么局", "哪个办", "各部门", "哪家单位", "督察局", "普查办")
_QUESTION_EN = {"which", "what", "who", "whose", "the", "a", "an", "does", "do", "of", "and", "is", "for", "must", "should"}


def get(name: str) -> Actor:
    return _BY_NAME[name]


def _alias_table() -> list[tuple[str, str]]:
    # Longest alias first, so 环保部门领导班子 wins over 环保部门.
    pairs = []
    for actor in ACTORS:
        for form in actor.surface_forms + actor.aliases:
            pairs.append((form, actor.name))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


_ALIASES = _alias_table()
_EN_ALIASES = sorted(((e, a.name) for a in ACTORS for e in a.english), key=lambda p: -len(p[0]))


def find_actors(text: str) -> list[str]:
    """Canonical names of the actors a question mentions (zh aliases and English names), in order."""
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    lower = text.lower()
    for alias, name in _ALIASES + _EN_ALIASES:
        hay = lower if alias.isascii() else text
        for m in re.finditer(re.escape(alias) if not alias.isascii() else rf"\b{re.escape(alias)}s?\b", hay):
            if any(taken[m.start():m.end()]):
                continue
            # Single-word aliases such as 交通 or 农业 only count when they read as a body, not a topic.
            if alias in AMBIGUOUS_SHORT and not _reads_as_body(text, m.end()):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append((m.start(), name))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


# Short aliases that are also topics (交通问题, 农业面源, 治霾工作, 环保意识): a body only when read as one.
AMBIGUOUS_SHORT = {"交通", "农业", "治霾", "白河"}


def _reads_as_body(text: str, end: int) -> bool:
    # "交通要做什么" / "公安负责什么": a bare short alias followed by a responsibility verb.
    return bool(re.match(r"(?:呢|要|需要|得|应该|负责|管|有|的任务|的职责|干|做|那边|这边|方面要|系统|口|都|该|必须|也)",
                         text[end:end + 3]))


def mentioned_bodies(text: str) -> list[str]:
    """Bodies the speech mentions without tasking them (市委, 汉滨区 …) named in a question."""
    return [name for name, forms in MENTIONED_WITHOUT_TASKS.items() if any(f in text for f in forms)]


def unknown_bodies(text: str) -> list[str]:
    """Department-like names in a question that are neither in the registry nor mentioned in the speech."""
    known_forms = [f for f, _ in _ALIASES] + [f for forms in MENTIONED_WITHOUT_TASKS.values() for f in forms]
    unknown: list[str] = []
    for m in _ZH_BODY.finditer(text):
        body = m.group(0)
        body = re.sub(r"^(?:那|那么|请问|问下|我们|咱们|关于|对于|给|让|和|跟|与|及|还有)", "", body)
        if len(body) < 3 or _NOT_IN_NAME & set(body[:-2]) or body.endswith(_NOT_BODY_SUFFIXES):
            continue
        if body in _NOT_BODY_ZH or any(body in f or f in body for f in known_forms):
            continue
        unknown.append(body)
    lower = text.lower()
    for m in _EN_BODY.finditer(lower):
        words = [w for w in m.group(1).split() if w not in _QUESTION_EN]
        phrase = " ".join(words[-3:] if len(words) > 3 else words)
        phrase = " ".join(phrase.split()[-2:]) if phrase.split()[0] in ("speech", "say", "says", "said") else phrase
        if len(words) < 2 or any(e in lower for e, _ in _EN_ALIASES):
            continue
        unknown.append(phrase)
    return unknown
