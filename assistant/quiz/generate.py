"""The question bank: questions generated from the document's figures, duty map and enumerations.

Every question carries a citation ``{quote, start, end, section}`` with ``quote == source[start:end]``;
questions whose answer is not visible in their cited passage are dropped (``supported``). The bank is
the same on every run: ids are stable, and each question's randomness is seeded by its id.

Distractors must not give the answer away, so they are read from the asked duty's own section (the
sentence's part › section path): a "who" option is a body tasked in that section and of the answer's
sort (``ActorNames.kind_class``: a bureau or office for a bureau, a county for a county); a task
given to several bodies is offered against groups the section names together, or groups built of the
same sorts — never unrelated bodies glued into one option; a "task" option is another task of that
section; a false statement swaps in a body of the same sort and section, or changes a number but keeps
its unit. A question whose section offers too few such distractors is left out of the bank.
"""
from __future__ import annotations

import random
import re
import zlib
from bisect import bisect_right

from rapidfuzz import fuzz

from assistant.quiz.actors import ActorNames
from assistant.quiz.grade import FALSE, FALSE_WORDS, TRUE, TRUE_WORDS
from assistant.quiz.question import KINDS, LETTERS, Question
from index.enumerations import derive_enumerations
from index.language import message
from index.numerals import NUMERAL, to_chinese
from index.segment import ITEM_MARKER


def _rng_for(key: str) -> random.Random:
    """A generator fixed by a question id: the bank is identical on every run."""
    return random.Random(zlib.crc32(key.encode("utf-8")))


class _Source:
    """The canonical text with its sentences, for citations and section lookups."""

    def __init__(self, assistant):
        self.text: str = assistant.index.corpus.text
        self.doc = assistant.index.corpus.doc
        self.sentences = [s for s in self.doc.sentences]
        self.starts = [s.start for s in self.sentences]
        self.by_id = {s.id: s for s in self.sentences}

    def sentence_at(self, pos: int):
        i = bisect_right(self.starts, pos) - 1
        return self.sentences[max(i, 0)]

    def cite(self, start: int, end: int, section: str | None = None) -> dict:
        quote = self.text[start:end]
        return {"quote": quote, "start": start, "end": end,
                "section": section if section is not None else self.sentence_at(start).section}


def _strip_end(text: str) -> str:
    return text.rstrip("。；;，,：:！!？? ")


def _clip(text: str, limit: int = 48) -> str:
    """Cut a long clause list at a clause boundary (else at a 、 boundary), marking the cut with …"""
    text = _strip_end(text)
    if len(text) <= limit:
        return text
    for seps in ("，；", "，；、"):
        out = ""
        for p in re.split(f"(?<=[{seps}])", text):
            if out and len(out) + len(p) > limit:
                break
            out += p
        out = _strip_end(out)
        if limit * 0.5 <= len(out) <= limit:
            return out + "…"
    return text[:limit] + "…"


_MARKER = re.compile(f"^(?:{NUMERAL}、|{ITEM_MARKER.pattern.lstrip('^')})")


def _topic_label(path: list[str]) -> str:
    """A short topic for progress statistics: 在…方面 → its core; else the section (or part) theme."""
    for label in reversed(path):
        m = re.match(r"^在(.+?)方面$", label)
        if m:
            return m.group(1)
    if not path:
        return ""
    label = path[1] if len(path) >= 2 else path[0]
    label = _MARKER.sub("", label)
    label = re.sub(r"^要", "", label)
    return _strip_end(label.split("，")[0])


def _cn(n: int) -> str:
    """A count before a measure word: 两个, 三个, 第二 is written with _ordinal."""
    return "两" if n == 2 else to_chinese(n)


def _ordinal(n: int) -> str:
    return to_chinese(n)



_BANKS: dict[int, list[Question]] = {}


def generate(assistant) -> list[Question]:
    """The full question bank for an assistant's speech (cached; identical on every run)."""
    key = zlib.crc32(assistant.index.corpus.text.encode("utf-8"))
    if key not in _BANKS:
        _BANKS[key] = _Generator(assistant).run()
    return list(_BANKS[key])


