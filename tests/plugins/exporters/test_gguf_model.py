"""The ``gguf`` exporter plugin: registration through the hook, and an export that reads back."""

from __future__ import annotations

from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.reference import random_weights
from simplex_training.plugins.exporters.gguf_model import GGUFModelExporter, plugin
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer


def test_plugin_registers_the_exporter():
    registered = []
    plugin.register_exporters(registered.append)
    assert len(registered) == 1 and isinstance(registered[0], GGUFModelExporter)
    assert registered[0].name == "gguf" and callable(registered[0].export)


def test_export_writes_a_readable_file(tmp_path):
    tok = SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0)])
    config = LlamaConfig(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, n_kv_heads=2, ffn_dim=64)
    weights = random_weights(config)
    path = GGUFModelExporter().export(
        tmp_path / "out" / "model.gguf", config, weights, tok, name="spec", **{"simplex.specialist": "sentiment"}
    )
    assert path == tmp_path / "out" / "model.gguf" and path.is_file()
    got_config, got, got_tok, meta = read_llama_gguf(path)
    assert got_config == config and got_tok.to_dict() == tok.to_dict()
    assert meta["general.name"] == "spec" and meta["general.file_type"] == 1  # f16 by default
    assert meta["simplex.specialist"] == "sentiment"
    assert abs(got["blk.0.ffn_up.weight"] - weights["blk.0.ffn_up.weight"]).max() < 1e-3
