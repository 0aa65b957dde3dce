"""Experiment: does training the embedding rows of a specialist's under-trained answer tokens fix it?

Not a feature (docs/results.md, "Answer tokens the base never learned", says why: a tied base with
a changed ``token_embd`` cannot ship as a llama.cpp adapter). For each specialist: the answer tokens
of its training split whose row in the base's embedding has a norm above ``--norm`` (rows that
pretraining barely moved; the median row of the embedded base is 0.61) are made trainable next to
the LoRA matrices (AdamW on those rows only: the other rows' gradients are zeroed), everything else
as ``simplex-train train ID`` does it. Prints and writes the metrics with and the rows it trained.

    python benchmarks/embedding_rows_experiment.py complaint_handling risk_assessment --out /tmp/rows
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def under_trained_answer_rows(specialist_id: str, tok, embedding: np.ndarray, norm: float) -> np.ndarray:
    from simplex_training.finetune.data import generator_data

    ids: set[int] = set()
    for rec in generator_data(specialist_id, 3000, seed=0).train:
        ids.update(tok.encode_raw(rec.response))
    norms = np.linalg.norm(embedding, axis=1)
    return np.array(sorted(i for i in ids if norms[i] > norm), dtype=np.int64)


def train_with_rows(specialist_id: str, out: Path, rows: np.ndarray, vocab_size: int) -> dict:
    """``train_specialist`` with ``rows`` of the tied embedding trained too (patched for this process)."""
    from simplex_training.engine import optim
    from simplex_training.finetune.pipeline import train_specialist
    from simplex_training.lora.apply import LoRAModel

    mask = np.zeros((vocab_size, 1), np.float32)
    mask[rows] = 1.0
    held: dict = {}
    lora_parameters, adamw_step = LoRAModel.lora_parameters, optim.AdamW.step

    def with_embedding(self):  # noqa: ANN001, ANN202
        weight = self.model.tok_embeddings.weight
        weight.requires_grad = True
        held["w"] = weight
        return lora_parameters(self) + [weight]

    def masked_step(self, *args, **kwargs):  # noqa: ANN001, ANN202
        w = held.get("w")
        if w is not None and w.grad is not None:
            w.grad *= mask
        return adamw_step(self, *args, **kwargs)

    LoRAModel.lora_parameters, optim.AdamW.step = with_embedding, masked_step
    try:
        res = train_specialist(specialist_id, out_dir=out)
    finally:
        LoRAModel.lora_parameters, optim.AdamW.step = lora_parameters, adamw_step
    return {"metrics": {k: v["after"] for k, v in res.metrics["comparison"]["metrics"].items()},
            "passed": res.passed, "hard_tokens": res.metrics["hard_tokens"][:5]}


def main() -> None:
    from simplex_training.finetune.artifacts import load_base, resolve_base

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--norm", type=float, default=1.5)
    args = ap.parse_args()
    _, weights, tok, _ = load_base(resolve_base(None))
    embedding = np.asarray(weights["token_embd.weight"], np.float32)
    results = {}
    for sid in args.ids:
        rows = under_trained_answer_rows(sid, tok, embedding, args.norm)
        print(f"{sid}: training rows {[tok.pieces[i] for i in rows]}", flush=True)
        results[sid] = {"rows": [tok.pieces[i] for i in rows],
                        **train_with_rows(sid, args.out, rows, embedding.shape[0])}
        print(f"{sid}: {results[sid]['metrics']} passed={results[sid]['passed']}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "embedding_rows.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
