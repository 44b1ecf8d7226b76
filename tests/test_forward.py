import numpy as np
import pytest

from rnn_core.forward import forward, init_params, softmax


def test_init_matches_min_char_rnn_shapes_and_scale():
    p = init_params(65, 100, seed=0)
    assert {k: v.shape for k, v in p.items()} == {
        "Wxh": (100, 65), "Whh": (100, 100), "Why": (65, 100), "bh": (100,), "by": (65,)}
    assert abs(p["Whh"].std() - 0.01) < 0.001
    assert not p["bh"].any() and not p["by"].any()
    assert all(v.dtype == np.float64 for v in p.values())


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = init_params(5, 4, seed=1), init_params(5, 4, seed=1), init_params(5, 4, seed=2)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["Wxh"], c["Wxh"])


def test_float32_on_request():
    p = init_params(5, 4, dtype="float32")
    assert all(v.dtype == np.float32 for v in p.values())
    hs, ps = forward(p, np.array([1, 2, 3]))
    assert hs.dtype == np.float32 and ps.dtype == np.float32


def test_softmax_is_stable_for_huge_logits():
    with np.errstate(over="raise", invalid="raise"):
        p = softmax(np.array([1000.0, 1001.0, -1000.0]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1)
    assert p[1] == pytest.approx(1 / (1 + np.exp(-1)))


def test_batched_forward_equals_each_stream_run_alone():
    p = init_params(7, 5, seed=4)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 7, (6, 3))
    h0 = rng.standard_normal((3, 5))
    hs, ps = forward(p, x, h0)
    assert hs.shape == (7, 3, 5) and ps.shape == (6, 3, 7)
    for b in range(3):
        hb, pb = forward(p, x[:, b], h0[b])
        assert np.allclose(hs[:, b], hb, atol=1e-14, rtol=0) and np.allclose(ps[:, b], pb, atol=1e-14, rtol=0)


def test_why_must_be_v_by_h_even_when_it_would_broadcast():
    """Seed 002 made Why (V, V); it only ran because H == V there."""
    p = init_params(6, 6)
    p["Why"] = np.zeros((6, 6))  # fine: V == H
    forward(p, [1, 2])
    q = init_params(6, 4)
    q["Why"] = np.zeros((6, 6))
    with pytest.raises(ValueError, match=r"Why has shape \(6, 6\), expected \(6, 4\)"):
        forward(q, [1, 2])


@pytest.mark.parametrize("V, H", [(0, 3), (3, 0), (3, -1), (3, 2.5)])
def test_nonsense_sizes_are_refused(V, H):
    with pytest.raises(ValueError, match="positive integer"):
        init_params(V, H)


def test_bad_inputs_are_named():
    p = init_params(4, 3)
    with pytest.raises(ValueError, match=r"ids in 0..3"):
        forward(p, [1, 9])
    with pytest.raises(ValueError, match="h0 has shape"):
        forward(p, [1, 2], np.zeros(5))
    with pytest.raises(ValueError, match="integer"):
        forward(p, [0.5, 1.0])
