"""Tokenize Chinese (jieba, with the speech's domain dictionary) and English for BM25 and term checks."""
from __future__ import annotations

import logging
import re
from functools import lru_cache

STOPWORDS = set(
    "的 了 和 与 及 是 在 要 对 把 为 也 都 就 而 并 或 等 中 上 下 个 这 那 之 其 以 于 从 向 让 被 将 还 又 很 更 "
    "吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪些 哪个 哪 几 多少 谁 请问 请 问 一下 讲话 讲 提到 提出 说 说了 里 里面 "
    "有 没有 是否 需要 应该 可以 能 会 我 我们 你 你们 他 它 们 吗？ 做 干 干啥 啥 具体 内容 方面 工作 情况 一些 "
    "the a an of to and or in on for is are be was were what which who whom whose how many much does do did "
    "must should about with by at from as that this these those it its their there any tell me please speech "
    "say says said".split()
)
# Words that frame a question rather than name its topic: never a reason to refuse.
FRAME_WORDS = set(
    "期间 时期 分为 部分 情况 具体 主要 内容 时候 怎么样 怎样 如何 哪里 多少 几次 几个 几天 几年 几项 几点 有没有 是不是 "
    "能否 可否 现在 目前 今年 去年 当时 那时 时间 数字 数据 数量 说法 提法 原文 讲话 会议 文件 要点 重点 简单 概括 总结 "
    "一共 总共 分别 到底 究竟 大概 左右 哪方面 哪块 这块 这方面 相关 有关 关于 什么样 为什么 为何 原因 意思 含义 "
    "指的是 包括 包含 涉及 提到 提及 说到 谈到 强调 要求 规定 安排 部署 落实 怎么办 干嘛 干什么 做什么 负责 归谁 "
    "降了 升了 多了 少了 达到 多大 多高 多长 第几 排第 排名第 哪几个 哪几 哪个 哪些 几个方面 方面 有哪些 是什么 什么 还有 "
    "这次 这份 这篇 这期 那次 本次 此次 这个 那个 这些 那些 会上 一起 共同 分成 分为 限期 几块 几条 几处 几部 几期 同期 咋样 "
    "怎么回事 啥样 说法 提了 提没提 有没有提 讲了 讲过 说过 点名 点了 摊上 分到 哪块 那边 这边 具体 详细 详细点 展开 "
    "咋办 咋整 啥时候 多会儿 到哪 到哪了 进展 怎么抓 咋抓 这事 这件事 那事 这块 那块 这回 那回 这次 今天 明天 昨天 "
    "现在 数是 那个数 这个数 意思 程度 为啥 为什么 咋 啥 被点名 点名 有啥 特别 哪年".split()
)
# Numeral + classifier ("四项", "三个", "几条"): a count in the question, not a topic.
_COUNTED = re.compile(r"^[一二三四五六七八九十两几多\d]+[个项条点件处次天年名部期块类种大句字]?$")
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+|\d+(?:\.\d+)?")


TOKENIZER_VERSION = "6"
# General words kept in the compact dictionary besides the speech's own: enough to segment questions well.
GENERAL_WORDS = 30000
_active = {"dictionary": None}


_QUOTED = re.compile(r"“([^”“]{2,8})”")


def derived_terms(text: str, bodies: list) -> list[str]:
    """The document's own terms for the tokenizer: its bodies' names and short forms, and the short
    terms it puts in quotation marks (“河长制”, “回头看”). Derived at index time, never typed in."""
    words = [f for b in bodies for f in b.surface_forms] + [b.core for b in bodies]
    words += [m.group(1) for m in _QUOTED.finditer(text) if not re.search(r"[，。、；：！？]", m.group(1))]
    return sorted({w for w in words if len(w) >= 2 and " " not in w})


@lru_cache(maxsize=1)
def _full_jieba():
    # jieba's full dictionary (about 1 s to load): used only when building the compact dictionary.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.dt


@lru_cache(maxsize=4)
def _compact_jieba(path: str):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(dictionary=path)
    tokenizer.initialize()
    return tokenizer


def _jieba():
    path = _active["dictionary"]
    return _compact_jieba(path) if path else _full_jieba()


def write_dictionary(path, texts: list[str], terms: list[str] = ()) -> None:
    """A compact jieba dictionary: every word of the speech (and its search-mode pieces), the domain terms
    and aliases, and the most frequent general words. It loads in a fraction of the full dictionary's time."""
    full = _full_jieba()
    full.check_initialized()
    for word in terms:
        full.add_word(word, freq=20000)
    freq = full.FREQ
    words: dict[str, int] = {}
    for text in texts:
        for tok in full.lcut(text) + full.lcut_for_search(text):
            tok = tok.strip()
            if tok and freq.get(tok):
                words[tok] = freq[tok]
    for word in terms:
        words[word] = max(freq.get(word, 0), 20000)
    for word in STOPWORDS | FRAME_WORDS:
        if freq.get(word):
            words.setdefault(word, freq[word])
    general = sorted(((f, w) for w, f in freq.items() if f > 0 and w not in words), reverse=True)[:GENERAL_WORDS]
    words.update({w: f for f, w in general})
    lines = [f"{w} {f}" for w, f in words.items() if " " not in w]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def use_dictionary(path) -> None:
    """Tokenize with the compact dictionary of an opened index (``None``: jieba's full dictionary)."""
    _active["dictionary"] = str(path) if path else None


def tokenize(text: str) -> list[str]:
    """Search-mode tokens without punctuation or stopwords; English words lowercased."""
    jieba = _jieba()
    tokens = []
    for tok in jieba.lcut_for_search(text):
        tok = tok.strip().lower()
        if not tok or _PUNCT.match(tok) or tok in STOPWORDS:
            continue
        tokens.append(tok)
    return tokens


def content_terms(text: str) -> list[str]:
    """The question's content words (precise mode): what must be covered for an answer to exist."""
    jieba = _jieba()
    terms = []
    for tok in jieba.lcut(text):
        tok = tok.strip().lower()
        if (len(tok) < 2 or _PUNCT.match(tok) or tok in STOPWORDS or tok in FRAME_WORDS or tok.isascii()
                or _COUNTED.match(tok)):
            continue
        terms.append(tok)
    return terms
