"""Exporter plugins (GGUF model, GGUF LoRA adapter, PEFT, Ollama Modelfile)."""
