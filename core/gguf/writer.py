"""Write a llama-architecture model with its SPM tokenizer as a GGUF file llama.cpp loads.

Scope: :func:`write_llama_gguf` (via gguf-py's ``GGUFWriter``). Metadata keys and types follow
``../shared/reference/gguf-llama-cpp.md`` §1.1 and §3 (every ``llama.*`` key written with the
gguf-py ``add_*`` method of the right type; ``rope.dimension_count = head_dim``); tensor names and
shapes §1.2 (numpy (out, in), no ``output.weight`` when tied); tensor types §5: 1-D tensors are
always F32, 2-D weights use the requested type (F32, F16, BF16, Q8_0, or the lower-precision
Q5_1/Q5_0/Q4_1/Q4_0 that gguf-py can also produce). The quantized types need a row length
(``in`` dimension) that is a multiple of 32; other tensors stay F32 with a ``UserWarning``.

The file is written to a temporary file in the target directory, fsynced, then renamed over the
target, so a crash never leaves a partial file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import gguf
import numpy as np

from simplex_training.atomic import publish
from simplex_training.model.config import LlamaConfig
from simplex_training.tokenizer.chat import CHAT_TEMPLATE, END
from simplex_training.tokenizer.spm import SPMTokenizer

Q = gguf.GGMLQuantizationType
# dtype name -> (ggml type of 2-D weights, general.file_type)
DTYPES: dict[str, tuple[gguf.GGMLQuantizationType, gguf.LlamaFileType]] = {
    "f32": (Q.F32, gguf.LlamaFileType.ALL_F32),
    "f16": (Q.F16, gguf.LlamaFileType.MOSTLY_F16),
    "bf16": (Q.BF16, gguf.LlamaFileType.MOSTLY_BF16),
    "q8_0": (Q.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
    "q5_1": (Q.Q5_1, gguf.LlamaFileType.MOSTLY_Q5_1),
    "q5_0": (Q.Q5_0, gguf.LlamaFileType.MOSTLY_Q5_0),
    "q4_1": (Q.Q4_1, gguf.LlamaFileType.MOSTLY_Q4_1),
    "q4_0": (Q.Q4_0, gguf.LlamaFileType.MOSTLY_Q4_0),
}


@contextlib.contextmanager
def atomic_gguf_writer(path: str | os.PathLike[str], arch: str = "llama") -> Iterator[gguf.GGUFWriter]:
    """A ``GGUFWriter`` on a temporary file beside ``path``.

    The caller adds keys and tensors; on leaving the block the header, metadata and tensors are
    written, fsynced, and the file is renamed over ``path``. On any error the temporary file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    writer = gguf.GGUFWriter(tmp, arch)
    try:
        yield writer
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        publish(tmp, path)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_weights(config: LlamaConfig, weights: Mapping[str, np.ndarray]) -> None:
    """Raise ``ValueError`` unless ``weights`` has exactly the tensors of ``config``, finite."""
    expected = config.weight_shapes()
    missing = sorted(set(expected) - set(weights))
    extra = sorted(set(weights) - set(expected))
    if missing or extra:
        raise ValueError(f"weights do not match the config: missing {missing[:5]}, unexpected {extra[:5]}")
    for name, shape in expected.items():
        arr = np.asarray(weights[name])
        if arr.shape != shape:
            raise ValueError(f"{name} has shape {arr.shape}, expected {shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinite values")


def _tensor_data(name: str, arr: np.ndarray, qtype: gguf.GGMLQuantizationType) -> tuple[np.ndarray, Q | None]:
    """(array to store, raw_dtype) for one tensor."""
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    if arr.ndim == 1 or qtype == Q.F32:
        return arr, None
    if qtype == Q.F16:
        return arr.astype(np.float16), None
    block = gguf.GGML_QUANT_SIZES[qtype][0]
    if arr.shape[-1] % block:
        warnings.warn(
            f"{name}: row length {arr.shape[-1]} is not a multiple of {block}; kept as F32 instead of {qtype.name}",
            UserWarning,
            stacklevel=3,
        )
        return arr, None
    return gguf.quants.quantize(arr, qtype), qtype


