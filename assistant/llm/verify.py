"""Claim-level verification of a model's reply against the passages it cites.

A reply is split into sentences with the passages each cites ("…。[1]", "[1] …", 【1，2】 all read; a
sentence with no marker is cited to the first passage that supports all of it). A sentence survives only
when its passages support everything it asserts:

* every number with its unit and qualifier (不少于/以上 …, never lost, changed or added), and the word that
  follows it ("18个国控" is not "12个国控、18个省控"); each item of a 分别-list keeps its own number;
* every body the document names is in the passage, and no body the document never names is claimed;
* every date, every negation, and every content word (a reader copies; the masthead is allowed for 我市);
* each clause's subject is the subject of the passage clause that says the same thing, and of the duty
  the duty map derived for it.

An English sentence with no Chinese wording left cannot be checked word by word and is not kept. The
engine's required items (what its own answer cites) that no kept sentence covers are returned as
``added``, to be appended verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.language import message, read_groups, read_list, read_words
from index.numerals import parse_int
from index.tokens import content_terms, dictionary as tokenizer_dictionary

# A reply that says the text does not cover it (原文中没有提到, index/language/refusal_phrases.txt).
_SOURCE, _WHERE, _NOT, _SAID = ("|".join(group) for group in read_groups("refusal_phrases.txt"))
REFUSAL = re.compile(rf"({_SOURCE})({_WHERE})?({_NOT})({_SAID})|not (mentioned|covered)|"
                     r"does not (say|mention)|no information", re.I)
_MARKER = re.compile(r"[\[［【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］】]")
_END = "。！？；!?;"
MEASURES = sorted(read_words("measure_words.txt"), key=lambda w: (-len(w), w))  # longest first: one alternation
_NUM = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*(" + "|".join(map(re.escape, MEASURES)) + ")")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
# Qualifiers by meaning (a general language resource): a claim must keep the quote's and add none of its own.
QUALIFIERS: dict[str, tuple[str, ...]] = {}
for _sign, _word in sorted(line.split(maxsplit=1) for line in read_words("qualifiers.txt")):
    QUALIFIERS[_sign] = QUALIFIERS.get(_sign, ()) + (_word,)
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|年底前|年内|上半年|下半年")
_NEGATION = re.compile(r"[不没未无非禁勿][\u4e00-\u9fff]")
_NOT_NEGATION = re.compile("|".join(w for ws in QUALIFIERS.values() for w in ws if w[0] in "不没未无非"))
MIN_CONTENT_SHARE = 0.5
_GLOSS = re.compile(r"\s*[（(][^（）()]*[A-Za-z][^（）()]*[)）]")
_LATIN = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")   # an English phrase of three words or more
# What a clause may open with before its subject: marks, connectives (clause_connectives.txt), 在…方面.
_CONNECTIVES = re.compile(r"^(?:[-•*\s]|" + "|".join(read_list("clause_connectives.txt"))
                          + r"|在[^，。]{1,20}方面[，,]?)+")
_RESPECTIVELY = re.compile(r"((?:[^，。；、]{1,12}、)+[^，。；、]{1,16}?)分别[^，。；\d]{0,8}((?:\d+(?:\.\d+)?%?、)+\d+(?:\.\d+)?%?)")


def _keys(text: str) -> set[str]:
    """Words that can tell list items apart: codes such as PM2.5 whole, and Chinese bigrams."""
    codes = set(re.findall(r"[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]", text))
    cjk = re.sub(r"[^\u4e00-\u9fff]", " ", text)
    return codes | {w[i:i + 2] for w in cjk.split() for i in range(len(w) - 1)}


@dataclass
class Passage:
    """One numbered passage the model read: a span of the combined corpus text."""

    n: int
    text: str
    start: int
    end: int
    section: str


@dataclass
class Verdict:
    kept: list[tuple[str, list[Passage]]] = field(default_factory=list)   # (sentence without markers, cited)
    dropped: list[tuple[str, str]] = field(default_factory=list)          # (sentence, why)
    added: list[Passage] = field(default_factory=list)                    # required items the reply missed
    refused: bool = False


def sentences(reply: str) -> list[tuple[str, list[int]]]:
    """The reply's sentences with the passage numbers each cites ("…。[1]", "[1] …", "【1,2】" all count)."""
    text = _MARKER.sub(lambda m: "".join(f"[{n}]" for n in re.split(r"\s*[,，、]\s*", m.group(1))), reply)
    # A marker right after the sentence's end belongs to that sentence: "…要求。[1]" → "…要求[1]。"
    text = re.sub(rf"([{_END}])\s*((?:\[\d+\]\s*)+)", lambda m: m.group(2).replace(" ", "") + m.group(1), text)
    out = []
    for line in text.splitlines():
        for piece in re.findall(rf"[^{_END}]+[{_END}]?", line):
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", piece)]
            claim = re.sub(r"\[\d+\]", "", piece)
            claim = re.sub(r"^[\s\-*•>#\d.、）)]*", "", claim).strip()
            if claim.strip(_END + "，,：: "):
                out.append((claim, numbers))
    return out


