"""The coverage phase's material: every token of the vocabulary made a target, in text and in answers.

The earlier corpora leave many tokens unseen: pieces that only occur in words the corpora lack
(``ium`` of "medium", ``idence`` of "confidence"), symbols such as ``! # ^ ~ { &`` that the tokenizer
writes as byte tokens, and every byte of non-ASCII text. Their (tied) embedding rows stay at their
initial values, and a LoRA adapter cannot learn to write them later (docs/base-model.md).

This material is built from the tokenizer itself. :func:`carrier_words` finds, for every learned
piece and every byte token, a few words whose encoding contains it: first in a pool of real words
(English and other languages' word lists shipped with Faker, see :func:`word_pool`), else made by
gluing the piece to a common word start or ending and keeping the result only if the tokenizer
really produces the piece there; byte tokens get printable characters that contain the byte.
Documents use those words in sentences (tokens drawn uniformly, so rare ones come up as often as
common ones), list characters with their Unicode names, write symbol-heavy snippets (shell, code,
URLs, markdown, formulas, tab-separated and CRLF lines) and other languages' names and sentences. Lessons make the same tokens
chat answers: repeat a sentence, pick the longest word, give a character or its name, copy a name.

The character list comes from Python's :mod:`unicodedata`, so it is the same for one Python version.
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import cache

from simplex_training.pretrain.coverage import byte_value
from simplex_training.tokenizer.spm import SPMTokenizer

PER_TOKEN = 4  # carrier words kept per token
WORD_STARTS = ("a", "e", "o", "i", "u", "re", "in", "con", "de", "pro", "st", "th", "br", "ch", "m", "s", "t",
               "b", "c", "d", "f", "g", "h", "l", "n", "p", "v", "w")
WORD_ENDS = ("", "s", "e", "ed", "er", "ing", "al", "ly", "ion", "y", "a", "o")
LOCALES = {  # Faker locales with a word list and names: language name -> locale
    "French": "fr_FR", "German": "de_DE", "Spanish": "es_ES", "Italian": "it_IT", "Dutch": "nl_NL",
    "Polish": "pl_PL", "Czech": "cs_CZ", "Danish": "da_DK", "Vietnamese": "vi_VN", "Greek": "el_GR",
    "Russian": "ru_RU", "Ukrainian": "uk_UA", "Hebrew": "he_IL", "Arabic": "ar_AA", "Persian": "fa_IR",
    "Thai": "th_TH", "Japanese": "ja_JP", "Chinese": "zh_CN", "Armenian": "hy_AM", "Bengali": "bn_BD",
}
LATIN_LOCALES = ("fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "pl_PL", "cs_CZ", "da_DK", "vi_VN")


# -- the words and characters that carry each token ---------------------------------------------


def _split_camel(s: str) -> list[str]:
    out, cur = [], ""
    for ch in s:
        if ch.isupper() and cur and not cur[-1].isupper():
            out.append(cur)
            cur = ""
        cur += ch
    return [*out, cur] if cur else out


def word_pool() -> list[str]:
    """Real words, deduplicated and sorted: Faker's English lorem list, job titles, colour names and
    company phrases, and the lorem lists of Latin-script languages (with their accented letters)."""
    import importlib

    def attr(module: str, name: str):  # noqa: ANN202 - Faker's data tables, absent in some versions
        try:
            return getattr(importlib.import_module(f"faker.providers.{module}").Provider, name)
        except (ImportError, AttributeError):
            return ()

    texts: list[str] = [*attr("lorem.en_US", "word_list"), *attr("job.en_US", "jobs")]
    for group in (*attr("company.en_US", "catch_phrase_words"), *attr("company.en_US", "bsWords")):
        texts.extend(group if isinstance(group, (list, tuple)) else [group])
    texts.extend(w for c in attr("color.en_US", "all_colors") for w in _split_camel(c))
    for loc in LATIN_LOCALES:
        texts.extend(attr(f"lorem.{loc}", "word_list"))
    words = {w.strip(",.;:()'\"") for t in texts if isinstance(t, str) for w in t.split()}
    return sorted(w for w in words if w)


@cache
def printable_chars() -> tuple[str, ...]:
    """Every printable, named character above ASCII (this Python's Unicode data)."""
    return tuple(c for c in map(chr, range(0x80, 0x30000)) if c.isprintable() and unicodedata.name(c, ""))


def target_tokens(tok: SPMTokenizer) -> list[int]:
    """The tokens the material should make targets: learned pieces and byte tokens (not control tokens)."""
    special = {tok.bos_id, tok.eos_id, tok.unk_id}
    return [i for i, p in enumerate(tok.pieces) if i not in special and not p.startswith("<|") and p]


def _contains(tok: SPMTokenizer, word: str, token: int) -> bool:
    return token in tok.encode_raw(" " + word)


@cache
def _word_starts(tok: SPMTokenizer) -> tuple[str, ...]:
    """The vocabulary's earliest-merged (most frequent) alphabetic word-start pieces, then short
    common beginnings."""
    starts = [p[1:] for p in tok.pieces if p.startswith("\u2581") and p[1:].isalpha() and 4 <= len(p) <= 7]
    return tuple(dict.fromkeys(starts[:300] + list(WORD_STARTS)))


def _made_up(tok: SPMTokenizer, token: int) -> list[str]:
    """Words made from a learned piece (with a word start or ending) in which the tokenizer writes it."""
    text = tok.pieces[token].replace("\u2581", " ")
    if text.startswith(" "):
        tries = [text[1:] + end for end in WORD_ENDS]
    else:
        tries = [start + text + end for end in WORD_ENDS[:3] for start in _word_starts(tok)]
    found = []
    for w in tries:
        if w.strip() and _contains(tok, w, token):
            found.append(w)
            if len(found) == PER_TOKEN:
                break
    return found


def _byte_carriers(tok: SPMTokenizer, byte: int, token: int) -> list[str]:
    """Characters whose UTF-8 holds ``byte`` and which the tokenizer writes with that byte token."""
    if byte < 0x80:
        ch = chr(byte)
        return [ch] if ch.isprintable() and _contains(tok, ch, token) else []
    found = []
    for ch in printable_chars():
        if byte in ch.encode() and _contains(tok, ch, token):
            found.append(ch)
            if len(found) == PER_TOKEN:
                break
    return found


def carrier_words(tok: SPMTokenizer, pool: list[str]) -> dict[int, list[str]]:
    """Up to :data:`PER_TOKEN` words (or characters) for each target token whose encoding contains
    it. Tokens nothing can produce (an intermediate BPE piece always merged further, a byte no
    printable character has) are absent."""
    found: dict[int, list[str]] = defaultdict(list)
    for w in pool:
        for i in dict.fromkeys(tok.encode_raw(" " + w)):
            if len(found[i]) < PER_TOKEN:
                found[i].append(w)
    out = {}
    for i in target_tokens(tok):
        words = found.get(i, [])
        if len(words) < 2:
            byte = byte_value(tok.pieces[i])
            extra = _byte_carriers(tok, byte, i) if byte is not None else _made_up(tok, i)
            words = list(dict.fromkeys(words + extra))[:PER_TOKEN]
        if words:
            out[i] = words
    return out


# -- documents and lessons ------------------------------------------------------------------------


class CoverageMaterial:
    """Document and lesson kinds (``kind(r, faker)``) drawing on one tokenizer's carrier words."""

    def __init__(self, tok: SPMTokenizer) -> None:
        self.carriers = carrier_words(tok, word_pool())
        self.tokens = sorted(self.carriers)
        self.by_lead: dict[int, list[str]] = defaultdict(list)  # characters by their first UTF-8 byte
        for c in printable_chars():
            self.by_lead[c.encode()[0]].append(c)
        self.leads = sorted(self.by_lead)
        self._fakers: dict[str, object] = {}

    def _char(self, r: random.Random) -> str:
        """A character above ASCII, its first byte drawn uniformly (so every byte comes up)."""
        return r.choice(self.by_lead[r.choice(self.leads)])

    def _word(self, r: random.Random) -> str:
        return r.choice(self.carriers[r.choice(self.tokens)])

    def _sentence(self, r: random.Random, f, n: int) -> str:  # noqa: ANN001
        """``n`` words, half of them carriers, the rest everyday words from ``f``."""
        words = [self._word(r) if r.random() < 0.5 else f.word() for _ in range(n)]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + r.choice([".", ".", ".", "!", "?"])

    def _faker(self, locale: str, r: random.Random):  # noqa: ANN202
        if locale not in self._fakers:
            from faker import Faker

            self._fakers[locale] = Faker(locale)
        f = self._fakers[locale]
        f.seed_instance(r.randrange(2**31))
        return f

    # documents

    def word_use(self, r: random.Random, f) -> str:  # noqa: ANN001
        return " ".join(self._sentence(r, f, r.randint(5, 12)) for _ in range(r.randint(2, 5)))

    def char_table(self, r: random.Random, f) -> str:  # noqa: ANN001
        rows = [self._char(r) for _ in range(r.randint(3, 8))]
        return "Characters:\n" + "\n".join(f"U+{ord(c):04X} {c} {unicodedata.name(c)}" for c in rows)

    def symbols(self, r: random.Random, f) -> str:  # noqa: ANN001
        w, v, n, m = f.word(), f.word(), r.randint(2, 99), r.randint(1, 9)
        snippets = [
            f"$ cd ~/{w} && grep -n '{v}' *.txt | sort > ~/{v}.out 2>&1",
            f"if (!{w} && {v} != {n}) {{ {w} = {v} % {m}; }} // {f.sentence(nb_words=4)}",
            f"https://{f.domain_name()}/{w}?q={v}&page={n}#{w}",
            f"# {f.sentence(nb_words=3)[:-1]}\n\n## {w.title()}\n\nRun `{w} --{v}` and see **{v}**! <{w}>{n}</{w}>",
            f"x^{m} + {n}x^{m + 1} = {w}^2; mask = a & ~b | c ^ d",
            f"C:\\Users\\{w}\\{v}.txt costs ${n}.{m}0 (R&D, {n}% off) - \"{v}\" isn't {w}'s.",
            f"{{\"{w}\": [{n}, {m}], \"{v}\": {{\"ok\": true}}}} @{w} ~{n} `{v}`",
            f"Quiz {n}: Xavier, Zoe and Quinn ({m} of {n}) - Zurich, Quebec, Xian!",
            f"{w}\t{v}\t{n}\n{v}\t{w}\t{m}",  # tab-separated
            f"{f.sentence()}\r\n{f.sentence()}\r\n",  # Windows line ends
        ]
        return "\n".join(r.sample(snippets, r.randint(1, 3)))

    def foreign(self, r: random.Random, f) -> str:  # noqa: ANN001
        lang = r.choice(sorted(LOCALES))
        g = self._faker(LOCALES[lang], r)
        return f"{lang}: {g.name()}. {g.sentence()} {g.sentence()}"

    # lessons

    def l_repeat(self, r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
        s = self._sentence(r, f, r.randint(3, 9))
        return r.choice(["Repeat exactly: ", "Copy this text: ", "Say back: "]) + s, s

    def l_longest(self, r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
        words = list(dict.fromkeys(self._word(r) for _ in range(r.randint(3, 5))))
        return "Which word is the longest: " + ", ".join(words) + "?", max(words, key=len)

    def l_char(self, r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
        c = self._char(r)
        if r.random() < 0.5:
            return f"Which character is U+{ord(c):04X} ({unicodedata.name(c)})?", c
        return f"Name the character {c}", unicodedata.name(c)

    def l_foreign(self, r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
        lang = r.choice(sorted(LOCALES))
        g = self._faker(LOCALES[lang], r)
        name = g.name()
        return f"Copy the name from this {lang} text: {g.sentence()} {name}. {g.sentence()}", name

    def kinds(self) -> tuple[list[Callable], list[Callable]]:
        return ([self.word_use, self.word_use, self.char_table, self.symbols, self.foreign],
                [self.l_repeat, self.l_longest, self.l_char, self.l_foreign])
