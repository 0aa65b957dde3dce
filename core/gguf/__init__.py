"""GGUF reading and writing for llama-architecture models and LoRA adapters."""
