"""Typed registries filled through the ``register_*`` hooks.

A :class:`Registry` holds the objects of one plugin kind, keyed by name, and remembers which plugin
registered each one. Hooks are called plugin by plugin (not through one ``pm.hook`` call) so that
an error or a duplicate names the plugins involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from simplex_training.errors import RegistrationError, UnknownNameError

T = TypeVar("T")


class Register(Protocol):
    """The callback a ``register_*`` hook receives: ``register(obj)``."""

    def __call__(self, obj: Any, /) -> None: ...


@dataclass(frozen=True)
class Registered(Generic[T]):
    name: str
    obj: T
    plugin: str  # pluggy plugin name, e.g. "specialists.sentiment_analysis"


class Registry(Generic[T]):
    """Objects of one kind, by name, with the plugin that registered each.

    :param kind: the plugin kind (``generators``, ``layers``...), used in messages.
    :param key: returns an object's name.
    :param validate: optional; converts or checks an object, raising ``ValueError``/``TypeError``.
    """

    def __init__(
        self,
        kind: str,
        key: Callable[[Any], str] = lambda obj: obj.name,
        validate: Callable[[Any], T] | None = None,
    ):
        self.kind = kind
        self._key = key
        self._validate = validate
        self._items: dict[str, Registered[T]] = {}

    def register_for(self, plugin: str) -> Register:
        """Return the callback handed to ``plugin``'s hook implementation."""

        def register(obj: Any, /) -> None:
            if self._validate is not None:
                try:
                    obj = self._validate(obj)
                except (ValueError, TypeError) as exc:
                    raise RegistrationError(f"plugin '{plugin}' registered an invalid {self.kind[:-1]}: {exc}") from exc
            try:
                name = self._key(obj)
            except AttributeError as exc:
                raise RegistrationError(f"plugin '{plugin}' registered a {self.kind[:-1]} without a name: {obj!r}") from exc
            if not isinstance(name, str) or not name:
                raise RegistrationError(f"plugin '{plugin}' registered a {self.kind[:-1]} with an invalid name {name!r}")
            if name in self._items:
                other = self._items[name].plugin
                raise RegistrationError(
                    f"{self.kind[:-1]} '{name}' is registered twice: by plugin '{other}' and by plugin '{plugin}'"
                )
            self._items[name] = Registered(name, obj, plugin)

        return register

    def __getitem__(self, name: str) -> T:
        try:
            return self._items[name].obj
        except KeyError:
            raise UnknownNameError(self.kind[:-1], name, list(self._items)) from None

    def get(self, name: str, default: T | None = None) -> T | None:
        item = self._items.get(name)
        return item.obj if item else default

    def plugin_of(self, name: str) -> str:
        return self._items[name].plugin

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def names(self) -> list[str]:
        return list(self._items)

    def items(self) -> list[Registered[T]]:
        return list(self._items.values())
