"""evaluate against a plain per-character loop written without rnn_core's forward pass."""
import math

import numpy as np
import pytest

from rnn_core.train import evaluate


def _random_model(V, H, seed, dtype=np.float64):
    """Weights large enough that the hidden state matters, and non-zero biases."""
    rng = np.random.default_rng(seed)
    params = {"Wxh": rng.normal(0, 1.0, (H, V)), "Whh": rng.normal(0, 0.8, (H, H)),
              "Why": rng.normal(0, 1.5, (V, H)), "bh": rng.normal(0, 0.3, H),
              "by": rng.normal(0, 0.3, V)}
    return {k: v.astype(dtype) for k, v in params.items()}


def _losses_by_hand(params, ids, h):
    """-ln p(next) for each of ids[1:], one character at a time from the hidden state h."""
    P = {k: v.astype(np.float64) for k, v in params.items()}
    out = []
    for t in range(len(ids) - 1):
        h = np.tanh(P["Wxh"][:, ids[t]] + P["Whh"] @ h + P["bh"])
        y = P["Why"] @ h + P["by"]
        log_norm = y.max() + math.log(np.exp(y - y.max()).sum())
        out.append(log_norm - y[ids[t + 1]])
    return out


def _evaluate_by_hand(params, ids, streams_max, limit):
    """What evaluate's docstring promises, spelled out: the first limit + 1 ids, cut into
    B = min(streams_max, (n - 1) // 256) streams (at least one) of n // B ids, each read
    from h = 0; the mean of the per-character losses inside the streams."""
    if limit is not None:
        ids = ids[:limit + 1]
    n = len(ids)
    B = max(1, min(streams_max, (n - 1) // 256))
    L = n // B
    H = params["Whh"].shape[0]
    losses = []
    for b in range(B):
        losses += _losses_by_hand(params, ids[b * L:(b + 1) * L], np.zeros(H))
    return sum(losses) / len(losses), B, len(losses)


@pytest.mark.parametrize("n, streams_max, limit, seq", [
    (2, 64, None, 100),      # one prediction
    (3, 64, None, 1),
    (100, 64, None, 7),      # too short for a second stream
    (257, 64, None, 100),    # exactly one stream of 256 predictions
    (600, 64, None, 25),     # two streams, the tail id dropped
    (1000, 3, None, 1),      # seq 1: the state must be carried across every window
    (1000, 64, 100, 33),     # limit shorter than the text: limit predictions, limit + 1 ids
    (1000, 1, 500, 64),
    (1000, 64, 700, 33),
    (1000, 64, 5000, 33),    # limit longer than the text
    (2000, 1, None, 100),
    (5000, 64, 3000, 64),
])
def test_evaluate_matches_a_plain_per_character_loop_from_zero(n, streams_max, limit, seq):
    V, H = 7, 5
    params = _random_model(V, H, seed=n + streams_max)
    ids = np.random.default_rng(n).integers(0, V, size=n)
    expected, B, count = _evaluate_by_hand(params, ids, streams_max, limit)
    got = evaluate(params, ids, seq=seq, streams_max=streams_max, limit=limit)
    assert got == pytest.approx(expected, rel=1e-10), f"B = {B} streams, {count} predictions"


def test_evaluate_in_float32_agrees_with_the_float64_loop_to_float32_rounding():
    params = _random_model(11, 8, seed=3, dtype=np.float32)
    ids = np.random.default_rng(3).integers(0, 11, size=1500)
    expected, _, _ = _evaluate_by_hand(params, ids, 64, None)
    assert evaluate(params, ids) == pytest.approx(expected, rel=1e-5)


def test_each_stream_starts_from_zero_not_from_the_state_the_previous_one_ended_in():
    # with two streams, carrying the state from the first into the second gives another number
    params = _random_model(7, 5, seed=1)
    ids = np.random.default_rng(1).integers(0, 7, size=600)
    h_end = np.zeros(5)
    for t in range(299):
        h_end = np.tanh(params["Wxh"][:, ids[t]] + params["Whh"] @ h_end + params["bh"])
    zero = _losses_by_hand(params, ids[300:600], np.zeros(5))
    carried = _losses_by_hand(params, ids[300:600], h_end)
    assert abs(sum(zero) - sum(carried)) > 1e-3  # so the test below can tell them apart
    first = _losses_by_hand(params, ids[:300], np.zeros(5))
    assert evaluate(params, ids) == pytest.approx((sum(first) + sum(zero)) / 598, rel=1e-10)