def _numbers(text: str) -> list[tuple[float, str, int, int]]:
    """(value, unit, start, end) of each counted number: 325天, 两次, 10.2%, 2021年."""
    out = []
    for m in _NUM.finditer(text):
        token = m.group(1)
        value = float(token) if token[0].isdigit() else parse_int(token)
        if value is not None:
            out.append((float(value), m.group(2).replace("％", "%"), m.start(), m.end()))
    return out


def _qualifiers(text: str, start: int, end: int) -> set[str]:
    near = text[max(0, start - 5):start] + "|" + text[end:end + 4]
    return {sign for sign, words in QUALIFIERS.items() if any(w in near for w in words)}


class ClaimChecker:
    """Checks one claim against the passages it cites, with the document's bodies and duty map."""

    def __init__(self, registry, duties: list | None = None, context: str = "", dictionary=None):
        """``context``: words a reader may use for the document's own deixis (its masthead: 我市 → 安康).
        ``dictionary``: the index's tokenizer dictionary. Claims are cut into words with it wherever the check
        runs: another index opened later in the process cuts 达标城市 differently and lets a claim through."""
        self.registry = registry
        self.dictionary = dictionary
        self.duties = duties or []
        self.context = context.lower()
        forms = sorted({f for b in registry.bodies for f in b.surface_forms if not f.isascii()}, key=len, reverse=True)
        self._forms = "|".join(re.escape(f) for f in forms) or "(?!)"

    def problem(self, claim: str, cited: list[Passage]) -> str | None:
        """Why ``claim`` is not supported by its cited passages (None when it is)."""
        quote = "\n".join(p.text for p in cited)
        if self.dictionary is not None:
            with tokenizer_dictionary(self.dictionary):
                return self._problem(claim, quote, cited)
        return self._problem(claim, quote, cited)

    def _problem(self, claim: str, quote: str, cited: list[Passage]) -> str | None:
        return (self._facts(claim, quote) or self._respectively(claim, quote) or self._clause(claim, quote)
                or self._attribution(claim, cited))

    def subjects(self, clause: str) -> list[str]:
        """The bodies a clause opens with (its subject: 市城管局、市交通局要… → both), after connectives and a
        leading 在…方面; a body later in the clause is an object (…协调市考核办), not its subject."""
        text = _CONNECTIVES.sub("", clause)
        m = re.match(rf"(?:{self._forms})(?:[、和与及](?:{self._forms}))*", text)
        return self.registry.find(m.group(0)) if m else []

    def _clause(self, claim: str, quote: str) -> str | None:
        """Each claim clause's subject must be the subject of the quote clause that says what it says (or of
        the nearest clause before it that has one: "…，严格执行作业标准" inherits its subject)."""
        clauses = [c for c in re.split(r"[，；。：\n]", quote) if c.strip()]
        for part in re.split(r"[，；。]", claim):
            subjects = set(self.subjects(part))
            terms = [t for t in content_terms(part) if not self.registry.find(t)]
            if not subjects or not terms:
                continue
            shares = [sum(t in c.lower() for t in terms) / len(terms) for c in clauses]
            best = max(range(len(clauses)), key=lambda i: (shares[i], -i))
            for i in range(best, -1, -1):
                owners = set(self.subjects(clauses[i]))
                if owners:
                    owners |= {c for n in owners for c in self.registry.get(n).covers}
                    wrong = subjects - owners
                    if wrong:
                        return message("assistant.llm.verify.other_subject", owners="、".join(sorted(owners)),
                                       wrong="、".join(sorted(wrong)))
                    break
        return None

    def _attribution(self, claim: str, cited: list[Passage]) -> str | None:
        """Each task a claim gives must belong, in the duty map, to the bodies the claim gives it to
        (clause by clause: "市城管局要…，市生态环境局、市公安局要…" assigns two tasks)."""
        duties = [d for d in self.duties for p in cited if p.start <= d.start and d.end <= p.end]
        if not duties:
            return None
        named: set[str] = set()
        for part in re.split(r"[，；。]", claim):
            named = set(self.subjects(part)) or named   # a clause without a subject keeps the last one
            terms = [t for t in content_terms(part) if not self.registry.find(t)]
            if not named or not terms:
                continue
            share = lambda d: sum(t in d.task.lower() for t in terms) / len(terms)  # noqa: E731
            best = max(duties, key=share)
            if share(best) < MIN_CONTENT_SHARE:
                continue
            owners = set(best.actors) | {c for a in best.actors for c in self.registry.get(a).covers}
            wrong = named - owners
            if wrong:
                return message("assistant.llm.verify.other_owner", owners="、".join(best.actors),
                               wrong="、".join(sorted(wrong)))
        return None

    @staticmethod
    def _respectively(claim: str, quote: str) -> str | None:
        """"PM10、PM2.5…分别上升8.1%、7.1%": each item the claim names must take that item's number."""
        for m in _RESPECTIVELY.finditer(quote):
            parts = m.group(1).split("、")
            values = re.findall(r"\d+(?:\.\d+)?%?", m.group(2))
            if len(parts) != len(values):
                continue
            keys = [_keys(p) for p in parts]
            own = [k - set().union(*(o for j, o in enumerate(keys) if j != i)) for i, k in enumerate(keys)]
            for i, key in enumerate(own):
                at = [claim.find(k) for k in key if k in claim]
                if not at:
                    continue
                after = re.search(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?%?", claim[min(at):])
                if after and after.group(0) in values and after.group(0) != values[i]:
                    return message("assistant.llm.verify.other_value", item=parts[i], value=values[i],
                                   claimed=after.group(0))
        return None

    def _facts(self, claim: str, quote: str) -> str | None:
        quote_numbers = _numbers(quote)
        for value, unit, s, e in _numbers(claim):
            same = [(qs, qe) for v, u, qs, qe in quote_numbers if v == value and u == unit]
            if not same:
                return message("assistant.llm.verify.number_not_quoted", number=claim[s:e])
            if not any(_qualifiers(claim, s, e) == _qualifiers(quote, qs, qe) for qs, qe in same):
                return message("assistant.llm.verify.other_qualifier", number=claim[s:e])
            # "18个国控" where the quote says "12个国控、18个省控": the word belongs to another number.
            noun = re.match(r"[\u4e00-\u9fff]{2}", claim[e:])
            if noun and not any(quote[qe:qe + 2] == noun.group(0) for qs, qe in same) \
                    and any(quote[qe:qe + 2] == noun.group(0) for _, _, _, qe in quote_numbers):
                return message("assistant.llm.verify.other_number", noun=noun.group(0), number=claim[s:e])
        quote_arabic = set(_ARABIC.findall(quote))
        for number in _ARABIC.findall(claim):
            if number not in quote_arabic:
                return message("assistant.llm.verify.number_not_quoted", number=number)
        named, cited = set(self.registry.find(claim)), set(self.registry.find(quote))
        if named - cited:
            return message("assistant.llm.verify.not_quoted", words="、".join(sorted(named - cited)))
        unknown = [u for u in self.registry.unknown(claim) if u not in quote]
        if unknown:
            return message("assistant.llm.verify.unknown_body", bodies="、".join(unknown))
        for date in _DATE.findall(claim):
            if date not in quote:
                return message("assistant.llm.verify.date_not_quoted", date=date)
        plain = _NOT_NEGATION.sub("", claim)
        quote_plain = _NOT_NEGATION.sub("", quote)
        for neg in _NEGATION.findall(plain):
            if neg not in quote_plain:
                return message("assistant.llm.verify.negation_not_quoted", negation=neg)
        # A reader quotes: every content word of a claim is in its passages ("大部分", "之一", "初步", "年初"
        # added to a true sentence change what it says).
        lowered = quote.lower()
        missing = [t for t in content_terms(claim)
                   if t not in lowered and t not in self.context and not self.registry.find(t)]
        if missing:
            return message("assistant.llm.verify.not_quoted", words="、".join(missing[:3]))
        return None


def verify(reply: str, passages: list[Passage], checker: ClaimChecker, required: list[Passage] = ()) -> Verdict:
    """Keep the reply's supported sentences; append the required items (duties, list items) it missed."""
    by_n = {p.n: p for p in passages}
    verdict = Verdict(refused=bool(REFUSAL.search(reply)))
    for claim, numbers in sentences(reply):
        cited = [by_n[n] for n in dict.fromkeys(numbers) if n in by_n]
        if REFUSAL.search(claim):
            continue                                   # a refusal is a signal, not a claim
        if not cited and not numbers:
            # No marker: the sentence belongs to the first passage that supports all of it, if one does.
            cited = next(([p] for p in passages if _GLOSS.sub("", claim).strip() and
                          checker.problem(_GLOSS.sub("", claim).strip(), [p]) is None), [])
        if not cited:
            verdict.dropped.append((claim, message("assistant.llm.verify.no_citation" if not numbers
                                                   else "assistant.llm.verify.unknown_citation")))
            continue
        # An English gloss in brackets after the quoted Chinese is the reader's courtesy, not a claim; a
        # sentence with no Chinese wording left cannot be checked word by word, so it is not kept.
        claim = _GLOSS.sub("", claim).strip() or claim
        if not re.search(r"[\u4e00-\u9fff]{2}", claim) or _LATIN.search(claim):
            verdict.dropped.append((claim, message("assistant.llm.verify.english")))
            continue
        why = checker.problem(claim, cited)
        if why:
            verdict.dropped.append((claim, why))
        else:
            verdict.kept.append((claim, cited))
    for item in required:
        covered = any(_overlaps(item, p) and _shares_content(claim, item.text) for claim, ps in verdict.kept for p in ps)
        if not covered:
            verdict.added.append(item)
    return verdict


def _overlaps(a: Passage, b: Passage) -> bool:
    return a.start < b.end and b.start < a.end


def _shares_content(claim: str, text: str) -> bool:
    terms = content_terms(claim)
    return not terms or sum(t in text for t in terms) / len(terms) >= MIN_CONTENT_SHARE
