"""Pretrain the embedded base model from scratch on the general synthetic corpus.

Steps: build the corpus (:mod:`simplex_training.pretrain.corpus`) -> train the SPM vocabulary ->
tokenize a packed token stream -> train the llama model with AdamW and a cosine schedule ->
write an F16 GGUF with the tokenizer and chat template.

Every step is deterministic for a seed. Batches are drawn with ``default_rng([seed, step])``, so a
resumed run sees exactly the batches an uninterrupted run would; checkpoints hold the weights, the
optimizer moments and the step (written atomically every ``checkpoint_every`` steps).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.model.config import LlamaConfig


@dataclass(frozen=True)
class Phase:
    """A run of steps with its own warm-up and cosine decay."""

    steps: int
    lr: float
    min_lr: float
    warmup_steps: int
    corpus: str = "reading"  # the token stream its batches come from: one of CORPORA


CORPORA = ("reading", "numeracy", "coverage", "digits", "equality", "recall")  # a reading-stage phase's corpus, in the order phases run
# the ReadingStage fields (characters, lesson fraction) that make each corpus
CORPUS_SIZE_FIELDS = {"reading": ("corpus_chars", "lesson_fraction"),
                      "numeracy": ("numeracy_chars", "numeracy_lesson_fraction"),
                      "coverage": ("coverage_chars", "coverage_lesson_fraction"),
                      "digits": ("digits_chars", "digits_lesson_fraction"),
                      "equality": ("equality_chars", "equality_lesson_fraction"),
                      "recall": ("recall_chars", "recall_lesson_fraction")}

LESSON_LOSSES = ("all", "answers")  # ReadingStage.lesson_loss


@dataclass
class ReadingStage:
    """Continued pretraining on the reading corpus (:mod:`simplex_training.pretrain.corpus_reading`):
    runs after the first stage's ``steps`` with the same tokenizer and optimizer state, in one or
    more phases (each re-warms and decays the learning rate); its batches start at item boundaries
    so lessons are seen whole. A phase reads the reading corpus or the numeracy corpus
    (:mod:`simplex_training.pretrain.corpus_numeracy` added to the reading material) or the coverage
    corpus (:mod:`simplex_training.pretrain.corpus_coverage` added to the numeracy material) or the
    digits corpus (:mod:`simplex_training.pretrain.corpus_digits` added to the coverage material) or the
    equality corpus (:mod:`simplex_training.pretrain.corpus_equality`, likewise) or the recall corpus
    (:mod:`simplex_training.pretrain.corpus_recall`, likewise); the shipped base ran two reading
    phases, one numeracy phase, then one coverage phase (digits, equality and recall phases are
    opt-in: ``with_phase("digits", n)``)."""

    corpus_chars: int = 40_000_000
    lesson_fraction: float = 0.6
    batch_size: int = 8
    numeracy_chars: int = 16_000_000  # the "numeracy" corpus of later phases (reading material kept in it)
    numeracy_lesson_fraction: float = 0.7
    coverage_chars: int = 8_000_000  # the "coverage" corpus (numeracy material kept in it)
    coverage_lesson_fraction: float = 0.6
    digits_chars: int = 6_000_000  # the "digits" corpus (coverage material kept in it)
    digits_lesson_fraction: float = 0.7
    equality_chars: int = 6_000_000  # the "equality" corpus (coverage material kept in it)
    equality_lesson_fraction: float = 0.7
    recall_chars: int = 6_000_000  # the "recall" corpus (coverage material kept in it)
    recall_lesson_fraction: float = 0.7
    # which tokens of a lesson the loss counts: "all" (prompt and answer, as the shipped base was
    # trained) or "answers" (the response and its end tokens, as fine-tuning does); documents count whole
    lesson_loss: str = "all"
    phases: tuple[Phase, ...] = (Phase(13000, 1e-3, 1e-4, 200), Phase(5000, 5e-4, 5e-5, 100),
                                 Phase(6000, 5e-4, 5e-5, 100, corpus="numeracy"),
                                 Phase(2000, 5e-4, 5e-5, 100, corpus="coverage"))

    def __post_init__(self) -> None:
        self.phases = tuple(p if isinstance(p, Phase) else Phase(**p) for p in self.phases)
        bad = sorted({p.corpus for p in self.phases} - set(CORPORA))
        if bad:
            raise ValueError(f"unknown pretraining corpus {bad[0]!r} in a phase (known: {', '.join(CORPORA)})")
        if self.lesson_loss not in LESSON_LOSSES:
            raise ValueError(f"lesson_loss must be one of {', '.join(LESSON_LOSSES)}, not {self.lesson_loss!r}")

    @property
    def steps(self) -> int:
        return sum(p.steps for p in self.phases)

    def with_phase(self, corpus: str, steps: int) -> ReadingStage:
        """This stage with its ``corpus`` phase of ``steps`` steps (dropped for 0), in the order of
        :data:`CORPORA`, with the learning rates and warm-up of the phase it replaces (else of the
        last reading phase)."""
        like = [p for p in self.phases if p.corpus == corpus] or [p for p in self.phases if p.corpus == "reading"]
        last = like[-1]
        new = (Phase(steps, last.lr, last.min_lr, last.warmup_steps, corpus),) if steps else ()
        kept = tuple(p for p in self.phases if p.corpus != corpus)
        after = [i for i, p in enumerate(kept) if CORPORA.index(p.corpus) > CORPORA.index(corpus)]
        at = after[0] if after else len(kept)
        return replace(self, phases=kept[:at] + new + kept[at:])

    def only(self, steps: dict[str, int]) -> ReadingStage:
        """This stage cut down to the phases of the corpora in ``steps``, each of its given steps (as
        :meth:`with_phase` makes them), in the order of :data:`CORPORA`: what continued pretraining
        from a finished base (``PretrainConfig.init``) runs."""
        stage = self
        for corpus, n in steps.items():
            stage = stage.with_phase(corpus, n)
        return replace(stage, phases=tuple(p for p in stage.phases if p.corpus in steps))

    def phase_at(self, step: int) -> tuple[Phase, int]:
        """The phase ``step`` steps into this stage falls in, and the step within that phase."""
        for p in self.phases:
            if step < p.steps:
                return p, step
            step -= p.steps
        raise ValueError(f"step {step} is past the reading stage")

    def lr_at(self, step: int) -> float:
        """Learning rate at ``step`` steps into this stage."""
        from simplex_training.engine.lr_schedules import CosineSchedule

        p, k = self.phase_at(step)
        return CosineSchedule(p.lr, total_steps=p.steps, warmup_steps=p.warmup_steps, min_lr=p.min_lr)(k)

    def entered(self, step: int) -> dict:
        """The settings a checkpoint ``step`` steps into this stage depends on: every phase begun by
        then and the corpora those phases read."""
        begun, start = [], 0
        for p in self.phases:
            if start >= step:
                break
            begun.append(asdict(p))
            start += p.steps
        d = {"batch_size": self.batch_size, "lesson_loss": self.lesson_loss}
        for corpus in CORPORA:
            if any(p["corpus"] == corpus for p in begun):
                d |= {f: getattr(self, f) for f in CORPUS_SIZE_FIELDS[corpus]}
        return json.loads(json.dumps(d | {"phases": begun}))


@dataclass
class PretrainConfig:
    seed: int = 0
    model: LlamaConfig = field(default_factory=lambda: LlamaConfig(
        vocab_size=4096, dim=256, n_layers=4, n_heads=8, n_kv_heads=4, ffn_dim=688, context_length=512))
    corpus_chars: int = 8_000_000  # characters of text in the token stream (and tokenizer corpus)
    tokenizer_chars: int = 3_000_000  # the part of it the vocabulary is learned from
    lesson_fraction: float = 0.35  # share of chat lessons among corpus items
    seq_len: int = 256
    batch_size: int = 8
    steps: int = 1000
    lr: float = 2e-3
    min_lr: float = 2e-4
    warmup_steps: int = 100
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    checkpoint_every: int = 100
    dtype: str = "f16"  # GGUF weight type of the result
    reading: ReadingStage | None = field(default_factory=ReadingStage)
    # continue from this GGUF (its weights, shape and tokenizer) instead of from scratch: no first
    # stage (``steps`` must be 0), only the reading stage's phases run, with a fresh optimizer
    init: str | None = None

    @property
    def total_steps(self) -> int:
        return self.steps + (self.reading.steps if self.reading else 0)

    def first_stage(self) -> dict:
        """The settings the first stage's checkpoints depend on (everything but ``reading``)."""
        return {k: v for k, v in asdict(self).items() if k != "reading"}

    def fingerprint(self) -> str:
        """Hash of everything that determines the corpus (reused between runs when equal)."""
        key = json.dumps([self.seed, self.model.vocab_size, self.corpus_chars, self.tokenizer_chars,
                          self.lesson_fraction], sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()[:16]


def corpus_items(cfg: PretrainConfig, corpus: str = "first", tok=None) -> list[tuple[str, str | None]]:  # noqa: ANN001
    """(text, None) documents and (prompt, response) lessons, interleaved deterministically: the
    first stage's corpus, or the reading stage's ``"reading"``, ``"numeracy"``, ``"coverage"``,
    ``"digits"``, ``"equality"`` or ``"recall"`` corpus (other seeds, more kinds; the last four are made for the
    tokenizer ``tok``)."""
    from simplex_training.pretrain import corpus as kinds_of
    from simplex_training.pretrain.corpus import documents, lessons

    if corpus == "first":
        seed, chars, fraction = cfg.seed, cfg.corpus_chars, cfg.lesson_fraction
        docs, less = documents(seed), lessons(seed)
    else:
        seed = cfg.seed + 1000 * (CORPORA.index(corpus) + 1)  # reading 1000, numeracy 2000, ... recall 6000
        chars, fraction = (getattr(cfg.reading, f) for f in CORPUS_SIZE_FIELDS[corpus])
        if corpus == "reading":
            doc_kinds, lesson_kinds = kinds_of.reading_kinds()
        elif corpus == "numeracy":
            doc_kinds, lesson_kinds = kinds_of.numeracy_kinds()
        elif tok is None:
            raise ValueError(f"the {corpus} corpus is made for a tokenizer: pass tok")
        else:
            made_for_tok = {"coverage": kinds_of.coverage_kinds, "digits": kinds_of.digits_kinds,
                            "equality": kinds_of.equality_kinds, "recall": kinds_of.recall_kinds}
            doc_kinds, lesson_kinds = made_for_tok[corpus](tok)
        docs, less = documents(seed, kinds=doc_kinds), lessons(seed, kinds=lesson_kinds)
    rng = np.random.default_rng(seed)
    items, total = [], 0
    while total < chars:
        if rng.random() < fraction:
            p, r = next(less)
            items.append((p, r))
            total += len(p) + len(r)
        else:
            d = next(docs)
            items.append((d, None))
            total += len(d)
    return items


def build_tokens(cfg: PretrainConfig, work: Path, log: Callable[[str], None]):  # noqa: ANN201
    """Train (or reuse) the tokenizer and the packed token stream in ``work``."""
    from simplex_training.tokenizer.spm import SPMTokenizer
    from simplex_training.tokenizer.trainer import train_spm

    stamp = work / "corpus.fingerprint"
    if stamp.exists() and stamp.read_text() == cfg.fingerprint():
        return SPMTokenizer.load(work / "tokenizer.json"), np.load(work / "tokens.npy")
    t0 = time.perf_counter()
    items = corpus_items(cfg)
    sample, n = [], 0
    for text, resp in items:
        sample.append(text if resp is None else f"{text}\n{resp}")
        n += len(sample[-1])
        if n >= cfg.tokenizer_chars:
            break
    tok = train_spm(sample, cfg.model.vocab_size)
    log(f"tokenizer: {tok.vocab_size} tokens from {n:,} characters in {time.perf_counter() - t0:.0f}s")
    tokens, _, _ = _encode_items(tok, items)
    from simplex_training.atomic import atomic_write, atomic_write_text

    tok.save(work / "tokenizer.json")
    with atomic_write(work / "tokens.npy", "wb") as fh:
        np.save(fh, tokens)
    atomic_write_text(stamp, cfg.fingerprint())
    log(f"corpus: {len(items):,} items, {tokens.size:,} tokens in {time.perf_counter() - t0:.0f}s")
    return tok, tokens


def _encode_items(tok, items: list[tuple[str, str | None]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # noqa: ANN001
    """The packed token stream of ``items``, the offset where each item starts, and which tokens are
    answers (1: a document's token, or a lesson's response and end tokens; 0: a lesson's prompt)."""
    from simplex_training.tokenizer.chat import encode_example

    ids: list[int] = []
    starts, prompts = [], []  # prompts: (start, end) of each lesson's prompt tokens
    for text, resp in items:
        starts.append(len(ids))
        if resp is None:
            ids.extend(tok.encode(text, add_bos=True))
            ids.append(tok.eos_id)
        else:
            ex = encode_example(tok, text, resp)
            prompts.append((len(ids), len(ids) + ex.prompt_len))
            ids.extend(ex.ids)
    answer = np.ones(len(ids), dtype=np.uint8)
    for start, end in prompts:
        answer[start:end] = 0
    return np.asarray(ids, dtype=np.uint16), np.asarray(starts, dtype=np.int64), answer


def build_reading_tokens(cfg: PretrainConfig, tok, work: Path, log: Callable[[str], None],  # noqa: ANN001, ANN201
                         corpus: str = "reading", init_digest: str | None = None):
    """A reading-stage corpus's token stream, item offsets and answer marks (see :func:`_encode_items`;
    built once, reused while unchanged); ``init_digest`` names the tokenizer of a run continued from a GGUF."""
    from simplex_training.atomic import atomic_write, atomic_write_text

    settings = [getattr(cfg.reading, f) for f in CORPUS_SIZE_FIELDS[corpus]]
    if corpus != "reading":  # the reading stream's key predates the others' (kept: caches stay valid)
        settings = [corpus, *settings]
    if init_digest is not None:
        settings = [init_digest, *settings]
    key = hashlib.sha256(json.dumps([cfg.fingerprint(), *settings]).encode()).hexdigest()[:16]
    stamp, path = work / f"{corpus}.fingerprint", work / f"{corpus}_tokens.npz"
    if stamp.exists() and stamp.read_text() == key:
        with np.load(path) as z:
            if "answer" in z:  # streams cached before answer marks existed are built again
                return z["tokens"], z["starts"], z["answer"]
    t0 = time.perf_counter()
    items = corpus_items(cfg, corpus, tok)
    tokens, starts, answer = _encode_items(tok, items)
    with atomic_write(path, "wb") as fh:
        np.savez(fh, tokens=tokens, starts=starts, answer=answer)
    atomic_write_text(stamp, key)
    log(f"{corpus} corpus: {len(items):,} items, {tokens.size:,} tokens in {time.perf_counter() - t0:.0f}s")
    return tokens, starts, answer


def batch_at(tokens: np.ndarray, seed: int, step: int, batch: int, seq: int) -> tuple[np.ndarray, np.ndarray]:
    """The (inputs, targets) of a step: random windows chosen by ``default_rng([seed, step])``."""
    starts = np.random.default_rng([seed, step]).integers(0, tokens.size - seq - 1, batch)
    win = np.stack([tokens[s : s + seq + 1] for s in starts]).astype(np.int64)
    return win[:, :-1], win[:, 1:]


def batch_from_starts(tokens: np.ndarray, starts: np.ndarray, seed: int, step: int, batch: int,
                      seq: int, answer: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`batch_at`, but every window begins where an item begins. With ``answer`` (the
    stream's answer marks), targets that are not answers are -100, which the loss ignores."""
    valid = starts[starts < tokens.size - seq - 1]
    chosen = valid[np.random.default_rng([seed, 1, step]).integers(0, valid.size, batch)]
    win = np.stack([tokens[s : s + seq + 1] for s in chosen]).astype(np.int64)
    x, y = win[:, :-1], win[:, 1:]
    if answer is not None:
        y = np.where(np.stack([answer[s + 1 : s + seq + 1] for s in chosen]) == 0, -100, y)
    return x, y


def pretrain(cfg: PretrainConfig, work: str | Path, output: str | Path, resume: bool = True,
             log: Callable[[str], None] = print, progress: Callable[[int, dict[str, Any]], None] | None = None) -> dict:
    """Run (or resume) pretraining; writes the GGUF to ``output`` and returns a summary."""
    from simplex_training.checkpoint import (load_checkpoint, optimizer_arrays, restore_optimizer_state,
                                             save_checkpoint)
    from simplex_training.engine.lr_schedules import CosineSchedule
    from simplex_training.engine.optim import AdamW, clip_grad_norm
    from simplex_training.gguf.writer import write_llama_gguf
    from simplex_training.model.llama import LlamaModel
    from simplex_training.pretrain.coverage import describe as describe_coverage
    from simplex_training.pretrain.coverage import token_counts, vocabulary_coverage

    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    init = _load_init(cfg) if cfg.init else None
    digest = init["digest"] if init else None  # of the starting GGUF; None from scratch
    if init is None:
        tok, tokens = build_tokens(cfg, work, log)
    else:
        tok, tokens = init["tokenizer"], np.zeros(0, dtype=np.uint16)
        log(f"continuing from {cfg.init} (sha256 {digest})")
    streams = {c: build_reading_tokens(cfg, tok, work, log, c, digest)
               for c in dict.fromkeys(p.corpus for p in cfg.reading.phases)} if cfg.reading else {}
    coverage = vocabulary_coverage(tok, token_counts(tok, [tokens, *(s[0] for s in streams.values())]))
    log(describe_coverage(coverage))
    model = LlamaModel(cfg.model, seed=cfg.seed, weights=init["weights"] if init else None)
    decay = [p for n, p in model.named_weights().items() if p.ndim == 2]
    no_decay = [p for n, p in model.named_weights().items() if p.ndim < 2]
    opt = AdamW([{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                lr=cfg.lr, betas=(0.9, 0.95))
    sched = CosineSchedule(cfg.lr, total_steps=cfg.steps, warmup_steps=cfg.warmup_steps, min_lr=cfg.min_lr)
    step, elapsed, tokens_seen, last_loss = 0, 0.0, 0, float("nan")
    ckpt = work / "checkpoint.npz"
    if resume and ckpt.exists():
        arrays, state = load_checkpoint(ckpt)
        _check_resumable(ckpt, state, cfg)
        if state.get("init_sha256") != digest:
            raise ValueError(f"{ckpt}: checkpoint was made from another starting model; use a new work directory")
        model.load_state_dict({k[2:]: v for k, v in arrays.items() if k.startswith("w.")})
        opt.load_state_dict(restore_optimizer_state(state["optimizer"], arrays))
        step, elapsed, tokens_seen = state["step"], state["elapsed"], state["tokens_seen"]
        log(f"resumed at step {step}")
    logf = (work / "log.jsonl").open("a", encoding="utf-8")
    try:
        while step < cfg.total_steps:
            t0 = time.perf_counter()
            if step < cfg.steps:
                x, y = batch_at(tokens, cfg.seed, step, cfg.batch_size, cfg.seq_len)
                lr = sched(step)
            else:
                phase, _ = cfg.reading.phase_at(step - cfg.steps)
                tokens_c, starts_c, answer_c = streams[phase.corpus]
                x, y = batch_from_starts(tokens_c, starts_c, cfg.seed, step, cfg.reading.batch_size, cfg.seq_len,
                                         answer_c if cfg.reading.lesson_loss == "answers" else None)
                lr = cfg.reading.lr_at(step - cfg.steps)
            opt.lr = lr
            loss = model.loss(x, y)
            opt.zero_grad()
            loss.backward()
            gnorm = clip_grad_norm(model.parameters(), cfg.grad_clip)
            opt.step()
            step += 1
            dt = time.perf_counter() - t0
            elapsed += dt
            tokens_seen += x.size
            last_loss = loss.item()
            rec = {"step": step, "loss": round(last_loss, 5), "lr": lr, "grad_norm": round(float(gnorm), 4),
                   "tok_per_s": round(x.size / dt, 1)}
            logf.write(json.dumps(rec) + "\n")
            if progress is not None:
                progress(step, rec)
            if step % cfg.checkpoint_every == 0 or step in (cfg.steps, cfg.total_steps):
                opt_arrays, opt_state = optimizer_arrays(opt.state_dict())
                arrays = {f"w.{k}": v for k, v in model.state_dict().items()} | opt_arrays
                save_checkpoint(ckpt, arrays, {"config": asdict(cfg), "step": step, "elapsed": elapsed,
                                               "tokens_seen": tokens_seen, "optimizer": opt_state,
                                               "init_sha256": digest})
                logf.flush()
    finally:
        logf.close()
    stream_sizes = {f"{c}_tokens": int(streams[c][0].size) if c in streams else 0 for c in CORPORA}
    summary = {"steps": step, "tokens_seen": tokens_seen, "final_loss": last_loss, "train_seconds": round(elapsed, 1),
               "seed": cfg.seed, "corpus_tokens": int(tokens.size), **stream_sizes, "vocabulary_coverage": coverage,
               "init_sha256": digest, "config": asdict(cfg)}
    write_llama_gguf(output, cfg.model, model.state_dict(), tok, dtype=cfg.dtype, name="simplex-base",
                     extra_metadata={"simplex.pretrain.summary": json.dumps(summary)})
    return summary


def continued_config(cfg: PretrainConfig, init: str | Path, steps: dict[str, int]) -> PretrainConfig:
    """``cfg`` turned into a run that continues pretraining the GGUF ``init``: the file's model
    shape, no first stage, and only the reading-stage phases in ``steps`` (corpus -> steps)."""
    from simplex_training.gguf.reader import read_llama_config

    if not any(steps.values()):
        raise ValueError(f"continuing from {init} needs at least one phase with steps (one of {', '.join(CORPORA)})")
    config = read_llama_config(init)  # the weights are read once, when the run starts
    return replace(cfg, model=config, steps=0, init=str(init), reading=(cfg.reading or ReadingStage()).only(steps))


def _load_init(cfg: PretrainConfig) -> dict:
    """The starting model of a continued run: its weights, tokenizer and file digest, checked
    against ``cfg`` (same shape, no first stage, a tokenizer in the file)."""
    from simplex_training.gguf.reader import read_llama_gguf

    path = Path(cfg.init)
    if cfg.steps:
        raise ValueError(f"a run continued from {path} has no first stage: steps must be 0, not {cfg.steps}")
    config, weights, tok, _ = read_llama_gguf(path)
    if tok is None:
        raise ValueError(f"{path}: has no tokenizer (tokenizer.ggml.model); pretraining continues with the file's own")
    if config != cfg.model:
        raise ValueError(f"{path}: its shape ({config}) is not this run's model ({cfg.model}); "
                         "make the configuration with continued_config()")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"weights": weights, "tokenizer": tok, "digest": h.hexdigest()[:16]}


def _check_resumable(path: Path, state: dict, cfg: PretrainConfig) -> None:
    """A checkpoint resumes only under the configuration that made it, as far as it got: one taken in
    the first stage also resumes with another reading stage, one taken in a reading phase also with
    other or more phases after it."""
    saved = dict(state.get("config") or {})
    saved_reading = saved.pop("reading", None)
    same_first = json.loads(json.dumps(saved)) == json.loads(json.dumps(cfg.first_stage()))
    into, stage = state["step"] - cfg.steps, _saved_stage(saved_reading)
    same_reading = into <= 0 or (cfg.reading is not None and stage is not None
                                 and stage.entered(into) == cfg.reading.entered(into))
    if not same_first or not same_reading:
        raise ValueError(f"{path}: checkpoint was made with another configuration; use a new work directory")
    if state["step"] > cfg.total_steps:
        raise ValueError(f"{path}: checkpoint is at step {state['step']}, past this run's {cfg.total_steps} steps")


def _saved_stage(d: dict | None) -> ReadingStage | None:
    """The reading stage recorded in a checkpoint (None when absent or not in this format)."""
    try:
        return ReadingStage(**{**d, "phases": tuple(Phase(**p) for p in d["phases"])})
    except (TypeError, KeyError):
        return None


def tiny_config(seed: int = 0) -> PretrainConfig:
    """A seconds-long configuration for smoke tests and trying the command out."""
    return PretrainConfig(
        seed=seed,
        model=LlamaConfig(vocab_size=512, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=128, context_length=128),
        corpus_chars=200_000, tokenizer_chars=100_000, steps=30, seq_len=64, batch_size=4, checkpoint_every=10,
        warmup_steps=5, lr=3e-3, min_lr=3e-4,
        dtype="f32", reading=ReadingStage(corpus_chars=60_000, batch_size=4, numeracy_chars=30_000,
                                                 coverage_chars=30_000, digits_chars=30_000, equality_chars=30_000,
                                                 recall_chars=30_000,
                                                 phases=(Phase(5, 1e-3, 1e-4, 2), Phase(3, 5e-4, 5e-5, 1),
                                                         Phase(2, 5e-4, 5e-5, 1, corpus="numeracy"),
                                                         Phase(2, 5e-4, 5e-5, 1, corpus="coverage"))),
    )