class _Generator:
    def __init__(self, assistant):
        self.src = _Source(assistant)
        self.noun = assistant.index.corpus.noun  # 讲话, 通知 …: how the quiz calls the document
        self.names = ActorNames(assistant.registry)
        self.duties = assistant.duties()
        self.figures = assistant.figures()
        self.groups = derive_enumerations(self.src.doc)
        self.questions: list[Question] = []

    def run(self) -> list[Question]:
        self._figure_questions()
        self._duty_questions()
        self._recall_questions()
        self._enumeration_questions()
        seen_ids, seen_prompts, out = set(), set(), []
        for q in self.questions:
            if q.id in seen_ids or q.prompt in seen_prompts or not supported(q, self.src.text, self.names):
                continue
            seen_ids.add(q.id)
            seen_prompts.add(q.prompt)
            out.append(q)
        return out

    # ---- figures → cloze, true/false ---------------------------------------------------------------
    def _figure_questions(self) -> None:
        text = self.src.text
        for f in self.figures:
            if f["kind"] not in ("target", "result", "status", "count"):
                continue
            sent = self.src.sentence_at(f["start"])
            ss, se = f["sentence_start"], f["sentence_end"]
            a, vb = f["start"] - ss, f["start"] - ss + len(f["value"])
            s_text = text[ss:se]
            lo, hi = _window(s_text, a, vb)
            pre = ("…" if lo > 0 else "") + s_text[lo:a]
            post = s_text[vb:hi] + ("…" if hi < len(_strip_end(s_text)) else "")
            citation = self.src.cite(ss, se, f["section"])
            topic = _topic_label(sent.path)
            value = f["value"]
            unit = f["unit"]
            where = f"（{f['section']}）"
            accepted = [value, value + unit, to_chinese(value), to_chinese(value) + unit]
            self.questions.append(Question(
                id=f"cloze-{f['id']}", kind="cloze", level=KINDS["cloze"],
                prompt=message("assistant.quiz.generate.cloze", pre=pre, post=post, where=where), answer=value,
                accepted=list(dict.fromkeys(accepted)), citation=citation, topic=topic, answer_type="number",
                fact=f["id"], unit=unit, explain=message("assistant.quiz.generate.original", text=f["text"])))
            statement = f"{pre}{value}{post}"
            fact_item = {"answer": f["text"], "accepted": [f["text"]], "citation": self.src.cite(f["start"], f["end"])}
            self.questions.append(Question(
                id=f"tf-{f['id']}-true", kind="true_false", level=KINDS["true_false"],
                prompt=message("assistant.quiz.generate.said", noun=self.noun, statement=statement), answer=TRUE,
                accepted=TRUE_WORDS[:6], citation=citation, topic=topic, options=[TRUE, FALSE], answer_type="bool",
                fact=f["id"], items=[dict(fact_item)],
                explain=message("assistant.quiz.generate.said_so", text=f["text"])))
            others = {m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?", s_text)}
            wrong = _altered_number(value, unit, others, _rng_for(f"tf-{f['id']}-false"))
            if wrong is None:
                continue
            self.questions.append(Question(
                id=f"tf-{f['id']}-false", kind="true_false", level=KINDS["true_false"],
                prompt=message("assistant.quiz.generate.said", noun=self.noun, statement=f"{pre}{wrong}{post}"),
                answer=FALSE, accepted=FALSE_WORDS[:6], citation=citation, topic=topic, options=[TRUE, FALSE],
                answer_type="bool", fact=f["id"], items=[dict(fact_item)],
                explain=message("assistant.quiz.generate.said_otherwise", text=f["text"], wrong=f"{wrong}{unit}")))

    # ---- duties → who / task / reverse / true-false -----------------------------------------------------
    def _duty_info(self) -> list[dict]:
        text = self.src.text
        infos = []
        last_direct: dict | None = None
        for d in self.duties:
            task = d["task"]
            if d["inherited"]:
                rest = re.sub(r"^(?:特别|并|同时，)?要", "", task)
                parent = last_direct if last_direct and last_direct["actors"] == d["actors"] else None
                start = parent["start"] if parent and self.src.by_id[parent["sentence_id"]].paragraph == \
                    self.src.by_id[d["sentence_id"]].paragraph else None
                if start is None:
                    continue
            else:
                m = self.names.subject_finder.find(task)
                if not m or m[0].start() != 0:
                    continue
                rest = task[m[0].end():]
                start = d["start"]
                last_direct = d
            sent = self.src.by_id[d["sentence_id"]]
            rest = _strip_end(rest)
            infos.append(dict(
                duty=d, actors=list(d["actors"]), rest=rest, short=_clip(rest, 46), long=_clip(rest, 70),
                citation=self.src.cite(start, d["end"], d["section"]),
                topic=_topic_label(sent.path), fangmian=d["topic"] if re.match(r"^在.+方面$", d["topic"]) else "",
                section2=tuple(sent.path[:2]),
                generic="各级各部门" in d["actors"]))
            assert text[start:d["end"]].endswith(task)
        return infos

    def _distractor_actors(self, info: dict, like: str, k: int, rng: random.Random, infos: list[dict]) -> list[str]:
        """Up to ``k`` bodies that could stand in for ``like`` but are not right for this task: tasked in the
        same section (same topic first), of the same sort as ``like`` (a bureau for a bureau, a county for a
        county), never one that shares the task or overlaps a right actor."""
        same_task = {a for o in infos if fuzz.ratio(o["rest"], info["rest"]) >= 90 for a in o["actors"]}
        sort = self.names.kind_class(like)
        ok = [a for a in self._actors_in(info["section2"])
              if a not in same_task and self.names.kind_class(a) == sort
              and not any(self.names.overlaps(a, c) for c in info["actors"])]
        near = [a for a in ok if any(a in o["actors"] for o in infos if o["topic"] == info["topic"])]
        far = [a for a in ok if a not in near]
        rng.shuffle(near)
        rng.shuffle(far)
        return (near + far)[:k]

    def _actors_in(self, section: tuple) -> list[str]:
        """The bodies tasked in one section, in document order."""
        return list(dict.fromkeys(a for o in self.duty_infos if o["section2"] == section for a in o["actors"]))

    def _actor_groups(self, info: dict, rng: random.Random, infos: list[dict]) -> list[str]:
        """Distractors for a task given to several bodies: groups the document itself names together in this
        section first, then groups built position by position of the same sorts as the answer (a bureau
        and a bureau for two bureaus) — never bodies of unrelated sorts glued together."""
        actors = info["actors"]
        same_task = {a for o in infos if fuzz.ratio(o["rest"], info["rest"]) >= 90 for a in o["actors"]}
        sorts = sorted(self.names.kind_class(a) for a in actors)

        def fine(group) -> bool:
            return (len(group) == len(actors) and not set(group) & same_task
                    and sorted(self.names.kind_class(a) for a in group) == sorts
                    and not any(self.names.overlaps(a, c) for a in group for c in actors))

        real = list(dict.fromkeys(tuple(o["actors"]) for o in infos
                                  if o["section2"] == info["section2"] and fine(o["actors"])))
        rng.shuffle(real)
        groups: list[tuple] = []
        for g in real:  # one option per set of bodies: 甲、乙 and 乙、甲 are the same option
            if frozenset(g) not in {frozenset(x) for x in groups}:
                groups.append(g)
        columns = [self._distractor_actors(info, a, len(self.duty_infos), rng, infos) for a in actors]
        while len(groups) < 3:
            group: list[str] = []
            for col in columns:
                pick = next((a for a in col if a not in group
                             and not any(self.names.overlaps(a, g) for g in group)), None)
                if pick is None:
                    break
                group.append(pick)
                col.remove(pick)
            if len(group) < len(actors):
                break  # a column ran out: no more groups of these sorts in this section
            if fine(group) and frozenset(group) not in {frozenset(x) for x in groups}:
                groups.append(tuple(group))
        return ["、".join(g) for g in groups[:3]]

    def _duty_questions(self) -> None:
        infos = self._duty_info()
        self.duty_infos = infos
        usable = [i for i in infos if not i["generic"]]
        asked_task: dict[tuple, str] = {}
        for info in usable:
            d = info["duty"]
            did = d["id"]
            actors = info["actors"]
            joined = "、".join(actors)
            lead = f"{info['fangmian']}，" if info["fangmian"] else ""
            where = "" if info["fangmian"] else f"（{d['section']}）"
            if any(f in info["short"] for a in actors for f in self.names.aliases(a) if len(f) >= 3):
                continue  # the task text would give the answer away
            many = len(actors) > 1
            accepted_names = [f for a in actors for f in self.names.aliases(a)]
            items = [{"answer": a, "accepted": self.names.aliases(a), "citation": info["citation"]} for a in actors]

            # who: multiple choice
            rng = _rng_for(f"who-{did}")
            if many:  # options of the same size and sorts, each a group that could not share the task
                options = self._actor_groups(info, rng, infos)
            else:
                options = self._distractor_actors(info, actors[0], 3, rng, infos)
            if len(options) >= 2:
                options = options + [joined]
                rng.shuffle(options)
                who = message("assistant.quiz.generate.who_many" if many else "assistant.quiz.generate.who_one")
                self.questions.append(Question(
                    id=f"who-{did}", kind="who", level=KINDS["who"],
                    prompt=message("assistant.quiz.generate.who", lead=lead, noun=self.noun, who=who,
                                   task=info["short"], where=where), answer=joined,
                    accepted=[LETTERS[options.index(joined)], joined] + ([] if many else accepted_names),
                    citation=info["citation"], topic=info["topic"], options=options, answer_type="choice",
                    items=[dict(it) for it in items], fact=did))

            # reverse: name the department(s)
            who = message("assistant.quiz.generate.which_bodies", count=_cn(len(actors))) if many \
                else message("assistant.quiz.generate.which_body")
            self.questions.append(Question(
                id=f"reverse-{did}", kind="reverse", level=KINDS["reverse"],
                prompt=message("assistant.quiz.generate.reverse", lead=lead, noun=self.noun, who=who,
                               task=info["short"], where=where), answer=joined,
                accepted=[joined] + accepted_names, citation=info["citation"], topic=info["topic"],
                answer_type="actors", items=items, fact=did))

            # task: which of these is this actor's task?
            rng = _rng_for(f"task-{did}")
            # Other bodies' tasks of the same section (its own topic first): a task from another
            # section would give itself away by its subject alone.
            cands = [o for o in usable if o is not info and o["section2"] == info["section2"]
                     and not any(self.names.overlaps(a, c) for a in o["actors"] for c in actors)
                     and fuzz.ratio(o["short"], info["short"]) < 80]
            near = [o for o in cands if o["topic"] == info["topic"]]
            far = [o for o in cands if o["topic"] != info["topic"]]
            rng.shuffle(near)
            rng.shuffle(far)
            opts: list[str] = []
            for o in near + far:
                if o["short"] not in opts and o["short"] != info["short"]:
                    opts.append(o["short"])
                if len(opts) == 3:
                    break
            if len(opts) >= 2:
                opts.append(info["short"])
                rng.shuffle(opts)
                context = (joined, lead, where)
                prompt = message("assistant.quiz.generate.task", lead=lead, noun=self.noun, bodies=joined, where=where)
                if context in asked_task:  # a second duty in the same place: name the one already asked
                    prompt = message("assistant.quiz.generate.task_besides", lead=lead,
                                     asked=_clip(asked_task[context], 20), noun=self.noun, bodies=joined, where=where)
                asked_task.setdefault(context, info["short"])
                self.questions.append(Question(
                    id=f"task-{did}", kind="task", level=KINDS["task"],
                    prompt=prompt, answer=info["short"],
                    accepted=[LETTERS[opts.index(info["short"])], info["short"]], citation=info["citation"],
                    topic=info["topic"], options=opts, answer_type="choice", fact=did))

            # true/false: the statement as said, and with one actor swapped
            sep = "：" if info["rest"].startswith(("对", "针对")) else ""
            self.questions.append(Question(
                id=f"tf-{did}-true", kind="true_false", level=KINDS["true_false"],
                prompt=message("assistant.quiz.generate.required", lead=lead, noun=self.noun, bodies=joined, sep=sep,
                               task=info["long"]), answer=TRUE,
                accepted=TRUE_WORDS[:6], citation=info["citation"], topic=info["topic"], options=[TRUE, FALSE],
                answer_type="bool", fact=did, items=[dict(it) for it in items],
                explain=message("assistant.quiz.generate.required_so", noun=self.noun, bodies=joined)))
            rng = _rng_for(f"tf-{did}-swap")
            order = list(range(len(actors)))
            rng.shuffle(order)
            i, swap = next(((j, s) for j in order
                            for s in [self._distractor_actors(info, actors[j], 1, rng, infos)] if s), (0, []))
            if swap:
                wrong = list(actors)
                wrong[i] = swap[0]
                self.questions.append(Question(
                    id=f"tf-{did}-swap", kind="true_false", level=KINDS["true_false"],
                    prompt=message("assistant.quiz.generate.required", lead=lead, noun=self.noun,
                                   bodies="、".join(wrong), sep=sep, task=info["long"]), answer=FALSE,
                    accepted=FALSE_WORDS[:6], citation=info["citation"], topic=info["topic"],
                    options=[TRUE, FALSE], answer_type="bool", fact=did, items=[dict(it) for it in items],
                    explain=message("assistant.quiz.generate.named_other", noun=self.noun, named=actors[i],
                                    swapped=swap[0])))

    # ---- free recall ---------------------------------------------------------------------------------
    def _recall_questions(self) -> None:
        infos = self.duty_infos
        actors = list(dict.fromkeys(a for i in infos for a in i["actors"] if a != "各级各部门"))
        for actor in actors:
            mine = [i for i in infos if actor in i["actors"]]
            items = [{"answer": i["short"], "accepted": [i["short"], i["rest"]], "citation": i["citation"]}
                     for i in mine]
            n = len(items)
            if n == 1:
                prompt = message("assistant.quiz.generate.recall_one", noun=self.noun, body=actor)
            else:
                prompt = message("assistant.quiz.generate.recall_many", noun=self.noun, body=actor, count=_cn(n))
            self.questions.append(Question(
                id=f"recall-actor-{_slug(actor)}", kind="recall", level=KINDS["recall"], prompt=prompt,
                answer="；".join(it["answer"] for it in items), accepted=[it["answer"] for it in items],
                citation=_span_citation(self.src, [i["citation"] for i in mine]), topic=mine[0]["topic"],
                answer_type="list", items=items, fact=actor, covers=[i["duty"]["id"] for i in mine]))
        # bodies named under each 在…方面 topic
        topics = list(dict.fromkeys(i["fangmian"] for i in infos if i["fangmian"]))
        for topic in topics:
            mine = [i for i in infos if i["fangmian"] == topic]
            names = list(dict.fromkeys(a for i in mine for a in i["actors"]))
            items = [{"answer": a, "accepted": self.names.aliases(a),
                      "citation": next(i["citation"] for i in mine if a in i["actors"])} for a in names]
            core = re.sub(r"^在|方面$", "", topic)
            self.questions.append(Question(
                id=f"recall-topic-{_slug(core)}", kind="recall", level=KINDS["recall"],
                prompt=message("assistant.quiz.generate.recall_topic", topic=topic, noun=self.noun,
                               count=_cn(len(names))),
                answer="、".join(names), accepted=["、".join(names)],
                citation=_span_citation(self.src, [i["citation"] for i in mine]), topic=core,
                answer_type="actors", items=items, fact=topic, covers=[i["duty"]["id"] for i in mine]))

    # ---- enumerations → list recall, structure ---------------------------------------------------------
    def _enumeration_questions(self) -> None:
        text = self.src.text
        # Each document of a library has its own parts: a list's items belong to the parts of its document.
        parts_groups = [g for g in self.groups if g.label == "parts"]   # in text order, one per document
        parts_starts = [g.start for g in parts_groups]
        for g in self.groups:
            if len(g.items) < 2:  # a document without parts has an empty "parts" group: nothing to recall
                continue
            k = bisect_right(parts_starts, g.start) - 1
            own = parts_groups[k] if k >= 0 and g.start <= parts_groups[k].end else None
            parts = [(s, e) for s, e, _ in own.items] if own else []
            part_titles = [_strip_end(text[s:e]) for s, e in parts]
            info = self._group_info(g, part_titles)
            if info is None:
                continue
            gid, desc, ask, items, lead_cite, topic = info
            self.questions.append(Question(
                id=f"list-{gid}", kind="list", level=KINDS["list"], prompt=ask,
                answer="；".join(it["answer"] for it in items), accepted=[it["answer"] for it in items],
                citation=lead_cite, topic=topic, answer_type="list", items=items, fact=gid))
            # ordinal: the k-th item of the list
            for k, it in enumerate(items):
                rng = _rng_for(f"structure-{gid}-{k + 1}")
                opts = [o["answer"] for o in items]
                if len(opts) > 4:
                    others = [o for o in opts if o != it["answer"]]
                    rng.shuffle(others)
                    opts = others[:3] + [it["answer"]]
                rng.shuffle(opts)
                self.questions.append(Question(
                    id=f"structure-{gid}-{k + 1}", kind="structure", level=KINDS["structure"],
                    prompt=message("assistant.quiz.generate.item", list=desc, ordinal=_ordinal(k + 1)),
                    answer=it["answer"], accepted=[LETTERS[opts.index(it["answer"])], it["answer"]],
                    citation=it["citation"], topic=message("assistant.quiz.generate.structure", noun=self.noun),
                    options=opts, answer_type="choice", fact=gid))
            # which part an item belongs to (options in speech order, so 第三部分 / 三 / 3 / C agree)
            if g.label == "parts" or not parts:
                continue
            for k, it in enumerate(items):
                idx = next((i for i, (s, e) in enumerate(parts)
                            if s <= it["citation"]["start"] < (parts[i + 1][0] if i + 1 < len(parts) else len(text))),
                           None)
                if idx is None:
                    continue
                ps, pe = parts[idx]
                answer = part_titles[idx]
                self.questions.append(Question(
                    id=f"structure-{gid}-{k + 1}-part", kind="structure", level=KINDS["structure"],
                    prompt=message("assistant.quiz.generate.which_part", item=it["answer"], noun=self.noun),
                    answer=answer,
                    accepted=[LETTERS[idx], answer, message("assistant.quiz.generate.part", ordinal=_ordinal(idx + 1)),
                              _ordinal(idx + 1), str(idx + 1)],
                    citation=self.src.cite(ps, pe), topic=message("assistant.quiz.generate.structure", noun=self.noun),
                    options=list(part_titles), answer_type="choice", items=[dict(it)], fact=gid,
                    explain=message("assistant.quiz.generate.under", item=it["answer"],
                                    section=it["citation"]["section"])))

    def _group_info(self, g, part_titles: list[str]):
        """(id, description, list question, items, lead citation, topic) for one enumeration."""
        text, src = self.src.text, self.src
        n = len(g.items)
        items = []
        for s, e, section in g.items:
            raw = _strip_end(text[s:e])
            if g.label.startswith("^在"):
                answer = re.sub(r"^在|方面$", "", raw)
                keys = [answer, raw]
            else:
                answer = _MARKER.sub("", raw)
                answer = re.sub(r"^要", "", answer) if g.label != "parts" else answer
                keys = [answer, answer.split("，")[0]]
            items.append({"answer": answer, "accepted": list(dict.fromkeys(keys)), "citation": src.cite(s, e, section)})
        first = src.sentence_at(g.items[0][0])
        if g.label == "parts":
            heading = next(p for p in src.doc.paragraphs if p.start == g.items[0][0])
            before = src.doc.paragraphs[heading.index - 1].sentences[-1]
            lead = _strip_end(before.text)
            gid = "parts" if g.start == 0 else f"parts-{g.start}"
            desc = message("assistant.quiz.generate.parts", noun=self.noun, lead=lead, count=_cn(n))
            ask = message("assistant.quiz.generate.parts_ask", noun=self.noun, lead=lead, count=_cn(n))
            lead_cite = src.cite(before.start, before.end)
            topic = message("assistant.quiz.generate.structure", noun=self.noun)
        elif g.start < g.items[0][0] and g.label != "inline":  # an introducing paragraph ("…强调四个方面工作：")
            intro = next(p for p in src.doc.paragraphs if p.start == g.start)
            last = intro.sentences[-1]
            phrase = re.sub(r"^我", "", _strip_end(last.text))
            phrase = re.sub(f"({NUMERAL}个)", r"的\1", phrase, count=1)
            date = re.match(r"^(\d{4}年)", intro.text)
            desc = f"{date.group(1) if date else ''}{phrase}"
            gid = f"intro-{g.start}"
            ask = message("assistant.quiz.generate.list_ask", list=desc)
            lead_cite = src.cite(intro.start, intro.end)
            topic = _topic_label(first.path[:1])
        elif g.label == "inline":
            para = next(p for p in src.doc.paragraphs if p.start == g.start)
            core = _topic_label(para.path)
            common = _common_bigram([it["answer"] for it in items])
            desc = (message("assistant.quiz.generate.inline_common", noun=self.noun, core=core, count=_cn(n),
                            common=common) if common
                    else message("assistant.quiz.generate.inline", noun=self.noun, core=core, count=_cn(n)))
            ask = message("assistant.quiz.generate.inline_ask", list=desc, count=_cn(n))
            gid = f"inline-{g.start}"
            lead_cite = src.cite(para.start, para.end) if para.end - para.start <= 600 else \
                src.cite(para.sentences[0].start, para.sentences[0].end)
            topic = core
        elif g.label.startswith("^在"):
            parent = first.path[1] if len(first.path) > 1 else first.path[0]
            head = next(p for p in src.doc.paragraphs if p.kind == "body" and p.text.startswith(parent))
            theme = re.search(r"(?:全市)?([\u4e00-\u9fff]{2,6}?防治)工作", head.text)
            desc = (message("assistant.quiz.generate.topics_theme", theme=theme.group(1), count=_cn(n)) if theme
                    else message("assistant.quiz.generate.topics", section=parent, count=_cn(n)))
            ask = message("assistant.quiz.generate.topics_ask", section=parent, noun=self.noun, count=_cn(n),
                          theme=theme.group(1) if theme else message("assistant.quiz.generate.work"))
            gid = f"topics-{g.start}"
            lead_cite = src.cite(head.sentences[0].start, head.sentences[0].end)
            topic = _topic_label(first.path[:2])
        else:  # 第一，… / 一要… sections of one part
            part = first.path[0]
            k = part_titles.index(_strip_end(part)) + 1 if _strip_end(part) in part_titles else 0
            core = _topic_label([part])
            markers = "、".join(re.match(f"^(第{NUMERAL}|{NUMERAL}[是要])",
                                         text[s:e]).group(1) for s, e, _ in g.items)
            desc = message("assistant.quiz.generate.sections", noun=self.noun, ordinal=_ordinal(k), core=core,
                           count=_cn(n), markers=markers)
            ask = message("assistant.quiz.generate.list_ask", list=desc)
            gid = f"sections-{g.start}"
            head = next(p for p in src.doc.paragraphs if p.kind == "heading" and p.text == part)
            lead_cite = src.cite(head.start, head.end)
            topic = core
        # When the whole list fits in one short passage, cite all of it.
        span_start = min(lead_cite["start"], items[0]["citation"]["start"])
        span_end = max(lead_cite["end"], items[-1]["citation"]["end"])
        if span_end - span_start <= 600:
            lead_cite = src.cite(span_start, span_end, lead_cite["section"])
        return gid, desc, ask, items, lead_cite, topic


def _slug(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def _common_bigram(items: list[str]) -> str:
    first = items[0]
    for i in range(len(first) - 1):
        bg = first[i:i + 2]
        if all(bg in it for it in items[1:]):
            return bg
    return ""


def _span_citation(src: _Source, cites: list[dict]) -> dict:
    """One citation covering several passages when they share a paragraph, else the first one."""
    start, end = min(c["start"] for c in cites), max(c["end"] for c in cites)
    if end - start <= 600 and "\n" not in src.text[start:end]:
        return src.cite(start, end, cites[0]["section"])
    return dict(cites[0])


def _window(sentence: str, a: int, b: int, max_len: int = 72, min_left: int = 16) -> tuple[int, int]:
    """The clauses of a sentence around [a, b): the whole sentence when short, else nearby clauses."""
    body = _strip_end(sentence)
    if len(body) <= max_len:
        return 0, len(body)
    stops = "，；：、"
    left = max(body.rfind(c, 0, a) for c in stops) + 1
    rights = [i for i in (body.find(c, b) for c in "，；：") if i != -1]
    right = min(rights) if rights else len(body)
    while left > 0 and a - left < min_left:
        prev = max(body.rfind(c, 0, left - 1) for c in "，；：") + 1
        if right - prev > max_len:
            break
        left = prev
    return left, right


def _altered_number(value: str, unit: str, others: set[str], rng: random.Random) -> str | None:
    """A different, plausible number for a false statement (never another number of the same sentence)."""
    if "." in value:
        places = len(value.split(".")[1])
        v = float(value)
        step = 10 ** -places
        cands = [v + d * step for d in (-3, -2, -1, 1, 2, 3, 5)] + [v + 1, v - 1]
        cands = [round(c, places) for c in cands if c > 0]
        strs = [f"{c:.{places}f}" for c in cands]
    else:
        v = int(value)
        if v <= 5:
            deltas = (-2, -1, 1, 2, 3)
        elif v <= 20:
            deltas = (-3, -2, -1, 1, 2, 3)
        elif v <= 100:
            deltas = (-10, -5, -3, 3, 5, 10)
        elif v < 500:
            deltas = (-25, -15, -10, 10, 15, 25)
        else:
            deltas = (-50, -30, -20, 20, 30, 50)
        strs = [str(v + d) for d in deltas if v + d > 0 and not (unit == "%" and v + d > 100)]
    strs = [s for s in dict.fromkeys(strs) if s != value and s not in others]
    return rng.choice(strs) if strs else None


def supported(q: Question, source: str, names: ActorNames) -> bool:
    """The answer is visible in the cited passage(s), and every citation is exact."""
    cites = [q.citation] + [it["citation"] for it in (q.items or [])]
    for c in cites:
        if source[c["start"]:c["end"]] != c["quote"]:
            return False
    quote = q.citation["quote"]

    def present(item: dict, text: str) -> bool:
        actor = names.get(item["answer"])
        forms = actor.surface_forms if actor else item["accepted"]
        return any(f and f in text for f in forms)

    if q.answer_type == "number":
        return q.answer in quote
    if q.answer_type == "bool":  # the true number / the actors really named are in the passage
        return bool(q.items) and all(present(it, quote) for it in q.items)
    if q.answer_type in ("actors", "list"):
        return bool(q.items) and all(present(it, it["citation"]["quote"]) for it in q.items)
    if q.answer_type == "choice":
        if q.kind == "who":
            return bool(q.items) and all(present(it, quote) for it in q.items)
        return q.answer.rstrip("…") in quote
    return q.answer in quote
