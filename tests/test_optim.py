"""The update rules and clipping, against their formulas written out by hand."""
import numpy as np
import pytest

from rnn_core.optim import adagrad_step, clip_elementwise, clip_global_norm, global_norm, sgd_step


def _grads():
    rng = np.random.default_rng(0)
    return {"a": rng.standard_normal((3, 4)) * 4, "b": rng.standard_normal(5) * 4}


def test_sgd_moves_against_the_gradient():
    params = {"a": np.ones((3, 4)), "b": np.zeros(5)}
    g = _grads()
    sgd_step(params, g, lr=0.25)
    assert np.array_equal(params["a"], 1 - 0.25 * g["a"])
    assert np.array_equal(params["b"], -0.25 * g["b"])


def test_adagrad_accumulates_squares_and_divides_by_their_root():
    params = {"a": np.ones((3, 4)), "b": np.zeros(5)}
    memory = {"a": np.full((3, 4), 2.0), "b": np.zeros(5)}
    g = _grads()
    adagrad_step(params, g, memory, lr=0.1)
    assert np.allclose(memory["a"], 2.0 + g["a"] ** 2, rtol=1e-15)
    assert np.allclose(params["a"], 1 - 0.1 * g["a"] / np.sqrt(2.0 + g["a"] ** 2 + 1e-8), rtol=1e-15)
    # a first Adagrad step moves every weight by almost exactly lr, whatever its gradient
    assert np.allclose(np.abs(params["b"]), 0.1, rtol=1e-6)


def test_elementwise_clip_bounds_each_element():
    g = _grads()
    before = {k: v.copy() for k, v in g.items()}
    clip_elementwise(g, 1.5)
    for k in g:
        assert np.array_equal(g[k], np.clip(before[k], -1.5, 1.5))


def test_global_norm_clip_rescales_everything_by_one_factor():
    g = _grads()
    before = {k: v.copy() for k, v in g.items()}
    norm = clip_global_norm(g, 2.0)
    assert norm == pytest.approx(np.sqrt(sum((v ** 2).sum() for v in before.values())))
    assert global_norm(g) == pytest.approx(2.0)
    for k in g:
        assert np.allclose(g[k], before[k] * 2.0 / norm)  # same direction
    small = {"a": np.array([0.3, -0.4])}
    clip_global_norm(small, 2.0)
    assert np.array_equal(small["a"], [0.3, -0.4])  # below the limit: untouched


@pytest.mark.parametrize("lr", [0, -0.1, float("inf"), float("nan"), "0.1", True])
def test_nonsense_learning_rates_are_named(lr):
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        sgd_step({"a": np.ones(2)}, {"a": np.ones(2)}, lr=lr)
