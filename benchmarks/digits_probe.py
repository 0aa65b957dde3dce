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

from copy_probe import PER_KIND  # benchmarks/ is on the path when this runs as a script
from copy_probe import probe as copy_probe

from simplex_training.pretrain.corpus_digits import DIGITS_LESSON_KINDS, add_columns


def probe_lessons(seed: str = "digits-probe:777") -> list[tuple[str, str, str]]:
    r = random.Random(seed)
    return [(kind, *make(r, None)) for kind, make in DIGITS_LESSON_KINDS.items() for _ in range(PER_KIND)]


def probe(path: str | Path, lessons: list[tuple[str, str, str]]) -> dict:
    """copy_probe's exact greedy answers, with room for a whole column sum (200 new tokens)."""
    res = copy_probe(path, lessons, max_new=200)
    return {"base": res["base"], "per_kind": PER_KIND, "exact": res["exact"]}


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
