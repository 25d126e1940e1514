"""Answering: one module per answer type (duty, who, figure, listing, metadata, general), refusals, and
the composer that routes between them. Answerers consume ``Evidence``; they never call the searcher."""
from assistant.answer.base import Composed
from assistant.answer.composer import Composer

__all__ = ["Composer", "Composed", "Evidence"]
