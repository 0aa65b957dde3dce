"""Does a base do column arithmetic? Held-out digits lessons, and sums to fine-tune on.

For each lesson kind of the opt-in digits phase (place, expand, add, sub, fact), 20 lessons made
with a seed the corpus never used, scored by exact greedy answer (up to 200 new tokens). With
``--sums FILE``, also writes 3,000 sums of two 3–5 digit numbers answered in the column format
(metadata ``answer``), the data behind docs/base-model.md's adapter result:

    python benchmarks/digits_probe.py core/assets/base.gguf runs/pretrain/base.gguf --json out.json
    python benchmarks/digits_probe.py --sums sums.jsonl
    simplex-train train math_reasoning --data sums.jsonl --base runs/pretrain/base.gguf
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from simplex_training.finetune.artifacts import load_base
from simplex_training.model.generate import generate
from simplex_training.model.llama import LlamaModel
from simplex_training.pretrain.corpus_digits import DIGITS_LESSON_KINDS, add_columns
from simplex_training.tokenizer.chat import encode_prompt, end_id

PER_KIND = 20


def probe_lessons(seed: str = "digits-probe:777") -> list[tuple[str, str, str]]:
    r = random.Random(seed)
    return [(kind, *make(r, None)) for kind, make in DIGITS_LESSON_KINDS.items() for _ in range(PER_KIND)]


def probe(path: str | Path, lessons: list[tuple[str, str, str]]) -> dict:
    config, weights, tok, _ = load_base(path)
    model = LlamaModel(config, weights=weights)
    model.eval()
    stops = (end_id(tok), tok.eos_id)
    outs = generate(model, [encode_prompt(tok, p) for _, p, _ in lessons], 200, stop_ids=stops)
    exact: dict[str, int] = {}
    for (kind, _, answer), out in zip(lessons, outs, strict=True):
        exact[kind] = exact.get(kind, 0) + (tok.decode([t for t in out if t not in stops]).strip() == answer)
    return {"base": str(path), "per_kind": PER_KIND, "exact": exact}


def write_sums(path: Path, n: int = 3000, seed: int = 7) -> None:
    r = random.Random(seed)
    with path.open("w") as fh:
        for _ in range(n):
            a, b = r.randint(100, 99999), r.randint(100, 99999)
            fh.write(json.dumps({"prompt": f"Add the numbers: {a} + {b}", "response": add_columns(a, b),
                                 "metadata": {"answer": str(a + b)}}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bases", nargs="*", help="GGUF base models to probe")
    ap.add_argument("--json", type=Path, help="also write the probe results here")
    ap.add_argument("--sums", type=Path, help="write the 3,000-sum fine-tuning JSONL here")
    args = ap.parse_args()
    if args.sums:
        write_sums(args.sums)
        print(f"wrote {args.sums}")
    results = []
    lessons = probe_lessons()
    for base in args.bases:
        res = probe(base, lessons)
        results.append(res)
        print(f"{base}: " + ", ".join(f"{k} {v}/{PER_KIND}" for k, v in res["exact"].items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
