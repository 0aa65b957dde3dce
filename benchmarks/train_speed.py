"""Training speed: simplex-training vs PyTorch CPU eager, same model, shapes, dtype and threads.

    python benchmarks/train_speed.py [--steps 6] [--threads 2] [--repeat 3] [--cpu-time] [--out results.json]

Reference config: vocab 4096, dim 256, 4 layers, 8 heads, 4 kv heads, ffn 688, sequence 256,
batch 8, float32. Two modes:

* full: every parameter trained with AdamW;
* lora: the base frozen, LoRA r=16 alpha=32 on q and v trained (only A and B get gradients);
  ``--lora-targets q,k,v,o,gate,up,down --lora-dropout 0.05`` is what the specialists train
  (every projection, dropout on the LoRA input; torch: ``nn.functional.dropout`` before A, as PEFT).

``--scored F`` scores only the last fraction F of each sequence's positions (a fine-tuning batch
scores the response, not the prompt); both engines then project only those positions onto the
vocabulary (ours inside ``LlamaModel.loss``, torch by slicing its hidden states), so the
comparison stays like for like.

For each it reports the median step time and tokens/s for both engines and the ratio ours/torch
(torch step time / our step time: > 1 means we are faster), and our achieved GFLOP/s (model
FLOPs / step time) as a fraction of a plain numpy float32 matmul measured in the same run on the
model's largest block GEMM shape ((B*T, dim) @ (dim, ffn)).

``--repeat R`` builds both models once per mode, then runs R rounds of ``--steps`` timed steps,
alternating which engine goes first, so slow drifts of a shared machine's load hit both engines
alike; the matmul reference is re-measured every round. Reported numbers are medians over all
timed steps (and the ratio is also given per round).

``--cpu-time`` runs everything single-threaded (numba, BLAS, the engine pool, torch) and times
each step by the process CPU time (``time.process_time``) instead of the wall clock: the CPU
work per step, insensitive to other processes on the machine. The matmul reference is then
single-threaded CPU time too. Wall times are recorded alongside in both modes.

See benchmarks/README.md for what each number means and how to read them on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from typing import Any


def set_threads(n: int) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
                "SIMPLEX_TRAINING_THREADS"):
        os.environ[var] = str(n)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def scored_positions(T: int, scored: float) -> int:
    """How many of a sequence's T positions are scored (the last ones), at least one."""
    return max(1, min(T, round(scored * T)))


TORCH_NAMES = {"q": "q", "k": "k", "v": "v", "o": "o", "gate": "g", "up": "u", "down": "dn"}


def lora_shapes(cfg, targets: list[str]) -> list[tuple[int, int]]:  # noqa: ANN001
    """(in, out) of each LoRA-wrapped projection of one layer."""
    kv = cfg.n_kv_heads * cfg.head_dim
    shapes = {"q": (cfg.dim, cfg.dim), "k": (cfg.dim, kv), "v": (cfg.dim, kv), "o": (cfg.dim, cfg.dim),
              "gate": (cfg.dim, cfg.ffn_dim), "up": (cfg.dim, cfg.ffn_dim), "down": (cfg.ffn_dim, cfg.dim)}
    return [shapes[t] for t in targets]


def model_flops(cfg, B: int, T: int, mode: str, lora_r: int = 16, scored: float = 1.0,  # noqa: ANN001
                targets: tuple[str, ...] = ("q", "v")) -> float:
    """Matmul FLOPs of one training step (forward 2mnk; backward dX and, when trained, dW)."""
    kv = cfg.n_kv_heads * cfg.head_dim
    per_layer = cfg.dim * cfg.dim * 2 + cfg.dim * kv * 2 + 3 * cfg.dim * cfg.ffn_dim  # q,o + k,v + ffn
    tokens = B * T
    head = 2 * B * scored_positions(T, scored) * cfg.vocab_size * cfg.dim  # tied output, scored rows only
    attn = cfg.n_layers * 2 * 2 * B * cfg.n_heads * T * T * cfg.head_dim  # QK^T and PV
    fwd = 2 * tokens * cfg.n_layers * per_layer + head + attn
    if mode == "full":
        return 3 * fwd  # forward + dX + dW
    lora = cfg.n_layers * sum(2 * tokens * lora_r * (i + o) for i, o in lora_shapes(cfg, list(targets)))
    return 2 * fwd + 3 * lora  # forward + dX (no dW for the frozen base); LoRA: forward, dX, dW


