"""``simplex-train plugins``: every loaded plugin with its kind, distribution and version."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--kind", default=None, help="Only plugins of this kind (e.g. specialists).")
def plugins(as_json: bool, kind: str | None) -> None:
    """List installed plugins (from the 'simplex_training' entry-point group)."""
    from simplex_training.pluginmanager import get_host

    host = get_host()
    rows = [r for r in host.plugin_rows() if kind is None or r["kind"] == kind]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("name", "kind", "distribution", "version", "hooks")
        for r in rows:
            table.add_row(r["name"], r["kind"], r["distribution"], r["version"], ", ".join(r["hooks"]))
        Console().print(table)
        click.echo(f"{len(rows)} plugins", err=True)
    for name, error in sorted(host.failed.items()):
        click.echo(f"warning: plugin '{name}' failed to load: {error}", err=True)
