"""LoRA adapters for the numpy llama model (LoRA, rsLoRA, QLoRA with a q8_0/q4_0 base).

Modules
-------
``layer``  LoRALinear (frozen base + trainable A (r, in), B (out, r); dropout; merge/unmerge),
           quantized_linear, lora_scale
``apply``  LoRAConfig (+ ``from_preset``), apply_lora -> LoRAModel, select_targets
``merge``  merged_weights (base + scale * B @ A, model untouched), write_merged_gguf

Adapters are named by the GGUF base weight (``blk.0.attn_q.weight``); their state dict uses
llama.cpp's adapter tensor names (``blk.0.attn_q.weight.lora_a`` / ``.lora_b``), see
``../shared/reference/gguf-llama-cpp.md`` §4. Exporters: ``gguf_adapter``, ``peft``,
``modelfile`` (plugins), and ``gguf`` for merged models.
"""

from simplex_training.lora.apply import LoRAConfig, LoRAModel, apply_lora, select_targets
from simplex_training.lora.layer import LoRALinear, lora_scale, quantized_linear
from simplex_training.lora.merge import merged_weights, write_merged_gguf

__all__ = ["LoRAConfig", "LoRAModel", "LoRALinear", "apply_lora", "select_targets", "lora_scale",
           "quantized_linear", "merged_weights", "write_merged_gguf"]
