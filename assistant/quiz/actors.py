"""The bodies a quiz asks about, read from the document's body registry: aliases, overlaps, and the
bodies a free answer names (any alias, English name, or a near spelling)."""
from __future__ import annotations

import re
from functools import cached_property

from rapidfuzz import fuzz, process

from index.facts import SubjectFinder


class ActorNames:
    """Quiz-side view of ``assistant.actors.BodyRegistry``."""

    def __init__(self, registry=None):
        self.registry = registry

    def get(self, name: str):
        return self.registry.by_name.get(name) if self.registry else None

    @cached_property
    def subject_finder(self) -> SubjectFinder:
        """The duty map's own subject finder (index.facts), over the document's bodies."""
        return SubjectFinder(self.registry.bodies if self.registry else [])

    @cached_property
    def _alias_table(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for b in (self.registry.bodies if self.registry else []):
            for f in b.surface_forms:
                out.setdefault(f.lower(), b.name)
        return out

    def kind_class(self, name: str) -> str:
        """What sort of body a name is, for "a body for a body": a 局 and a 办 are both municipal departments;
        a county, a collective (各县区), a leader group and a government are each their own sort."""
        a = self.get(name)
        return _KIND_CLASS.get(a.kind, a.kind) if a is not None else "unknown"

    def aliases(self, name: str) -> list[str]:
        a = self.get(name)
        return list(dict.fromkeys(a.surface_forms)) if a is not None else [name]

    def overlaps(self, a: str, b: str) -> bool:
        """Whether two actors can both be right for one task (so one may never be the other's distractor)."""
        if a == b:
            return True
        A, B = self.get(a), self.get(b)
        if A is None or B is None:
            return True
        if b in A.covers or a in B.covers:
            return True
        # A collective ("各级各部门") includes every body; local and leader bodies overlap among themselves.
        if A.kind == "collective" and not _is_local(A) or B.kind == "collective" and not _is_local(B):
            return True
        return (_is_local(A) and _is_local(B)) or (A.kind == "leader" and B.kind == "leader")

    def named_in(self, response: str) -> list[str]:
        """Canonical actors named in a free answer: any registry alias, English name, or a near spelling."""
        text = response or ""
        find = self.registry.find if self.registry else (lambda t: [])
        exact = self._alias_table
        names = list(find(text))
        for seg in re.split(r"[、，,；;/\s]+|(?<=[局办县区])和", text):
            seg = seg.strip("。.！!？?“”\"'（）() ")
            if not seg:
                continue
            hit = exact.get(seg.lower())
            if hit is None and len(seg) >= 3 and not find(seg):
                best = process.extract(seg, list(exact), scorer=fuzz.ratio, limit=3, score_cutoff=80)
                if best and len({exact[k] for k, s, _ in best if s == best[0][1]}) == 1:
                    hit = exact[best[0][0]]
            if hit and hit not in names:
                names.append(hit)
        return names


_KIND_CLASS = {"bureau": "department", "office": "department"}


def _is_local(body) -> bool:
    return body.kind == "county" or body.name.startswith("各县")
