"""rnn_core.memory against independent references: central differences through the
forward pass, the explicit product of Jacobian matrices, reruns with a swapped character."""
import math
import re

import numpy as np
import pytest

import rnn_core
from rnn_core.memory import (gradients_back_in_time, influence_of_replacing, recall_score,
                             recall_text, total_variation)

V, H, T, B = 7, 6, 9, 3


@pytest.fixture
def model():
    """Weights large enough that no gradient is tiny, non-zero biases and h0."""
    rng = np.random.default_rng(11)
    params = {k: p + rng.standard_normal(p.shape) * 0.5
              for k, p in rnn_core.init_params(V, H, seed=3).items()}
    inputs = rng.integers(0, V, (T, B))
    targets = rng.integers(0, V, B)
    h0 = rng.standard_normal((B, H)) * 0.5
    return params, inputs, targets, h0


def last_loss(params, inputs, target, h):
    """-ln p_T[target] for one stream read from state h."""
    _, ps = rnn_core.forward(params, inputs, h)
    return -math.log(ps[-1, target])


def test_gradients_back_in_time_match_central_differences_of_the_last_loss(model):
    params, inputs, targets, h0 = model
    dhs = gradients_back_in_time(params, inputs, targets, h0)
    assert dhs.shape == (T + 1, B, H)
    eps = 1e-6
    for b in range(B):
        hs, _ = rnn_core.forward(params, inputs[:, b], h0[b])
        for k in range(1, T + 1):  # h_{T-k} = hs[T-k]; the last k inputs are read after it
            rest = inputs[T - k:, b]
            numeric = np.empty(H)
            for i in range(H):
                up, down = hs[T - k].copy(), hs[T - k].copy()
                up[i] += eps
                down[i] -= eps
                numeric[i] = (last_loss(params, rest, targets[b], up)
                              - last_loss(params, rest, targets[b], down)) / (2 * eps)
            np.testing.assert_allclose(dhs[k, b], numeric, rtol=1e-6, atol=1e-9)


def test_gradient_at_the_last_state_is_the_output_layer_gradient(model):
    params, inputs, targets, h0 = model
    _, ps = rnn_core.forward(params, inputs[:, 0], h0[0])
    dy = ps[-1] - np.eye(V)[targets[0]]
    dhs = gradients_back_in_time(params, inputs[:, 0], targets[0], h0[0])
    np.testing.assert_allclose(dhs[0], params["Why"].T @ dy)


def test_gradients_back_in_time_equal_the_explicit_jacobian_product(model):
    params, inputs, targets, h0 = model
    hs, _ = rnn_core.forward(params, inputs[:, 1], h0[1])
    dhs = gradients_back_in_time(params, inputs[:, 1], targets[1], h0[1])
    product = np.eye(H)  # dh_T / dh_{T-k} = J_T J_{T-1} ... J_{T-k+1}
    for k in range(1, T + 1):
        t = T - k + 1
        product = product @ (np.diag(1 - hs[t] ** 2) @ params["Whh"])
        np.testing.assert_allclose(dhs[k], product.T @ dhs[0], rtol=1e-10, atol=1e-14)


def test_one_stream_gives_the_same_gradients_as_its_column_of_a_batch(model):
    params, inputs, targets, h0 = model
    batch = gradients_back_in_time(params, inputs, targets, h0)
    for b in range(B):
        one = gradients_back_in_time(params, inputs[:, b], int(targets[b]), h0[b])
        np.testing.assert_allclose(one, batch[:, b], rtol=1e-12, atol=1e-15)


def test_influence_matches_rerunning_the_window_with_one_character_swapped(model):
    params, inputs, _, h0 = model
    rng = np.random.default_rng(5)
    replacements = (inputs + rng.integers(1, V, inputs.shape)) % V  # never the original
    tv = influence_of_replacing(params, inputs, replacements, h0)
    assert tv.shape == (T, B)
    for b in range(B):
        p_T = rnn_core.forward(params, inputs[:, b], h0[b])[1][-1]
        for k in range(T):
            swapped = inputs[:, b].copy()
            swapped[T - 1 - k] = replacements[T - 1 - k, b]
            q_T = rnn_core.forward(params, swapped, h0[b])[1][-1]
            assert tv[k, b] == pytest.approx(0.5 * sum(abs(p - q) for p, q in zip(p_T, q_T)), rel=1e-10)
            assert tv[k, b] > 0


