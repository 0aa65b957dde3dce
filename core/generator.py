"""The base class of every synthetic data generator.

A generator subclasses :class:`Generator`, sets ``name`` / ``task_type`` (and ``labels`` for
classification), and implements :meth:`Generator.example`, which builds **one** example from a
:class:`GenContext`. The base class does the rest:

* streaming: :meth:`Generator.generate` yields ``n`` examples one at a time;
* determinism: all randomness comes from ``ctx.rng`` (``random.Random``) and ``ctx.fake`` (a seeded
  ``Faker``), so the same seed gives byte-identical output;
* balance: for classification, ``ctx.label`` cycles through the labels in shuffled blocks, so every
  label appears equally often (within one block);
* uniqueness: a prompt already produced is re-drawn (up to ``max_retries`` times); only 8-byte
  digests are kept, not the examples;
* bookkeeping: ``metadata`` gains ``specialist``, ``task_type`` and ``difficulty``.

The rules every generator must keep are in ``docs/plugins.md`` and are enforced by the contract
tests in :mod:`simplex_training.testing`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from simplex_training.data import TrainingExample

if TYPE_CHECKING:
    from faker import Faker

DIFFICULTIES = ("easy", "medium", "hard")
T = TypeVar("T")


def confidence_tag(confidence: float) -> str:
    """The confidence suffix used everywhere: ``[confidence: 0.87]``."""
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"confidence {confidence} outside [0, 1]")
    return f"[confidence: {confidence:.2f}]"


@dataclass
class GenContext:
    """Everything :meth:`Generator.example` may draw from. Use nothing else for randomness."""

    rng: random.Random
    fake: Faker
    difficulty: str
    locale: str
    index: int
    label: str | None = None  # the balanced label to produce (classification), else None
    extra: dict[str, Any] = field(default_factory=dict)

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(seq), k)

    def randint(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def money(self, lo: float, hi: float) -> float:
        """A price with two decimals in [lo, hi]."""
        return round(self.rng.uniform(lo, hi), 2)

    def level(self, easy: T, medium: T, hard: T) -> T:
        """Pick a value by difficulty."""
        return {"easy": easy, "medium": medium, "hard": hard}[self.difficulty]


class Generator:
    """Base class of synthetic data generators (see the module docstring)."""

    name: ClassVar[str]  # registry key; the catalog entry's ``generator`` field
    task_type: ClassVar[str]  # classification | extraction | generation | reasoning | calibration
    labels: ClassVar[tuple[str, ...]] = ()  # classification labels, in catalog order
    phrasings: ClassVar[int] = 3  # how many distinct phrasings (prompt templates) it draws from
    max_retries: ClassVar[int] = 50

    def example(self, ctx: GenContext) -> TrainingExample:
        """Build one example. Must be a pure function of ``ctx`` (its rng, fake, label...)."""
        raise NotImplementedError

    # -- streaming --------------------------------------------------------------------------------

    def generate(
        self, n: int, *, seed: int = 0, locale: str = "en_US", difficulty: str = "medium"
    ) -> Iterator[TrainingExample]:
        """Yield ``n`` examples, deterministically for a given (seed, locale, difficulty)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if difficulty not in DIFFICULTIES:
            raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got '{difficulty}'")
        from faker import Faker  # deferred: importing Faker costs ~0.3 s

        try:
            fake = Faker(locale)
        except AttributeError:
            raise ValueError(f"unknown Faker locale '{locale}'") from None
        fake.seed_instance(seed)
        rng = random.Random(f"{self.name}:{seed}:{locale}:{difficulty}")
        seen: set[bytes] = set()
        for i in range(n):
            label = self._label_for(seed, i)
            for _attempt in range(self.max_retries + 1):
                ctx = GenContext(rng=rng, fake=fake, difficulty=difficulty, locale=locale, index=i, label=label)
                ex = self.example(ctx)
                digest = hashlib.blake2b(ex.prompt.encode("utf-8"), digest_size=8).digest()
                if digest not in seen:
                    break
            seen.add(digest)
            meta = {"specialist": self.name, "task_type": self.task_type, "difficulty": difficulty}
            meta.update(ex.metadata)
            if label is not None:
                meta.setdefault("label", label)
            yield TrainingExample(prompt=ex.prompt, response=ex.response, metadata=meta)

    def _label_for(self, seed: int, i: int) -> str | None:
        if not self.labels:
            return None
        block, pos = divmod(i, len(self.labels))
        order = list(self.labels)
        random.Random(f"labels:{self.name}:{seed}:{block}").shuffle(order)
        return order[pos]
