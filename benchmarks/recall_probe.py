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

import numpy as np

from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.model.generate import generate
from simplex_training.model.llama import LlamaModel
from simplex_training.pretrain.corpus import _faker
from simplex_training.pretrain.corpus_recall import facts, relations
from simplex_training.tokenizer.chat import encode_prompt, end_id

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
                sentence, ask_value, ask_key = relations(r, f)[name][2:]
                text = " ".join(sentence.format(k=k, v=v) for k, v in pairs)
                k, v = r.choice(pairs)
                question, answer = (ask_value.format(k=k), v) if direction == "value" else (ask_key.format(v=v), k)
                out.append((f"{direction} n={n}", f"Text: {text}\nQuestion: {question}", answer))
    return out


def probe(path: str | Path, lessons: list[tuple[str, str, str]]) -> dict:
    cfg, weights, tok, _ = read_llama_gguf(path)
    model = LlamaModel(cfg, weights={k: np.asarray(v, np.float32) for k, v in weights.items()})
    stops = [end_id(tok), tok.eos_id]
    outs = generate(model, [encode_prompt(tok, p) for _, p, _ in lessons], 32, stop_ids=stops)
    exact: dict[str, int] = {}
    total: dict[str, int] = {}
    for (group, _, answer), out in zip(lessons, outs):
        text = tok.decode([t for t in out if t not in stops]).strip()
        exact[group] = exact.get(group, 0) + (text == answer)
        total[group] = total.get(group, 0) + 1
    return {"base": str(path), "exact": exact, "per_group": max(total.values())}



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
