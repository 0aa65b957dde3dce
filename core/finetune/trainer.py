"""The LoRA fine-tuning loop: AdamW on the adapters only, exact resume, early stopping.

One optimizer step = ``grad_accum`` micro-batches; each micro-batch's mean loss is weighted by its
share of the step's scored tokens, so the gradient is that of the per-token mean over the step.
Gradients are clipped (global norm), the learning rate follows the schedule, and a step with a
non-finite gradient is skipped by :class:`~simplex_training.engine.optim.AdamW` (logged).
The schedule is any learning-rate schedule of the ``schedules`` registry
(:mod:`~simplex_training.finetune.lr_control`): fixed (``cosine``/``linear``/``constant``),
``learned`` (hypergradient-driven; each train record has ``hypergrad`` = dL/d lr of the previous
step, and a ``{"type": "meta"}`` record follows every meta update) or ``annealing`` (train records
have ``temperature``/``stagnation``/``reheat``, eval records ``stagnation``/``reheating``/
``anneal_stop``; its stop rule ends the run with ``stop_reason = "annealing"``).

Validation loss (token-weighted, dropout off) every ``eval_every`` steps and at the last step. The
adapter with the best validation loss is kept and restored at the end. Early stopping fires after
``patience`` *evaluations* without an improvement of ``min_delta`` (never counted in steps).

Checkpoints (``checkpoints/checkpoint.npz``, atomic, every ``checkpoint_every`` steps and at the end)
hold the adapter, the best adapter, the AdamW moments and step, the position in the data (epoch,
batch index), the dropout generators' ``bit_generator.state`` (JSON), early-stopping state and
counters, and the learning-rate control's state (learned schedule parameters, meta-optimizer
moments, hypergradient history and the pending update direction; or the annealing state). Batch
order is a pure function of (seed, epoch), so a run resumed after a kill ends bit-identical to an
uninterrupted one. ``train_log.jsonl`` is cut back to
the checkpoint's step on resume.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.errors import DataError
from simplex_training.finetune.batches import Tokenized, collate, epoch_batches, eval_batches, fingerprint
from simplex_training.finetune.config import FinetuneConfig
from simplex_training.finetune.state import checkpoint_mismatch, load_state, save_state, truncate_log

Progress = Callable[[int, dict[str, Any]], None]
CHECKPOINT = "checkpoint.npz"


@dataclass
class FinetuneResult:
    steps: int
    total_steps: int
    best_step: int | None
    best_val_loss: float | None
    final_train_loss: float | None
    stopped_early: bool
    tokens_seen: int
    seconds: float
    resumed_from: int | None
    history: list[dict[str, Any]] = field(default_factory=list)
    stop_reason: str | None = None  # "patience" (early stopping) or "annealing" (its stop rule)
    seconds_before_resume: float = 0.0  # the part of ``seconds`` spent by the runs this one resumed

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "history"}


@dataclass
class _State:
    step: int = 0
    epoch: int = 0
    batch_index: int = 0
    best_val: float | None = None
    best_step: int | None = None
    bad_evals: int = 0
    stopped_early: bool = False
    stop_reason: str | None = None
    elapsed: float = 0.0
    tokens_seen: int = 0


def validation_loss(model: Any, items: list[Tokenized], pad_id: int, batch_size: int) -> float:
    """Token-weighted mean loss over ``items`` with dropout off and no graph."""
    from simplex_training.engine import no_grad

    was = model.model.training
    model.eval()
    total, count = 0.0, 0
    try:
        with no_grad():
            for batch in eval_batches(items, batch_size):
                x, y, n = collate(batch, pad_id)
                total += float(model.loss(x, y).item()) * n
                count += n
    finally:
        model.train(was)
    return total / count if count else float("nan")


def _generators(model: Any) -> dict[str, np.random.Generator]:
    return {name: layer.dropout_rng for name, layer in model.named_adapters().items()}


def finetune(model: Any, train: list[Tokenized], val: list[Tokenized], cfg: FinetuneConfig, *, pad_id: int,
             work_dir: str | Path, resume: bool | str = False, base_info: dict[str, Any] | None = None,
             progress: Progress | None = None, log: Callable[[str], None] = lambda m: None,
             on_start: Callable[[], None] | None = None) -> FinetuneResult:
    """Train ``model`` (a :class:`~simplex_training.lora.apply.LoRAModel`) on ``train``; see the module doc.

    Writes ``work_dir/train_log.jsonl`` and ``work_dir/checkpoints/checkpoint.npz``. ``resume=True``
    continues from that checkpoint (a :class:`ResumeError` if it belongs to another base, data or
    settings); ``resume="auto"`` continues from it when it fits and otherwise starts from step 0,
    saying why (``train-all`` uses this). ``on_start`` is called once the checkpoint (if resuming)
    has been accepted, before anything is written.
    """
    from simplex_training.engine.optim import AdamW, clip_grad_norm
    from simplex_training.finetune.lr_control import make_control

    if not train:
        raise DataError("no training examples to fine-tune on")
    work = Path(work_dir)
    ckpt = work / "checkpoints" / CHECKPOINT
    log_path = work / "train_log.jsonl"
    params = model.lora_parameters()
    opt = AdamW(params, lr=cfg.lr, betas=(0.9, 0.999), weight_decay=cfg.weight_decay)
    lengths = [len(t.ids) for t in train]
    bpe = math.ceil(len(train) / cfg.batch_size)
    total = cfg.total_steps(bpe, float(np.mean(lengths)))
    ctl = make_control(cfg, opt, total)
    val = val[: cfg.val_max_examples]
    if not val:
        log("no validation examples: no validation loss, early stopping or best-adapter selection")
    identity = {"config": cfg.training_dict(), "base": base_info or {},
                "data": {"train": fingerprint(train), "val": fingerprint(val)}}
    st = _State()
    best: dict[str, np.ndarray] | None = None
    resumed_from, seconds_before = None, 0.0
    if resume and not ckpt.exists():
        log(f"no checkpoint in {ckpt.parent}; starting from step 0")
    if resume == "auto" and ckpt.exists():
        why = checkpoint_mismatch(ckpt, identity)
        if why is not None:
            log(f"not resuming: {why}; starting from step 0")
            resume = False
    if resume and ckpt.exists():
        arrays, saved = load_state(ckpt, identity, model, opt, _generators(model))
        st = _State(**saved["progress"])
        best = {k[5:]: v for k, v in arrays.items() if k.startswith("best.")} or None
        if saved.get("schedule", {}).get("state"):
            ctl.load(saved["schedule"]["state"], arrays)
        resumed_from, seconds_before = st.step, st.elapsed
        log(f"resumed from {ckpt} at step {st.step}/{total}")
    if on_start is not None:
        on_start()
    history = truncate_log(log_path, st.step if resumed_from is not None else 0)
    order = epoch_batches(lengths, cfg.batch_size, cfg.seed, st.epoch, cfg.bucket_batches)
    model.train(True)
    last_loss = next((r["loss"] for r in reversed(history) if r.get("type") == "train"), None)

    def save() -> None:
        extra = {f"best.{k}": v for k, v in best.items()} if best is not None else {}
        ctl_state, ctl_arrays = ctl.state()
        schedule = {**ctl.record(st.step), "state": ctl_state}
        save_state(ckpt, identity, st.__dict__, model, opt, _generators(model), extra | ctl_arrays, schedule)

    with log_path.open("a", encoding="utf-8") as logf:
        def emit(rec: dict[str, Any]) -> None:
            history.append(rec)
            logf.write(json.dumps(rec) + "\n")
            logf.flush()

        while st.step < total and not st.stopped_early:
            t0 = time.perf_counter()
            micro = []
            for _ in range(cfg.grad_accum):
                micro.append(collate([train[i] for i in order[st.batch_index]], pad_id))
                st.batch_index += 1
                if st.batch_index == len(order):
                    st.epoch, st.batch_index = st.epoch + 1, 0
                    order = epoch_batches(lengths, cfg.batch_size, cfg.seed, st.epoch, cfg.bucket_batches)
            n_step = sum(n for _, _, n in micro)
            opt.zero_grad()
            loss_sum = 0.0
            for x, y, n in micro:
                loss = model.loss(x, y)
                (loss * (n / n_step)).backward()
                loss_sum += float(loss.item()) * n
            gnorm = clip_grad_norm(params, cfg.grad_clip)
            extras = ctl.before_step(st.step, loss_sum / n_step)  # sets opt.lr
            applied = opt.step()
            more = ctl.after_step(bool(applied), st.step + 1)  # e.g. a meta-update record
            st.step += 1
            dt = time.perf_counter() - t0
            st.elapsed += dt
            n_tok = sum(x.size for x, _, _ in micro)
            st.tokens_seen += n_tok
            last_loss = loss_sum / n_step
            rec: dict[str, Any] = {"type": "train", "step": st.step, "total_steps": total, "epoch": st.epoch,
                                   "loss": round(last_loss, 6), "lr": opt.lr, "grad_norm": round(float(gnorm), 5),
                                   "tok_per_s": round(n_tok / dt, 1), **extras}
            if not applied:
                rec["skipped"] = True
            emit(rec)
            for extra_rec in more:
                emit(extra_rec)
            if val and (st.step % cfg.eval_every == 0 or st.step == total):
                vloss = validation_loss(model, val, pad_id, cfg.batch_size)
                improved = math.isfinite(vloss) and (st.best_val is None or vloss < st.best_val - cfg.min_delta)
                if improved:
                    st.best_val, st.best_step, st.bad_evals = vloss, st.step, 0
                    best = model.adapter_state_dict()
                else:
                    st.bad_evals += 1
                    st.stopped_early = cfg.patience > 0 and st.bad_evals >= cfg.patience
                    st.stop_reason = "patience" if st.stopped_early else None
                extra_eval = ctl.on_eval(vloss, st.step, log)
                if ctl.should_stop() and not st.stopped_early:
                    st.stopped_early, st.stop_reason = True, ctl.kind
                emit({"type": "eval", "step": st.step, "val_loss": round(vloss, 6), "best": improved, **extra_eval})
                rec = {**rec, "val_loss": vloss}
            if st.step % cfg.checkpoint_every == 0 or st.step == total or st.stopped_early:
                save()
            if progress is not None:
                progress(st.step, rec)
    if st.stopped_early:
        why = (ctl.stop_message() if st.stop_reason == ctl.kind
               else f"no validation improvement in {cfg.patience} evaluations")
        log(f"early stop at step {st.step}: {why} (best {st.best_val:.4f} at step {st.best_step})")
    if best is not None:
        model.load_adapter_state_dict(best)
    return FinetuneResult(steps=st.step, total_steps=total, best_step=st.best_step, best_val_loss=st.best_val,
                          final_train_loss=last_loss, stopped_early=st.stopped_early, tokens_seen=st.tokens_seen,
                          seconds=round(st.elapsed, 2), resumed_from=resumed_from, history=history,
                          stop_reason=st.stop_reason, seconds_before_resume=round(seconds_before, 2))
