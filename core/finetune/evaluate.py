"""Score a specialist on its test split: greedy generation, then the task evaluator, before and after.

Generation (:func:`simplex_training.model.generate.generate`, batched greedy with a KV cache) feeds
exactly the serve-time prompt (:func:`~simplex_training.tokenizer.chat.encode_prompt`), allows the
longest gold response (in tokens, plus ``<|end|>``/``</s>``) plus a margin of new tokens, stops at
``<|end|>`` or ``</s>`` and decodes only the new tokens. A prompt that leaves no room in the context
is not generated for (its output is empty, counted in ``prompts_too_long``).

"Before" is the same model with every adapter disabled (the base alone), "after" with the adapters
on, on the same examples; the catalog entry's evaluator scores both and
:func:`simplex_training.metrics.report.compare` applies the thresholds. The token-level test loss
is reported too when tokenized test items are given, with the specialist's hardest answer tokens
(:mod:`simplex_training.finetune.token_loss`) as ``hard_tokens``. With ``by``, the same outputs are
also scored per group of examples sharing one metadata field (:func:`metrics_by`): which kinds of
question a specialist gets wrong.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.errors import DataError, SimplexError
from simplex_training.tokenizer.chat import encode_prompt, end_id
from simplex_training.tokenizer.spm import SPMTokenizer


def max_new_tokens_for(tok: SPMTokenizer, examples: Sequence[TrainingExample], margin: int) -> int:
    """The longest gold response in tokens, plus ``<|end|>``, ``</s>`` and ``margin``."""
    return max(len(tok.encode_raw(ex.response)) for ex in examples) + 2 + margin


def answer_prompts(model: Any, tok: SPMTokenizer, prompts: Sequence[str], max_new_tokens: int, *,
                   batch_size: int = 64, temperature: float = 0.0, top_k: int = 0, top_p: float = 1.0,
                   seed: int = 0) -> tuple[list[str], int]:
    """(decoded answer per prompt, number of prompts too long for the context).

    Each prompt goes through the chat template as at serve time; decoding stops at ``<|end|>`` or
    ``</s>`` (not part of the answer) or after ``max_new_tokens``. A prompt that leaves no room in the
    context gets an empty answer and is counted.
    """
    from simplex_training.model.generate import generate

    llama = getattr(model, "model", model)
    ctx = llama.config.context_length
    stops = (end_id(tok), tok.eos_id)
    ids = [encode_prompt(tok, p) for p in prompts]
    fits = [i for i, p in enumerate(ids) if len(p) < ctx]
    new = generate(llama, [ids[i] for i in fits], max_new_tokens, stop_ids=stops, batch_size=batch_size,
                   temperature=temperature, top_k=top_k, top_p=top_p, seed=seed)
    outputs = [""] * len(prompts)
    for i, out in zip(fits, new, strict=True):
        if out and out[-1] in stops:
            out = out[:-1]
        outputs[i] = tok.decode(out, strip_leading_space=False)
    return outputs, len(prompts) - len(fits)


def generate_outputs(model: Any, tok: SPMTokenizer, examples: Sequence[TrainingExample], *, margin: int = 16,
                     batch_size: int = 64) -> tuple[list[str], int]:
    """Greedy answers to the examples' prompts, allowing their longest gold response plus ``margin``."""
    return answer_prompts(model, tok, [ex.prompt for ex in examples], max_new_tokens_for(tok, examples, margin),
                          batch_size=batch_size)


def evaluator_metrics(entry: CatalogEntry, examples: Sequence[TrainingExample], outputs: Sequence[str]
                      ) -> dict[str, Any]:
    """The task evaluator's metrics of ``outputs``; its errors become ``{"error": message}``."""
    from simplex_training.pluginmanager import get_host

    try:
        evaluator = get_host().registry("evaluators")[entry.task_type.value]
        return dict(evaluator.evaluate(entry, list(examples), list(outputs)))
    except (ValueError, SimplexError) as exc:  # user data without gold metadata, no evaluator plugin...
        return {"error": str(exc)}


