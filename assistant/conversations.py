"""Conversations already built, by the questions that built them, so a chat turn does not re-answer its history.

A web page or an API client sends its earlier questions with each new one (``Assistant.ask(q, history)``).
Replaying them (``Assistant._replay``: each earlier question answered again, oldest first) cost every turn of a
long chat up to six more asks: 0.4-1.6 s a turn over a 1,000-document library, where the question alone takes
tens of milliseconds. Each answered turn leaves here the conversation it ends, keyed by every question asked in it
(cleaned, in order); the next turn of that chat finds it. A history never seen (a new server, a client's own
history) is replayed as before. Kept for the ``size`` latest chats; each lookup hands out a copy.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class Conversations:
    """Least recently used conversations by their questions (safe across the server's threads)."""

    def __init__(self, size: int = 512):
        self.size = size
        self._held: OrderedDict[tuple[str, ...], list] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, questions: list[str]) -> list | None:
        """The answers of the conversation ``questions`` built (a new list), or None."""
        key = tuple(questions)
        with self._lock:
            answers = self._held.get(key)
            if answers is None:
                return None
            self._held.move_to_end(key)
            return list(answers)

    def put(self, questions: list[str], answers: list) -> None:
        with self._lock:
            self._held[tuple(questions)] = list(answers)
            self._held.move_to_end(tuple(questions))
            while len(self._held) > self.size:
                self._held.popitem(last=False)
