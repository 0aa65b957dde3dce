"""SPM tokenizer that matches llama.cpp, its trainer, and the chat template."""
