"""Read a llama-architecture GGUF file back into a config, float32 weights and an SPM tokenizer.

Scope: :func:`read_llama_gguf` (and :func:`read_llama_config`, the shape alone) for files written by
:mod:`simplex_training.gguf.writer` or by llama.cpp tools, as long as the model fits
:class:`~simplex_training.model.config.LlamaConfig` (no biases, no ``rope_freqs``, no per-layer head
counts). Tensor types: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 and the K-quants Q2_K..Q6_K,
dequantized with ``gguf.quants.dequantize``. ``GGUFReader`` reports shapes in ggml order and data in
numpy order (``../shared/reference/gguf-llama-cpp.md`` §1.3, §5); weights come back in numpy (out,
in).

Every problem with the file raises :class:`GGUFFormatError` whose message names the file: bad
magic, truncation, another architecture, a missing required key, an unsupported tensor type or
tensor, a tokenizer model other than ``llama``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import gguf
import numpy as np

from simplex_training.errors import SimplexError
from simplex_training.model.config import LlamaConfig
from simplex_training.tokenizer.spm import NORMAL, SPMTokenizer

Q = gguf.GGMLQuantizationType
SUPPORTED_TYPES = frozenset(
    {Q.F32, Q.F16, Q.BF16, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0, Q.Q2_K, Q.Q3_K, Q.Q4_K, Q.Q5_K, Q.Q6_K}
)
_TOKENIZER_ARRAYS = (
    "tokenizer.ggml.tokens",
    "tokenizer.ggml.scores",
    "tokenizer.ggml.token_type",
    "tokenizer.ggml.merges",
)


class GGUFFormatError(SimplexError):
    """A GGUF file cannot be read as a simplex-training llama model; the message names the file."""


def _field(reader: gguf.GGUFReader, key: str) -> Any:
    field = reader.get_field(key)
    return None if field is None else field.contents()


def _require_int(path: Path, reader: gguf.GGUFReader, key: str, default: int | None = None) -> int:
    value = _field(reader, key)
    if value is None:
        if default is None:
            raise GGUFFormatError(f"{path}: required key {key} is missing")
        return default
    if isinstance(value, list):
        if len(set(value)) != 1:
            raise GGUFFormatError(f"{path}: {key} varies per layer ({value[:4]}...), which is not supported")
        value = value[0]
    return int(value)


def _f32(value: Any) -> float:
    """A float32 metadata value as the shortest decimal that round-trips (1e-06, not 9.99e-07)."""
    return float(str(np.float32(value)))


def _config(path: Path, reader: gguf.GGUFReader, vocab_size: int, tied: bool) -> LlamaConfig:
    dim = _require_int(path, reader, "llama.embedding_length")
    n_heads = _require_int(path, reader, "llama.attention.head_count")
    eps = _field(reader, "llama.attention.layer_norm_rms_epsilon")
    if eps is None:
        raise GGUFFormatError(f"{path}: required key llama.attention.layer_norm_rms_epsilon is missing")
    scaling = _field(reader, "llama.rope.scaling.type")
    factor = _field(reader, "llama.rope.scaling.factor")
    if scaling not in (None, "none", "linear") or (scaling == "linear" and factor not in (None, 1.0)):
        raise GGUFFormatError(f"{path}: RoPE scaling {scaling!r} (factor {factor}) is not supported")
    try:
        config = LlamaConfig(
            vocab_size=vocab_size,
            dim=dim,
            n_layers=_require_int(path, reader, "llama.block_count"),
            n_heads=n_heads,
            n_kv_heads=_require_int(path, reader, "llama.attention.head_count_kv", n_heads),
            ffn_dim=_require_int(path, reader, "llama.feed_forward_length"),
            rope_base=_f32(_field(reader, "llama.rope.freq_base") or 10000.0),
            norm_eps=_f32(eps),
            context_length=_require_int(path, reader, "llama.context_length"),
            tied_output=tied,
        )
    except ValueError as exc:
        raise GGUFFormatError(f"{path}: inconsistent hyperparameters: {exc}") from exc
    for key in ("llama.rope.dimension_count", "llama.attention.key_length", "llama.attention.value_length"):
        value = _field(reader, key)
        if value is not None and int(value) != config.head_dim:
            raise GGUFFormatError(f"{path}: {key} = {value} differs from head_dim {config.head_dim}")
    return config


def _tokenizer(path: Path, reader: gguf.GGUFReader) -> SPMTokenizer | None:
    model = _field(reader, "tokenizer.ggml.model")
    if model is None:
        return None
    if model != "llama":
        raise GGUFFormatError(f"{path}: tokenizer model {model!r} is not supported (only 'llama', the SPM tokenizer)")
    pieces = _field(reader, "tokenizer.ggml.tokens")
    if not pieces:
        raise GGUFFormatError(f"{path}: required key tokenizer.ggml.tokens is missing")
    n = len(pieces)
    scores = _field(reader, "tokenizer.ggml.scores") or [0.0] * n
    types = _field(reader, "tokenizer.ggml.token_type") or [NORMAL] * n

    def special(key: str, default: int) -> int:
        value = _field(reader, key)
        return int(value) if value is not None and 0 <= int(value) < n else default

    def flag(key: str, default: bool) -> bool:
        value = _field(reader, key)
        return default if value is None else bool(value)

    try:
        return SPMTokenizer(
            pieces,
            scores,
            types,
            bos_id=special("tokenizer.ggml.bos_token_id", 1),
            eos_id=special("tokenizer.ggml.eos_token_id", 2),
            unk_id=special("tokenizer.ggml.unknown_token_id", 0),
            add_space_prefix=flag("tokenizer.ggml.add_space_prefix", True),
            add_bos=flag("tokenizer.ggml.add_bos_token", True),
            add_eos=flag("tokenizer.ggml.add_eos_token", False),
        )
    except ValueError as exc:
        raise GGUFFormatError(f"{path}: invalid tokenizer: {exc}") from exc


def _weights(path: Path, reader: gguf.GGUFReader, config: LlamaConfig, size: int) -> dict[str, np.ndarray]:
    expected = config.weight_shapes()
    weights: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        if t.name not in expected:
            raise GGUFFormatError(f"{path}: tensor {t.name} is not part of the llama model simplex-training supports")
        if t.tensor_type not in SUPPORTED_TYPES:
            names = ", ".join(sorted(q.name for q in SUPPORTED_TYPES))
            raise GGUFFormatError(
                f"{path}: tensor {t.name} has unsupported type {t.tensor_type.name} (supported: {names})"
            )
        if t.data_offset + t.n_bytes > size:
            raise GGUFFormatError(f"{path}: file is truncated (tensor {t.name} ends past the end of the file)")
        shape = tuple(int(d) for d in reversed(t.shape.tolist()))
        if t.tensor_type == Q.F32:
            arr = np.array(t.data, dtype=np.float32)
        elif t.tensor_type == Q.F16:
            arr = np.asarray(t.data).astype(np.float32)
        else:
            arr = gguf.quants.dequantize(np.asarray(t.data), t.tensor_type).astype(np.float32, copy=False)
        arr = arr.reshape(shape)
        if shape != expected[t.name]:
            raise GGUFFormatError(f"{path}: tensor {t.name} has shape {shape}, expected {expected[t.name]}")
        weights[t.name] = arr
    missing = [name for name in expected if name not in weights]
    if missing:
        raise GGUFFormatError(f"{path}: missing tensors: {', '.join(missing[:5])}")
    return weights


def read_llama_gguf(
    path: str | os.PathLike[str],
) -> tuple[LlamaConfig, dict[str, np.ndarray], SPMTokenizer | None, dict[str, Any]]:
    """Load ``path``: (config, float32 weights by GGUF name in numpy (out, in), tokenizer or
    ``None`` when the file has no ``tokenizer.ggml.model``, metadata without the tokenizer arrays).

    :raises GGUFFormatError: for any file that is not a readable llama GGUF.
    """
    path, size, reader, config, tokenizer, metadata = _open_llama(path)
    return config, _weights(path, reader, config, size), tokenizer, metadata


def read_llama_config(path: str | os.PathLike[str]) -> LlamaConfig:
    """The model shape of ``path``, checked like :func:`read_llama_gguf` but without reading the
    weights (no dequantization).

    :raises GGUFFormatError: for any file that is not a readable llama GGUF.
    """
    return _open_llama(path)[3]


def _open_llama(path: str | os.PathLike[str]):  # noqa: ANN202
    """(path, file size, reader, config, tokenizer, metadata) of a llama GGUF, every key checked."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise GGUFFormatError(f"{path}: cannot read file: {exc}") from exc
    if magic != b"GGUF":
        raise GGUFFormatError(f"{path}: not a GGUF file (magic {magic!r}, expected b'GGUF')")
    try:
        reader = gguf.GGUFReader(path)
    except Exception as exc:  # gguf-py raises ValueError/KeyError/IndexError/... on damaged files
        raise GGUFFormatError(f"{path}: truncated or corrupt GGUF file ({type(exc).__name__}: {exc})") from exc
    try:
        metadata = {
            key: field.contents()
            for key, field in reader.fields.items()
            if not key.startswith("GGUF.") and key not in _TOKENIZER_ARRAYS
        }
    except Exception as exc:
        raise GGUFFormatError(f"{path}: corrupt metadata ({type(exc).__name__}: {exc})") from exc
    arch = metadata.get("general.architecture")
    if arch is None:
        raise GGUFFormatError(f"{path}: required key general.architecture is missing")
    if arch != "llama":
        raise GGUFFormatError(f"{path}: architecture {arch!r} is not supported (only 'llama')")
    tokenizer = _tokenizer(path, reader)
    names = {t.name for t in reader.tensors}
    if "token_embd.weight" not in names:
        raise GGUFFormatError(f"{path}: missing tensors: token_embd.weight")
    embd = next(t for t in reader.tensors if t.name == "token_embd.weight")
    vocab_size = tokenizer.vocab_size if tokenizer is not None else int(embd.shape[1])
    config = _config(path, reader, vocab_size, tied="output.weight" not in names)
    return path, size, reader, config, tokenizer, metadata
