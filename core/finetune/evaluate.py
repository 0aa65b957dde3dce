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
(:mod:`simplex_training.finetune.token_loss`) as ``hard_tokens``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.errors import SimplexError
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


def score(entry: CatalogEntry, model: Any, tok: SPMTokenizer, examples: Sequence[TrainingExample], *,
          margin: int = 16, batch_size: int = 64) -> tuple[dict[str, float], list[str]]:
    """The evaluator's metrics (plus ``prompts_too_long``) and the outputs; errors become ``error``."""
    from simplex_training.pluginmanager import get_host

    outputs, too_long = generate_outputs(model, tok, examples, margin=margin, batch_size=batch_size)
    try:
        evaluator = get_host().registry("evaluators")[entry.task_type.value]
        metrics: dict[str, Any] = dict(evaluator.evaluate(entry, list(examples), outputs))
    except (ValueError, SimplexError) as exc:  # user data without gold metadata, no evaluator plugin...
        metrics = {"error": str(exc)}
    metrics["prompts_too_long"] = float(too_long)
    return metrics, outputs


def evaluate_before_after(entry: CatalogEntry, lora_model: Any, tok: SPMTokenizer,
                          examples: Sequence[TrainingExample], *, test_items: Sequence[Any] = (),
                          pad_id: int | None = None, margin: int = 16, batch_size: int = 64,
                          n_samples: int = 5) -> dict[str, Any]:
    """Metrics of the base (adapters off) and the specialist (on) with the threshold comparison."""
    from simplex_training.finetune.token_loss import hardest_tokens, token_loss_sums
    from simplex_training.metrics.report import compare

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
    result["samples"] = [
        {"prompt": ex.prompt, "gold": ex.response, "before": runs["before"][1][i], "after": runs["after"][1][i]}
        for i, ex in enumerate(examples[:n_samples]) if runs["before"][1]
    ]
    return result
