"""``simplex-train export``: write a trained adapter in another format (merged GGUF, adapter GGUF, PEFT, Ollama)."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("gguf", "gguf_adapter", "peft", "modelfile")


def default_output(specialist_id: str, fmt: str) -> Path:
    return Path({"gguf": f"{specialist_id}.gguf", "gguf_adapter": f"{specialist_id}-adapter.gguf",
                 "peft": f"{specialist_id}-peft", "modelfile": f"{specialist_id}-ollama"}[fmt])


@click.command()
@click.argument("specialist_id")
@click.option("--adapter", type=click.Path(exists=True, path_type=Path), required=True,
              help="adapter.gguf, a PEFT adapter directory, or a run directory OUT/ID.")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Base model GGUF; default: the embedded base.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="gguf", show_default=True,
              help="gguf: base+adapter merged; gguf_adapter: llama.cpp --lora file; peft: "
                   "adapter_model.safetensors + adapter_config.json; modelfile: merged GGUF + Ollama Modelfile.")
@click.option("--dtype", type=click.Choice(["f16", "f32", "q8_0"]), default=None,
              help="Weight type of a merged model (gguf, modelfile); default f16.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output file (gguf, gguf_adapter) or directory (peft, modelfile).")
def export(specialist_id: str, adapter: Path, base: Path | None, fmt: str, dtype: str | None,
           output: Path | None) -> None:
    """Export SPECIALIST_ID's ADAPTER (applied to the base) in FORMAT."""
    from simplex_training.finetune.artifacts import exporter, load_adapter, load_base, resolve_base
    from simplex_training.lora.merge import merged_weights
    from simplex_training.pluginmanager import get_host

    get_host().registry("specialists")[specialist_id]
    if dtype is not None and fmt not in ("gguf", "modelfile"):
        raise click.UsageError(f"--dtype applies to merged models (gguf, modelfile), not {fmt}")
    base_path = resolve_base(base)
    config, weights, tok, base_meta = load_base(base_path)
    lora_model, _ = load_adapter(adapter, config, weights, specialist=specialist_id)
    out = output or default_output(specialist_id, fmt)
    meta = {"simplex.specialist": specialist_id}
    if fmt == "gguf":
        written = exporter("gguf").export(out, config, merged_weights(lora_model), tok, dtype=dtype or "f16",
                                          name=specialist_id, **meta)
    elif fmt == "gguf_adapter":
        written = exporter("gguf_adapter").export(out, lora_model, config, lora_model.config,
                                                  name=f"{specialist_id}-lora", **meta)
    elif fmt == "peft":
        written = exporter("peft").export(out, lora_model, config, lora_model.config,
                                          base_model_name_or_path=str(base_meta.get("general.name") or base_path.name))
    else:
        model_file = out / f"{specialist_id}.gguf"
        exporter("gguf").export(model_file, config, merged_weights(lora_model), tok, dtype=dtype or "f16",
                                name=specialist_id, **meta)
        written = exporter("modelfile").export(out / "Modelfile", model_file.name)
        click.echo(f"wrote {model_file}", err=True)
    click.echo(f"wrote {written}")