def _add_metadata(w: gguf.GGUFWriter, key: str, value: object) -> None:
    if isinstance(value, bool):
        w.add_bool(key, value)
    elif isinstance(value, int):
        if 0 <= value < 2**32:
            w.add_uint32(key, value)
        else:
            w.add_int64(key, value)
    elif isinstance(value, float):
        w.add_float32(key, value)
    elif isinstance(value, str):
        w.add_string(key, value)
    else:
        raise ValueError(f"metadata {key!r}: unsupported value type {type(value).__name__}")


def write_llama_gguf(
    path: str | os.PathLike[str],
    config: LlamaConfig,
    weights: Mapping[str, np.ndarray],
    tokenizer: SPMTokenizer,
    dtype: str = "f32",
    name: str = "simplex-model",
    extra_metadata: Mapping[str, str | int | float | bool] | None = None,
    chat_template: str | None = CHAT_TEMPLATE,
) -> Path:
    """Write ``weights`` (GGUF names, numpy (out, in)) and ``tokenizer`` to ``path``, atomically.

    :param dtype: type of the 2-D weights: ``f32``, ``f16``, ``bf16``, ``q8_0`` (also ``q5_1``,
        ``q5_0``, ``q4_1``, ``q4_0``).
    :param name: ``general.name``.
    :param extra_metadata: more keys (str -> string, bool -> bool, int -> u32 (int64 if outside
        u32), float -> f32); keys the writer sets itself are rejected.
    :param chat_template: ``tokenizer.chat_template`` (``None`` or ``""``: not written).
    :returns: the path written.
    """
    if dtype not in DTYPES:
        raise ValueError(f"unsupported dtype {dtype!r}; choose one of {', '.join(DTYPES)}")
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(f"tokenizer has {tokenizer.vocab_size} tokens but config.vocab_size is {config.vocab_size}")
    check_weights(config, weights)
    qtype, file_type = DTYPES[dtype]
    path = Path(path)
    with atomic_gguf_writer(path) as writer:
        writer.add_name(name)
        writer.add_context_length(config.context_length)
        writer.add_embedding_length(config.dim)
        writer.add_block_count(config.n_layers)
        writer.add_feed_forward_length(config.ffn_dim)
        writer.add_head_count(config.n_heads)
        writer.add_head_count_kv(config.n_kv_heads)
        writer.add_rope_dimension_count(config.head_dim)
        writer.add_rope_freq_base(float(config.rope_base))
        writer.add_layer_norm_rms_eps(float(config.norm_eps))
        writer.add_vocab_size(config.vocab_size)
        writer.add_file_type(int(file_type))
        if qtype not in (Q.F32, Q.F16):
            writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

        writer.add_tokenizer_model("llama")
        writer.add_token_list(tokenizer.pieces)
        writer.add_token_scores([float(s) for s in tokenizer.scores])
        writer.add_token_types([int(t) for t in tokenizer.types])
        writer.add_bos_token_id(tokenizer.bos_id)
        writer.add_eos_token_id(tokenizer.eos_id)
        writer.add_unk_token_id(tokenizer.unk_id)
        end = tokenizer.token_id(END)
        if end is not None:
            writer.add_eot_token_id(end)
        writer.add_add_bos_token(tokenizer.add_bos)
        writer.add_add_eos_token(tokenizer.add_eos)
        writer.add_add_space_prefix(tokenizer.add_space_prefix)
        if chat_template:
            writer.add_chat_template(chat_template)

        for key, value in (extra_metadata or {}).items():
            if key in writer.kv_data[0]:
                raise ValueError(f"extra_metadata key {key!r} is set by the writer")
            _add_metadata(writer, key, value)

        for tname in config.weight_shapes():
            data, raw_dtype = _tensor_data(tname, weights[tname], qtype)
            writer.add_tensor(tname, data, raw_dtype=raw_dtype)

    return path
