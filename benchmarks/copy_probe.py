"""Can a base model copy from its prompt? Held-out reading lessons, scored two ways.

For each lesson kind of the pretraining reading stage (span, list, record, table, compute, clean,
after) and, with ``--numeracy``, of its numeracy phase (signed, ratio, compare, extreme, above,
column, dates, roles, titlecase, plain_amount) and, with ``--equality``, of the opt-in equality
phase (same, claim, member, occurs, repeated, letters) and, with ``--recall``, of the opt-in recall
phase (value, key, block, row, line), 20 lessons made with seeds the corpus never used:
greedy answers scored by exact match, and
the mean per-token negative log-likelihood of the right answer given the prompt (teacher-forced),
which shows progress before exact answers do.

    python benchmarks/copy_probe.py core/assets/base.gguf runs/pretrain/base.gguf --numeracy --json out.json
    python benchmarks/copy_probe.py core/assets/base.gguf runs/equality/base.gguf --only-equality
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from simplex_training.engine import no_grad
from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.model.generate import generate
from simplex_training.model.llama import LlamaModel
from simplex_training.pretrain.corpus import _faker
from simplex_training.pretrain.corpus_equality import EQUALITY_LESSON_KINDS
from simplex_training.pretrain.corpus_numeracy import NUMERACY_LESSON_KINDS
from simplex_training.pretrain.corpus_reading import READING_LESSON_KINDS
from simplex_training.pretrain.corpus_recall import RECALL_LESSON_KINDS
from simplex_training.tokenizer.chat import encode_example, encode_prompt, end_id

PER_KIND = 20
# equality lessons whose answer ends in a verdict (same / differs) or starts with one (yes / no)
VERDICT_LAST, VERDICT_FIRST = ("same", "claim", "letters"), ("member",)


def decision(kind: str, text: str) -> str | None:
    """The decision in an equality lesson's answer (None for other kinds or an empty answer)."""
    words = text.replace(",", " ").split()
    if not words or kind not in VERDICT_LAST + VERDICT_FIRST:
        return None
    return words[-1] if kind in VERDICT_LAST else words[0]


def probe_lessons(seed: int = 777, numeracy: bool = False, equality: bool = False,
                  reading: bool = True, per_kind: int = PER_KIND, recall: bool = False) -> list[tuple[str, str, str]]:
    r, f = random.Random(f"probe:{seed}"), _faker(seed)
    kinds = ((READING_LESSON_KINDS if reading else {}) | (NUMERACY_LESSON_KINDS if numeracy else {})
             | (EQUALITY_LESSON_KINDS if equality else {}) | (RECALL_LESSON_KINDS if recall else {}))
    return [(kind, *make(r, f)) for kind, make in kinds.items() for _ in range(per_kind)]


def probe(path: str | Path, lessons: list[tuple[str, str, str]], max_new: int = 96) -> dict:
    cfg, weights, tok, _ = read_llama_gguf(path)
    model = LlamaModel(cfg, weights={k: np.asarray(v, np.float32) for k, v in weights.items()})
    stops = [end_id(tok), tok.eos_id]
    outs = generate(model, [encode_prompt(tok, p) for _, p, _ in lessons], max_new, stop_ids=stops)
    exact: dict[str, int] = {}
    verdicts: dict[str, int] = {}  # equality lessons: the decision right, whatever else the answer says
    nll: dict[str, list[float]] = {}
    with no_grad():
        for (kind, prompt, answer), out in zip(lessons, outs):
            text = tok.decode([t for t in out if t not in stops]).strip()
            exact[kind] = exact.get(kind, 0) + (text == answer)
            want = decision(kind, answer)
            if want is not None:
                verdicts[kind] = verdicts.get(kind, 0) + (decision(kind, text) == want)
            ex = encode_example(tok, prompt, answer)
            ids = np.asarray(ex.ids)[None]
            targets = ids[:, 1:].copy()
            targets[:, : ex.prompt_len - 1] = -100  # score the answer (and its end tokens) only
            nll.setdefault(kind, []).append(model.loss(ids[:, :-1], targets).item())
    res = {"base": str(path), "per_kind": len(lessons) // len(exact), "exact": exact,
           "exact_total": sum(exact.values()), "answer_nll": {k: round(float(np.mean(v)), 3) for k, v in nll.items()}}
    return res | ({"verdict_right": verdicts} if verdicts else {})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bases", nargs="+", help="GGUF base models")
    ap.add_argument("--numeracy", action="store_true", help="also probe the numeracy phase's lesson kinds")
    ap.add_argument("--equality", action="store_true", help="also probe the equality phase's lesson kinds")
    ap.add_argument("--only-equality", action="store_true", help="probe the equality phase's lesson kinds only")
    ap.add_argument("--recall", action="store_true", help="also probe the recall phase's lesson kinds")
    ap.add_argument("--per-kind", type=int, default=PER_KIND, help="held-out lessons of each kind")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    lessons = probe_lessons(numeracy=args.numeracy, equality=args.equality or args.only_equality,
                            reading=not args.only_equality, per_kind=args.per_kind, recall=args.recall)
    results = []
    for path in args.bases:
        res = probe(path, lessons)
        results.append(res)
        print(f"{path}: exact {res['exact_total']}/{len(lessons)}")
        for kind in res["exact"]:
            right = res.get("verdict_right", {}).get(kind)
            print(f"  {kind:12s} exact {res['exact'][kind]:2d}/{res['per_kind']}  answer NLL {res['answer_nll'][kind]:.3f}"
                  + (f"  decision right {right}/{res['per_kind']}" if right is not None else ""))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
