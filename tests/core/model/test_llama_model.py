"""The trainable llama model matches the numpy reference forward, trains, and generates."""

import numpy as np
import pytest

from simplex_training.engine import no_grad
from simplex_training.model.config import LlamaConfig
from simplex_training.model.generate import generate, sample_next
from simplex_training.model.llama import LlamaModel
from simplex_training.model.reference import random_weights, reference_greedy, reference_logits

CFGS = [
    LlamaConfig(vocab_size=97, dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=48, context_length=64, tied_output=False),
    LlamaConfig(vocab_size=97, dim=32, n_layers=2, n_heads=4, n_kv_heads=4, ffn_dim=48, context_length=64, tied_output=True),
]


@pytest.mark.parametrize("cfg", CFGS, ids=["gqa-untied", "mha-tied"])
def test_forward_matches_reference(cfg):
    w = random_weights(cfg, seed=3)
    ids = list(np.random.default_rng(1).integers(0, cfg.vocab_size, 30))
    model = LlamaModel(cfg, weights=w)
    with no_grad():
        ours = model(np.array([ids])).data[0]
    ref = reference_logits(cfg, w, ids)
    assert np.abs(ours - ref).max() < 1e-4


def test_float64_model_matches_reference_tightly():
    cfg = CFGS[0]
    w = random_weights(cfg, seed=5)
    ids = list(range(1, 25))
    model = LlamaModel(cfg, weights=w, dtype=np.float64)
    with no_grad():
        ours = model(np.array([ids])).data[0]
    # the reference accumulates RoPE angles in float32 like ggml; the engine computes them in float64
    assert np.abs(ours - reference_logits(cfg, w, ids)).max() < 1e-6


def test_greedy_generation_with_kv_cache_matches_reference():
    cfg = CFGS[0]
    w = random_weights(cfg, seed=2)
    model = LlamaModel(cfg, weights=w)
    prompt = [5, 17, 3, 44, 9]
    ours = generate(model, [prompt], 20)[0]
    assert ours == reference_greedy(cfg, w, prompt, 20)


def test_batched_generation_equals_one_by_one_and_stops():
    cfg = CFGS[1]
    model = LlamaModel(cfg, seed=4)
    prompts = [[1, 2, 3], [4, 5, 6], [7, 8], [9, 10, 11, 12]]
    together = generate(model, prompts, 12, batch_size=3)
    alone = [generate(model, [p], 12)[0] for p in prompts]
    assert together == alone
    stop = alone[0][3]
    cut = generate(model, [prompts[0]], 12, stop_ids=[stop])[0]
    assert cut == alone[0][: alone[0].index(stop) + 1]


