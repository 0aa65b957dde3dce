"""The behaviour every registered exporter promises, as a reusable check.

An exporter (registered through the ``register_exporters`` hook) has:

* ``name: str`` - non-empty, the name ``simplex-train export --format`` selects;
* ``export(path, **kwargs) -> pathlib.Path`` - writes one file at ``path``, or a directory of files
  at ``path``, and returns ``Path(path)``;
* ``example_args(workdir: pathlib.Path) -> dict[str, Any]`` - keyword arguments such that
  ``export(path, **example_args(workdir))`` makes a small example export; any input it needs (a
  tiny model, a GGUF file...) is built inside ``workdir`` (an existing directory), preferably with
  the tiny builders of this module (:func:`tiny_llama`, :func:`tiny_lora_model`, :func:`tiny_gguf`).

Contract, for the example export into an empty directory:

* **writes at the path**: ``export`` returns ``Path(path)``; afterwards the directory holds nothing
  but ``path``, and ``path`` is a non-empty file or a directory of non-empty files (no temporary or
  stray files beside it);
* **reads back**: every file written reads back with the project's or a standard reader where one
  exists: GGUF (GGUF magic or ``.gguf``) with ``gguf.GGUFReader``, every tensor dequantizing to
  finite values, and a llama model file also with :func:`simplex_training.gguf.reader.read_llama_gguf`;
  ``.safetensors`` with ``safetensors.numpy.load_file``; ``.json`` with :mod:`json`; ``Modelfile``
  as UTF-8 text with a ``FROM`` line whose local path (if it is one) exists;
* **deterministic**: a second export of the same arguments gives the same file names, byte for byte;
* **replaces**: an export over an earlier one leaves exactly the new files;
* **atomic**: an export whose writing fails part-way raises, and leaves the files as they were -
  nothing (no partial file, no temporary file) when there was no earlier export, the earlier export
  unchanged when there was one; an empty directory may remain. A multi-file export counts as one:
  publishing some files of it and then failing breaks the rule. Writing is made to fail at the
  operating-system level (``RLIMIT_FSIZE``: a write past the limit fails with ``EFBIG``), so the
  check covers Python, numpy and native writers alike: first from the start of the export, then
  once more after each rename (``os.replace`` / ``os.rename``, how atomic writers publish a file),
  to reach every file of a multi-file export.

:func:`check_exporter_contract` runs every rule and raises ``AssertionError`` naming the broken one;
the single rules are :func:`check_declaration`, :func:`check_example_export`, :func:`check_reads_back`,
:func:`check_deterministic`, :func:`check_replaces` and :func:`check_atomic`. The test suites of
simplex-training (and of third-party exporter plugins) call them. The atomic rule needs POSIX
(``resource``) and must run in the main thread unless ``SIGXFSZ`` is already ignored (Python ignores
it at start-up).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import gguf
import numpy as np

__all__ = [
    "ExampleExport", "Exporter", "check_atomic", "check_declaration", "check_deterministic", "check_example_export",
    "check_exporter_contract", "check_reads_back", "check_replaces", "read_back", "tiny_gguf", "tiny_llama",
    "tiny_lora_model",
]

TARGET = "export"  # the name the contract exports to, inside a fresh directory


@runtime_checkable
class Exporter(Protocol):
    """What an exporter plugin registers (see the module docstring)."""

    name: str

    def export(self, path: str | os.PathLike[str], /, *args: Any, **kwargs: Any) -> Path: ...

    def example_args(self, workdir: Path) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ExampleExport:
    """One example export: the arguments used, the files written and the renames it took."""

    args: dict[str, Any]
    files: dict[str, bytes]  # path relative to the export's directory -> content
    renames: int  # os.replace / os.rename calls made by the export


# -- tiny inputs ---------------------------------------------------------------------------------


def tiny_llama(seed: int = 0) -> tuple[Any, dict[str, np.ndarray], Any]:
    """``(LlamaConfig, weights, SPMTokenizer)`` of a tiny untied llama (dim 32, one layer, ~270 tokens)."""
    from simplex_training.model.config import LlamaConfig
    from simplex_training.model.reference import random_weights
    from simplex_training.tokenizer.spm import SPACE, SPMTokenizer

    tokenizer = SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0), ("b", -3.0)])
    config = LlamaConfig(vocab_size=tokenizer.vocab_size, dim=32, n_layers=1, n_heads=2, n_kv_heads=1, ffn_dim=32,
                         context_length=16, tied_output=False)
    return config, random_weights(config, seed=seed), tokenizer


def tiny_lora_model(seed: int = 0) -> tuple[Any, Any]:
    """``(LoRAModel, base LlamaConfig)``: :func:`tiny_llama` with rank-2 adapters on every projection and
    the output, A and B random (non-zero) so that an export carries real values."""
    from simplex_training.lora import LoRAConfig, apply_lora
    from simplex_training.model.llama import LlamaModel

    config, weights, _ = tiny_llama(seed)
    lora_model = apply_lora(LlamaModel(config, weights), LoRAConfig(rank=2, alpha=4.0, targets=["all", "output"]))
    rng = np.random.default_rng(seed)
    lora_model.load_adapter_state_dict({k: rng.standard_normal(v.shape).astype(np.float32)
                                        for k, v in lora_model.adapter_state_dict().items()})
    return lora_model, config


def tiny_gguf(workdir: str | os.PathLike[str], seed: int = 0) -> Path:
    """Write :func:`tiny_llama` as ``<workdir>/tiny.gguf`` (F32, with its tokenizer) and return the path."""
    from simplex_training.gguf.writer import write_llama_gguf

    config, weights, tokenizer = tiny_llama(seed)
    return write_llama_gguf(Path(workdir) / "tiny.gguf", config, weights, tokenizer, dtype="f32", name="tiny")


# -- helpers -------------------------------------------------------------------------------------


def _fail(exporter: Any, rule: str) -> None:
    raise AssertionError(f"exporter '{getattr(exporter, 'name', type(exporter).__name__)}': {rule}")


def _files(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (recursively) by POSIX path relative to ``root``."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    parts = [f"{what} {names[:5]}" for what, names in (("new", added), ("removed", removed), ("changed", changed))
             if names]
    return "; ".join(parts) or "no difference"


def _fresh(workdir: Path, name: str) -> Path:
    root = workdir / name
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    return root


def _put(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _earlier(files: dict[str, bytes]) -> dict[str, bytes]:
    """An earlier export that differs from ``files`` in every byte string (same names)."""
    return {rel: b"an earlier export\n" + data[::-1] for rel, data in files.items()}


@contextlib.contextmanager
def _renames(after_each: Callable[[int], None] = lambda n: None) -> Iterator[list[int]]:
    """Count ``os.replace`` / ``os.rename`` calls (``Path.replace``/``rename`` and ``shutil.move`` use them);
    ``after_each(n)`` runs after the n-th succeeded. Yields a one-item list holding the count."""
    real = {"replace": os.replace, "rename": os.rename}
    count = [0]

    def spy(fn: Callable[..., None]) -> Callable[..., None]:
        def call(*args: Any, **kwargs: Any) -> None:
            fn(*args, **kwargs)
            count[0] += 1
            after_each(count[0])
        return call

    os.replace, os.rename = spy(real["replace"]), spy(real["rename"])
    try:
        yield count
    finally:
        os.replace, os.rename = real["replace"], real["rename"]


@contextlib.contextmanager
def _file_size_limit() -> Iterator[Callable[[int], None]]:
    """Yield ``arm(nbytes)``: from then on a write past ``nbytes`` in any file fails (``EFBIG``).
    The limit and the ``SIGXFSZ`` disposition are restored on exit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.getsignal(signal.SIGXFSZ)
    if previous != signal.SIG_IGN:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("the atomic check needs SIGXFSZ ignored, or to run in the main thread")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def arm(nbytes: int) -> None:
        soft_limit = nbytes if hard == resource.RLIM_INFINITY else min(nbytes, hard)
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft_limit, hard))

    try:
        yield arm
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        if previous != signal.SIG_IGN:
            signal.signal(signal.SIGXFSZ, previous)


