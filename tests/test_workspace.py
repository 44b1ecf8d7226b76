"""The fast training step (rnn_core/workspace.py) against the readable forward/BPTT/optimiser.

B = 1 must be bit for bit the readable code (the notebooks store its numbers); B > 1 may
round differently, so it is held to float tolerances and to numerical gradients.
"""
import numpy as np
import pytest

from rnn_core.bptt import gradients
from rnn_core.forward import hidden_states, init_params, probabilities
from rnn_core.gradcheck import grad_check
from rnn_core.loss import nll
from rnn_core.optim import adagrad_step, clip_elementwise, sgd_step, zeros_like
from rnn_core.train import train
from rnn_core.workspace import Workspace

V, H, T = 13, 9, 11


def _model(seed, dtype=np.float64, scale=0.3, V=V, H=H):
    """Non-zero biases and weights large enough for tanh to saturate now and then."""
    params = init_params(V, H, seed=seed)
    rng = np.random.default_rng(seed + 50)
    return {k: (p + rng.standard_normal(p.shape) * scale).astype(dtype) for k, p in params.items()}


def _batch(seed, B, V=V, H=H, T=T, dtype=np.float64):
    rng = np.random.default_rng(seed)
    inputs = rng.integers(0, V, (T, B)).astype(np.uint8)
    inputs[3] = inputs[2]  # a character repeated at consecutive steps
    targets = rng.integers(0, V, (T, B)).astype(np.uint8)
    h0 = (rng.standard_normal((B, H)) * 0.5).astype(dtype)
    return inputs, targets, h0


def _readable(params, inputs, targets, h0):
    hs = hidden_states(params, inputs, h0)
    ps = probabilities(params, hs[1:])
    return nll(ps, targets), gradients(params, inputs, targets, hs, ps), hs


def _workspace(params, B, T=T):
    return Workspace(params, zeros_like(params), T, B)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(6))
def test_one_stream_is_bit_identical_to_the_readable_step(seed, dtype):
    params = _model(seed, dtype)
    inputs, targets, h0 = _batch(seed, 1, dtype=dtype)
    loss, grads, hs = _readable(params, inputs, targets, h0)
    ws = _workspace(params, 1)
    assert ws.gradients(inputs, targets, h0) == loss
    assert np.array_equal(ws.hs, hs)
    for k in grads:
        assert ws.grads[k].dtype == dtype
        assert np.array_equal(ws.grads[k], grads[k]), k


def test_a_second_step_with_other_inputs_overwrites_every_gradient():
    params = _model(1)
    ws = _workspace(params, 1)
    ws.gradients(*_batch(1, 1))
    inputs, targets, h0 = _batch(2, 1)
    loss, grads, _ = _readable(params, inputs, targets, h0)
    assert ws.gradients(inputs, targets, h0) == loss
    for k in grads:
        assert np.array_equal(ws.grads[k], grads[k]), k


@pytest.mark.parametrize("B", [2, 5, 32])
def test_batched_step_matches_the_readable_step_to_rounding(B):
    params = _model(3, scale=0.1)
    inputs, targets, h0 = _batch(4, B)
    loss, grads, hs = _readable(params, inputs, targets, h0)
    ws = _workspace(params, B)
    assert ws.gradients(inputs, targets, h0) == pytest.approx(loss, rel=1e-13)
    assert np.allclose(ws.hs, hs, rtol=0, atol=1e-13)
    for k in grads:
        assert np.allclose(ws.grads[k], grads[k], rtol=1e-11, atol=1e-13), k


def test_batched_float32_step_matches_the_float64_readable_step():
    p64 = _model(5, scale=0.1, V=65, H=100)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    inputs, targets, h0 = _batch(6, 32, V=65, H=100, T=25)
    loss, grads, _ = _readable(p64, inputs, targets, h0)
    ws = _workspace(p32, 32, T=25)
    assert ws.gradients(inputs, targets, h0.astype(np.float32)) == pytest.approx(loss, rel=1e-5)
    for k in grads:
        assert ws.grads[k].dtype == np.float32
        scale = np.abs(grads[k]).max()
        assert np.abs(ws.grads[k] - grads[k]).max() < 1e-4 * scale, k


