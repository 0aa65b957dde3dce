"""Fine-tune a specialist: LoRA on a llama base, evaluated before/after, exported for llama.cpp.

Modules
-------
``data``      training records from a specialist's generator or a user JSONL file (prompt/response,
              prompt/completion, text, messages), split into train/val/test
``batches``   tokenization with the chat template (loss only on responses, EOS learned),
              truncation, length-bucketed deterministic batches
``trainer``   :class:`FinetuneConfig` and :func:`finetune` (AdamW on the LoRA parameters, schedule,
              gradient accumulation, validation, early stopping, exact resume from checkpoints)
``plot``      the loss curve PNG
``evaluate``  greedy generation on the test split and the task evaluator, base vs specialist
``pipeline``  :func:`train_specialist`: data -> training -> evaluation -> every export
``batch``     :func:`train_all`: many specialists in parallel processes with a summary table
"""


from __future__ import annotations

from typing import Any

_LAZY = {
    "FinetuneConfig": "simplex_training.finetune.config",
    "FinetuneResult": "simplex_training.finetune.trainer",
    "finetune": "simplex_training.finetune.trainer",
    "train_specialist": "simplex_training.finetune.pipeline",
    "train_all": "simplex_training.finetune.batch",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:  # lazy: importing the package (or batch.py in a worker) loads no numpy
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)
