"""Derive the bodies a document names (bureaus, offices, counties, collectives, leaders) from its text.

Nothing here knows any particular document: bodies are found by the generic shapes of Chinese
organisation names — an administrative prefix (市/县/区/省/各…) before an organisation suffix
(局/办/委员会/中心/政府/部门…), a place name before 县/区, and the roles official texts task
(一把手, 领导干部 …). Each body gets its short forms (市交通局 → 交通局) and its *core* (交通), which
question matching uses for paraphrases (交通运输局). An optional ``<document>.lexicon.toml`` beside a
document adds aliases the text cannot show (``[aliases] "市交通局" = ["交通部门"]``).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from index.language import message, read_list

BODIES_VERSION = "7"  # 7: no prefix that ends a common word; 6: no county after a digit, nor a common head

# Organisation suffixes, longest first so 委员会办公室 wins over 委员会 and 办.
SUFFIXES = read_list("body_suffixes.txt")
# Administrative prefixes that open a body's name.
PREFIXES = read_list("body_prefixes.txt")
_PREFIX = re.compile("|".join(re.escape(p) for p in PREFIXES))
ROLES = read_list("body_roles.txt")
# Characters that never occur inside a body's name: particles, verbs, question words, and punctuation.
NOT_IN_NAME = set(read_list("not_in_body_names.txt")) | set("，。、；：！？（）《》 ")
# Administrative units that, after 各, name a collective on their own (各县区, 各乡镇).
UNITS = read_list("collective_units.txt")
_MAX_CORE = 6
# Not after a digit either: "2024年地区生产总值", "3个新区" are a date and a count, not a place (年地区, 个新区).
_PLACE_UNIT = re.compile(r"(?<![\u4e00-\u9fff0-9０-９])([\u4e00-\u9fff]{2})(县|区)(?![\u4e00-\u9fff]{0,1}[委局办])")


@dataclass
class Body:
    name: str                          # as the document writes it
    kind: str                          # bureau | office | county | collective | leader | government
    forms: list[str] = field(default_factory=list)    # other ways it may be written or asked (short forms, aliases)
    core: str = ""                     # the name without prefix and suffix: 交通 for 市交通局
    covers: list[str] = field(default_factory=list)   # narrower bodies whose duties also answer for this one

    @property
    def surface_forms(self) -> list[str]:
        return [self.name] + [f for f in self.forms if f != self.name]

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "forms": self.forms, "core": self.core, "covers": self.covers}


def _kind(name: str, suffix: str) -> str:
    if any(name.endswith(r) for r in ROLES):
        return "leader"
    if name.startswith("各") or suffix == "部门" or not suffix:
        return "collective"
    if suffix in ("局",):
        return "bureau"
    if suffix in ("政府", "人民政府", "委"):
        return "government"
    if suffix in ("县", "区"):
        return "county"
    return "office"


def split_name(name: str) -> tuple[str, str, str]:
    """``(prefix, core, suffix)`` of an organisation name: 市交通局 → (市, 交通, 局)."""
    prefix = next((p for p in PREFIXES if name.startswith(p) and len(name) > len(p)), "")
    rest = name[len(prefix):]
    suffix = next((s for s in SUFFIXES if rest.endswith(s) and (len(rest) > len(s) or prefix)), "")
    return prefix, rest[: len(rest) - len(suffix)] if suffix else rest, suffix


def find_org_names(text: str, require_prefix: bool = True) -> list[tuple[int, int, str]]:
    """Spans of organisation-shaped names in ``text``: prefix + short core + suffix (longest suffix wins)."""
    found: list[tuple[int, int, str]] = []
    i, n = 0, len(text)
    while i < n:
        if require_prefix:
            # Straight to the next place a prefix starts (the first of PREFIXES that matches there, as the
            # list orders them): trying every prefix at every character took seconds over a library.
            m = _PREFIX.search(text, i)
            if m is None:
                break
            i, prefix = m.start(), m.group(0)
        else:
            prefix = ""
        if prefix and i > 0 and (text[i - 1] == "全" or _ends_word(text[i - 1] + prefix[0])):
            # 全市 is a scope, not a body; a prefix that ends a common word (the district of a community
            # clinic, of a regional centre) starts no name.
            i += 1
            continue
        best = None
        start_core = i + len(prefix)
        if prefix == "各县区" or (prefix == "各" and not any(text.startswith(s, start_core) for s in SUFFIXES)):
            unit = "县区" if prefix == "各县区" else next((u for u in UNITS if text.startswith(u, start_core)), None)
            if unit:
                best = i + 1 + len(unit)
        for length in range(0, _MAX_CORE + 1):
            core = text[start_core:start_core + length]
            if len(core) < length or NOT_IN_NAME & set(core):
                break
            for suffix in SUFFIXES:
                if text.startswith(suffix, start_core + length) and (length or prefix):
                    end = start_core + length + len(suffix)
                    if best is None or end > best:
                        best = end
                    break
        if best is not None:
            end = best
            # A role right after a collective body (各县区“一把手”) belongs to it.
            role = next((r for r in ROLES if text.startswith(r, end)), None)
            if role:
                end += len(role)
            found.append((i, end, text[i:end]))
            i = end
        else:
            i += 1
    return found


# A county's or district's name is a proper noun: a head that jieba's dictionary knows as a common word
# (推进, 重点, 核心, 服务: 推进县, 重点区 …) is not one. Place names (ns), person names (nr) and rare words stay.
_COMMON_FREQ = 100
_PROPER_TAGS = ("ns", "nr", "nrt", "nz")


def _ends_word(pair: str) -> bool:
    """Two characters that jieba's dictionary knows as one common word, neither a proper noun nor a pronoun
    (a body's prefix after a pronoun, as in our city's bureau, still starts its name)."""
    from index.tokens import part_of_speech

    tag, freq = part_of_speech(pair)
    return freq >= _COMMON_FREQ and tag not in _PROPER_TAGS + ("r",)


def _common_word(head: str) -> bool:
    from index.tokens import part_of_speech

    tag, freq = part_of_speech(head)
    return freq >= _COMMON_FREQ and tag not in _PROPER_TAGS


def _place_units(text: str) -> list[tuple[int, int, str]]:
    # X县 / X区 named with an admin unit (汉滨区, 白河县), not 县区 or 城区-like generic words.
    out = []
    for m in _PLACE_UNIT.finditer(text):
        head = m.group(1)
        if head[-1] in "县区市各城辖园社片" or NOT_IN_NAME & set(head) or _common_word(head):
            continue
        out.append((m.start(), m.end(), m.group(0)))
    return out


# A role the text tasks, with its modifiers, at the start of a clause: "各级各部门主管、分管…的领导干部要…".
_ROLE_SUBJECT = re.compile(r"(?:^|(?<=[，。；：\n]))([^，。；：\n]{2,24}?(?:" + "|".join(ROLES) + r"))(?=要|必须|务必|一定要)")


def _role_subjects(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), m.group(1)) for m in _ROLE_SUBJECT.finditer(text)]


def derive_bodies(text: str, lexicon: dict[str, list[str]] | None = None) -> list["Body"]:
    """Every body the text names, in order of first mention, with short forms and lexicon aliases."""
    names: dict[str, Body] = {}
    spans = sorted(find_org_names(text) + _place_units(text) + _role_subjects(text))
    for _, _, name in spans:
        if name in names:
            continue
        prefix, core, suffix = split_name(name)
        collective = prefix.startswith("各") and core in UNITS
        if not suffix and not collective and not any(name.endswith(r) for r in ROLES) and not _PLACE_UNIT.fullmatch(name):
            continue
        if _PLACE_UNIT.fullmatch(name):
            suffix, core = name[-1], name[:-1]
        forms = []
        if prefix in ("市", "省", "县", "区") and core:
            forms.append(name[len(prefix):])                    # 市交通局 → 交通局, 县水利局 → 水利局
        if name.startswith("各县区"):
            forms.append(name[1:])                              # 各县区政府 → 县区政府
        if "各" in name[1:]:
            forms.append(name[0] + name[1:].replace("各", "", 1))  # 市直各部门 → 市直部门 (各 only distributes)
        if suffix in ("县", "区") and core:
            forms.append(core)                                  # 白河县 → 白河
        if collective:
            core = core or name[len(prefix):]
        names[name] = Body(name, _kind(name, suffix), forms, core)
    # A short form two bodies share (市水利局 and 县水利局 → 水利局) names neither for sure: drop it.
    owners: dict[str, int] = {}
    for body in names.values():
        for f in body.forms:
            owners[f] = owners.get(f, 0) + 1
    for body in names.values():
        body.forms = [f for f in body.forms if owners[f] == 1 and f not in names]
    for body in names.values():
        # 各县区 covers 各县区政府 and 各县区“一把手”: a longer name that starts with this one.
        body.covers = [o.name for o in names.values() if o.name != body.name and o.name.startswith(body.name)
                       and len(body.name) >= 3]
    for name, aliases in (lexicon or {}).items():
        body = names.get(name)
        if body is None:
            prefix, core, suffix = split_name(name)
            body = names[name] = Body(name, _kind(name, suffix), [], core)
        body.forms += [a for a in aliases if a not in body.forms and a != name]
    return list(names.values())


def load_lexicon(document_path: str | Path | None) -> dict[str, list[str]]:
    """The optional ``<document>.lexicon.toml`` beside a document: ``[aliases] "name" = ["alias", …]``."""
    if not document_path:
        return {}
    path = Path(document_path)
    lexicon = path.with_name(path.stem + ".lexicon.toml")
    if not lexicon.is_file():
        return {}
    try:
        data = tomllib.loads(lexicon.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(message("index.bodies.bad_lexicon", path=lexicon, reason=exc).replace("\n", " ")) from exc
    aliases = data.get("aliases", {})
    return {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in aliases.items()}
