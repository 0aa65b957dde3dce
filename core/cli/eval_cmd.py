"""``simplex-train eval``: score a trained adapter against the base on the specialist's test split.

The test split is rebuilt exactly as training made it: the adapter GGUF records the fine-tuning
settings (``simplex.finetune.config``: example count, data seed, split) and the data source, so the
same held-out examples come back. ``--data`` scores a user JSONL's test split instead. Without
``--n`` the numbers are those of the run's ``metrics.json``: the same examples generated for, the
same test loss over the whole test split, the same maximum length and generation margin.
``--predictions FILE`` writes every scored example (prompt, gold, base and specialist outputs) as
JSONL, for reading the failures behind a metric; ``--by FIELD`` scores the same outputs per group of
examples sharing a metadata field (a generator's ``kind`` or ``question_type``, ``phrasing``, a
label), to show which kinds of example fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


def test_examples(specialist_id: str, meta: dict, data: Path | None, n: int | None
                  ) -> tuple[list, list, str, object]:
    """(TrainingExamples, test records, description, FinetuneConfig) of the held-out split the adapter
    was trained with: the examples to generate for, and the records the test loss is taken over (the
    whole split, as training reports it, unless ``n`` limits both)."""
    from simplex_training.errors import DataError
    from simplex_training.finetune.config import FinetuneConfig
    from simplex_training.finetune.data import generator_data, load_user_data

    cfg = FinetuneConfig.from_dict(json.loads(meta["simplex.finetune.config"])) if "simplex.finetune.config" in meta \
        else FinetuneConfig()
    source = data if data is not None else meta.get("simplex.finetune.data", "generator")
    if str(source) == "generator":
        loaded = generator_data(specialist_id, cfg.n_examples, cfg.generator_seed(), cfg.split)
    else:
        if not Path(source).exists():
            raise DataError(f"the adapter was trained on {source}, which no longer exists; pass --data FILE")
        loaded = load_user_data(source, cfg.split)
    examples = [ex for ex in (r.as_example() for r in loaded.test) if ex is not None]
    if not examples:
        raise DataError(f"{loaded.source}: the test split has no prompt/response examples to score")
    if n is not None:
        return examples[:n], loaded.test[:n], loaded.source, cfg
    return examples[: cfg.eval_examples], loaded.test, loaded.source, cfg


def write_predictions(path: Path, samples: list[dict]) -> None:
    """One JSON object per scored example, written atomically."""
    from simplex_training.atomic import atomic_write

    with atomic_write(path) as fh:
        for row in samples:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


@click.command(name="eval")
@click.argument("specialist_id")
@click.option("--adapter", type=click.Path(exists=True, path_type=Path), required=True,
              help="adapter.gguf, a PEFT adapter directory, or a run directory OUT/ID.")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Base model GGUF; default: the embedded base.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Score this JSONL's test split instead of the one the adapter was trained with.")
@click.option("-n", "--n", "n", type=click.IntRange(min=1), default=None, help="Number of test examples.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write every scored example (prompt, gold, base and specialist output) to this JSONL file.")
@click.option("--by", "by", default=None, metavar="FIELD",
              help="Also score each group of test examples with the same metadata FIELD (e.g. kind, phrasing).")
def eval_cmd(specialist_id: str, adapter: Path, base: Path | None, data: Path | None, n: int | None,
             as_json: bool, predictions: Path | None, by: str | None) -> None:
    """Evaluate SPECIALIST_ID's ADAPTER against the base model on the held-out test split."""
    from simplex_training.cli.train_cmd import print_comparison
    from simplex_training.finetune.artifacts import load_adapter, load_base, resolve_base
    from simplex_training.finetune.batches import tokenize
    from simplex_training.finetune.evaluate import evaluate_before_after
    from simplex_training.pluginmanager import get_host

    entry = get_host().registry("specialists")[specialist_id]
    base_path = resolve_base(base)
    config, weights, tok, _ = load_base(base_path)
    lora_model, meta = load_adapter(adapter, config, weights, specialist=specialist_id)
    examples, records, source, cfg = test_examples(specialist_id, meta, data, n)
    items, _ = tokenize(tok, records, min(cfg.max_seq_len, config.context_length))
    result = evaluate_before_after(entry, lora_model, tok, examples, test_items=items, pad_id=tok.eos_id,
                                   margin=cfg.new_tokens_margin, batch_size=cfg.eval_batch_size,
                                   n_samples=len(examples) if predictions else 5, by=by)
    if predictions:
        write_predictions(predictions, result["samples"])
        result["samples"] = result["samples"][:5]
    result = {"specialist": specialist_id, "adapter": str(adapter), "base": str(base_path), "data": source, **result}
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"{specialist_id}: {len(examples)} test examples from {source}")
    if predictions:
        click.echo(f"predictions: {predictions}")
    print_comparison(result["comparison"], result)
    if by is not None:
        print_groups(result["by"], [m.name for m in entry.metrics])
    click.echo("PASSED" if result["passed"] else "FAILED")


def print_groups(by: dict, metrics: list[str]) -> None:
    """One line per group: its size and each catalog metric, base -> specialist."""
    def value(d: dict, name: str) -> str:
        return f"{d[name]:.3f}" if name in d else "-"

    click.echo(f"  by {by['field']}:")
    width = max(len(name) for name in by["groups"]) if by["groups"] else 0
    for name, g in by["groups"].items():
        cells = "   ".join(f"{m} {value(g['before'], m)} -> {value(g['after'], m)}" for m in metrics)
        err = g["after"].get("error")
        click.echo(f"    {name:<{width}}  n {g['n']:>4}   {cells}" + (f"   ({err})" if err else ""))
