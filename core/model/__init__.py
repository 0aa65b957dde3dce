"""The llama-architecture decoder: config, reference forward, trainable model, generation."""
