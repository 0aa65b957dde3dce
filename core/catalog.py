"""The specialist catalog: pydantic models, YAML loading, and cross-checks.

Built-in entries live in ``catalog/<category>.yaml`` (shipped as ``simplex_training.catalog``); a
third-party plugin registers its own entries through ``register_specialists`` with a dict, a
:class:`CatalogEntry`, or :func:`load_catalog_file` on its own YAML. Every error names the file,
the entry and the field.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simplex_training.errors import CatalogError


class TaskType(str, Enum):
    classification = "classification"
    extraction = "extraction"
    generation = "generation"
    reasoning = "reasoning"
    calibration = "calibration"


# metric name -> True when higher is better. Thresholds of "lower is better" metrics are maxima.
METRICS: dict[str, bool] = {
    "accuracy": True,
    "macro_f1": True,
    "field_precision": True,
    "field_recall": True,
    "field_f1": True,
    "total_accuracy": True,
    "exact_match": True,
    "token_f1": True,
    "valid_sql": True,
    "execution_accuracy": True,
    "pass_rate": True,
    "rouge_l": True,
    "bleu": True,
    "chrf": True,
    "ece": False,
    "brier": False,
}

# LoRA presets named by catalog entries (rank, alpha, target modules; "all" = every linear).
LORA_PRESETS: dict[str, dict[str, Any]] = {
    "simple": {"rank": 8, "alpha": 16, "targets": ["all"], "dropout": 0.05, "rslora": False},
    "standard": {"rank": 16, "alpha": 32, "targets": ["all"], "dropout": 0.05, "rslora": False},
    "complex": {"rank": 32, "alpha": 64, "targets": ["all"], "dropout": 0.1, "rslora": True},
    "code": {"rank": 32, "alpha": 64, "targets": ["all"], "dropout": 0.05, "rslora": True},
}


class MetricThreshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    threshold: float

    @field_validator("name")
    @classmethod
    def _known_metric(cls, v: str) -> str:
        if v not in METRICS:
            raise ValueError(f"unknown metric '{v}' (known: {', '.join(sorted(METRICS))})")
        return v

    @field_validator("threshold")
    @classmethod
    def _in_unit_range(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"threshold {v} is outside [0, 1]")
        return v

    @property
    def higher_is_better(self) -> bool:
        return METRICS[self.name]

    def passes(self, value: float) -> bool:
        return value >= self.threshold if self.higher_is_better else value <= self.threshold


class DatasetRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    license: str = "unknown"


class CatalogEntry(BaseModel):
    """One specialist: what it does, how it is trained and what it must score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    task_type: TaskType
    lora_preset: Literal["simple", "standard", "complex", "code"]
    # refinements of the preset measured on the embedded base (keys of LORA_PRESETS entries)
    lora_overrides: dict[str, Any] = {}
    # fine-tuning defaults measured for this entry (FinetuneConfig fields, e.g. token_budget); a
    # config file and command-line options override them
    training: dict[str, Any] = {}
    size_class: Literal["small", "medium", "large"]
    original_model_size: str | None = None
    generator: str = Field(min_length=1)
    metrics: list[MetricThreshold] = Field(min_length=1)
    labels: list[str] | None = None
    states_confidence: bool = False
    reference_datasets: list[DatasetRef] = []
    source: str = "(registered in process)"  # file or plugin that defined the entry

    @model_validator(mode="after")
    def _labels_match_task(self) -> CatalogEntry:
        if self.task_type is TaskType.classification:
            if not self.labels or len(self.labels) < 2:
                raise ValueError("labels: a classification specialist needs at least 2 labels")
            if len(set(self.labels)) != len(self.labels):
                raise ValueError("labels: duplicate label")
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names):
            raise ValueError("metrics: a metric is listed twice")
        return self

    @field_validator("lora_overrides")
    @classmethod
    def _known_lora_keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(v) - set(LORA_PRESETS["simple"]))
        if unknown:
            raise ValueError(f"unknown LoRA setting(s) {unknown} (known: {sorted(LORA_PRESETS['simple'])})")
        return v

    @field_validator("training")
    @classmethod
    def _valid_training(cls, v: dict[str, Any]) -> dict[str, Any]:
        from simplex_training.finetune.config import ConfigError, FinetuneConfig

        try:
            FinetuneConfig.from_dict(v)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return v

    @property
    def lora(self) -> dict[str, Any]:
        """The preset with this entry's overrides applied."""
        return {**LORA_PRESETS[self.lora_preset], **self.lora_overrides}

    def threshold(self, metric: str) -> float | None:
        return next((m.threshold for m in self.metrics if m.name == metric), None)