@pytest.mark.parametrize("B", [2, 4])
def test_batched_gradients_match_numerical_estimate(B):
    params = _model(7)
    inputs, targets, h0 = _batch(8, B)
    ws = _workspace(params, B)
    ws.gradients(inputs, targets, h0)
    errors = grad_check(params, inputs, targets, h0, grads=ws.grads)
    for name, err in errors.items():
        assert err.max() < 1e-6, (name, err.max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batched_softmax_with_huge_logits_takes_the_shifted_path(dtype):
    # |Why| rows sum to far more than exp() can take: the softmax must subtract each
    # row's max, as the readable softmax does, and still give finite probabilities
    params = _model(9, np.float64, scale=0.1)
    params["Why"] *= 400
    params = {k: v.astype(dtype) for k, v in params.items()}
    inputs, targets, h0 = _batch(10, 3, dtype=dtype)
    with np.errstate(over="raise", invalid="raise"):
        ws = _workspace(params, 3)
        loss = ws.gradients(inputs, targets, h0)
    ref, grads, _ = _readable(params, inputs, targets, h0)
    assert np.isfinite(loss) and loss > 100
    assert loss == pytest.approx(ref, rel=1e-4)
    assert np.allclose(ws.grads["by"], grads["by"], atol=1e-3)


def test_batched_softmax_without_shift_holds_at_the_edge_of_its_bound():
    # h = tanh(+-20) = +-1 exactly, and Why row 0 is aligned with it: logit 0 is 82, just
    # under float32's bound (~83.5 at V = 13), where exp(82) ~ 4e35 is still finite
    V, H = 13, 100
    params = init_params(V, H, dtype=np.float32)
    signs = np.where(np.arange(H) % 3 == 0, -1, 1).astype(np.float32)
    params["Wxh"][...] = 20 * signs[:, None]
    params["Whh"][...] = 0
    params["Why"][...] = 0
    params["Why"][0] = 0.82 * signs
    ws = _workspace(params, 4, T=3)
    inputs = np.arange(12).reshape(3, 4) % V
    targets = np.ones((3, 4), dtype=int)  # always the unlikely character: ~82 nats each
    h0 = np.zeros((4, H), np.float32)
    with np.errstate(over="raise", invalid="raise"):
        loss = ws.gradients(inputs, targets, h0)
    ref, grads, _ = _readable(params, inputs, targets, h0)
    assert loss == pytest.approx(ref, rel=1e-5) and ref > 12 * 80
    for k in grads:
        assert np.allclose(ws.grads[k], grads[k], rtol=1e-5, atol=1e-4), k


def test_clip_and_adagrad_over_the_flat_arrays_equal_the_per_parameter_functions():
    params = _model(11)
    grads = {k: v * 40 for k, v in _model(12).items()}  # some beyond the clip
    memory = {k: np.abs(v) for k, v in _model(13).items()}
    ws = Workspace(params, memory, T, 1)
    for k in grads:
        ws.grads[k][...] = grads[k]
    ws.clip(5.0)
    ws.adagrad(0.1)
    ref_params = {k: v.copy() for k, v in params.items()}
    ref_memory = {k: v.copy() for k, v in memory.items()}
    clip_elementwise(grads, 5.0)
    adagrad_step(ref_params, grads, ref_memory, 0.1)
    for k in params:
        assert np.array_equal(ws.params[k], ref_params[k]), k
        assert np.array_equal(ws.memory[k], ref_memory[k]), k


def test_sgd_over_the_flat_array_equals_the_per_parameter_function():
    params, grads = _model(14), _model(15)
    ws = _workspace(params, 1)
    for k in grads:
        ws.grads[k][...] = grads[k]
    ws.sgd(0.3)
    sgd_step(params, grads, 0.3)
    for k in params:
        assert np.array_equal(ws.params[k], params[k]), k


def test_the_workspace_copies_the_parameters_it_is_given():
    params = _model(16)
    before = {k: v.copy() for k, v in params.items()}
    ws = _workspace(params, 2)
    ws.params["Whh"][...] = 0
    for k in params:
        assert np.array_equal(params[k], before[k])
    assert all(np.shares_memory(ws.params[k], ws.theta) for k in ws.params)


TEXT = "the cat sat on the mat; the dog sat on the log. " * 8


def _reference_run(steps, B, dtype, hidden=10, seq=7, lr=0.1, clip=5.0):
    """train's sweep written with the readable, checked functions only."""
    from rnn_core.bptt import loss_and_grads
    from rnn_core.data import batch_at, prepare, streams, wraps

    vocab, ids, _ = prepare(TEXT, seq, 0.0)
    params = init_params(vocab.size, hidden, seed=0, dtype=dtype)
    memory = zeros_like(params)
    S = streams(ids, B)
    h, pos = np.zeros((B, hidden), dtype), 0
    for _ in range(steps):
        if wraps(pos, seq, S.shape[1]):
            pos, h = 0, np.zeros_like(h)
        inputs, targets = batch_at(S, pos, seq)
        _, grads, h = loss_and_grads(params, inputs, targets, h)
        clip_elementwise(grads, clip)
        adagrad_step(params, grads, memory, lr)
        pos += seq
    return params, memory, h


def test_training_with_one_stream_is_bit_identical_to_the_readable_loop():
    params, memory, h = _reference_run(30, 1, np.float64)
    state, _ = train(TEXT, steps=30, hidden=10, seq=7, val_fraction=0.0, eval_every=0, log_every=0)
    for k in params:
        assert np.array_equal(state["params"][k], params[k]), k
        assert np.array_equal(state["memory"][k], memory[k]), k
    assert np.array_equal(state["h"], h)


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-9), ("float32", 2e-3)])
def test_batched_training_follows_the_readable_loop(dtype, tol):
    params, memory, _ = _reference_run(12, 4, np.dtype(dtype))
    state, _ = train(TEXT, steps=12, hidden=10, seq=7, batch=4, dtype=dtype, val_fraction=0.0,
                     eval_every=0, log_every=0)
    for k in params:
        assert state["params"][k].dtype == np.dtype(dtype)
        assert np.allclose(state["params"][k], params[k], rtol=0, atol=tol), k


def test_arrays_a_callback_puts_in_the_state_are_trained_from_then_on():
    def swap(state, history):
        if state["step"] == 3:
            state["params"]["Why"] = np.zeros_like(state["params"]["Why"])
        return False

    kwargs = dict(hidden=10, seq=7, val_fraction=0.0, eval_every=0, log_every=0)
    swapped, _ = train(TEXT, steps=5, callback=swap, **kwargs)
    first, _ = train(TEXT, steps=3, **kwargs)
    first["params"]["Why"] = np.zeros_like(first["params"]["Why"])
    resumed, _ = train(TEXT, steps=2, resume=first, **kwargs)
    for k in resumed["params"]:
        assert np.array_equal(swapped["params"][k], resumed["params"][k]), k
