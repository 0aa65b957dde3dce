"""The plugin object behind each built-in specialist entry point.

Every specialist is its own plugin (``specialists.<id>``): an instance of :class:`Specialist` that
registers its catalog entry and its generator. Third-party packages may use the same class with
their own entry (a dict or :class:`~simplex_training.catalog.CatalogEntry`).
"""

from __future__ import annotations

from typing import Any

from simplex_training.generator import Generator
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register


class Specialist:
    """A specialist plugin: one catalog entry plus the generator it names.

    :param id: the specialist id.
    :param generator: the generator class (instantiated once per registration).
    :param entry: the catalog entry; ``None`` takes it from the built-in ``catalog/`` by id.
    """

    def __init__(self, id: str, generator: type[Generator], entry: Any = None):
        self.id = id
        self.generator = generator
        self.entry = entry

    def __repr__(self) -> str:
        return f"Specialist({self.id!r})"

    @hookimpl
    def register_specialists(self, register: Register) -> None:
        if self.entry is None:
            from simplex_training.catalog import builtin_catalog

            register(builtin_catalog()[self.id])
        else:
            register(self.entry)

    @hookimpl
    def register_generators(self, register: Register) -> None:
        register(self.generator())