def score(entry: CatalogEntry, model: Any, tok: SPMTokenizer, examples: Sequence[TrainingExample], *,
          margin: int = 16, batch_size: int = 64) -> tuple[dict[str, float], list[str]]:
    """The evaluator's metrics (plus ``prompts_too_long``) and the outputs; errors become ``error``."""
    outputs, too_long = generate_outputs(model, tok, examples, margin=margin, batch_size=batch_size)
    metrics = evaluator_metrics(entry, examples, outputs)
    metrics["prompts_too_long"] = float(too_long)
    return metrics, outputs


def group_of(example: TrainingExample, field: str) -> str:
    """``example.metadata[field]`` as a group name (JSON for a list or mapping), ``(none)`` without it."""
    if field not in example.metadata:
        return "(none)"
    value = example.metadata[field]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def check_group_field(examples: Sequence[TrainingExample], field: str) -> None:
    """A :class:`DataError` naming the fields there are when no example has ``metadata[field]``."""
    if examples and not any(field in ex.metadata for ex in examples):
        keys = sorted({k for ex in examples for k in ex.metadata})
        raise DataError(f"no test example has metadata field '{field}' (fields: {', '.join(keys) or 'none'})")


def metrics_by(entry: CatalogEntry, examples: Sequence[TrainingExample], outputs: Sequence[str],
               field: str) -> dict[str, dict[str, Any]]:
    """The evaluator's metrics over each group of examples with the same ``metadata[field]`` (groups
    by name, each with its size ``n``); a :class:`DataError` when no example has the field."""
    check_group_field(examples, field)
    groups: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        groups.setdefault(group_of(ex, field), []).append(i)
    return {name: {**evaluator_metrics(entry, [examples[i] for i in idx], [outputs[i] for i in idx]), "n": len(idx)}
            for name, idx in sorted(groups.items())}


def evaluate_before_after(entry: CatalogEntry, lora_model: Any, tok: SPMTokenizer,
                          examples: Sequence[TrainingExample], *, test_items: Sequence[Any] = (),
                          pad_id: int | None = None, margin: int = 16, batch_size: int = 64,
                          n_samples: int = 5, by: str | None = None) -> dict[str, Any]:
    """Metrics of the base (adapters off) and the specialist (on) with the threshold comparison; with
    ``by``, also per group of ``metadata[by]`` (``result["by"]``: the field and, per group, its size
    and the base's and the specialist's metrics)."""
    from simplex_training.finetune.token_loss import hardest_tokens, token_loss_sums
    from simplex_training.metrics.report import compare

    if by is not None:
        check_group_field(examples, by)  # before generating, which takes the time
    result: dict[str, Any] = {"n_test": len(examples)}
    pad = tok.eos_id if pad_id is None else pad_id
    vocab = getattr(lora_model, "model", lora_model).config.vocab_size
    runs: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for label, enabled in (("before", False), ("after", True)):
        lora_model.set_enabled(enabled)
        try:
            if examples:
                runs[label] = score(entry, lora_model, tok, examples, margin=margin, batch_size=batch_size)
            else:
                runs[label] = ({"error": "no test examples with a prompt and a response to generate for"}, [])
            if test_items:  # one pass gives the test loss and, for the specialist, its hardest tokens
                sums, counts = token_loss_sums(lora_model, test_items, pad, batch_size, vocab)
                runs[label][0]["test_loss"] = float(sums.sum() / counts.sum()) if counts.sum() else float("nan")
                if enabled:
                    result["hard_tokens"] = hardest_tokens(sums, counts, tok)
        finally:
            lora_model.set_enabled(True)
    before, after = runs["before"][0], runs["after"][0]
    result["before"], result["after"] = before, after
    numeric = {k: v for k, v in after.items() if isinstance(v, float)}
    result["comparison"] = compare(entry, {k: v for k, v in before.items() if isinstance(v, float)}, numeric)
    result["passed"] = bool(result["comparison"]["passed"])
    if by is not None:
        halves = {label: metrics_by(entry, examples, runs[label][1], by) for label in ("before", "after")}
        result["by"] = {"field": by, "groups": {
            name: {"n": g["n"], "before": {k: v for k, v in halves["before"][name].items() if k != "n"},
                   "after": {k: v for k, v in g.items() if k != "n"}}
            for name, g in halves["after"].items()}}
    result["samples"] = [
        {"prompt": ex.prompt, "gold": ex.response, "before": runs["before"][1][i], "after": runs["after"][1][i]}
        for i, ex in enumerate(examples[:n_samples]) if runs["before"][1]
    ]
    return result
