"""Build the pluggy manager: load plugins from entry points, fill the registries.

Every plugin, built-in or third-party, comes from an entry point in the group ``simplex_training``
named ``<kind>.<slug>``. Environment variables select plugins:

``SIMPLEX_TRAINING_LOAD_PLUGINS``
    Comma-separated distribution names or entry-point names; only those are loaded. Set to the
    empty string to load none.
``SIMPLEX_TRAINING_DISABLE_PLUGINS``
    Comma-separated entry-point names or distribution names that are not loaded.
``SIMPLEX_TRAINING_TRACE_PLUGINS``
    Any non-empty value prints every hook call to stderr.

A plugin that fails to import is skipped with one warning naming it; a duplicate entry-point name
across distributions raises :class:`~simplex_training.errors.PluginLoadError` naming both.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pluggy

from simplex_training import hookspecs
from simplex_training.errors import PluginLoadError, RegistrationError
from simplex_training.registry import Registry

GROUP = hookspecs.PROJECT
KINDS = (
    "specialists",
    "generators",
    "evaluators",
    "layers",
    "gates",
    "schedules",
    "compressors",
    "exporters",
    "executors",
)


class PluginLoadWarning(UserWarning):
    """A plugin could not be imported or registered; the rest keep working."""


@dataclass(frozen=True)
class PluginInfo:
    name: str  # entry-point name, e.g. "specialists.sentiment_analysis"
    kind: str  # the part before the first dot
    value: str  # "module:attr"
    distribution: str
    version: str


def _env_list(var: str) -> list[str] | None:
    raw = os.environ.get(var)
    if raw is None:
        return None
    return [part.strip() for part in raw.split(",") if part.strip()]


def discover_entry_points() -> list[tuple[metadata.EntryPoint, str, str]]:
    """Entry points of the group with their distribution, after duplicate checking and selection."""
    seen: dict[str, tuple[metadata.EntryPoint, str, str]] = {}
    for dist in metadata.distributions():
        dist_name = dist.metadata["Name"] or "?"
        for ep in dist.entry_points:
            if ep.group != GROUP:
                continue
            if ep.name in seen:
                prev_ep, prev_dist, _ = seen[ep.name]
                if prev_dist == dist_name and prev_ep.value == ep.value:
                    continue  # the same distribution found twice on sys.path
                raise PluginLoadError(
                    f"plugin name '{ep.name}' is declared twice: by distribution '{prev_dist}' "
                    f"({prev_ep.value}) and by distribution '{dist_name}' ({ep.value}); "
                    f"uninstall one or rename its entry point"
                )
            seen[ep.name] = (ep, dist_name, dist.version)
    only = _env_list("SIMPLEX_TRAINING_LOAD_PLUGINS")
    disabled = set(_env_list("SIMPLEX_TRAINING_DISABLE_PLUGINS") or [])
    selected = []
    for name in sorted(seen):
        ep, dist_name, version = seen[name]
        if only is not None and name not in only and dist_name not in only:
            continue
        if name in disabled or dist_name in disabled:
            continue
        selected.append((ep, dist_name, version))
    return selected


class PluginHost:
    """The plugin manager plus the registries its hooks fill.

    Use :func:`get_host` for the process-wide instance; tests build their own.
    """

    def __init__(self, load_entry_points: bool = True):
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.failed: dict[str, str] = {}
        self._registries: dict[str, Registry[Any]] | None = None
        if os.environ.get("SIMPLEX_TRAINING_TRACE_PLUGINS"):
            self.pm.trace.root.setwriter(sys.stderr.write)
            self.pm.enable_tracing()
        if load_entry_points:
            self.load_entry_points()

    # -- loading --------------------------------------------------------------------------------

    def load_entry_points(self) -> None:
        for ep, dist_name, version in discover_entry_points():
            if self.pm.get_plugin(ep.name) is not None:
                continue
            try:
                plugin = ep.load()
                self.pm.register(plugin, name=ep.name)
            except Exception as exc:  # noqa: BLE001 - any plugin failure must not break the CLI
                self.failed[ep.name] = f"{type(exc).__name__}: {exc}"
                warnings.warn(
                    f"simplex-training: plugin '{ep.name}' from '{dist_name}' was not loaded: "
                    f"{type(exc).__name__}: {exc}",
                    PluginLoadWarning,
                    stacklevel=2,
                )
                continue
            kind = ep.name.split(".", 1)[0]
            self.infos[ep.name] = PluginInfo(ep.name, kind, ep.value, dist_name, version)
        self.pm.check_pending()
        self._registries = None

    def register(self, plugin: object, name: str, kind: str = "local") -> None:
        """Register a plugin object directly (tests, notebooks, one-off plugins)."""
        self.pm.register(plugin, name=name)
        self.pm.check_pending()
        self.infos[name] = PluginInfo(name, kind, repr(plugin), "(registered in process)", "")
        self._registries = None

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.infos.pop(name, None)
        self._registries = None

    # -- registries -----------------------------------------------------------------------------

    @property
    def registries(self) -> dict[str, Registry[Any]]:
        if self._registries is None:
            self._registries = self._collect()
        return self._registries

    def registry(self, kind: str) -> Registry[Any]:
        return self.registries[kind]

    def _collect(self) -> dict[str, Registry[Any]]:
        from simplex_training.catalog import validate_entry  # deferred: pydantic
        from simplex_training.executor import validate_executor

        regs: dict[str, Registry[Any]] = {kind: Registry(kind) for kind in KINDS}
        regs["specialists"] = Registry("specialists", key=lambda e: e.id, validate=validate_entry)
        regs["executors"] = Registry("executors", validate=validate_executor)
        for kind in KINDS:
            hook = getattr(self.pm.hook, f"register_{kind}")
            for impl in reversed(hook.get_hookimpls()):  # registration order
                register = regs[kind].register_for(impl.plugin_name)
                try:
                    impl.function(**{arg: register for arg in impl.argnames})
                except RegistrationError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    warnings.warn(
                        f"simplex-training: plugin '{impl.plugin_name}' failed in register_{kind}: "
                        f"{type(exc).__name__}: {exc}",
                        PluginLoadWarning,
                        stacklevel=2,
                    )
        from simplex_training.catalog import check_cross_references

        check_cross_references(regs["specialists"], regs["generators"])
        return regs

    def plugin_rows(self) -> list[dict[str, Any]]:
        """One row per loaded plugin: name, kind, distribution, version, hooks."""
        rows = []
        for name, plugin in self.pm.list_name_plugin():
            info = self.infos.get(name) or PluginInfo(name, "local", "", "", "")
            hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])
            rows.append(
                {
                    "name": name,
                    "kind": info.kind,
                    "distribution": info.distribution,
                    "version": info.version,
                    "hooks": hooks,
                }
            )
        return sorted(rows, key=lambda r: r["name"])


def load_command_plugins(cli: Any) -> None:
    """Call ``register_commands`` on the ``commands.*`` entry points only (cheap, for ``--help``)."""
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    for ep, dist_name, _version in discover_entry_points():
        if not ep.name.startswith("commands."):
            continue
        try:
            pm.register(ep.load(), name=ep.name)
        except Exception as exc:  # noqa: BLE001
            warnings.warn(f"simplex-training: plugin '{ep.name}' from '{dist_name}' was not loaded: "
                          f"{type(exc).__name__}: {exc}", PluginLoadWarning, stacklevel=2)
    pm.hook.register_commands(cli=cli)


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host, created (and plugins loaded) on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def reset_host() -> None:
    """Forget the process-wide host (tests; after changing the selection variables)."""
    global _HOST
    _HOST = None
