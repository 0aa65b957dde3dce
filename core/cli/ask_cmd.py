"""``simplex-train ask``: answer prompts with a trained adapter (or the base alone), no llama.cpp needed.

Prompts come from the command line, or one JSON object per line from ``--file`` (its ``prompt``
field; ``-`` reads standard input). Each goes through the chat template the specialist was trained
with and is answered greedily, or sampled with ``--temperature`` (``--top-k``, ``--top-p``,
``--seed``). Prompts are decoded together in batches, so a file of many prompts is answered faster
than one prompt at a time.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click


def read_prompt_file(path: str) -> list[str]:
    """The ``prompt`` of each non-blank JSONL line (``-``: standard input); errors name the line."""
    from simplex_training.errors import DataError
    from simplex_training.finetune.data import json_value, jsonl_lines

    name = "<stdin>" if path == "-" else path
    try:
        fh = sys.stdin if path == "-" else Path(path).open(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror})") from None
    prompts = []
    with contextlib.nullcontext(fh) if path == "-" else fh:
        for where, line in jsonl_lines(fh, name):
            row = json_value(line, where)
            if not isinstance(row, dict) or not isinstance(row.get("prompt"), str) or not row["prompt"].strip():
                raise DataError(f"{where}: expected an object with a non-empty string field 'prompt'")
            prompts.append(row["prompt"])
    if not prompts:
        raise DataError(f"{name}: no prompts")
    return prompts


@click.command(name="ask")
@click.argument("prompts", nargs=-1)
@click.option("--adapter", type=click.Path(exists=True, path_type=Path), default=None,
              help="adapter.gguf, a PEFT adapter directory, or a run directory OUT/ID; without it, the base alone.")
@click.option("--base", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Base model GGUF; default: the embedded base.")
@click.option("--file", "prompt_file", default=None, metavar="FILE.jsonl",
              help="Read prompts from this JSONL file (field 'prompt'); '-' reads standard input.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=256, show_default=True,
              help="Most new tokens per answer.")
@click.option("--temperature", type=click.FloatRange(min=0.0), default=0.0, show_default=True,
              help="0 answers greedily; above 0 samples.")
@click.option("--top-k", type=click.IntRange(min=0), default=0, show_default=True, help="Sample from the k likeliest (0: all).")
@click.option("--top-p", type=click.FloatRange(min=0.0, max=1.0, min_open=True), default=1.0, show_default=True,
              help="Sample from the smallest set reaching this probability.")
@click.option("--seed", type=int, default=0, show_default=True, help="Sampling seed.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (prompt, answer) per line.")
def ask(prompts: tuple[str, ...], adapter: Path | None, base: Path | None, prompt_file: str | None, max_tokens: int,
        temperature: float, top_k: int, top_p: float, seed: int, as_json: bool) -> None:
    """Answer PROMPTS with a trained ADAPTER on its base (or the base alone)."""
    from simplex_training.finetune.artifacts import load_adapter, load_base, resolve_base
    from simplex_training.finetune.evaluate import answer_prompts
    from simplex_training.model.llama import LlamaModel

    texts = list(prompts) + (read_prompt_file(prompt_file) if prompt_file else [])
    if not texts:
        raise click.UsageError("give a PROMPT or --file FILE.jsonl")
    config, weights, tok, _ = load_base(resolve_base(base))
    model = load_adapter(adapter, config, weights)[0] if adapter is not None else LlamaModel(config, weights=weights)
    answers, too_long = answer_prompts(model, tok, texts, max_tokens, temperature=temperature, top_k=top_k,
                                       top_p=top_p, seed=seed)
    for i, (prompt, answer) in enumerate(zip(texts, answers, strict=True)):
        if as_json:
            click.echo(json.dumps({"prompt": prompt, "answer": answer}, ensure_ascii=False))
        else:
            click.echo(("\n" if i else "") + answer)
    if too_long:
        click.echo(f"{too_long} prompt(s) left no room in the context of {config.context_length} tokens "
                   "and got no answer", err=True)
