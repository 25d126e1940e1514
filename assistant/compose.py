"""Extractive composer: answers built only from verbatim sentences of the speech, each cited [n].

Routes by intent: duties of an actor (complete, from the duty map), the actor behind a task (reverse
and multi-hop), a number (lead with the figure), a list (the speech's own enumerations), or the best
supporting sentences. Refuses when the question names something the speech does not cover.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rank_bm25 import BM25Okapi

from assistant.cite import Citer
from assistant.retrieve import Hit, Query, Searcher
from assistant.understand import Analysis
from index.facts import TARGET_CUES, Duty, Figure
from index.segment import DISTRIBUTION_LABEL, TITLE_LABEL, Sentence, split_sentences
from index.tokens import content_terms, tokenize

MAX_GENERAL_SENTENCES = 3
MAX_SECTION_SENTENCES = 8


@dataclass
class Composed:
    answer: str
    answerable: bool
    citer: Citer
    related: list[dict] = field(default_factory=list)
    route: str = "general"
    actors: list[str] = field(default_factory=list)  # who the answer names (for "这个部门还管什么？")
    items: list[str] = field(default_factory=list)   # a list answer's items, in order (for "第三个呢？")


@dataclass
class Group:
    """One enumeration in the speech (parts, 一是…四是, 在…方面 topics, inline 一是… items)."""

    label: str
    start: int
    end: int
    items: list[tuple[int, int, str]]  # (start, end, section) of each item's heading


class Composer:
    """Builds the answer text and its citations for an analysed question."""

    def __init__(self, searcher: Searcher, answerability=None):
        self.s = searcher
        self.registry = searcher.registry
        self.answerability = answerability
        corpus = searcher.index.corpus
        self.text = corpus.text
        self.duties: list[Duty] = corpus.duties
        self.figures: list[Figure] = corpus.figures
        self.passages = corpus.passages
        self._duty_bm25 = BM25Okapi([tokenize(f"{d.topic} {d.task}") or ["∅"] for d in self.duties])
        self.groups = _enumerations(corpus.doc)
        self._masthead = "".join(s.text for s in searcher.sentences if s.path[:1] == [TITLE_LABEL])

    # ---- entry point -------------------------------------------------------------------------
    def compose(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed:
        hits = _lexical_winner_first(a, hits)
        refusal = self._refusal(a, q, hits)
        if refusal:
            return refusal
        if a.intent == "metadata" and self._about_masthead(a):
            answer = self.metadata_answer(a)
            if answer:
                return answer
        if a.intent == "duty" and a.actors:
            return self.duty_answer(a)
        if a.intent == "who":
            answer = self.who_answer(a, q, hits)
            if answer:
                return answer
            rare = self._rarest_term(a)
            # The sentence must name someone and contain the question's most specific word.
            named = [h for h in hits[:6 if rare else 3] if _names_someone(self.s.sentence_by_id[h.id].text)
                     and (rare is None or rare in self.s.sentence_by_id[h.id].text)]
            if not named:
                return self._refuse("讲话没有说明由哪个部门或谁负责这件事。", hits, route="who-refusal")
            return self.general_answer(a, q, named + [h for h in hits if h not in named])
        if a.intent == "list":
            answer = self.list_answer(a, q, hits)
            if answer:
                return answer
        slogan = self._unexpanded_slogan(a)
        if slogan:
            return self._refuse(f"讲话只提到“{slogan}”，没有展开说明它具体包括什么。", hits, route="slogan-refusal")
        if a.intent == "number" or (a.number and a.actors):
            answer = self.number_answer(a, q, hits)
            if answer:
                return answer
            if a.intent == "number" and _ASKS_COUNT_OR_DATE.search(a.question) and not re.search(r"哪几|哪些", a.question):
                return self._refuse("讲话中没有给出这个数字或日期。", hits, route="number-refusal")
        return self.general_answer(a, q, hits)

    def _citer(self) -> Citer:
        return Citer(self.text, self.passages, self.s.index.corpus.locate)

    def _about_masthead(self, a: Analysis) -> bool:
        """A metadata question asks about the document itself: none of its content words is something
        only the body of the text talks about (哪几部条例 is a question about the body)."""
        body = [t for t in content_terms(a.question) if t in self.text and t not in self._masthead]
        return not body

    # ---- metadata ----------------------------------------------------------------------------
    def metadata_answer(self, a: Analysis) -> Composed | None:
        """Title, speaker, date, issuer and issue number, as each document's masthead gives them, and the
        distribution lines (主送/抄送) that close it."""
        citer = self._citer()
        labels = {"title": "标题", "speaker": "讲话人", "date": "日期", "issuer": "发文机关", "issue": "期号"}
        blocks = []
        documents = self.s.index.corpus.documents
        for doc in documents:
            lines = []
            for key, label in labels.items():
                field_ = (doc.metadata or {}).get(key)
                if field_:
                    n = citer.cite(doc.start + field_["start"], doc.start + field_["end"], "标题")
                    lines.append(f"- {label}：{field_['value']}[{n}]")
            for sent in self.s.sentences:
                if sent.path[:1] == [DISTRIBUTION_LABEL] and doc.start <= sent.start < doc.end:
                    lines.append(f"- {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
            if lines:
                head = f"**{doc.label()}**\n" if len(documents) > 1 else ""
                blocks.append(head + "\n".join(lines))
        if not blocks:
            return None
        return Composed("文档的版头信息：\n" + "\n\n".join(blocks), True, citer, route="metadata")

    # ---- refusals ----------------------------------------------------------------------------
    def _refuse(self, message: str, hits: list[Hit] | None = None, route: str = "refusal") -> Composed:
        citer = self._citer()
        related = []
        body = [h for h in (hits or []) if self.s.sentence_by_id[h.id].path[:1] not in ([TITLE_LABEL], [DISTRIBUTION_LABEL])]
        for h in body[:3]:
            sent = self.s.sentence_by_id[h.id]
            related.append({"quote": sent.text, "start": sent.start, "end": sent.end, "section": sent.section})
        return Composed(message, False, citer, related, route)

    def _refusal(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed | None:
        """Refuse when the document cannot answer: no content, an unknown body, an absent year, or a low
        fitted answerability score."""
        if not a.has_content:
            return self._refuse("文档中没有与此相关的内容：问题里没有可查询的文字。")
        if a.unknown and not a.actors and not a.mentioned:
            tasked = "、".join(n for n in self._tasked_actors() if self.registry.get(n).kind in ("bureau", "office"))
            listing = f"文档布置了任务的部门有：{tasked}。" if tasked else ""
            return self._refuse(f"讲话中没有提到{'、'.join(a.unknown)}，也没有给它布置任务。{listing}")
        if a.mentioned and not a.actors and a.asks_duty:
            return self._refuse(f"讲话没有给{'、'.join(a.mentioned)}布置具体任务。", self._mentions(a.mentioned))
        missing_years = [y for y in a.years if y not in self.text]
        if missing_years:
            return self._refuse(f"讲话中没有关于{'、'.join(missing_years)}年的内容。", hits)
        if a.actors and a.intent == "duty":
            return None
        if not hits:
            return self._refuse("讲话中没有提到这方面的内容。")
        if self.answerability is not None and not self.answerability.answerable(self.features(a, hits)):
            if a.injection:
                return self._refuse("讲话中没有提到这方面的内容。我只能回答已载入的讲话和文档里的内容，不执行其他指令；请直接提问文档内容，例如某个部门要做什么。")
            missing = self.missing_terms(a)
            said = f"“{'”“'.join(missing)}”" if missing else "这方面的内容"
            return self._refuse(f"讲话中没有提到{said}。", hits)
        return None

    def features(self, a: Analysis, hits: list[Hit]) -> dict[str, float]:
        """The evidence features of the answerability model (assistant.models.FEATURES)."""
        terms = content_terms(a.question)
        if a.english:
            expanded = self.s.expand(a.question).split()
            terms = [t for t in expanded if len(t) >= 2]
        top_text = "".join(self.s.sentence_by_id[h.id].text for h in hits[:3])
        dense = sorted((h.dense for h in hits), reverse=True)
        return {
            "dense_top": dense[0] if dense else 0.0,
            "dense_margin": (dense[0] - dense[-1]) if len(dense) > 1 else 0.0,
            "bm25_top": float(np.log1p(max((h.bm25 for h in hits), default=0.0))),
            "doc_coverage": (sum(t in self.text for t in terms) / len(terms)) if terms else 0.0,
            "evidence_coverage": (sum(t in top_text for t in terms) / len(terms)) if terms else 0.0,
            "unknown_body": float(bool(a.unknown)),
            "known_body": float(bool(a.actors or a.mentioned)),
            "missing_year": float(any(y not in self.text for y in a.years)),
            "out_of_scope": float(a.probabilities.get("out_of_scope", 0.0)),
            "english": float(a.english),
            # A number of two or more digits that the text itself uses ("325那个数是啥？").
            "quoted_number": float(any(n in self.text for n in re.findall(r"\d{2,}(?:\.\d+)?", a.question))),
        }

    def missing_terms(self, a: Analysis) -> list[str]:
        """Content words of a Chinese question that occur nowhere in the document."""
        if a.english:
            return []
        missing = []
        for term in content_terms(a.question):
            if term in self.text:
                continue
            # A word whose every two-character piece is in the text is a rephrasing, not a new topic.
            pieces = [term[i:i + 2] for i in range(len(term) - 1)]
            if pieces and all(p in self.text for p in pieces):
                continue
            missing.append(term)
        return missing

    def _mentions(self, names: list[str]) -> list[Hit]:
        hits = []
        for sent in self.s.sentences:
            forms = [f for n in names for f in self.registry.forms_of(n)]
            if any(f in sent.text for f in forms) and sent.path[0] not in ("主送抄送",):
                hits.append(Hit(sent.id, 1.0))
        return hits

    def _tasked_actors(self) -> list[str]:
        names: list[str] = []
        for d in self.duties:
            for n in d.actors:
                if n not in names:
                    names.append(n)
        return names

    # ---- duties ------------------------------------------------------------------------------
    def duties_of(self, name: str) -> list[Duty]:
        """Every duty of an actor, including those of the narrower actors it covers."""
        names = {name, *self.registry.get(name).covers}
        return [d for d in self.duties if names & set(d.actors)]

    def duty_answer(self, a: Analysis) -> Composed:
        if len(a.actors) >= 2 and re.search(r"共同|一起|都要|都得|都负责|同时|合作|联合|shared|in common|both|together",
                                            a.question, re.I):
            return self.shared_duty_answer(a)
        citer = self._citer()
        blocks = []
        for name in a.actors:
            duties = self.duties_of(name)
            if not duties:
                blocks.append(self._no_duties_block(name, citer))
                continue
            actor = self.registry.get(name)
            scope = f"{name}（含{'、'.join(actor.covers)}）" if actor.covers else name
            lines = [f"讲话对{scope}提出{len(duties)}项要求："]
            for topic, group in _by_topic(duties):
                lines.append(f"\n**{topic}**")
                for d in group:
                    n = citer.cite(d.start, d.end, d.section)
                    lines.append(f"- {_quote(d.task)}[{n}]")
            shared = [n for n in self._tasked_actors() if self.registry.get(n).kind == "collective" and n != name]
            if actor.kind in ("bureau", "office", "county") and shared:
                lines.append(f"\n（讲话对“{'”“'.join(shared[:2])}”还提出了共性要求，可另行查询。）")
            blocks.append("\n".join(lines))
        answerable = any(self.duties_of(n) for n in a.actors) or bool(citer.citations)
        return Composed("\n\n".join(blocks), answerable, citer, route="duty", actors=list(a.actors))

    def shared_duty_answer(self, a: Analysis) -> Composed:
        """Tasks the speech gives to every one of the named actors together."""
        citer = self._citer()
        shared = [d for d in self.duties if all(set(d.actors) & {n, *self.registry.get(n).covers} for n in a.actors)]
        names = "、".join(a.actors)
        if not shared:
            return Composed(f"讲话没有把同一项任务同时交给{names}。可分别查询各自的任务。", True, citer,
                            route="duty", actors=list(a.actors))
        lines = [f"讲话同时交给{names}的任务有{len(shared)}项："]
        for d in shared:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="duty", actors=list(a.actors))

    def _no_duties_block(self, name: str, citer: Citer) -> str:
        # An actor named only inside others' duties (市考核办): say so and show those sentences.
        mentions = [d for d in self.duties if any(f in d.task for f in self.registry.get(name).surface_forms)]
        if not mentions:
            return f"讲话没有给{name}布置具体任务。"
        lines = [f"讲话没有直接给{name}布置任务，只在以下要求中提到它："]
        for d in mentions:
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return "\n".join(lines)

    # ---- reverse: who does this task ---------------------------------------------------------
    def _duty_scores(self, text: str) -> np.ndarray:
        q = self.s.prepare(text)
        bm = self._duty_bm25.get_scores(q.tokens) if q.tokens else np.zeros(len(self.duties))
        dense = np.array([float(self.s._s_vecs[self.s.row[d.sentence_id]] @ q.vector) for d in self.duties])
        return bm + 10.0 * np.clip(dense - 0.8, 0, None)

    def who_answer(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed | None:
        parts = _hops(a.question)
        chosen: list[Duty] = []
        actor_sets = []
        for part in parts:
            scores = self._duty_scores(part)
            best = float(scores.max()) if len(scores) else 0.0
            if best <= 1.0:
                continue
            top = [self.duties[i] for i in np.argsort(-scores) if scores[i] >= 0.6 * best][:5]
            # A topic question ("秸秆禁烧谁负责") is answered by every task under that 在…方面 topic.
            lead = top[0]
            if lead.topic.startswith("在") and lead.topic.endswith("方面"):
                top += [self.duties[i] for i in range(len(self.duties)) if self.duties[i].topic == lead.topic
                        and self.duties[i] not in top and scores[i] >= 0.35 * best]
            chosen.extend(d for d in top if d not in chosen)
            actor_sets.append({n for d in top for n in d.actors})
        # A "who" question about something that is not a task (谁传达的批示) is answered from the text.
        if not chosen or (len(parts) == 1 and hits and hits[0].id not in {d.sentence_id for d in chosen}):
            return None
        # The question's most specific word must be in the tasks found (噪声 is in no task: no answer here).
        rare = self._rarest_term(a)
        if len(parts) == 1 and rare and not any(rare in d.task or rare in d.topic for d in chosen):
            return None
        common = set.intersection(*actor_sets) if len(actor_sets) > 1 else set()
        names = [n for n in _ordered_actors(chosen) if not common or n in common]
        citer = self._citer()
        lead = f"**{'、'.join(names)}**。" + ("讲话同时把这几项工作交给了它：" if common else "讲话原文：")
        lines = [lead]
        for d in sorted(chosen, key=lambda d: d.start):
            if common and not (common & set(d.actors)):
                continue
            lines.append(f"- {_quote(d.task)}[{citer.cite(d.start, d.end, d.section)}]")
        return Composed("\n".join(lines), True, citer, route="who", actors=names)

    # ---- numbers -----------------------------------------------------------------------------
    def number_answer(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed | None:
        want_date = bool(re.search(r"哪天|哪年|什么时候|日期|时间|几点到|几点钟|when|date|what year|what time",
                                   a.question, re.I))
        # Whole words (and their glossary terms) found in a figure's clause; search-mode pieces would
        # count 空气质量 three times.
        q_terms = _terms_with_expansions(a.question, self.s.expand)
        focus_terms = _terms_with_expansions(_last_clause(a.question), self.s.expand)
        # A question asking for a target wants a figure the text sets as one, about the asked measure.
        want_target = any(c in a.question.lower() for c in TARGET_CUES)
        measure_terms = [t for t in q_terms if t not in TARGET_CUES]
        best: tuple[float, Figure] | None = None
        candidates = hits[:3]
        focus = _last_clause(a.question)
        if focus != a.question and content_terms(focus):
            # A merged follow-up ("…反馈了多少问题，几个没整改完？"): the last clause's own best sentences first.
            own = self.s.sentences_ranked(self.s.prepare(focus), k=3)
            candidates = own + [h for h in candidates if h.id not in {o.id for o in own}]
        if a.actors:
            # "公安局…每月几次？": the number is in one of that actor's tasks.
            own = {d.sentence_id for n in a.actors for d in self.duties_of(n)}
            order = {h.id: i for i, h in enumerate(hits)}
            candidates = [Hit(sid, 0.0) for sid in sorted(own, key=lambda sid: order.get(sid, len(order)))]
        for rank, hit in enumerate(candidates):
            sent = self.s.sentence_by_id[hit.id]
            for fig in self.figures:
                if fig.sentence_start != sent.start or (fig.kind == "date") != want_date:
                    continue
                if want_target and fig.kind != "target":
                    continue
                # The last clause holds the ask ("…，还有几个没整改完？"): its words count double.
                overlap = sum(t in fig.measure for t in measure_terms) + sum(t in fig.measure for t in focus_terms
                                                                             if t not in TARGET_CUES)
                if overlap == 0 and (rank > 0 or want_target):
                    continue
                score = overlap + 1.5 / (rank + 1)
                if best is None or score > best[0]:
                    best = (score, fig)
        if best is None:
            if want_target:
                return self._refuse("讲话中没有给出这方面的目标值。", hits, route="number-refusal")
            return None
        fig = best[1]
        mismatch = self._figure_mismatch(a, fig)
        if mismatch:
            return self._refuse(f"讲话中没有给出{mismatch}的这个数字。最接近的内容见下方相关原文。",
                                [Hit(h.id, h.score) for h in hits[:3]], route="number-refusal")
        # Figures that share the clause group (每月不少于2次，每次不少于2天) are one answer.
        same = [f for f in self.figures if f.sentence_start == fig.sentence_start and f.kind == fig.kind
                and abs(f.start - fig.start) <= 40 and (f is fig or any(t in f.measure for t in q_terms))]
        citer = self._citer()
        n = citer.cite(fig.sentence_start, fig.sentence_end, _section_at(self.s, fig.sentence_start))
        shown = []
        if len({f.measure for f in same}) == 1 and len(fig.measure) <= 45:
            shown = [fig.measure]  # one clause holds them all: 12个国控、18个省控、8个市控断面…
        for f in sorted(same, key=lambda f: f.start):
            label = f.measure if len(f.measure) <= 18 else f.text
            if not shown or (len(set(x.measure for x in same)) > 1 and label not in shown):
                shown.append(label)
        lead = "、".join(f"**{x}**" for x in shown)
        return Composed(f"{lead}[{n}]\n\n> {_quote(fig.sentence)}[{n}]", True, citer, route="number")

    def _rarest_term(self, a: Analysis) -> str | None:
        """The question's most specific word that the speech uses (fewest sentences contain it)."""
        counts = {t: sum(t in s.text for s in self.s.sentences) for t in content_terms(a.question)}
        counts = {t: c for t, c in counts.items() if c}
        return min(counts, key=counts.get) if counts else None

    def _unexpanded_slogan(self, a: Analysis) -> str | None:
        """A numbered slogan the question asks to spell out (“五个一流”具体是什么) that the speech only names."""
        if not re.search(r"具体|哪些|哪几|哪[一二三四五六七八九十两\d]|分别|指什么|指的是|包括|是什么|是啥|what (are|is)", a.question):
            return None
        for m in re.finditer(r"[“\"「]([^”\"」]{2,12})[”\"」]", a.question):
            term = m.group(1)
            if not re.search(r"[一二三四五六七八九十两\d]+[个项条点大字]", term) or f"“{term}”" not in self.text:
                continue
            i = self.text.index(f"“{term}”") + len(term) + 2
            # Spelled out when a colon or 即 right after it introduces the items.
            if not re.match(r"[^。；]{0,6}[：即]", self.text[i:i + 8]):
                return term
        return None

    def _figure_mismatch(self, a: Analysis, fig: Figure) -> str | None:
        """Why a figure does not answer the question: a year, place or body the question names is not in
        its sentence, or most of the question's words are elsewhere (商洛市的优良天数 ≠ 安康的)."""
        para = next(p for p in self.s.index.corpus.doc.paragraphs if p.start <= fig.start < p.end)
        context = para.text
        for year in a.years:
            if year not in context:
                return f"{year}年"
        for body in a.mentioned:
            if not any(f in context for f in self.registry.forms_of(body)):
                return body
        if fig.kind == "date":
            # A date answers "when" only for the event the question names (碳达峰哪年 ≠ 2020年).
            rare = self._rarest_term(a)
            if rare and rare not in context:
                return f"“{rare}”"
        for text in {a.question, _last_clause(a.question)}:
            present = [t for t in content_terms(text) if t in self.text and not t.isdigit()]
            if present and sum(t in context for t in present) * 3 < len(present):
                return "“" + "”“".join(t for t in present if t not in context) + "”"
        if _last_clause(a.question) != a.question and any(t not in self.text for t in content_terms(_last_clause(a.question))) \
                and not any(t in context for t in content_terms(_last_clause(a.question))):
            return "“" + "”“".join(content_terms(_last_clause(a.question))) + "”"
        return None

    # ---- lists -------------------------------------------------------------------------------
    def list_answer(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed | None:
        structure = re.search(r"几个部分|几部分|哪几部分|哪几个部分|结构|几点意见|四点意见|框架|outline|\bparts\b|main points",
                              a.question, re.I)
        best, best_score = None, 0.0
        count = _count_word(a.question)
        part = _part_number(a.question)
        for g in self.groups:
            if structure and g.label == "parts":
                best, best_score = g, 99.0
                break
            if g.label == "parts":
                continue
            item_starts = {start for start, _, _ in g.items}
            # Hits on an item heading or on the sentence that introduces the list ("我重点强调四个方面工作：").
            starts = [self.s.sentence_by_id[h.id].start for h in hits[:5]]
            score = sum(1.0 / (r + 1) for r, st in enumerate(starts) if st in item_starts)
            score += sum(0.5 / (r + 1) for r, st in enumerate(starts) if g.start <= st < g.items[0][0])
            intro = self.text[g.start:g.items[0][0]]
            # The heading above the list counts too: "大气治理分了哪几个方面" → 四是要巩固提升空气质量….
            parent = self._parent_heading(g)
            question = f"{a.question} {self.s.expand(a.question)}"
            score += 2.0 * _bigram_share(question, "".join(self.text[s:e] for s, e, _ in g.items) + intro[:60] + parent)
            score += 1.0 if part and self._in_part(g, part) else 0.0
            score += 0.5 if count == len(g.items) else 0.0
            if score > best_score:
                best, best_score = g, score
        if best is None or best_score < 1.5:
            return None
        item = _named_item(a.question, best, self.text)
        if item is not None:
            return self.item_answer(item)
        citer = self._citer()
        intro = self._list_intro(best)
        if intro is not None:
            lines = [f"讲话列出{len(best.items)}项：“{_quote(intro.text)}”[{citer.cite(intro.start, intro.end, intro.section)}]"]
        else:
            lines = [f"讲话列出{len(best.items)}项："]
        for k, (start, end, section) in enumerate(best.items, 1):
            lines.append(f"{k}. {_quote(self.text[start:end])}[{citer.cite(start, end, section)}]")
        return Composed("\n".join(lines), True, citer, route="list",
                        items=[self.text[start:end] for start, end, _ in best.items])

    def _parent_heading(self, group: Group) -> str:
        first = next(s for s in self.s.sentences if s.start == group.items[0][0])
        return first.path[-2] if len(first.path) >= 2 else ""

    def _in_part(self, group: Group, part: int) -> bool:
        first = next(s for s in self.s.sentences if s.start == group.items[0][0])
        return bool(first.path) and first.path[0].startswith("一二三四五六七八九十"[part - 1] + "、")

    def _list_intro(self, group: Group) -> Sentence | None:
        """The sentence that announces a list ("下面，我强调四点意见。", "我重点强调四个方面工作："), if any."""
        before = [s for s in self.s.sentences if s.end <= group.items[0][0]]
        if not before:
            return None
        last = before[-1]
        announces = re.search(r"[一二三四五六七八九十两\d][点个项条大]|[：:]$", last.text)
        return last if announces and last.path and last.path[0] not in ("标题", "主送抄送") else None

    def item_answer(self, item: tuple[int, int, str]) -> Composed:
        """One item of a list the question names (执法监管还不严 → what it consists of): heading and body."""
        head = next(s for s in self.s.sentences if s.start == item[0])
        body = [s for s in self.s.sentences if s.paragraph == head.paragraph and s.start > head.start
                and (s.path == head.path or len(head.path) == len(s.path))][:6]
        citer = self._citer()
        lines = [f"讲话在“{head.section}”部分谈到："]
        for sent in [head] + body:
            lines.append(f"> {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
        return Composed("\n".join(lines), True, citer, route="item")

    # ---- general -----------------------------------------------------------------------------
    def general_answer(self, a: Analysis, q: Query, hits: list[Hit]) -> Composed:
        citer = self._citer()
        top = hits[0]
        chosen = [top]
        top_sent = self.s.sentence_by_id[top.id]
        for h in hits[1:6]:
            sent = self.s.sentence_by_id[h.id]
            close = h.score >= 0.9 * top.score or (sent.paragraph == top_sent.paragraph and h.score >= 0.8 * top.score)
            if close and len(chosen) < MAX_GENERAL_SENTENCES:
                chosen.append(h)
        sentences = sorted((self.s.sentence_by_id[h.id] for h in chosen), key=lambda s: s.start)
        # A heading (the sentence that names its section, or a short one such as 四是执法监管还不严。) is
        # answered with the sentences under it, across the section's paragraphs.
        if len(top_sent.text) <= 16 or _is_heading(top_sent):
            depth = len(top_sent.path)
            body = [s for s in self.s.sentences if s.start > top_sent.start and s.path[:depth] == top_sent.path
                    and (s.paragraph == top_sent.paragraph or _is_heading(top_sent))][:MAX_SECTION_SENTENCES]
            sentences = sorted({s.id: s for s in sentences + body}.values(), key=lambda s: s.start)
        lines = [f"讲话在“{top_sent.section}”部分谈到："]
        for sent in sentences:
            lines.append(f"> {_quote(sent.text)}[{citer.cite(sent.start, sent.end, sent.section)}]")
        return Composed("\n".join(lines), True, citer, route="general")


# ---- helpers ------------------------------------------------------------------------------------
def _is_heading(sentence: Sentence) -> bool:
    """The sentence that opens and names its section (一是…, 第二，…, a part heading)."""
    return bool(sentence.path) and sentence.text.rstrip("。！？；：") == sentence.path[-1].rstrip("。！？；：")


def _quote(text: str) -> str:
    # Quotes are shown verbatim; only markdown-significant characters at line start are neutralised.
    return text.replace("\n", " ")


_FRAME_BIGRAMS = re.compile(r"[是哪几个有些什么讲话提到分别]")


_ASKS_COUNT_OR_DATE = re.compile(r"几点到几点|几点钟|几点开始|多少|几[个座次天年项处件名口位条批]|哪天|哪一天|哪年|哪一年|什么时候|何时|日期|"
                                 r"how many|how much|when|what date|what year", re.I)
_BODY_WORDS = re.compile(r"[市县区省]|局|办|委|部门|政府|同志|书记|市长|单位|机构|各级")


def _names_someone(text: str) -> bool:
    """Whether a sentence names a body or a person (an answer to "who")."""
    return bool(_BODY_WORDS.search(text))


_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}


def _part_number(question: str) -> int | None:
    """"第四部分" → 4: the part of the speech a question points at."""
    m = re.search(r"第([一二三四1-4])(?:部分|大部分|点意见)|part\s*([1-4])|(first|second|third|fourth) part", question, re.I)
    if not m:
        return None
    token = next(g for g in m.groups() if g)
    return {"一": 1, "二": 2, "三": 3, "四": 4, "first": 1, "second": 2, "third": 3, "fourth": 4}.get(token.lower(),
                                                                                              int(token) if token.isdigit() else None)


def _lexical_winner_first(a: Analysis, hits: list[Hit]) -> list[Hit]:
    """English questions reach BM25 only through the glossary; when that match is clear-cut (twice the
    next BM25 score), it beats cross-lingual dense similarity, which favours short headings."""
    if not a.english or len(hits) < 2:
        return hits
    by_bm25 = sorted(hits, key=lambda h: -h.bm25)
    if by_bm25[0].bm25 > 0 and by_bm25[0].bm25 >= 2 * by_bm25[1].bm25 and by_bm25[0] is not hits[0]:
        return [by_bm25[0]] + [h for h in hits if h is not by_bm25[0]]
    return hits


def _terms_with_expansions(text: str, expand=lambda t: "") -> set[str]:
    return {t for t in content_terms(text) + expand(text).split() if len(t) >= 2}


def _last_clause(question: str) -> str:
    """The part after the last comma: in a merged follow-up, the user's actual ask."""
    parts = [p for p in re.split(r"[，,；;]", question) if p.strip()]
    return parts[-1] if parts else question


def _count_word(question: str) -> int | None:
    m = re.search(r"([两二三四五六2-6])(?:个|项|点|部分|方面|件|条|大|“)", question)
    return _COUNTS[m.group(1)] if m else None


def _named_item(question: str, group: Group, text: str) -> tuple[int, int, str] | None:
    """The one item of a list whose own words (≥ 4 characters) the question repeats, if exactly one."""
    named = []
    for item in group.items:
        core = re.sub(r"^[一二三四五六七八九十]+[是要、]|^第[一二三四五六七八九十]+，|^在|方面$|[。；，]$", "",
                      text[item[0]:item[1]])
        if any(core[i:i + 4] in question for i in range(len(core) - 3)):
            named.append(item)
    return named[0] if len(named) == 1 else None


def _bigram_share(question: str, text: str) -> float:
    """Share of the question's content bigrams found in a text (robust to jieba's cuts)."""
    core = re.sub(r"[\W_a-zA-Z0-9]", "", question)
    grams = {core[i:i + 2] for i in range(len(core) - 1)}
    grams = {g for g in grams if not (_FRAME_BIGRAMS.match(g[0]) and _FRAME_BIGRAMS.match(g[1]))}
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _by_topic(duties: list[Duty]) -> list[tuple[str, list[Duty]]]:
    groups: dict[str, list[Duty]] = {}
    for d in sorted(duties, key=lambda d: d.start):
        groups.setdefault(d.topic, []).append(d)
    return list(groups.items())


def _ordered_actors(duties: list[Duty]) -> list[str]:
    names: list[str] = []
    for d in sorted(duties, key=lambda d: d.start):
        for n in d.actors:
            if n not in names:
                names.append(n)
    return names


def _hops(question: str) -> list[str]:
    # "既管A又管B" / "both A and B" are two tasks whose actor must be the same.
    m = re.search(r"既(.+?)又(.+)", question) or re.search(r"both (.+?) and (.+)", question, re.I)
    if m:
        return [m.group(1), m.group(2)]
    m = re.search(r"(.+?)(?:，|,)?(?:同时|还|并且)(?:负责|管|抓)(.+)", question)
    if m and len(m.group(1)) > 3:
        return [m.group(1), m.group(2)]
    return [question]


def _section_at(searcher: Searcher, pos: int) -> str:
    for sent in searcher.sentences:
        if sent.start <= pos < sent.end:
            return sent.section
    return ""


def _enumerations(doc) -> list[Group]:
    """The speech's own lists: its four parts, sections within a part, 在…方面 topics, inline 一是… items."""
    groups: list[Group] = []
    heads = [p for p in doc.paragraphs if p.kind == "heading"]
    groups.append(Group("parts", 0, len(doc.text), [(p.start, p.end, p.section) for p in heads]))
    body = [p for p in doc.paragraphs if p.kind == "body"]
    # Sections of one part that share a marker style form a list; so do the 在…方面 topics.
    styles = (r"^第[一二三四五六七八九十]+，", r"^[一二三四五六七八九十]+是", r"^[一二三四五六七八九十]+要", r"^在[^，]{1,20}方面，")
    for style in styles:
        run: list = []
        for p in body + [None]:
            if p is not None and re.match(style, p.text) and (not run or run[-1].path[0] == p.path[0]):
                run.append(p)
                continue
            if len(run) >= 2:
                items = []
                for para in run:
                    s, e = split_sentences(para.text, para.start)[0]
                    if style.startswith("^在"):
                        e = para.start + para.text.index("，")
                    items.append((s, e, para.section))
                start = _intro_start(doc, run[0])
                groups.append(Group(style, start, run[-1].end, items))
            run = [p] if p is not None and re.match(style, p.text) else []
    # Inline 一是… items inside one paragraph.
    for p in body:
        sents: list[Sentence] = p.sentences
        items = [(s.start, s.end, s.section) for s in sents[1:] if re.match(r"^[一二三四五六七八九十]是", s.text)]
        if len(items) >= 2:
            groups.append(Group("inline", p.start, p.end, items))
    return groups


def _intro_start(doc, first_para) -> int:
    # The paragraph before a list ("我重点强调四个方面工作：") belongs to it when it introduces it.
    prev = doc.paragraphs[first_para.index - 1]
    return prev.start if prev.kind == "body" and prev.text.endswith("：") else first_para.start
