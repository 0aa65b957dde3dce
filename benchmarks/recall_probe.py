"""Does a base pick a fact by the key a question names? Exact answers by the number of like facts.

Each lesson holds ``n`` facts of one shape with distinct keys and values (``Ana Ruiz lives in
Lisbon. Tom Hale lives in Porto. ...``) and asks for the value of one key (``Where does Tom Hale
live?``) or the key of one value (``Who lives in Porto?``). With one fact the question can be
answered by the kind of span alone; with more, only by the key. Held-out seeds, greedy answers,
exact match, ``--per-n`` lessons for each n and direction; ``--relation lives`` keeps one shape of
fact (the exact answers of the other shapes also count their format: a price without its currency
is wrong).

    python benchmarks/recall_probe.py core/assets/base.gguf runs/recall/base.gguf --json out.json
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from copy_probe import probe as copy_probe  # benchmarks/ is on the path when this runs as a script

from simplex_training.pretrain.corpus import _faker
from simplex_training.pretrain.corpus_recall import SHAPES, facts

COUNTS = (1, 2, 4, 8)


def recall_lessons(seed: int = 777, per_n: int = 25, relation: str | None = None) -> list[tuple[str, str, str]]:
    """(group, prompt, answer): group is ``value n=4`` or ``key n=4``; ``relation`` keeps one shape
    (``lives``: ``... lives in ...``), else each lesson draws one."""
    r, f = random.Random(f"recall-probe:{seed}"), _faker(seed)
    out = []
    for direction in ("value", "key"):
        for n in COUNTS:
            for _ in range(per_n):
                name, pairs = facts(r, f, n, relation)
                sentence, ask_value, ask_key = SHAPES[name]
                text = " ".join(sentence.format(k=k, v=v) for k, v in pairs)
                k, v = r.choice(pairs)
                question, answer = (ask_value.format(k=k), v) if direction == "value" else (ask_key.format(v=v), k)
                out.append((f"{direction} n={n}", f"Text: {text}\nQuestion: {question}", answer))
    return out


def probe(path: str | Path, lessons: list[tuple[str, str, str]]) -> dict:
    """copy_probe's exact greedy answers, by group (32 new tokens are room for any answer here)."""
    res = copy_probe(path, lessons, max_new=32)
    return {"base": res["base"], "exact": res["exact"], "per_group": res["per_kind"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bases", nargs="+", help="GGUF base models")
    ap.add_argument("--per-n", type=int, default=25, help="lessons for each number of facts and direction")
    ap.add_argument("--relation", default=None, help="one shape of fact only (e.g. lives); default: all shapes")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    lessons = recall_lessons(per_n=args.per_n, relation=args.relation)
    results = []
    for path in args.bases:
        res = probe(path, lessons)
        results.append(res)
        print(f"{path}:")
        for group, right in res["exact"].items():
            print(f"  {group:10s} {right:3d}/{res['per_group']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
