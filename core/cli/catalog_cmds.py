"""``simplex-train list`` and ``simplex-train show``: the specialist catalog."""

from __future__ import annotations

import json

import click


def _entries():  # noqa: ANN202
    from simplex_training.pluginmanager import get_host

    return get_host().registry("specialists")


def entry_row(entry) -> dict:  # noqa: ANN001
    return {
        "id": entry.id,
        "name": entry.name,
        "category": entry.category,
        "task_type": entry.task_type.value,
        "lora_preset": entry.lora_preset,
        "lora": entry.lora,
        "training": entry.training,
        "size_class": entry.size_class,
        "generator": entry.generator,
        "labels": entry.labels,
        "metrics": {m.name: m.threshold for m in entry.metrics},
        "description": entry.description,
    }


@click.command("list")
@click.option("--category", "-c", default=None, help="Only this category.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in docs/catalog.md).")
def list_cmd(category: str | None, as_json: bool, markdown: bool) -> None:
    """List the specialist catalog."""
    reg = _entries()
    entries = sorted((reg[n] for n in reg), key=lambda e: (e.category, e.id))
    if category is not None:
        cats = sorted({e.category for e in entries})
        if category not in cats:
            from simplex_training.errors import UnknownNameError

            raise UnknownNameError("category", category, cats)
        entries = [e for e in entries if e.category == category]
    if as_json:
        click.echo(json.dumps([entry_row(e) for e in entries], indent=2))
        return
    if markdown:
        from simplex_training.catalog import catalog_markdown

        click.echo(catalog_markdown(entries), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "category", "task", "LoRA", "metrics")
    for e in entries:
        metrics = ", ".join(f"{m.name}{'≥' if m.higher_is_better else '≤'}{m.threshold:g}" for m in e.metrics)
        table.add_row(e.id, e.category, e.task_type.value, e.lora_preset, metrics)
    Console().print(table)
    click.echo(f"{len(entries)} specialists in {len({e.category for e in entries})} categories", err=True)


@click.command()
@click.argument("specialist_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--seed", default=0, show_default=True, help="Seed for the sample examples.")
def show(specialist_id: str, as_json: bool, seed: int) -> None:
    """Show one specialist with two sample examples."""
    from simplex_training.pluginmanager import get_host

    host = get_host()
    entry = host.registry("specialists")[specialist_id]
    gen = host.registry("generators")[entry.generator]
    samples = [json.loads(ex.to_json()) for ex in gen.generate(2, seed=seed)]
    row = entry_row(entry) | {"plugin": host.registry("specialists").plugin_of(entry.id), "samples": samples}
    if as_json:
        click.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    click.echo(f"{entry.name} ({entry.id})")
    click.echo(f"  {entry.description}")
    click.echo(f"  category: {entry.category}   task: {entry.task_type.value}   size: {entry.size_class}")
    lora = entry.lora
    click.echo(f"  LoRA preset: {entry.lora_preset} (r={lora['rank']}, alpha={lora['alpha']}, targets={','.join(lora['targets'])})")
    if entry.training:
        click.echo("  training: " + ", ".join(f"{k}={v}" for k, v in entry.training.items())
                   + " (the catalog's defaults for it; --config and options override them)")
    if entry.labels:
        click.echo(f"  labels: {', '.join(entry.labels)}")
    for m in entry.metrics:
        click.echo(f"  metric: {m.name} {'>=' if m.higher_is_better else '<='} {m.threshold:g}")
    click.echo(f"  plugin: {row['plugin']}   generator: {entry.generator}")
    for i, s in enumerate(samples, 1):
        click.echo(f"\n--- sample {i} ---\n[prompt]\n{s['prompt']}\n[response]\n{s['response']}")
