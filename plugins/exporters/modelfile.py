"""Exporter plugin ``modelfile``: an Ollama ``Modelfile`` beside a (merged) GGUF model.

Scope: ``FROM`` with a path relative to the Modelfile (``./merged.gguf``), a ``TEMPLATE`` that
renders this project's chat format (:mod:`simplex_training.tokenizer.chat`:
``<|user|>\\n{prompt}<|end|>\\n<|assistant|>\\n``; system messages are prepended to the next user
turn followed by a blank line, assistant turns end with ``<|end|>\\n``) in Ollama's Go-template
syntax over ``.Messages``, ``PARAMETER stop "<|end|>"`` and ``PARAMETER stop "</s>"``, a
temperature (0 by default: specialists decode greedily), and a ``SYSTEM`` line only when a
system prompt is given. Written atomically (temporary file + rename).

Ollama Modelfile reference: https://github.com/ollama/ollama/blob/main/docs/modelfile.md
(``FROM``, ``TEMPLATE``, ``PARAMETER``, ``SYSTEM``; triple-quoted multi-line values).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simplex_training.atomic import atomic_write_text
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register
from simplex_training.tokenizer.chat import ASSISTANT, END, USER

FILENAME = "Modelfile"

# Go text/template (Ollama) equivalent of simplex_training.tokenizer.chat.CHAT_TEMPLATE with
# add_generation_prompt: "<|assistant|>\n" follows a final user turn.
GO_TEMPLATE = (
    '{{- $sys := "" }}\n'
    "{{- range $i, $m := .Messages }}\n"
    "{{- $last := eq (len (slice $.Messages $i)) 1 }}\n"
    '{{- if eq $m.Role "system" }}\n'
    '{{- $sys = printf "%s%s\\n\\n" $sys $m.Content }}\n'
    '{{- else if eq $m.Role "user" }}' + USER + "\n"
    "{{ $sys }}{{ $m.Content }}" + END + "\n"
    '{{ $sys = "" }}\n'
    "{{- if $last }}" + ASSISTANT + "\n"
    "{{ end }}\n"
    '{{- else if eq $m.Role "assistant" }}' + ASSISTANT + "\n"
    "{{ $m.Content }}" + END + "\n"
    "{{ end }}\n"
    "{{- end }}"
)
STOPS = (END, "</s>")


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_modelfile(from_path: str, system: str | None = None, temperature: float = 0.0,
                     parameters: Mapping[str, str | int | float] | None = None) -> str:
    """The Modelfile text (see the module docstring)."""
    if system is not None and '"""' in system:
        raise ValueError('the system prompt cannot contain """ (Modelfile triple-quote delimiter)')
    lines = [f"FROM {from_path}", "", f'TEMPLATE """{GO_TEMPLATE}"""', ""]
    lines += [f"PARAMETER stop {_quote(s)}" for s in STOPS]
    lines.append(f"PARAMETER temperature {float(temperature):g}")
    for key, value in (parameters or {}).items():
        if key in ("stop", "temperature") or not key.replace("_", "").isalnum():
            raise ValueError(f"parameter {key!r}: use the dedicated argument, or a plain Ollama parameter name")
        lines.append(f"PARAMETER {key} {value}")
    if system:
        lines += ["", f'SYSTEM """{system}"""']
    return "\n".join(lines) + "\n"


class ModelfileExporter:
    """Writes ``Modelfile`` (Ollama) pointing at a GGUF model with a relative ``FROM``."""

    name = "modelfile"

    def export(self, path: str | os.PathLike[str], gguf_path: str | os.PathLike[str] = "merged.gguf", *,
               system: str | None = None, temperature: float = 0.0,
               parameters: Mapping[str, str | int | float] | None = None) -> Path:
        """Write the Modelfile and return its path.

        :param path: the Modelfile path, or a directory (then ``<dir>/Modelfile``).
        :param gguf_path: the model file; a relative path is taken relative to the Modelfile's
            directory. ``FROM`` is written relative to that directory (``./merged.gguf``).
        :param parameters: more ``PARAMETER`` lines (e.g. ``{"num_ctx": 512}``).
        """
        target = Path(path)
        if target.is_dir():
            target = target / FILENAME
        folder = target.parent.resolve()
        model = Path(gguf_path)
        model = model if model.is_absolute() else folder / model
        rel = Path(os.path.relpath(model.resolve(), folder)).as_posix()
        from_path = rel if rel.startswith("../") else f"./{rel}"
        atomic_write_text(target, render_modelfile(from_path, system, temperature, parameters))
        return target

    def example_args(self, workdir: Path) -> dict[str, Any]:
        """Arguments of a small example export: a tiny GGUF model written in ``workdir``, and a system prompt."""
        from simplex_training.export_contract import tiny_gguf

        return {"gguf_path": tiny_gguf(workdir), "system": "You answer in one word."}


class _ModelfilePlugin:
    def __repr__(self) -> str:
        return "ModelfileExporterPlugin()"

    @hookimpl
    def register_exporters(self, register: Register) -> None:
        register(ModelfileExporter())


plugin = _ModelfilePlugin()
