"""What the stepper shows at step t, checked against independent references:
a plain per-step loop (notebook 04's by-hand form), numerical derivatives and
the classic min-char-rnn gradients."""
import numpy as np
import pytest

from classic import classic_loss
from rnn_core.bptt import loss_and_grads
from rnn_core.encoding import build_vocab, encode
from rnn_core.forward import init_params
from rnn_core.stepper import (STRETCH_BELOW, colour_scales, default_scale, largest, steps, trace,
                             view)

TEXT = "hello world, hello numpy"
VOCAB = build_vocab(TEXT)


def _params(H=8):
    rng = np.random.default_rng(3)
    fresh = init_params(VOCAB.size, H, seed=0)
    # non-zero biases and large weights: a missing term cannot hide behind a zero
    return {k: p + rng.standard_normal(p.shape) * 0.4 for k, p in fresh.items()}


def _by_hand(params, ids, h0):
    """-> hs (list, hs[0] = h0), ps (list): one step after another, column formulas."""
    Wxh, Whh, Why, bh, by = (params[k] for k in ("Wxh", "Whh", "Why", "bh", "by"))
    hs, ps = [h0], []
    for x in ids:
        hs.append(np.tanh(Wxh[:, x] + Whh @ hs[-1] + bh))
        y = Why @ hs[-1] + by
        ps.append(np.exp(y - y.max()) / np.exp(y - y.max()).sum())
    return hs, ps


def test_forward_view_at_every_step_matches_a_plain_loop():
    params = _params()
    h0 = np.random.default_rng(5).standard_normal(8) * 0.5
    tr = trace(params, VOCAB, TEXT, h0=h0)
    ids = encode(TEXT, VOCAB)
    hs, ps = _by_hand(params, ids[:-1], h0)
    assert steps(tr) == len(TEXT) - 1
    total = 0.0
    for t in range(1, len(TEXT)):
        v = view(tr, t, "forward")
        assert v["x_char"] == TEXT[t - 1] and v["x_id"] == ids[t - 1]
        assert v["target_char"] == TEXT[t] and v["read"] == TEXT[:t]
        assert np.allclose(v["h_prev"], hs[t - 1]) and np.allclose(v["h"], hs[t])
        p = ps[t - 1]
        loss = -np.log(p[ids[t]])
        total += loss
        assert np.isclose(v["loss"], loss) and np.isclose(v["loss_sum"], total)
        assert np.isclose(v["loss_mean"], total / t)
        assert np.isclose(v["p_target"], p[ids[t]])
        order = sorted(range(VOCAB.size), key=lambda j: -p[j])[:5]
        assert [c for c, _, _ in v["top"]] == [VOCAB.chars[j] for j in order]
        assert [mark for _, _, mark in v["top"]] == [j == ids[t] for j in order]
        assert v["target_rank"] == 1 + sum(q > p[ids[t]] for q in p)


def test_backward_steps_add_up_to_the_classic_gradients():
    params = _params()
    tr = trace(params, VOCAB, TEXT)
    ids = encode(TEXT, VOCAB).tolist()
    _, grads, _ = classic_loss(params, ids[:-1], ids[1:], np.zeros((8, 1)), clip=None)
    T = steps(tr)
    dWhh = sum(view(tr, t, "backward")["dWhh"] for t in range(1, T + 1))
    assert np.allclose(dWhh, grads["Whh"])
    assert np.allclose(sum(view(tr, t, "backward")["dhraw"] for t in range(1, T + 1)), grads["bh"])
    assert np.allclose(sum(view(tr, t, "backward")["dy"] for t in range(1, T + 1)), grads["by"])



def test_backward_steps_add_up_to_rnn_core_backward_from_a_non_zero_h0():
    """The stepper's per-step loop and the engine's BPTT must not drift apart."""
    params = _params()
    h0 = np.random.default_rng(5).standard_normal(8) * 0.5
    tr = trace(params, VOCAB, TEXT, h0=h0)
    ids = encode(TEXT, VOCAB)
    _, grads, _ = loss_and_grads(params, ids[:-1], ids[1:], h0)
    views = [view(tr, t, "backward") for t in range(1, steps(tr) + 1)]
    assert np.allclose(sum(v["dWhh"] for v in views), grads["Whh"])
    assert np.allclose(sum(v["dhraw"] for v in views), grads["bh"])
    assert np.allclose(sum(v["dy"] for v in views), grads["by"])
    assert np.allclose(tr["dy"].T @ tr["hs"][1:], grads["Why"])  # dWhy = sum_t dy_t h_t^T