def _format_validation_error(exc: ValidationError, source: str, entry_id: str) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"field '{field}': {err['msg']}")
    return f"{source}: entry '{entry_id}': " + "; ".join(parts)


def parse_entry(data: Any, source: str, position: str = "?") -> CatalogEntry:
    """Validate one entry, raising :class:`CatalogError` naming source, entry and field."""
    if isinstance(data, CatalogEntry):
        return data
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: entry {position}: expected a mapping, got {type(data).__name__}")
    entry_id = str(data.get("id", position))
    try:
        return CatalogEntry.model_validate({"source": source, **data})
    except ValidationError as exc:
        raise CatalogError(_format_validation_error(exc, source, entry_id)) from None


def validate_entry(obj: Any) -> CatalogEntry:
    """Registry validator for ``register_specialists``: dicts become entries."""
    if isinstance(obj, CatalogEntry):
        return obj
    if isinstance(obj, dict):
        try:
            return parse_entry(obj, str(obj.get("source", "(registered in process)")))
        except CatalogError as exc:
            raise ValueError(str(exc)) from None
    raise TypeError(f"expected a CatalogEntry or dict, got {type(obj).__name__}")


def load_catalog_text(text: str, source: str) -> list[CatalogEntry]:
    """Parse a catalog YAML document: ``specialists: [entry, ...]``."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise CatalogError(f"{source}:{where} is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("specialists"), list):
        raise CatalogError(f"{source}: expected a top-level 'specialists:' list")
    entries, seen = [], {}
    for i, raw in enumerate(doc["specialists"]):
        entry = parse_entry(raw, source, position=f"#{i + 1}")
        if entry.id in seen:
            raise CatalogError(f"{source}: entry '{entry.id}': field 'id': duplicate id (also entry #{seen[entry.id]})")
        seen[entry.id] = i + 1
        entries.append(entry)
    return entries


def load_catalog_file(path: str | Path) -> list[CatalogEntry]:
    path = Path(path)
    return load_catalog_text(path.read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def builtin_catalog() -> dict[str, CatalogEntry]:
    """Every entry of the shipped ``catalog/*.yaml``, by id (duplicate ids across files are errors)."""
    out: dict[str, CatalogEntry] = {}
    root = resources.files("simplex_training.builtin_catalog")
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        for entry in load_catalog_text(item.read_text(encoding="utf-8"), f"catalog/{item.name}"):
            if entry.id in out:
                raise CatalogError(
                    f"catalog/{item.name}: entry '{entry.id}': field 'id': duplicate id (also in {out[entry.id].source})"
                )
            out[entry.id] = entry
    return out


def check_cross_references(specialists: Any, generators: Any) -> None:
    """Every entry's generator must be registered, and its labels must match the generator's."""
    for item in specialists.items():
        entry: CatalogEntry = item.obj
        if entry.generator not in generators:
            raise CatalogError(
                f"{entry.source}: entry '{entry.id}': field 'generator': unknown generator '{entry.generator}'"
                f" (registered by plugin '{item.plugin}')"
            )


def catalog_markdown(entries: list[CatalogEntry]) -> str:
    """The catalog as a Markdown table (``simplex-train list --markdown``; docs/catalog.md)."""
    lines = ["| id | category | task | LoRA | training | thresholds | labels |", "|---|---|---|---|---|---|---|"]
    for e in sorted(entries, key=lambda e: (e.category, e.id)):
        thr = ", ".join(f"{m.name} {'≥' if m.higher_is_better else '≤'} {m.threshold:g}" for m in e.metrics)
        labels = ", ".join(e.labels) if e.labels else ""
        lora = e.lora_preset + "".join(f" ({k}: {v})" for k, v in e.lora_overrides.items())
        training = ", ".join(f"{k}: {v}" for k, v in e.training.items())
        lines.append(f"| `{e.id}` | {e.category} | {e.task_type.value} | {lora} | {training} | {thr} | {labels} |")
    return "\n".join(lines) + "\n"
