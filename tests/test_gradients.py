"""BPTT against central differences: the derivation is proven, not assumed."""
import numpy as np
import pytest

from rnn_core.bptt import loss_and_grads
from rnn_core.forward import init_params
from rnn_core.gradcheck import grad_check, relative_error

V, H, T = 11, 7, 9


def _params(seed=1):
    # larger than the 0.01 init so gradients are not tiny and relative errors are meaningful
    params = init_params(V, H, seed=seed)
    rng = np.random.default_rng(seed + 100)
    return {k: p + rng.standard_normal(p.shape) * 0.3 for k, p in params.items()}


@pytest.mark.parametrize("B", [None, 1, 4])
def test_gradients_match_numerical_estimate_with_nonzero_h0(B):
    rng = np.random.default_rng(7)
    shape = (T,) if B is None else (T, B)
    inputs = rng.integers(0, V, shape)
    targets = rng.integers(0, V, shape)
    h0 = rng.standard_normal(shape[1:] + (H,)) * 0.5
    errors = grad_check(_params(), inputs, targets, h0)
    assert set(errors) == {"Wxh", "Whh", "Why", "bh", "by"}
    for name, err in errors.items():
        assert err.size == _params()[name].size  # every element was checked
        assert err.max() < 1e-6, (name, err.max())


def test_gradient_check_catches_bptt_without_dhnext():
    """Seed 001's bug: drop the recurrent term and the check must fail for Whh."""
    rng = np.random.default_rng(3)
    params = _params()
    inputs, targets = rng.integers(0, V, T), rng.integers(0, V, T)
    h0 = rng.standard_normal(H) * 0.5
    _, good, _ = loss_and_grads(params, inputs, targets, h0)
    # recompute the hidden-state gradients without dhnext
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    bad = {k: v.copy() for k, v in good.items()}
    bad["Whh"][:] = 0
    for t in range(T):
        y = params["Why"] @ hs[t + 1] + params["by"]
        p = np.exp(y - y.max())
        p /= p.sum()
        p[targets[t]] -= 1
        dhraw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ p)
        bad["Whh"] += np.outer(dhraw, hs[t])
    errors = grad_check(params, inputs, targets, h0, grads=bad)
    assert errors["Whh"].max() > 1e-2
    assert errors["Why"].max() < 1e-6


def test_relative_error_is_zero_for_equal_values_and_both_zero():
    assert relative_error(0.0, 0.0) == 0
    assert relative_error(1.0, 1.0) == 0
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)


def test_gradient_check_refuses_float32():
    params = init_params(V, H, dtype=np.float32)
    with pytest.raises(ValueError, match="float64"):
        grad_check(params, np.arange(3), np.arange(3))


def test_float32_gradients_agree_with_float64():
    rng = np.random.default_rng(0)
    p64 = _params()
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    x, y = rng.integers(0, V, (T, 3)), rng.integers(0, V, (T, 3))
    l64, g64, _ = loss_and_grads(p64, x, y)
    l32, g32, _ = loss_and_grads(p32, x, y)
    assert all(g32[k].dtype == np.float32 for k in g32)
    assert l32 == pytest.approx(l64, rel=1e-5)
    for k in g64:
        assert np.allclose(g32[k], g64[k], atol=1e-4)


def test_textbook_second_order_difference_agrees_too():
    rng = np.random.default_rng(11)
    inputs, targets = rng.integers(0, V, T), rng.integers(0, V, T)
    errors = grad_check(_params(), inputs, targets, eps=1e-4, order=2)
    assert max(e.max() for e in errors.values()) < 1e-5


def test_gradient_check_can_sample_a_subset_of_elements():
    rng = np.random.default_rng(12)
    inputs, targets = rng.integers(0, V, T), rng.integers(0, V, T)
    errors = grad_check(_params(), inputs, targets, max_per_param=5)
    assert errors["Whh"].size == 5 and errors["bh"].size == 5


def test_float_targets_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="targets must be integer"):
        loss_and_grads(_params(), np.arange(3), np.array([0.0, 1.0, 2.0]))