class Ours:
    name = "ours"

    def __init__(self, cfg, B: int, T: int, mode: str, scored: float = 1.0,  # noqa: ANN001
                 targets: tuple[str, ...] = ("q", "v"), dropout: float = 0.0) -> None:
        import numpy as np

        from simplex_training.engine.optim import AdamW
        from simplex_training.model.llama import LlamaModel

        self.model = LlamaModel(cfg, seed=0)
        if mode == "lora":
            from simplex_training.lora.apply import LoRAConfig, apply_lora

            lm = apply_lora(self.model, LoRAConfig(rank=16, alpha=32, targets=list(targets), dropout=dropout))
            params = lm.lora_parameters()
        else:
            params = self.model.parameters()
        self.opt = AdamW(params, lr=1e-4)
        self.ids = np.random.default_rng(0).integers(0, cfg.vocab_size, (B, T + 1))
        self.targets = self.ids[:, 1:].copy()
        self.targets[:, : T - scored_positions(T, scored)] = -100

    def step(self) -> None:
        loss = self.model.loss(self.ids[:, :-1], self.targets)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class Torch:
    name = "torch"

    def __init__(self, cfg, B: int, T: int, mode: str, scored: float = 1.0,  # noqa: ANN001
                 targets: tuple[str, ...] = ("q", "v"), dropout: float = 0.0) -> None:
        import torch
        from torch_reference import TorchLlama, TorchLoRA

        torch.manual_seed(0)
        m = TorchLlama(cfg.vocab_size, cfg.dim, cfg.n_layers, cfg.n_heads, cfg.n_kv_heads, cfg.ffn_dim, max_t=T)
        if mode == "lora":
            for p in m.parameters():
                p.requires_grad_(False)
            for b in m.blocks:
                for t in targets:
                    name = TORCH_NAMES[t]
                    setattr(b, name, TorchLoRA(getattr(b, name), 16, 32, dropout))
        self.m, self.V = m, cfg.vocab_size
        self.opt = torch.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=1e-4)
        self.ids = torch.randint(0, cfg.vocab_size, (B, T + 1))
        self.k = scored_positions(T, scored)
        self.F = torch.nn.functional

    def step(self) -> None:
        h = self.m.hidden(self.ids[:, :-1])[:, -self.k :]
        logits = h @ self.m.emb.weight.T
        loss = self.F.cross_entropy(logits.reshape(-1, self.V), self.ids[:, -self.k :].reshape(-1))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()


