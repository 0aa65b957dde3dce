"""Files shipped inside the package: the embedded default base model (``base.gguf``).

``base.gguf`` is produced by ``simplex-train pretrain`` (see ``docs/base-model.md`` for the exact
command and seed) and copied here; it is the base every specialist fine-tunes unless ``--base`` names
another llama-architecture GGUF.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BASE_NAME = "base.gguf"


def default_base_path() -> Path:
    """Path of the embedded base model; a clear error if this installation lacks it."""
    from simplex_training.errors import SimplexError

    path = Path(str(resources.files("simplex_training.assets").joinpath(BASE_NAME)))
    if not path.exists():
        raise SimplexError(
            f"the embedded base model is missing ({path}); rebuild it with `simplex-train pretrain` "
            "(docs/base-model.md) or pass --base FILE.gguf"
        )
    return path
