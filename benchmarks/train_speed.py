"""Training speed: simplex-training vs PyTorch CPU eager, same model, shapes, dtype and threads.

    python benchmarks/train_speed.py [--steps 6] [--threads 2] [--out results.json]

Reference config (docs/performance.md): vocab 4096, dim 256, 4 layers, 8 heads, 4 kv heads,
ffn 688, sequence 256, batch 8, float32. Two modes:

* full: every parameter trained with AdamW;
* lora: the base frozen, LoRA r=16 alpha=32 on q and v trained (only A and B get gradients).

For each it reports median step time and tokens/s for both engines and the ratio ours/torch,
and our achieved GFLOP/s (model FLOPs / step time) as a fraction of a plain numpy float32 matmul
measured in the same run on the model's largest GEMM shape.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time


def set_threads(n: int) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ[var] = str(n)


def model_flops(cfg, B: int, T: int, mode: str, lora_r: int = 16) -> float:  # noqa: ANN001
    """Matmul FLOPs of one training step (forward 2mnk; backward dX and, when trained, dW)."""
    kv = cfg.n_kv_heads * cfg.head_dim
    per_layer = cfg.dim * cfg.dim * 2 + cfg.dim * kv * 2 + 3 * cfg.dim * cfg.ffn_dim  # q,o + k,v + ffn
    mats = cfg.n_layers * per_layer + cfg.vocab_size * cfg.dim  # + tied output
    tokens = B * T
    attn = cfg.n_layers * 2 * 2 * B * cfg.n_heads * T * T * cfg.head_dim  # QK^T and PV
    fwd = 2 * tokens * mats + attn
    if mode == "full":
        return 3 * fwd  # forward + dX + dW
    lora = cfg.n_layers * 2 * 2 * tokens * (cfg.dim * lora_r + lora_r * cfg.dim if True else 0)
    return 2 * fwd + 3 * lora  # forward + dX (no dW for the frozen base)


def bench_ours(cfg, B: int, T: int, steps: int, mode: str) -> list[float]:  # noqa: ANN001
    import numpy as np

    from simplex_training.engine.optim import AdamW
    from simplex_training.model.llama import LlamaModel

    model = LlamaModel(cfg, seed=0)
    if mode == "lora":
        from simplex_training.lora.apply import LoRAConfig, apply_lora

        lm = apply_lora(model, LoRAConfig(rank=16, alpha=32, targets=["q", "v"], dropout=0.0))
        params = lm.lora_parameters()
    else:
        params = model.parameters()
    opt = AdamW(params, lr=1e-4)
    ids = np.random.default_rng(0).integers(0, cfg.vocab_size, (B, T + 1))
    times = []
    for _ in range(steps + 2):
        t0 = time.perf_counter()
        loss = model.loss(ids[:, :-1], ids[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    return times[2:]  # drop compile/warm-up steps


def bench_torch(cfg, B: int, T: int, steps: int, mode: str) -> list[float]:  # noqa: ANN001
    import torch

    from torch_reference import TorchLlama, TorchLoRA

    torch.manual_seed(0)
    m = TorchLlama(cfg.vocab_size, cfg.dim, cfg.n_layers, cfg.n_heads, cfg.n_kv_heads, cfg.ffn_dim, max_t=T)
    if mode == "lora":
        for p in m.parameters():
            p.requires_grad_(False)
        for b in m.blocks:
            b.q, b.v = TorchLoRA(b.q, 16, 32), TorchLoRA(b.v, 16, 32)
    params = [p for p in m.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    ids = torch.randint(0, cfg.vocab_size, (B, T + 1))
    times = []
    for _ in range(steps + 2):
        t0 = time.perf_counter()
        logits = m(ids[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, cfg.vocab_size), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    return times[2:]


def matmul_gflops(cfg, B: int, T: int, reps: int = 20) -> float:  # noqa: ANN001
    import numpy as np

    a = np.random.default_rng(0).standard_normal((B * T, cfg.dim)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((cfg.ffn_dim, cfg.dim)).astype(np.float32)
    a @ w.T
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ w.T
    dt = (time.perf_counter() - t0) / reps
    return 2 * B * T * cfg.dim * cfg.ffn_dim / dt / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--modes", default="full,lora")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    set_threads(args.threads)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch

    torch.set_num_threads(args.threads)
    from simplex_training.model.config import LlamaConfig

    cfg = LlamaConfig(vocab_size=4096, dim=256, n_layers=4, n_heads=8, n_kv_heads=4, ffn_dim=688, context_length=args.seq)
    B, T = args.batch, args.seq
    mm = matmul_gflops(cfg, B, T)
    results = {"machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                           "threads": args.threads, "python": platform.python_version(), "torch": torch.__version__},
               "config": cfg.to_dict(), "batch": B, "seq": T, "numpy_matmul_gflops": round(mm, 2), "modes": {}}
    print(f"numpy float32 matmul ({B * T}x{cfg.dim} @ {cfg.dim}x{cfg.ffn_dim}): {mm:.1f} GFLOP/s")
    for mode in args.modes.split(","):
        ours = statistics.median(bench_ours(cfg, B, T, args.steps, mode))
        theirs = statistics.median(bench_torch(cfg, B, T, args.steps, mode))
        gflops = model_flops(cfg, B, T, mode) / ours / 1e9
        row = {"ours_s": round(ours, 4), "torch_s": round(theirs, 4), "ours_tok_s": round(B * T / ours, 1),
               "torch_tok_s": round(B * T / theirs, 1), "ours_over_torch": round(theirs / ours, 3),
               "ours_gflops": round(gflops, 2), "fraction_of_matmul": round(gflops / mm, 3)}
        results["modes"][mode] = row
        print(f"{mode:5s} ours {row['ours_tok_s']:8.0f} tok/s  torch {row['torch_tok_s']:8.0f} tok/s  "
              f"ours/torch {row['ours_over_torch']:.2f}  {gflops:.1f} GFLOP/s = {row['fraction_of_matmul']:.0%} of matmul")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