def timed(engine: Any, steps: int) -> tuple[list[float], list[float]]:
    """(wall seconds, process CPU seconds) of each of ``steps`` steps."""
    wall, cpu = [], []
    for _ in range(steps):
        w0, c0 = time.perf_counter(), time.process_time()
        engine.step()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def matmul_gflops(cfg, B: int, T: int, cpu_time: bool, reps: int = 20) -> float:  # noqa: ANN001
    """GFLOP/s of a plain numpy float32 ``a @ w.T`` of shape (B*T, dim) @ (dim, ffn) (best of 3)."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((B * T, cfg.dim)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((cfg.ffn_dim, cfg.dim)).astype(np.float32)
    a @ w.T
    clock = time.process_time if cpu_time else time.perf_counter
    best = float("inf")
    for _ in range(3):
        t0 = clock()
        for _ in range(reps):
            a @ w.T
        best = min(best, (clock() - t0) / reps)
    return 2 * B * T * cfg.dim * cfg.ffn_dim / best / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=6, help="timed steps per engine per round")
    ap.add_argument("--warmup", type=int, default=2, help="untimed steps per engine (compilation, caches)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds, alternating which engine runs first")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cpu-time", action="store_true",
                    help="single-threaded, time steps by process CPU time (contention-robust)")
    ap.add_argument("--settle", type=float, default=0.3,
                    help="seconds of sleep before each timed block (lets other engines' spinning threads park)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--modes", default="full,lora")
    ap.add_argument("--scored", type=float, default=1.0,
                    help="fraction of each sequence's positions scored (the last ones), as a fine-tuning response")
    ap.add_argument("--lora-targets", default="q,v", help="projections LoRA wraps in the lora mode")
    ap.add_argument("--lora-dropout", type=float, default=0.0, help="dropout on the LoRA input in the lora mode")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    threads = 1 if args.cpu_time else args.threads
    set_threads(threads)  # before numpy / numba / torch are imported
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch

    torch.set_num_threads(threads)
    from simplex_training.model.config import LlamaConfig

    cfg = LlamaConfig(vocab_size=4096, dim=256, n_layers=4, n_heads=8, n_kv_heads=4, ffn_dim=688, context_length=args.seq)
    B, T = args.batch, args.seq
    targets = args.lora_targets.split(",")
    if unknown := set(targets) - set(TORCH_NAMES):
        ap.error(f"--lora-targets: unknown {sorted(unknown)} (choose from {', '.join(TORCH_NAMES)})")
    clock = "cpu" if args.cpu_time else "wall"
    results: dict[str, Any] = {
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "threads": threads,
                    "loadavg_start": list(os.getloadavg()), "python": platform.python_version(),
                    "torch": torch.__version__},
        "clock": clock, "config": cfg.to_dict(), "batch": B, "seq": T, "scored": args.scored, "steps": args.steps,
        "repeat": args.repeat, "lora_targets": targets, "lora_dropout": args.lora_dropout, "modes": {}}
    print(f"{cpu_model()}, {os.cpu_count()} cores, {threads} thread(s), clock={clock}, "
          f"load average {os.getloadavg()[0]:.1f}")
    mms: list[float] = []
    for mode in args.modes.split(","):
        lora = {"targets": tuple(targets), "dropout": args.lora_dropout}
        engines = [Ours(cfg, B, T, mode, args.scored, **lora), Torch(cfg, B, T, mode, args.scored, **lora)]
        for e in engines:
            for _ in range(args.warmup):
                e.step()
        times: dict[str, dict[str, list[float]]] = {e.name: {"wall": [], "cpu": []} for e in engines}
        round_ratios = []
        for r in range(args.repeat):
            mms.append(matmul_gflops(cfg, B, T, args.cpu_time))
            per_round = {}
            for e in engines if r % 2 == 0 else engines[::-1]:
                time.sleep(args.settle)
                wall, cpu = timed(e, args.steps)
                times[e.name]["wall"] += wall
                times[e.name]["cpu"] += cpu
                per_round[e.name] = statistics.median(cpu if args.cpu_time else wall)
            round_ratios.append(round(per_round["torch"] / per_round["ours"], 3))
        med = {name: {k: statistics.median(v) for k, v in t.items()} for name, t in times.items()}
        ours, theirs = med["ours"][clock], med["torch"][clock]
        mm = statistics.median(mms)
        gflops = model_flops(cfg, B, T, mode, scored=args.scored, targets=tuple(targets)) / ours / 1e9
        row = {"ours_s": round(ours, 4), "torch_s": round(theirs, 4),
               "ours_tok_s": round(B * T / ours, 1), "torch_tok_s": round(B * T / theirs, 1),
               "ours_over_torch": round(theirs / ours, 3), "ours_over_torch_per_round": round_ratios,
               "ours_gflops": round(gflops, 2), "numpy_matmul_gflops": round(mm, 2),
               "fraction_of_matmul": round(gflops / mm, 3),
               "ours_wall_s": round(med["ours"]["wall"], 4), "torch_wall_s": round(med["torch"]["wall"], 4),
               "ours_cpu_s": round(med["ours"]["cpu"], 4), "torch_cpu_s": round(med["torch"]["cpu"], 4)}
        results["modes"][mode] = row
        print(f"{mode:5s} ours {row['ours_s']:.3f} s ({row['ours_tok_s']:7.0f} tok/s)  "
              f"torch {row['torch_s']:.3f} s ({row['torch_tok_s']:7.0f} tok/s)  "
              f"ours/torch {row['ours_over_torch']:.2f} (rounds {round_ratios})  "
              f"{gflops:.1f} GFLOP/s = {row['fraction_of_matmul']:.0%} of matmul ({mm:.1f})  "
              f"[wall {row['ours_wall_s']:.3f}/{row['torch_wall_s']:.3f}, cpu {row['ours_cpu_s']:.3f}/"
              f"{row['torch_cpu_s']:.3f}]", flush=True)
        del engines
    results["numpy_matmul_gflops"] = round(statistics.median(mms), 2)
    results["machine"]["loadavg_end"] = list(os.getloadavg())
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