@pytest.mark.parametrize("cfg", CFGS, ids=["gqa-untied", "mha-tied"])
def test_left_padded_prefill_and_decode_equal_each_prompt_alone(cfg):
    from simplex_training.plugins.layers.attention import KVCache

    model = LlamaModel(cfg, weights=random_weights(cfg, seed=7))
    rng = np.random.default_rng(3)
    prompts = [list(rng.integers(1, cfg.vocab_size, n)) for n in (2, 9, 20)]
    nxt = np.array([[11], [12], [13]])

    def caches(batch, start=None):
        return [KVCache.empty(batch, cfg.n_kv_heads, 24, cfg.head_dim, start=start) for _ in range(cfg.n_layers)]

    pad = np.array([20 - len(p) for p in prompts])
    ids = np.zeros((3, 20), dtype=np.int64)
    for row, p in enumerate(prompts):
        ids[row, pad[row]:] = p
    with no_grad():
        cs = caches(3, pad)
        padded = model(ids, 0, cs).data
        step = model(nxt, 20, cs).data[:, 0]
        for row, p in enumerate(prompts):
            c1 = caches(1)
            alone = model(np.array([p]), 0, c1).data[0]
            np.testing.assert_allclose(padded[row, pad[row]:], alone, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(step[row], model(nxt[row:row + 1], len(p), c1).data[0, 0], rtol=1e-5, atol=1e-5)


def test_generation_batches_keep_every_row_inside_the_context():
    from simplex_training.model.generate import _batches

    cfg = CFGS[0]  # context 64
    model = LlamaModel(cfg, seed=6)
    prompts = [[3] * 10, [4] * 50, [5] * 60, [6] * 64]
    assert _batches([len(p) for p in prompts], 16, 40, 64) == [[0], [1], [2], [3]]
    assert _batches([len(p) for p in prompts], 16, 4, 64) == [[0, 1, 2], [3]]
    assert _batches([5, 3, 4, 3], 2, 4, 64) == [[1, 3], [2, 0]]
    together = generate(model, prompts, 40, batch_size=16)
    alone = [generate(model, [p], 40)[0] for p in prompts]
    assert together == alone
    assert [len(r) for r in together] == [40, 14, 4, 0]
    with pytest.raises(ValueError, match="more than the context length"):
        generate(model, [[1] * 65], 4)


def test_prefill_in_row_chunks_gives_the_same_tokens(monkeypatch):
    import simplex_training.model.generate as gen

    model = LlamaModel(CFGS[0], seed=8)
    rng = np.random.default_rng(5)
    prompts = [list(rng.integers(1, 97, n)) for n in (4, 7, 7, 9, 12)]
    whole = generate(model, prompts, 10)
    monkeypatch.setattr(gen, "PREFILL_SCORE_BYTES", 4 * 4 * 12 * 12 * 2)  # two rows per chunk
    assert generate(model, prompts, 10) == whole


@pytest.mark.parametrize("compact_at", [0.0, 0.5, 1.0], ids=["never", "half", "every-stop"])
def test_rows_that_stop_are_dropped_without_changing_the_others(monkeypatch, compact_at):
    import simplex_training.model.generate as gen

    model = LlamaModel(CFGS[0], seed=9)
    rng = np.random.default_rng(6)
    prompts = [list(rng.integers(1, 97, n)) for n in (3, 5, 5, 8, 9, 11, 12, 14)]
    free = [generate(model, [p], 16)[0] for p in prompts]
    stops = {free[0][1], free[3][6], free[5][11]}  # rows end at different steps, some never

    def cut(out):
        first = next((j for j, t in enumerate(out) if t in stops), None)
        return out if first is None else out[: first + 1]

    expected = [cut(out) for out in free]
    assert len({len(out) for out in expected}) > 2
    monkeypatch.setattr(gen, "COMPACT_AT", compact_at)
    assert generate(model, prompts, 16, stop_ids=stops, batch_size=8) == expected


def test_kv_cache_keeps_the_chosen_rows():
    from simplex_training.plugins.layers.attention import KVCache

    c = KVCache.empty(4, 2, 6, 3, start=np.array([0, 2, 1, 3]))
    c.append(np.arange(4 * 2 * 2 * 3, dtype=np.float32).reshape(4, 2, 2, 3), np.ones((4, 2, 2, 3), np.float32))
    k = c.k.copy()
    c.keep(np.array([1, 3]))
    assert c.k.shape == (2, 2, 6, 3) and c.length == 2
    np.testing.assert_array_equal(c.k, k[[1, 3]])
    np.testing.assert_array_equal(c.start, [2, 3])


def test_sampling_is_seeded_and_respects_top_k():
    logits = np.log(np.array([[0.5, 0.3, 0.15, 0.05]] * 2000))
    a = sample_next(logits, np.random.default_rng(0), temperature=1.0, top_k=2)
    b = sample_next(logits, np.random.default_rng(0), temperature=1.0, top_k=2)
    assert (a == b).all() and set(a.tolist()) == {0, 1}
    assert abs((a == 0).mean() - 0.5 / 0.8) < 0.05
    c = sample_next(logits, np.random.default_rng(1), temperature=1.0, top_p=0.6)
    assert set(c.tolist()) == {0, 1}  # 0.5 < 0.6 needs the second token, not the third


def test_training_reduces_loss_and_is_deterministic():
    from simplex_training.engine.optim import AdamW

    def run():
        cfg = CFGS[0]
        model = LlamaModel(cfg, seed=7)
        opt = AdamW(model.parameters(), lr=3e-3)
        data = np.tile(np.arange(20) % 7, (4, 1))  # a learnable pattern
        losses = []
        for _ in range(30):
            loss = model.loss(data[:, :-1], data[:, 1:])
            for p in model.parameters():
                p.grad = None
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, model.state_dict()

    l1, w1 = run()
    l2, w2 = run()
    assert l1[-1] < 0.5 * l1[0]
    assert l1 == l2 and all(np.array_equal(w1[k], w2[k]) for k in w1)


@pytest.mark.parametrize("cfg", CFGS, ids=["gqa-untied", "mha-tied"])
def test_loss_on_scored_positions_equals_loss_over_full_logits(cfg):
    """The loss projects only scored positions; value and every gradient match the full projection."""
    from simplex_training.engine import functional as F

    ids = np.random.default_rng(2).integers(0, cfg.vocab_size, (3, 17))
    targets = np.roll(ids, -1, axis=1)
    targets[:, :9] = -100  # a prompt
    targets[2, 12:] = -100  # padding
    runs = []
    for full in (True, False):
        model = LlamaModel(cfg, seed=4, dtype=np.float64)
        if full:
            logits = model(ids)
            loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), targets.reshape(-1))
        else:
            loss = model.loss(ids, targets)
        loss.backward()
        runs.append((loss.item(), {n: p.grad.copy() for n, p in model.named_weights().items()}))
    (full_loss, full_grads), (loss, grads) = runs
    assert abs(full_loss - loss) < 1e-12
    for name, g in full_grads.items():
        assert np.abs(grads[name] - g).max() < 1e-12, name
    with pytest.raises(ValueError, match="do not match"):
        LlamaModel(cfg, seed=4).loss(ids, targets[:, :5])
    model = LlamaModel(cfg, seed=4)
    nothing = model.loss(ids, np.full(ids.shape, -100))  # a batch with nothing scored
    nothing.backward()
    assert nothing.item() == 0.0 and not np.any(model.norm.weight.grad)


def test_last_only_logits_are_the_last_row_of_the_full_logits():
    cfg = CFGS[1]
    model = LlamaModel(cfg, seed=5)
    ids = np.random.default_rng(3).integers(0, cfg.vocab_size, (2, 11))
    with no_grad():
        full, last = model(ids).data, model(ids, last_only=True).data
    assert last.shape == (2, 1, cfg.vocab_size)
    np.testing.assert_allclose(last[:, 0], full[:, -1], rtol=0, atol=1e-5)


def test_frozen_base_gets_no_gradients():
    cfg = CFGS[0]
    model = LlamaModel(cfg, seed=1).freeze()
    model.norm.weight.unfreeze()
    ids = np.arange(12)[None] % cfg.vocab_size
    model.loss(ids[:, :-1], ids[:, 1:]).backward()
    assert model.norm.weight.grad is not None
    assert all(p.grad is None for n, p in model.named_weights().items() if n != "output_norm.weight")


def test_bad_weights_and_overlong_input_are_clear_errors():
    cfg = CFGS[0]
    w = random_weights(cfg)
    del w["blk.1.ffn_up.weight"]
    with pytest.raises(ValueError, match="missing"):
        LlamaModel(cfg, weights=w)
    with pytest.raises(ValueError, match="context length"):
        LlamaModel(cfg)(np.zeros((1, cfg.context_length + 1), dtype=int))
