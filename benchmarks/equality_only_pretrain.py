"""Can the base learn equality at all? An equality phase with nothing but equality lessons.

The experiment behind docs/base-model.md ("Equality phase", "Lessons only"): continue pretraining a
GGUF with the equality corpus changed so that its lessons are only the equality lessons
(:mod:`simplex_training.pretrain.corpus_equality`, no other lesson kinds) and 90% of its items are
lessons. It is not an option of ``simplex-train pretrain``: the base it makes answers every question
as if it were an equality lesson. Probe the result with ``copy_probe.py --only-equality``.

    python benchmarks/equality_only_pretrain.py core/assets/base.gguf runs/equality-only --steps 3000
    python benchmarks/equality_only_pretrain.py core/assets/base.gguf runs/equality-only-lr --lr 1e-3
    python benchmarks/equality_only_pretrain.py core/assets/base.gguf runs/equality-only-ans --lesson-loss answers
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import simplex_training.pretrain.corpus as corpus
from simplex_training.pretrain.corpus_equality import EQUALITY_LESSON_KINDS
from simplex_training.pretrain.run import PretrainConfig, continued_config, pretrain


def only_equality_lessons(tok):  # noqa: ANN001, ANN201
    """The equality phase's kinds with the coverage corpus's documents and no other lessons."""
    docs, _ = corpus.coverage_kinds(tok)
    return docs, list(EQUALITY_LESSON_KINDS.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("init", type=Path, help="the GGUF to continue")
    ap.add_argument("work", type=Path, help="work directory; the result is WORK/base.gguf")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (min: a tenth); default the phase's 5e-4")
    ap.add_argument("--lesson-loss", choices=("all", "answers"), default="all",
                    help="the loss on every token of a lesson, or on its answer only")
    args = ap.parse_args()
    corpus.equality_kinds = only_equality_lessons  # corpus_items looks it up when it builds the corpus
    cfg = continued_config(PretrainConfig(seed=0), args.init, {"equality": args.steps})
    phases = cfg.reading.phases
    if args.lr is not None:
        phases = tuple(replace(p, lr=args.lr, min_lr=args.lr / 10) for p in phases)
    cfg = replace(cfg, reading=replace(cfg.reading, equality_lesson_fraction=0.9, phases=phases,
                                       lesson_loss=args.lesson_loss))
    pretrain(cfg, args.work, args.work / "base.gguf", resume=True, log=print)


if __name__ == "__main__":
    main()