# -- reading back --------------------------------------------------------------------------------


def _read_gguf(path: Path) -> None:
    reader = gguf.GGUFReader(path, "r")
    fields = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    for t in reader.tensors:
        data = np.asarray(gguf.quants.dequantize(t.data, t.tensor_type))
        if data.size != int(t.n_elements) or not np.isfinite(data).all():
            raise ValueError(f"tensor {t.name}: {data.size} values for {int(t.n_elements)} elements, or not finite")
    if fields.get("general.architecture") == "llama" and fields.get("general.type", "model") == "model":
        from simplex_training.gguf.reader import read_llama_gguf

        read_llama_gguf(path)


def _read_safetensors(path: Path) -> None:
    from safetensors.numpy import load_file

    for key, arr in load_file(str(path)).items():
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError(f"tensor {key} is not finite")


def _read_modelfile(path: Path) -> None:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    froms = [line.split(None, 1)[1].strip() for line in lines if line.upper().startswith("FROM ")
             and len(line.split(None, 1)) == 2]
    if not froms:
        raise ValueError("no FROM line")
    source = froms[0]
    if source.startswith(("./", "../", "/")) or source.endswith(".gguf"):
        model = Path(source) if Path(source).is_absolute() else path.parent / source
        if not model.is_file():
            raise ValueError(f"FROM {source}: {model} does not exist")


