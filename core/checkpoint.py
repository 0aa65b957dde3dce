"""Checkpoints: one ``.npz`` file holding named arrays plus a JSON document of scalar state.

Written atomically (temporary file + rename), so a kill during a save leaves the previous
checkpoint intact. Used by pretraining and fine-tuning to resume exactly where a run stopped.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.atomic import atomic_write_bytes
from simplex_training.errors import SimplexError

_STATE_KEY = "__state_json__"


class CheckpointError(SimplexError):
    """A checkpoint file is missing, truncated or not ours."""


def save_checkpoint(path: str | Path, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
    """Save ``arrays`` (name -> ndarray) and JSON-serialisable ``state`` to ``path`` atomically."""
    if _STATE_KEY in arrays:
        raise ValueError(f"array name {_STATE_KEY} is reserved")
    buf = io.BytesIO()
    payload = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    payload[_STATE_KEY] = np.frombuffer(json.dumps(state).encode("utf-8"), dtype=np.uint8)
    np.savez(buf, **payload)
    atomic_write_bytes(path, buf.getvalue())


def load_checkpoint(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Return (arrays, state) from a checkpoint written by :func:`save_checkpoint`."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files if k != _STATE_KEY}
            if _STATE_KEY not in data.files:
                raise CheckpointError(f"{path}: not a simplex-training checkpoint (no state record)")
            state = json.loads(bytes(data[_STATE_KEY]).decode("utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{path}: checkpoint not found") from None
    except (OSError, ValueError, EOFError) as exc:  # zipfile/np errors on a damaged file
        raise CheckpointError(f"{path}: checkpoint is damaged or truncated ({exc})") from None
    return arrays, state


def optimizer_arrays(opt_state: dict[str, Any], prefix: str = "opt.") -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Split an optimizer ``state_dict`` into arrays (for the npz) and JSON-able scalars."""
    arrays: dict[str, np.ndarray] = {}

    def walk(obj: Any, key: str) -> Any:
        if isinstance(obj, np.ndarray):
            arrays[prefix + key] = obj
            return {"__array__": prefix + key}
        if isinstance(obj, dict):
            return {str(k): walk(v, f"{key}.{k}" if key else str(k)) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [walk(v, f"{key}.{i}") for i, v in enumerate(obj)]
        if isinstance(obj, np.generic):
            return obj.item()
        return obj

    return arrays, walk(opt_state, "")


def restore_optimizer_state(skeleton: Any, arrays: dict[str, np.ndarray]) -> Any:
    """Inverse of :func:`optimizer_arrays`: put the arrays back into the JSON skeleton."""
    if isinstance(skeleton, dict):
        if set(skeleton) == {"__array__"}:
            return arrays[skeleton["__array__"]]
        return {k: restore_optimizer_state(v, arrays) for k, v in skeleton.items()}
    if isinstance(skeleton, list):
        return [restore_optimizer_state(v, arrays) for v in skeleton]
    return skeleton
