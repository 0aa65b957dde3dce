"""The ``simplex-train`` command line.

Commands live in small modules (``catalog_cmds``, ``generate_cmd`` ...) and are attached lazily:
``simplex-train --help`` imports nothing heavy. Plugins add commands through the
``register_commands`` hook, called once when the command list is first needed.
"""

from __future__ import annotations

import sys

import click

from simplex_training import __version__

BUILTIN_COMMANDS = {
    "plugins": ("simplex_training.cli.plugins_cmd", "plugins"),
    "list": ("simplex_training.cli.catalog_cmds", "list_cmd"),
    "show": ("simplex_training.cli.catalog_cmds", "show"),
    "generate": ("simplex_training.cli.generate_cmd", "generate"),
    "pretrain": ("simplex_training.cli.pretrain_cmd", "pretrain"),
    "train": ("simplex_training.cli.train_cmd", "train"),
    "eval": ("simplex_training.cli.eval_cmd", "eval_cmd"),
    "ask": ("simplex_training.cli.ask_cmd", "ask"),
    "export": ("simplex_training.cli.export_cmd", "export"),
    "train-all": ("simplex_training.cli.train_all_cmd", "train_all"),
    "search": ("simplex_training.cli.search_cmd", "search"),
}


class LazyGroup(click.Group):
    """A group whose built-in commands import on use and whose plugin commands load once."""

    _plugin_commands_loaded = False
    _all_loaded = False

    def _load_plugin_commands(self, everything: bool = False) -> None:
        """Let plugins add commands. Listing commands (``--help``) loads only ``commands.*`` entry
        points, so help stays fast; resolving an unknown name loads every plugin once."""
        if everything and not self._all_loaded:
            self._all_loaded = True
            from simplex_training.pluginmanager import get_host

            get_host().pm.hook.register_commands(cli=self)
            return
        if self._plugin_commands_loaded:
            return
        self._plugin_commands_loaded = True
        from simplex_training.pluginmanager import load_command_plugins

        load_command_plugins(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(set(BUILTIN_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in BUILTIN_COMMANDS and name not in self.commands:
            import importlib

            module, attr = BUILTIN_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        if name not in self.commands:
            self._load_plugin_commands()
        if name not in self.commands:
            self._load_plugin_commands(everything=True)
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        cmd_name, cmd, rest = super().resolve_command(ctx, args)
        return cmd_name, cmd, rest


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="simplex-train")
def cli() -> None:
    """Train specialist language models on a CPU and export them for llama.cpp.

    \b
    Start here:
      simplex-train list                      the specialist catalog
      simplex-train show sentiment_analysis   one specialist, with sample data
      simplex-train generate sentiment_analysis -n 1000 -o data.jsonl
      simplex-train plugins                   every installed plugin
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: turns expected errors into one-line messages and exit codes."""
    import warnings

    from simplex_training.errors import SimplexError, UnknownNameError

    warnings.formatwarning = lambda message, category, *args, **kwargs: f"warning: {message}\n"
    try:
        cli.main(args=argv, prog_name="simplex-train", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except UnknownNameError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except SimplexError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(0)