@pytest.mark.parametrize("t", [3, 12, 22])
def test_dhnext_is_the_derivative_of_the_later_losses_by_h_t(t):
    """dhnext at step t is d(loss of steps t+1..T)/dh_t: checked by central differences."""
    params = _params()
    tr = trace(params, VOCAB, TEXT)
    ids = encode(TEXT, VOCAB)
    later = ids[t:]  # x_{t+1} ... and their targets

    def later_loss(h):
        _, ps = _by_hand(params, later[:-1], h)
        return -sum(np.log(p[k]) for p, k in zip(ps, later[1:]))

    h_t = tr["hs"][t]
    eps = 1e-6
    numerical = np.array([(later_loss(h_t + eps * e) - later_loss(h_t - eps * e)) / (2 * eps)
                          for e in np.eye(8)])
    v = view(tr, t, "backward")
    assert np.allclose(v["dh_next"], numerical, atol=1e-6)
    # the other part of dh_t is this step's own prediction: Why^T (p_t - onehot(target))
    dy = tr["ps"][t - 1].copy()
    dy[ids[t]] -= 1
    assert np.allclose(v["dh_pred"], params["Why"].T @ dy)
    assert np.allclose(v["dh"], v["dh_pred"] + v["dh_next"])
    assert np.isclose(v["dy_target"], tr["ps"][t - 1][ids[t]] - 1)


def test_dhnext_is_zero_at_the_last_step_and_its_history_grows_walking_back():
    tr = trace(_params(), VOCAB, TEXT)
    T = steps(tr)
    last = view(tr, T, "backward")
    assert not last["dh_next"].any(), "nothing flows back into h_T from after the text"
    assert [s for s, _ in last["dhnext_norms"]] == [T]
    first = view(tr, 1, "backward")
    assert [s for s, _ in first["dhnext_norms"]] == list(range(T, 0, -1))
    assert np.isclose(first["dhnext_norms"][-1][1], np.linalg.norm(first["dh_next"]))


def test_bad_arguments_say_what_to_do():
    params = _params()
    with pytest.raises(ValueError, match="at least 2 characters"):
        trace(params, VOCAB, "h")
    with pytest.raises(ValueError, match="'z'.*not in the"):
        trace(params, VOCAB, "hello z")
    tr = trace(params, VOCAB, TEXT)
    with pytest.raises(ValueError, match="from 1 to 23"):
        view(tr, 0)
    with pytest.raises(ValueError, match="from 1 to 23"):
        view(tr, 24)
    with pytest.raises(ValueError, match="'forward' or 'backward'"):
        view(tr, 1, "sideways")
    with pytest.raises(ValueError, match="vocabulary"):
        trace(init_params(VOCAB.size + 1, 8), VOCAB, TEXT)


# --- colour scales of the strips ---

def test_largest_values_are_the_maxima_over_every_step_of_the_text():
    params = _params()
    h0 = np.random.default_rng(5).standard_normal(8) * 0.5
    tr = trace(params, VOCAB, TEXT, h0=h0)
    T = steps(tr)
    forward_views = [view(tr, t, "forward") for t in range(1, T + 1)]
    backward_views = [view(tr, t, "backward") for t in range(1, T + 1)]
    expected = {
        "h": max(np.abs(h0).max(), max(np.abs(v["h"]).max() for v in forward_views)),
        "dy": max(np.abs(v["dy"]).max() for v in backward_views),
        "dh": max(max(np.abs(v[k]).max() for k in ("dh_pred", "dh_next", "dh")) for v in backward_views),
        # every entry of every step's (H, H) share, written out
        "dWhh": max(np.abs(v["dWhh"]).max() for v in backward_views)}
    got = largest(tr)
    assert got.keys() == expected.keys()
    for family in expected:
        assert got[family] == pytest.approx(expected[family], rel=1e-12), family


def test_an_untrained_model_is_stretched_by_default_and_a_strong_one_fixed():
    fresh = trace(init_params(VOCAB.size, 8, seed=0), VOCAB, TEXT)
    assert largest(fresh)["h"] < 0.05  # weights * 0.01: every h_t within a few hundredths of 0
    assert default_scale(largest(fresh)) == "stretched"
    strong = trace(_params(), VOCAB, TEXT)
    assert largest(strong)["h"] > 0.9
    assert default_scale(largest(strong)) == "fixed"
    assert default_scale({"h": STRETCH_BELOW}) == "fixed"  # "below" is strict


def test_fixed_scale_is_one_and_stretched_is_the_largest_value_of_each_family():
    maxima = {"h": 0.03, "dy": 0.98, "dh": 5.9, "dWhh": 0.0}
    assert colour_scales(maxima, "fixed") == {"h": 1.0, "dy": 1.0, "dh": 1.0, "dWhh": 1.0}
    stretched = colour_scales(maxima, "stretched")
    assert {k: stretched[k] for k in ("h", "dy", "dh")} == {"h": 0.03, "dy": 0.98, "dh": 5.9}
    assert 0 < stretched["dWhh"] < 1e-9, "an all-zero family gets a tiny positive scale, not 0"
    with pytest.raises(ValueError, match="colour scale must be one of .*'fixed'.*got 'log'"):
        colour_scales(maxima, "log")


def test_what_a_step_passes_back_is_the_dhnext_of_the_step_before():
    params = _params()
    tr = trace(params, VOCAB, TEXT)
    T = steps(tr)
    for t in range(1, T + 1):
        v = view(tr, t, "backward")
        by_hand = params["Whh"].T @ tr["dhraw"][t - 1]  # Whh^T da_t
        assert np.allclose(v["passed_back"], by_hand)
        if t > 1:
            assert np.allclose(v["passed_back"], view(tr, t - 1, "backward")["dh_next"])
