"""``FinetuneConfig``: every setting of a fine-tuning run, with defaults sized for the embedded base.

Defaults for a real run (``simplex-train train ID`` on the ~4M-parameter embedded base): 3000
generated examples (2400 train, 300 validation, 300 test); batches of 8 sequences of up to 512
tokens; AdamW at lr 2e-3 (cosine, 5 % warm-up, floor lr/10, no weight decay on the adapters,
gradient norm clipped to 1); as many steps as it takes to see ``token_budget`` = 500k training
tokens (bounded to 50..3000 steps), so short-example specialists take more steps and long ones
fewer, at about the same time. Validation loss every 50 steps on 100 examples; early stopping after
5 evaluations without improvement (patience counts evaluations, never steps, so it cannot fire
before the first validation); 100 test examples scored by generation, base and specialist.

Measured on the shared 2-core machine (single-threaded kernels, load average ~5): 3300-3800
training tokens/s for the ``simple``/``standard`` presets and ~2800 for ``code``/``complex``
(rank 32 on every projection), i.e. 130-210 s of training, plus 15-45 s of validation and
generation: 2.5-4 minutes per specialist (about 6000 tokens/s, 2 minutes, when the machine was
less loaded). Every value is overridable (``--steps``, ``--epochs``, ``--config FILE``).

``schedule`` is any schedule of the ``schedules`` registry that provides a learning rate:
``cosine`` | ``linear`` | ``constant`` (fixed functions of the step), ``learned`` (a learnable LR
driven by hypergradients) or ``annealing`` (cosine x ``min(T, 1)`` of an annealing temperature with
stagnation, reheat and a stop rule); ``schedule_options`` tunes the last two (keys in
:data:`SCHEDULE_OPTIONS`, meanings in :mod:`simplex_training.finetune.lr_control` and
:mod:`simplex_training.finetune.anneal_state`).

A catalog entry's ``training`` mapping replaces these defaults for its specialist (for example
``token_budget: 1000000`` for the 19 specialists measured to need it; docs/results.md); a config file
and command-line options override it (:func:`simplex_training.finetune.pipeline.build_config`).

``lora`` overrides fields of the catalog preset (``rank``, ``alpha``, ``dropout``, ``targets``,
``exclude``, ``rslora``, ``quantize_base``, ``init``); ``lora_preset`` replaces the entry's preset.

The default learning rate follows the LoRA scale (:func:`default_lr`): 2e-3 is for a scale of 2
(``alpha / r`` of the ``simple`` and ``standard`` presets), and a larger scale gets a proportionally
smaller rate, so that ``scale * lr`` stays 4e-3. With Adam each adapter entry moves by about ``lr``
per step, and the weights by ``scale`` times that: the ``code`` and ``complex`` presets (rsLoRA,
r=32, alpha 64: scale 11.3) at 2e-3 moved them 5.7 times as fast, and sql_generation's exact match
was 0.26; at 3.5e-4 it was 0.95. A ``lr`` set anywhere (catalog entry, config file)
is used as given.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from simplex_training.errors import SimplexError

# Fields that do not change the trained weights: resuming with other values is allowed.
NON_TRAINING_FIELDS = frozenset({"checkpoint_every", "eval_examples", "eval_batch_size", "new_tokens_margin"})
BUILTIN_SCHEDULES = ("cosine", "linear", "constant", "learned", "annealing")
SCHEDULE_OPTIONS: dict[str, tuple[str, ...]] = {
    "learned": ("meta_lr", "meta_every", "meta_optimizer", "learn"),
    "annealing": ("initial_temp", "final_temp", "reheat_threshold", "reheat_intensity", "reheat_decay", "patience"),
}


DEFAULT_LR = 2e-3
DEFAULT_LR_SCALE = 2.0  # the LoRA scale DEFAULT_LR is for


def default_lr(lora_scale: float) -> float:
    """The learning rate used when none is set: ``DEFAULT_LR``, lowered for a LoRA scale above
    ``DEFAULT_LR_SCALE`` so that ``scale * lr`` stays ``DEFAULT_LR * DEFAULT_LR_SCALE``."""
    return DEFAULT_LR * min(1.0, DEFAULT_LR_SCALE / lora_scale) if lora_scale > 0 else DEFAULT_LR


class ConfigError(SimplexError):
    """A fine-tuning setting is unknown or out of range."""


@dataclass
class FinetuneConfig:
    steps: int | None = None  # optimizer steps; None: from epochs, else from token_budget
    epochs: float | None = None  # used when steps is None
    token_budget: int = 500_000  # neither steps nor epochs: train on about this many tokens
    batch_size: int = 8  # sequences per micro-batch
    grad_accum: int = 1  # micro-batches per optimizer step
    lr: float = DEFAULT_LR  # unless set, build_config lowers it for a LoRA scale above 2 (default_lr)
    schedule: str = "cosine"  # cosine | linear | constant | learned | annealing | a plugin's LR schedule
    schedule_options: dict[str, Any] = field(default_factory=dict)  # learned / annealing settings
    warmup_steps: int | None = None  # None: 5 % of the steps
    min_lr: float | None = None  # None: lr / 10
    weight_decay: float = 0.0  # on the LoRA matrices
    grad_clip: float = 1.0
    eval_every: int = 50  # steps between validation losses
    patience: int = 5  # evaluations without improvement before stopping; 0: never stop early
    min_delta: float = 1e-4  # a validation loss must beat the best by this much to count
    val_max_examples: int = 100  # validation examples scored (the first ones of the split)
    max_seq_len: int = 512  # tokens (capped by the base's context); longer ones are truncated, start kept
    bucket_batches: int = 8  # batches per length-sorted chunk
    checkpoint_every: int = 50
    seed: int = 0  # initialisation, batch order, dropout
    data_seed: int | None = None  # generator seed; None: seed
    n_examples: int = 3000  # generated examples (train + val + test)
    split: tuple[float, float, float] = (0.8, 0.1, 0.1)
    eval_examples: int = 100  # test examples scored by generation (before and after)
    eval_batch_size: int = 64  # prompts decoded together (sorted by length, left-padded)
    new_tokens_margin: int = 16  # max_new_tokens = longest gold response + margin
    lora_preset: str | None = None  # None: the catalog entry's preset
    lora: dict[str, Any] = field(default_factory=dict)

    MIN_STEPS, MAX_STEPS = 50, 3000  # bounds of the token-budget step count

    def __post_init__(self) -> None:
        self.split = tuple(float(x) for x in self.split)  # type: ignore[assignment]
        checks = [
            (self.steps is None or self.steps >= 1, "steps must be >= 1"),
            (self.epochs is None or self.epochs > 0, "epochs must be > 0"),
            (self.token_budget >= 1, "token_budget must be >= 1"),
            (self.batch_size >= 1, "batch_size must be >= 1"),
            (self.grad_accum >= 1, "grad_accum must be >= 1"),
            (self.lr > 0, "lr must be > 0"),
            (isinstance(self.schedule_options, dict), "schedule_options must be a mapping"),
            (self.warmup_steps is None or self.warmup_steps >= 0, "warmup_steps must be >= 0"),
            (self.min_lr is None or self.min_lr >= 0, "min_lr must be >= 0"),
            (self.weight_decay >= 0, "weight_decay must be >= 0"),
            (self.grad_clip > 0, "grad_clip must be > 0"),
            (self.eval_every >= 1, "eval_every must be >= 1"),
            (self.patience >= 0, "patience must be >= 0"),
            (self.max_seq_len >= 8, "max_seq_len must be >= 8"),
            (self.checkpoint_every >= 1, "checkpoint_every must be >= 1"),
            (self.seed >= 0 and (self.data_seed is None or self.data_seed >= 0), "seeds must be >= 0"),
            (self.n_examples >= 3, "n_examples must be >= 3"),
            (len(self.split) == 3 and min(self.split) >= 0 and abs(sum(self.split) - 1) < 1e-6 and self.split[0] > 0,
             "split must be three non-negative fractions (train > 0) summing to 1"),
            (self.eval_examples >= 0 and self.eval_batch_size >= 1, "eval_examples >= 0, eval_batch_size >= 1"),
            (isinstance(self.lora, dict), "lora must be a mapping of LoRA settings"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(f"fine-tuning config: {message}")
        self._check_schedule()

    def _check_schedule(self) -> None:
        """A registered learning-rate schedule; options only of the schedules that take them."""
        if self.schedule not in BUILTIN_SCHEDULES:
            from simplex_training.finetune.lr_control import lr_schedule_kind, lr_schedule_names

            if lr_schedule_kind(self.schedule) is None:
                raise ConfigError(f"fine-tuning config: schedule {self.schedule!r} is not a registered learning-rate "
                                  f"schedule (known: {', '.join(lr_schedule_names())})")
        known = SCHEDULE_OPTIONS.get(self.schedule, ())
        unknown = sorted(set(self.schedule_options) - set(known))
        if unknown:
            raise ConfigError(f"fine-tuning config: schedule_options {', '.join(unknown)} not understood by "
                              f"schedule {self.schedule!r} (known: {', '.join(known) or 'none'})")

    # -- derived -------------------------------------------------------------------------------

    def total_steps(self, batches_per_epoch: int, mean_tokens: float) -> int:
        """Optimizer steps of the run: ``steps``; else ``epochs`` worth of batches; else
        ``token_budget / (batch_size * grad_accum * mean_tokens)`` within [MIN_STEPS, MAX_STEPS]."""
        if self.steps is not None:
            return self.steps
        if self.epochs is not None:
            return max(1, math.ceil(self.epochs * batches_per_epoch / self.grad_accum))
        per_step = self.batch_size * self.grad_accum * max(1.0, mean_tokens)
        return int(min(self.MAX_STEPS, max(self.MIN_STEPS, round(self.token_budget / per_step))))

    def warmup(self, total: int) -> int:
        return self.warmup_steps if self.warmup_steps is not None else max(1, round(0.05 * total))

    def floor_lr(self) -> float:
        return self.min_lr if self.min_lr is not None else self.lr / 10

    def generator_seed(self) -> int:
        return self.seed if self.data_seed is None else self.data_seed

    # -- (de)serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["split"] = list(self.split)
        return d

    def training_dict(self) -> dict[str, Any]:
        """The fields that determine the trained weights (compared when resuming)."""
        return {k: v for k, v in self.to_dict().items() if k not in NON_TRAINING_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: FinetuneConfig | None = None) -> FinetuneConfig:
        """``base`` (or the defaults) updated with ``data``; unknown keys are a :class:`ConfigError`."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(f"unknown fine-tuning setting(s) {', '.join(unknown)} "
                              f"(known: {', '.join(sorted(names))})")
        merged = (base or cls()).to_dict()
        for key, value in data.items():
            if key == "lora" and isinstance(value, dict):
                merged["lora"] = {**merged["lora"], **value}
            else:
                merged[key] = value
        try:
            return cls(**merged)
        except TypeError as exc:
            raise ConfigError(f"fine-tuning config: {exc}") from None


def load_config_file(path: str) -> dict[str, Any]:
    """Settings from a JSON or YAML file (a mapping of :class:`FinetuneConfig` fields)."""
    import json
    from pathlib import Path

    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read config file ({exc.strerror or exc})") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{p}: not valid {'JSON' if p.suffix == '.json' else 'YAML'} ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping of settings, got {type(data).__name__}")
    return data
