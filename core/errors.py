"""Exceptions that carry enough context (file, line, field, plugin) for a one-line message."""

from __future__ import annotations


class SimplexError(Exception):
    """Base class of every error simplex-training raises on purpose."""


class RegistrationError(SimplexError):
    """A plugin registered something invalid, or a name twice."""


class PluginLoadError(SimplexError):
    """Plugins could not be loaded as a set (for example a duplicate entry-point name)."""


class CatalogError(SimplexError):
    """A catalog entry is malformed; the message names the file, the entry and the field."""


class UnknownNameError(SimplexError, KeyError):
    """A name (specialist id, generator, exporter...) is not registered."""

    def __init__(self, kind: str, name: str, known: list[str]):
        import difflib

        self.kind, self.name = kind, name
        self.suggestions = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} '{name}'{hint}")

    def __str__(self) -> str:  # KeyError would add quotes
        return self.args[0]


class DataError(SimplexError):
    """Bad training data; the message names the file and line."""
