"""Every hook of the ``simplex_training`` pluggy project, grouped by plugin kind.

Each hook receives a typed *register* callback (see :mod:`simplex_training.registry`) and
returns nothing: a plugin calls ``register(obj)`` once per thing it provides. The host records
which plugin registered what, rejects duplicate names with an error naming both plugins, and
validates each object when it is registered.

Hooks evolve only by *adding* arguments; an implementation may accept fewer arguments than the
spec (pluggy's opt-in arguments), so existing plugins keep working.

``docs/hooks.md`` lists every hook with its exact signature; ``tests/test_docs.py`` keeps the two in
step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # keep this module import-cheap
    import click

    from simplex_training.registry import Register

PROJECT = "simplex_training"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# Specialists and their data
# ---------------------------------------------------------------------------------------------


@hookspec
def register_specialists(register: Register) -> None:
    """Register specialist catalog entries.

    Call ``register(entry)`` with a :class:`simplex_training.catalog.CatalogEntry` (or a plain dict
    that validates as one) for every specialist the plugin provides. The entry's ``generator``
    field must name a generator registered through :func:`register_generators`, by this plugin or
    another; this is checked once all plugins are loaded.

    :param register: callback taking one ``CatalogEntry``; raises ``RegistrationError`` on a
        duplicate id or an invalid entry.
    """


@hookspec
def register_generators(register: Register) -> None:
    """Register synthetic data generators.

    Call ``register(generator)`` with an instance of :class:`simplex_training.generator.Generator`.
    Its ``name`` (usually the specialist id) is the key catalog entries refer to.

    :param register: callback taking one ``Generator``.
    """


@hookspec
def register_evaluators(register: Register) -> None:
    """Register evaluators that score generated outputs against gold metadata.

    Call ``register(evaluator)`` with an object that has a ``name`` (a task type such as
    ``classification``) and a ``metrics`` tuple naming the metrics it can compute.

    :param register: callback taking one evaluator.
    """


# ---------------------------------------------------------------------------------------------
# Numeric building blocks
# ---------------------------------------------------------------------------------------------


@hookspec
def register_layers(register: Register) -> None:
    """Register layer classes (Linear, RMSNorm, attention variants, position schemes...).

    Call ``register(layer_class)`` with a class that has a ``name`` class attribute; models look
    layers up by that name.

    :param register: callback taking one layer class.
    """


@hookspec
def register_gates(register: Register) -> None:
    """Register dual-mode gate classes (soft in training, hard in inference).

    Call ``register(gate_class)`` with a class that has a ``name`` class attribute.

    :param register: callback taking one gate class.
    """


@hookspec
def register_schedules(register: Register) -> None:
    """Register learning-rate, temperature, sparsity or other schedules.

    Call ``register(schedule_class)`` with a class that has a ``name`` class attribute; the
    ``--schedule`` option of ``simplex-train train`` selects one by name.

    :param register: callback taking one schedule class.
    """


@hookspec
def register_compressors(register: Register) -> None:
    """Register compression strategies (pruning, quantization, distillation).

    Call ``register(compressor)`` with an object that has a ``name`` attribute.

    :param register: callback taking one compressor.
    """


# ---------------------------------------------------------------------------------------------
# Output and execution
# ---------------------------------------------------------------------------------------------


@hookspec
def register_exporters(register: Register) -> None:
    """Register exporters that write trained models or adapters (GGUF, PEFT, Modelfile...).

    Call ``register(exporter)`` with an object that has a ``name`` attribute and an ``export``
    method; ``simplex-train export --format NAME`` selects one by name.

    :param register: callback taking one exporter.
    """


@hookspec
def register_executors(register: Register) -> None:
    """Register executors that run many training jobs (local processes, a cluster engine...).

    Call ``register(executor_class)`` with a subclass of
    :class:`simplex_training.executor.Executor` that has a ``name`` class attribute and a ``run``
    method; ``simplex-train train-all --executor NAME --executor-option KEY=VALUE`` makes one with
    ``executor_class(**options)`` and runs the specialists on it. The contract every executor keeps
    is in :mod:`simplex_training.executor` (``check_executor_contract``).

    :param register: callback taking one executor class.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``simplex-train`` command line.

    Decorate functions with ``@cli.command()`` (or call ``cli.add_command``). Called once, when the
    CLI is built.

    :param cli: the top-level ``click.Group`` of ``simplex-train``.
    """
