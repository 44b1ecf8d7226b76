"""The batched engine with B = 1 reproduces the classic per-step min-char-rnn numbers."""
import numpy as np
import pytest

from classic import classic_adagrad, classic_loss, classic_train
from rnn_core.bptt import loss_and_grads
from rnn_core.data import prepare
from rnn_core.forward import forward, init_params
from rnn_core.optim import adagrad_step, clip_elementwise, zeros_like
from rnn_core.train import train

TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n" * 3)


def _setup(seed=0, H=20):
    vocab, ids, _ = prepare(TEXT, seq=25, val_fraction=0.0)
    params = init_params(vocab.size, H, seed=seed)
    return vocab, ids, params


def _assert_close(a, b, tol=1e-12):
    """Equal to ``tol``, absolute for values up to 1 and relative above (Adagrad memory reaches 25+)."""
    assert a.shape == b.shape
    assert np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b))) < tol


def test_loss_grads_and_one_adagrad_step_match_the_classic_loop():
    vocab, ids, params = _setup()
    rng = np.random.default_rng(5)
    # a trained-looking model, so that clipping and tanh saturation both take part
    params = {k: v + rng.standard_normal(v.shape) * 0.5 for k, v in params.items()}
    inputs, targets = ids[10:35], ids[11:36]
    h0 = rng.standard_normal(20) * 0.3

    ref_loss, ref_grads, ref_h = classic_loss(params, list(inputs), list(targets), h0.reshape(-1, 1))
    loss, grads, h = loss_and_grads(params, inputs, targets, h0)
    clip_elementwise(grads, 5.0)
    assert abs(loss - ref_loss) < 1e-12 * max(1.0, abs(ref_loss))
    for k in grads:
        _assert_close(grads[k], ref_grads[k])
    _assert_close(h, ref_h.ravel())
    assert any(np.abs(g).max() == 5.0 for g in ref_grads.values())  # clipping really happened

    ref_params = {k: v.copy() for k, v in params.items()}
    ref_mem = zeros_like(params)
    classic_adagrad(ref_params, ref_grads, ref_mem, 0.1)
    memory = zeros_like(params)
    adagrad_step(params, grads, memory, 0.1)
    for k in params:
        _assert_close(params[k], ref_params[k])
        _assert_close(memory[k], ref_mem[k])


def test_forward_probabilities_match_the_classic_column_vector_form():
    vocab, ids, params = _setup(seed=3)
    hs, ps = forward(params, ids[:12])
    h = np.zeros((20, 1))
    for t, x in enumerate(ids[:12]):
        xv = np.zeros((vocab.size, 1))
        xv[x] = 1
        h = np.tanh(params["Wxh"] @ xv + params["Whh"] @ h + params["bh"][:, None])
        y = params["Why"] @ h + params["by"][:, None]
        p = np.exp(y) / np.exp(y).sum()
        _assert_close(hs[t + 1], h.ravel())
        _assert_close(ps[t], p.ravel())


def test_training_with_batch_1_follows_the_classic_sweep_step_for_step():
    vocab, ids, params = _setup(seed=2)
    steps = 40  # the text is ~240 chars: the sweep wraps around several times
    ref = classic_train(params, ids, 25, 0.1, steps)
    state, _ = train(TEXT, steps=steps, hidden=20, seed=2, val_fraction=0.0, eval_every=0)
    for k in params:
        _assert_close(state["params"][k], ref[0][k], 1e-10)
        _assert_close(state["memory"][k], ref[1][k], 1e-8)
    _assert_close(state["h"][0], ref[2].ravel(), 1e-10)
    assert state["pos"] == ref[3]
    # the classic smoothed loss is per sequence of 25; ours is per character
    assert state["smooth_loss"] * 25 == pytest.approx(ref[4], rel=1e-12)