def _looks_like_safetensors(head: bytes, size: int) -> bool:
    """An 8-byte little-endian header length that fits the file, then a JSON object."""
    return len(head) > 8 and 2 <= int.from_bytes(head[:8], "little") <= size - 8 and head[8:9] == b"{"


def _looks_like_modelfile(data: bytes) -> bool:
    """UTF-8 text whose first instruction (after blank and ``#`` lines) is ``FROM``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    words = [line.split(None, 1)[0] for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(words) and words[0].upper() == "FROM"


def read_back(path: str | os.PathLike[str]) -> str | None:
    """Read one exported file with the reader its kind has; return the kind (``gguf``, ``safetensors``,
    ``json``, ``modelfile``) or ``None`` when no reader applies. Raises when the file does not read.

    The kind comes from the suffix or the name (``.gguf``, ``.safetensors``, ``.json``, ``Modelfile``,
    ``.modelfile``), else from the content (GGUF magic, safetensors header, a first ``FROM`` line).
    """
    path = Path(path)
    suffix, data = path.suffix.lower(), path.read_bytes()
    if data[:4] == b"GGUF" or suffix == ".gguf":
        _read_gguf(path)
        return "gguf"
    if suffix == ".safetensors" or _looks_like_safetensors(data[:16], len(data)):
        _read_safetensors(path)
        return "safetensors"
    if suffix == ".json":
        json.loads(data.decode("utf-8"))
        return "json"
    if path.name == "Modelfile" or suffix == ".modelfile" or _looks_like_modelfile(data):
        _read_modelfile(path)
        return "modelfile"
    return None


# -- the rules -----------------------------------------------------------------------------------


def check_declaration(exporter: Any) -> None:
    """``name`` is a non-empty string; ``export`` and ``example_args`` are callable."""
    if not isinstance(getattr(exporter, "name", None), str) or not exporter.name:
        _fail(exporter, "declares: no non-empty string 'name'")
    for method in ("export", "example_args"):
        if not callable(getattr(exporter, method, None)):
            _fail(exporter, f"declares: no '{method}' method")


def _export(exporter: Any, args: dict[str, Any], root: Path) -> Any:
    return exporter.export(root / TARGET, **args)


def check_example_export(exporter: Any, workdir: str | os.PathLike[str]) -> ExampleExport:
    """Build the example arguments in ``<workdir>/inputs``, export into the empty ``<workdir>/example``
    and check the "writes at the path" rule; return the export for the other rules."""
    workdir = Path(workdir)
    inputs = workdir / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    args = exporter.example_args(inputs)
    if not isinstance(args, dict) or not all(isinstance(k, str) for k in args):
        _fail(exporter, f"example_args: returned {type(args).__name__}, not a dict of keyword arguments")
    root = _fresh(workdir, "example")
    with _renames() as renames:
        result = _export(exporter, args, root)
    target = root / TARGET
    if not isinstance(result, Path) or result != target:
        _fail(exporter, f"returns the path: export returned {result!r}, not Path({str(target)!r})")
    beside = sorted(p.name for p in root.iterdir() if p.name != TARGET)
    if beside:
        _fail(exporter, f"writes at the path: files beside the export: {beside[:5]}")
    files = _files(root)
    if not files or not (target.is_file() or target.is_dir()):
        _fail(exporter, "writes at the path: nothing written at the path given")
    empty = sorted(rel for rel, data in files.items() if not data)
    if empty:
        _fail(exporter, f"writes at the path: empty files {empty[:5]}")
    return ExampleExport(args=args, files=files, renames=renames[0])


def check_reads_back(exporter: Any, workdir: str | os.PathLike[str]) -> dict[str, str | None]:
    """Read every file of the example export (in ``<workdir>/example``); return ``{file: kind}``."""
    root = Path(workdir) / "example"
    kinds: dict[str, str | None] = {}
    for rel in _files(root):
        try:
            kinds[rel] = read_back(root / rel)
        except Exception as exc:  # noqa: BLE001 - any reader error breaks the rule
            _fail(exporter, f"reads back: {rel} does not read back ({type(exc).__name__}: {exc})")
    return kinds


def check_deterministic(exporter: Any, workdir: str | os.PathLike[str], example: ExampleExport) -> None:
    """A second export of the same arguments (into a sibling directory) gives the same bytes."""
    root = _fresh(Path(workdir), "again")
    _export(exporter, example.args, root)
    again = _files(root)
    if again != example.files:
        _fail(exporter, f"deterministic: a second export differs from the first ({_diff(example.files, again)})")


def check_replaces(exporter: Any, workdir: str | os.PathLike[str], example: ExampleExport) -> None:
    """An export over an earlier export (same names, other bytes) leaves exactly the new files."""
    root = _fresh(Path(workdir), "replace")
    _put(root, _earlier(example.files))
    _export(exporter, example.args, root)
    got = _files(root)
    if got != example.files:
        _fail(exporter, f"replaces: an export over an earlier one left {_diff(example.files, got)} "
                        "compared with a fresh export")


def check_atomic(exporter: Any, workdir: str | os.PathLike[str], example: ExampleExport) -> None:
    """Make writing fail part-way (see the module docstring) at every point, with and without an earlier
    export at the path; the export must raise and leave the files as they were."""
    limit = min(len(data) for data in example.files.values()) // 2  # below every file: each write fails
    for after in range(example.renames + 1):
        for earlier in (False, True):
            root = _fresh(Path(workdir), f"interrupted-{after}{'-over' if earlier else ''}")
            if earlier:
                _put(root, _earlier(example.files))
            before = _files(root)
            error: Exception | None = None
            with _file_size_limit() as arm:
                if after == 0:
                    arm(limit)
                try:
                    with _renames(lambda n, after=after: arm(limit) if n == after else None):
                        _export(exporter, example.args, root)
                except Exception as exc:  # noqa: BLE001 - any error the failed write causes
                    error = exc
            got = _files(root)
            where = "at its first write" if after == 0 else f"after {after} rename(s)"
            over = " over an earlier export" if earlier else ""
            if error is None:
                if after == 0:
                    _fail(exporter, f"atomic: an export{over} whose writing failed {where} did not raise "
                                    "(write errors must propagate)")
                if got != example.files:
                    _fail(exporter, f"atomic: an export{over} that succeeded with writes failing {where} left "
                                    f"{_diff(example.files, got)} compared with a normal export")
            elif got != before:
                _fail(exporter, f"atomic: an export{over} whose writing failed {where} "
                                f"({type(error).__name__}: {error}) left {_diff(before, got)}")


def check_exporter_contract(exporter: Any, workdir: str | os.PathLike[str]) -> dict[str, str | None]:
    """Run every rule of the contract in ``workdir`` (an empty directory); return ``{file: kind}`` of the
    example export (see :func:`check_reads_back`). Raises ``AssertionError`` naming the broken rule."""
    check_declaration(exporter)
    example = check_example_export(exporter, workdir)
    kinds = check_reads_back(exporter, workdir)
    check_deterministic(exporter, workdir, example)
    check_replaces(exporter, workdir, example)
    check_atomic(exporter, workdir, example)
    return kinds
