"""Counterfactual fixture: the Ankang eco speech with names and figures swapped.

Why this exists
---------------
The QA assistant is supposed to answer from the document it reads, not from
words it (or its prompts, or a model behind it) has memorised about the real
2021-04-16 Ankang speech.  This module builds a *counterfactual* copy of that
speech in which every body (bureau / office), the city, its counties and
districts, rivers, lakes and mountains, the people named, and the measured
figures are changed consistently -- e.g. 市交通局 -> 市文旅局, 安康 -> 临川,
寇全安 -> 严启明, 325天 -> 318天 -- and applies the very same mapping to the
development question set (eval/gold.jsonl).  An engine that really reads the
document should score about the same on the original pair and on the
counterfactual pair; a large drop points at memorised wording.

The mapping lives in eval/counterfactual_map.json as
``{"replacements": [["original", "replacement"], ...]}`` (longest first).
Dates of the speech, years and plan names (2021, 十四五, ...) are left as
they are; measured values, counts and rankings are changed.

Replacement rules (see ``apply``):

* one pass over the text with a single compiled regex alternation, so a
  replacement is never itself replaced again (A->B, B->C maps A to B);
* longest key first, so 市交通局 wins over 交通局;
* keys that start/end with a digit only match a whole number (325天 does not
  fire inside 1325天, 3个 not inside 13个 or 3.3个).

Usage::

    python -m eval.counterfactual OUT_DIR

writes OUT_DIR/counterfactual-speech.txt and OUT_DIR/counterfactual-gold.jsonl.
"""
from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

ROOT = Path(__file__).resolve().parents[1]
MAP_PATH = ROOT / "eval" / "counterfactual_map.json"
GOLD_PATH = ROOT / "eval" / "gold.jsonl"
SPEECH_PATH = ROOT / "index" / "corpus" / "ankang-2021-04-16-eco-speech.txt"

SPEECH_OUT = "counterfactual-speech.txt"
GOLD_OUT = "counterfactual-gold.jsonl"

# gold fields that are labels, not text: never rewritten
_LABEL_FIELDS = frozenset({"id", "category"})

MappingLike = Union[Mapping[str, Any], Iterable[Iterable[str]]]


def load_mapping(path: Path = MAP_PATH) -> list[tuple[str, str]]:
    """Read the replacement pairs from counterfactual_map.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return _pairs(data)


def _pairs(mapping: MappingLike) -> list[tuple[str, str]]:
    if isinstance(mapping, Mapping):
        if "replacements" in mapping:
            return _pairs(mapping["replacements"])
        items = list(mapping.items())
    else:
        items = [tuple(p) for p in mapping]
    pairs: list[tuple[str, str]] = []
    for item in items:
        if len(item) != 2:
            raise ValueError(f"replacement must be a pair, got {item!r}")
        src, dst = item
        if not isinstance(src, str) or not isinstance(dst, str) or not src:
            raise ValueError(f"bad replacement pair {item!r}")
        pairs.append((src, dst))
    return pairs


def _key_pattern(key: str) -> str:
    pat = re.escape(key)
    if key[0].isdigit():
        pat = r"(?<!\d)(?<!\d\.)" + pat
    if key[-1].isdigit():
        pat = pat + r"(?!\d)(?!\.\d)"
    return pat


@lru_cache(maxsize=16)
def _compile(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for src, dst in pairs:
        if src in table and table[src] != dst:
            raise ValueError(f"conflicting replacements for {src!r}")
        table[src] = dst
    keys = sorted(table, key=lambda k: (-len(k), k))
    pattern = re.compile("|".join(_key_pattern(k) for k in keys))
    return pattern, table


def apply(text: str, mapping: MappingLike) -> str:
    """Replace every key of ``mapping`` in ``text`` in one pass, longest first.

    ``mapping`` may be a list of ``[src, dst]`` pairs, a dict, or the loaded
    counterfactual_map.json object.  Replaced text is never scanned again.
    """
    pairs = tuple(_pairs(mapping))
    if not pairs or not text:
        return text
    pattern, table = _compile(pairs)
    return pattern.sub(lambda m: table[m.group(0)], text)


def map_record(obj: Any, mapping: MappingLike) -> Any:
    """Apply the mapping to every string in a gold record (lists and history too)."""
    if isinstance(obj, str):
        return apply(obj, mapping)
    if isinstance(obj, list):
        return [map_record(x, mapping) for x in obj]
    if isinstance(obj, dict):
        return {
            k: (v if k in _LABEL_FIELDS else map_record(v, mapping))
            for k, v in obj.items()
        }
    return obj


def write(
    out_dir: Path,
    gold: Path = GOLD_PATH,
    speech: Path = SPEECH_PATH,
    mapping: MappingLike | None = None,
) -> tuple[Path, Path]:
    """Write the counterfactual speech and gold set into ``out_dir``.

    Returns ``(speech_path, gold_path)``.
    """
    pairs = load_mapping() if mapping is None else _pairs(mapping)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    speech_out = out_dir / SPEECH_OUT
    speech_out.write_text(
        apply(Path(speech).read_text(encoding="utf-8"), pairs), encoding="utf-8"
    )

    gold_out = out_dir / GOLD_OUT
    lines = []
    for line in Path(gold).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        lines.append(json.dumps(map_record(json.loads(line), pairs), ensure_ascii=False))
    gold_out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return speech_out, gold_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m eval.counterfactual",
        description="Write the counterfactual (renamed) speech and gold set.",
    )
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--gold", type=Path, default=GOLD_PATH)
    ap.add_argument("--speech", type=Path, default=SPEECH_PATH)
    ap.add_argument("--map", dest="map_path", type=Path, default=MAP_PATH)
    args = ap.parse_args(argv)
    speech_out, gold_out = write(
        args.out_dir, gold=args.gold, speech=args.speech, mapping=load_mapping(args.map_path)
    )
    print(speech_out)
    print(gold_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
