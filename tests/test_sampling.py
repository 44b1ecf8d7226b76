import numpy as np
import pytest

from classic import classic_sample
from rnn_core.encoding import build_vocab, encode
from rnn_core.forward import forward, init_params
from rnn_core.sampling import next_char_probs, sample

VOCAB = build_vocab("abcdefghij ")


def _params(seed=0, scale=1.0):
    p = init_params(VOCAB.size, 16, seed=seed)
    rng = np.random.default_rng(seed)
    return {k: v + rng.standard_normal(v.shape) * scale for k, v in p.items()}


def test_same_seed_same_text_other_seed_other_text():
    p = _params()
    a = sample(p, VOCAB, "abc", 200, seed=4)
    assert a == sample(p, VOCAB, "abc", 200, seed=4)
    assert a != sample(p, VOCAB, "abc", 200, seed=5)
    assert len(a) == 200 and set(a) <= set(VOCAB.chars)


def test_tiny_temperature_equals_greedy():
    p = _params()
    greedy = sample(p, VOCAB, "ab", 100, greedy=True)
    assert sample(p, VOCAB, "ab", 100, temperature=1e-4, seed=9) == greedy


def test_greedy_follows_the_argmax_of_the_forward_pass():
    p = _params(seed=2)
    text = sample(p, VOCAB, "hi", 30, greedy=True)
    full = "hi" + text
    _, ps = forward(p, encode(full[:-1], VOCAB))
    assert [VOCAB.chars[i] for i in ps[1:].argmax(axis=1)] == list(text)


def test_one_step_samples_follow_the_softmax():
    p = _params(seed=3, scale=0.3)
    probs = next_char_probs(p, VOCAB, "abc", temperature=0.7)
    n = 8000
    counts = np.zeros(VOCAB.size)
    for s in range(n):
        counts[VOCAB.chars.index(sample(p, VOCAB, "abc", 1, temperature=0.7, seed=s))] += 1
    expected = probs * n
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 35  # 10 degrees of freedom: p < 1e-4 of failing by chance


def test_next_char_probs_is_the_forward_softmax_at_temperature_one():
    p = _params(seed=1)
    _, ps = forward(p, encode("abcd", VOCAB))
    assert np.allclose(next_char_probs(p, VOCAB, "abcd"), ps[-1], rtol=1e-12, atol=1e-15)


def test_top_k_only_draws_the_k_most_likely():
    p = _params(seed=5, scale=0.3)
    top2 = set(np.argsort(next_char_probs(p, VOCAB, "a"))[-2:])
    seen = {VOCAB.chars.index(sample(p, VOCAB, "a", 1, top_k=2, seed=s)) for s in range(300)}
    assert seen == top2
    assert sample(p, VOCAB, "a", 50, top_k=1, seed=0) == sample(p, VOCAB, "a", 50, greedy=True)


def test_hidden_states_are_returned_for_plots():
    p = _params()
    text, hs = sample(p, VOCAB, "ab", 40, seed=0, return_hidden=True)
    assert hs.shape == (40, 16)
    # the last hidden state is the forward pass's after reading prime + text
    full_hs, _ = forward(p, encode("ab" + text, VOCAB))
    assert np.allclose(hs[-1], full_hs[-1], atol=1e-12)


def test_fast_sampler_matches_the_classic_distribution_for_a_trained_style_model():
    p = _params(seed=6, scale=0.2)
    rng = np.random.default_rng(0)
    ours = sample(p, VOCAB, "a", 5000, seed=1)
    classic = "".join(VOCAB.chars[i] for i in classic_sample(p, np.zeros((16, 1)), 0, 5000, rng))
    f_ours = np.array([ours.count(c) for c in VOCAB.chars]) / 5000
    f_classic = np.array([classic.count(c) for c in VOCAB.chars]) / 5000
    assert np.abs(f_ours - f_classic).max() < 0.05


@pytest.mark.parametrize("kwargs, match", [
    ({"temperature": 0}, "temperature must be a positive"),
    ({"temperature": -1.0}, "temperature must be a positive"),
    ({"top_k": 0}, "top_k must be"),
    ({"length": -3}, "length must be"),
])
def test_nonsense_sampling_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sample(_params(), VOCAB, "a", **{"length": 10, **kwargs})


def test_prime_outside_the_vocabulary_is_named():
    with pytest.raises(ValueError, match=r"prime text contains 'Z', which is not in the 11-character"):
        sample(_params(), VOCAB, "abZ", 10)


def test_empty_prime_starts_from_a_default_character():
    assert len(sample(_params(), VOCAB, "", 10, seed=0)) == 10


def test_negative_seed_is_named():
    with pytest.raises(ValueError, match="seed must be a whole number >= 0"):
        sample(_params(), VOCAB, "a", 5, seed=-1)


def test_broken_model_or_absurd_temperature_is_named_not_sampled():
    p = _params()
    with pytest.raises(ValueError, match="temperature 1e-320 is too small"):
        sample(p, VOCAB, "a", 5, temperature=1e-320)
    p["Why"][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        sample(p, VOCAB, "a", 5)