def test_influence_is_zero_when_the_replacement_is_the_same_character(model):
    params, inputs, _, h0 = model
    assert np.all(influence_of_replacing(params, inputs, inputs, h0) == 0)


def test_total_variation_is_half_the_l1_distance_and_one_for_disjoint_distributions():
    assert total_variation(np.array([1.0, 0, 0]), np.array([0, 0.5, 0.5])) == pytest.approx(1.0)
    assert total_variation(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(0.25)


@pytest.mark.parametrize("lag", [1, 2, 7])
def test_recall_text_repeats_each_key_after_the_cue_lag_steps_later(lag):
    text = recall_text(lag, 50, keys="abcd", fillers="xyz", seed=4)
    assert len(text) == 50 * (lag + 2)
    episodes = re.findall(rf"([abcd])([xyz]{{{lag - 1}}})=([abcd])", text)
    assert len(episodes) == 50 and "".join(a + f + "=" + c for a, f, c in episodes) == text
    assert all(first == recalled for first, _, recalled in episodes)
    # the key is read at position s and the prediction after '=' is made lag steps later
    cues = [m.start() for m in re.finditer("=", text)]
    assert all(text[c + 1] == text[c - lag] for c in cues)
    assert len({first for first, _, _ in episodes}) == 4  # every key occurs


def test_recall_text_is_reproducible_from_its_seed():
    assert recall_text(5, 20, seed=1) == recall_text(5, 20, seed=1) != recall_text(5, 20, seed=2)


def test_recall_score_of_a_model_that_always_predicts_one_key_is_that_keys_share():
    text = recall_text(4, 400, seed=3)
    vocab = rnn_core.build_vocab(text)
    params = rnn_core.init_params(vocab.size, 5, seed=0)
    params["Why"][:] = 0  # the prediction ignores the hidden state: always softmax(by)
    params["by"][:] = 0
    params["by"][vocab.index["b"]] = 3.0
    accuracy, loss = recall_score(params, vocab, text)
    recalled = re.findall("=(.)", text)
    share_b = recalled.count("b") / len(recalled)
    z = math.exp(3.0) + vocab.size - 1
    expected_loss = share_b * -math.log(math.exp(3.0) / z) + (1 - share_b) * -math.log(1 / z)
    assert accuracy == pytest.approx(share_b)
    assert loss == pytest.approx(expected_loss)


def test_clear_errors_name_the_argument_and_the_fix(model):
    params, inputs, targets, h0 = model
    with pytest.raises(ValueError, match="target must be one character id or 3"):
        gradients_back_in_time(params, inputs, targets[:2], h0)
    with pytest.raises(ValueError, match="target must be one character id or 3"):
        gradients_back_in_time(params, inputs, 2.5, h0)  # not silently truncated to id 2
    with pytest.raises(ValueError, match="target must be ids in 0..6"):
        gradients_back_in_time(params, inputs, V, h0)
    with pytest.raises(ValueError, match="one replacement character per input"):
        influence_of_replacing(params, inputs, inputs[:-1], h0)
    with pytest.raises(ValueError, match="replacements must be integer character ids in 0..6"):
        influence_of_replacing(params, inputs, inputs + V, h0)
    with pytest.raises(ValueError, match="share no character"):
        recall_text(3, 5, keys="ab", fillers="bc")
    with pytest.raises(ValueError, match="lag"):
        recall_text(0, 5)
    text = recall_text(3, 5)
    vocab = rnn_core.build_vocab(text)
    with pytest.raises(ValueError, match="cue '#' is not in the model's vocabulary"):
        recall_score(rnn_core.init_params(vocab.size, 4), vocab, text, cue="#")
