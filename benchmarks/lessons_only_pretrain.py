"""Can the base learn a phase's lessons at all? A phase with nothing but its own lessons.

The experiments behind docs/base-model.md ("Equality phase" and "Recall phase", "Lessons only"):
continue pretraining a GGUF with the equality or the recall corpus changed so that its lessons are
only that phase's lessons (:mod:`simplex_training.pretrain.corpus_equality`,
:mod:`simplex_training.pretrain.corpus_recall`; no other lesson kinds) and 90% of its items are
lessons. It is not an option of ``simplex-train pretrain``: the base it makes answers every question
as if it were one of those lessons. Probe the result with ``copy_probe.py --only-equality`` or
``recall_probe.py``.

    python benchmarks/lessons_only_pretrain.py core/assets/base.gguf runs/equality-only --steps 3000
    python benchmarks/lessons_only_pretrain.py core/assets/base.gguf runs/equality-only-lr --lr 1e-3
    python benchmarks/lessons_only_pretrain.py core/assets/base.gguf runs/equality-only-ans --lesson-loss answers
    python benchmarks/lessons_only_pretrain.py core/assets/base.gguf runs/recall-only --phase recall --lesson-loss answers
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import simplex_training.pretrain.corpus as corpus
from simplex_training.pretrain.corpus_equality import EQUALITY_LESSON_KINDS
from simplex_training.pretrain.corpus_recall import RECALL_LESSON_KINDS
from simplex_training.pretrain.run import PretrainConfig, continued_config, pretrain

PHASE_LESSONS = {"equality": EQUALITY_LESSON_KINDS, "recall": RECALL_LESSON_KINDS}


def only_lessons_of(phase: str):  # noqa: ANN201
    """The kinds function of ``phase``'s corpus, changed to keep the coverage corpus's documents and
    no lessons but the phase's own."""
    def kinds(tok):  # noqa: ANN001, ANN202
        docs, _ = corpus.coverage_kinds(tok)
        return docs, list(PHASE_LESSONS[phase].values())

    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("init", type=Path, help="the GGUF to continue")
    ap.add_argument("work", type=Path, help="work directory; the result is WORK/base.gguf")
    ap.add_argument("--phase", choices=sorted(PHASE_LESSONS), default="equality")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (min: a tenth); default the phase's 5e-4")
    ap.add_argument("--lesson-loss", choices=("all", "answers"), default="all",
                    help="the loss on every token of a lesson, or on its answer only")
    args = ap.parse_args()
    setattr(corpus, f"{args.phase}_kinds", only_lessons_of(args.phase))  # corpus_items looks it up when it builds
    cfg = continued_config(PretrainConfig(seed=0), args.init, {args.phase: args.steps})
    phases = cfg.reading.phases
    if args.lr is not None:
        phases = tuple(replace(p, lr=args.lr, min_lr=args.lr / 10) for p in phases)
    cfg = replace(cfg, reading=replace(cfg.reading, phases=phases, lesson_loss=args.lesson_loss,
                                       **{f"{args.phase}_lesson_fraction": 0.9}))
    pretrain(cfg, args.work, args.work / "base.gguf", resume=True, log=print)


if __name__ == "__main__":
    main()
