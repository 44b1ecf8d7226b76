"""A fourth blind corpus for the exercise checker (issue 16).

Written without reading the checker, its tests or the earlier corpora. Every wrong entry
is a plausible student mistake with the calls that show it wrong against my own reference
(tests/blind_corpus4/reference.py, itself checked against rnn_core here); every right entry
is an unusual but correct answer. The checker must call the first wrong and the second right.
"""
import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from blind_corpus4 import reference as ref  # noqa: E402
from blind_corpus4 import wrong_b  # noqa: E402,F401  (registers its entries)
from blind_corpus4.known_misses import KNOWN_MISSES  # noqa: E402
from blind_corpus4.right import RIGHT  # noqa: E402
from blind_corpus4.wrong_a import WRONG  # noqa: E402
from rnn_core.exercises import NAMES, check  # noqa: E402

# rnn_core's package namespace exports functions named like some modules
core_bptt = importlib.import_module("rnn_core.bptt")
core_forward = importlib.import_module("rnn_core.forward")
encoding = importlib.import_module("rnn_core.encoding")
loss = importlib.import_module("rnn_core.loss")
optim = importlib.import_module("rnn_core.optim")


def _id(name, sentence):
    return f"{name} that {sentence}".replace(" ", "_")


def _cases(entries, with_calls):
    out = []
    for entry in entries:
        name, sentence = entry[0], entry[1]
        marks = [pytest.mark.xfail(strict=True, reason="a known checker miss")] \
            if (name, sentence) in KNOWN_MISSES else []
        out.append(pytest.param(*entry, id=_id(name, sentence), marks=marks))
    return out


def test_the_corpus_covers_every_exercise_with_five_wrong_functions():
    counts = {n: sum(1 for e in WRONG if e[0] == n) for n in NAMES}
    assert min(counts.values()) >= 5, counts
    assert len(WRONG) >= 100 and len(RIGHT) >= 20
    sentences = [(e[0], e[1]) for e in WRONG + RIGHT]
    assert len(set(sentences)) == len(sentences), "two entries share a sentence"
    assert set(KNOWN_MISSES) <= set(sentences), "a known miss names no entry"


@pytest.mark.parametrize("name, sentence, make, calls",
                         [pytest.param(*e, id=_id(*e[:2])) for e in WRONG])
def test_each_wrong_function_differs_from_the_reference_on_its_input(name, sentence, make, calls):
    expected = ref.observe(ref.REFERENCE[name], calls)
    got = ref.observe(make(), calls)
    assert not ref.same(expected, got), f"{name} that {sentence} agrees with the reference"


@pytest.mark.parametrize("name, sentence, make",
                         [pytest.param(*e, id=_id(*e[:2])) for e in RIGHT])
def test_each_right_function_agrees_with_the_reference_on_seeded_inputs(name, sentence, make):
    # work done in float32 agrees within float32's rounding, as the README promises
    tol = dict(rtol=1e-4, atol=1e-6) if "float32" in sentence else {}
    for seed in range(3):
        calls = ref.seeded_calls(name, seed)
        assert ref.same(ref.observe(ref.REFERENCE[name], calls), ref.observe(make(), calls), **tol), seed


@pytest.mark.parametrize("name, sentence, make, calls", _cases(WRONG, True))
def test_the_checker_calls_each_wrong_function_wrong(name, sentence, make, calls):
    verdict = check(name, make())
    assert verdict.outcome == "wrong", verdict.message


@pytest.mark.parametrize("name, sentence, make", _cases(RIGHT, False))
def test_the_checker_calls_each_right_function_right(name, sentence, make):
    verdict = check(name, make())
    assert verdict.outcome == "right", verdict.message


# ---------------------------------------------------------------- the reference itself

@pytest.mark.parametrize("seed", range(3))
def test_the_reference_agrees_with_rnn_core(seed):
    V, H, T = 7 + seed, 5 + seed, 30
    p, inputs, targets, hs, ps = ref.sequence(V, H, T, seed)
    core_hs, core_ps = core_forward.forward(p, inputs, hs[0])
    np.testing.assert_allclose(hs, core_hs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ps, core_ps, rtol=1e-12, atol=1e-14)
    assert ref.loss(ps, targets) == pytest.approx(loss.cross_entropy(ps, targets), rel=1e-12)
    core_g = core_bptt.backward(p, inputs[:, None], targets[:, None], hs[:, None], ps[:, None])
    for k, g in ref.bptt(p, inputs, targets, hs, ps).items():
        np.testing.assert_allclose(g, core_g[k], rtol=1e-10, atol=1e-13)
    y = np.random.default_rng(seed).normal(0, 50, (3, 4, V))
    np.testing.assert_allclose(ref.softmax(y), core_forward.softmax(y), rtol=1e-12, atol=1e-300)
    text = "héllo\twörld\r\n" * (seed + 1)
    vocab = encoding.build_vocab(text + "zq")
    assert ref.vocabulary(text + "zq") == vocab.chars
    assert np.array_equal(ref.encode(text, vocab.chars), encoding.encode(text, vocab))
    np.testing.assert_array_equal(ref.one_hot(inputs, V), encoding.one_hot(inputs, V))
    for clip_ref, clip_core in ((ref.clip, optim.clip_elementwise),
                                (ref.clip_global_norm, optim.clip_global_norm)):
        a, b = ref.grads_like(V, H, seed, 3.0), ref.grads_like(V, H, seed, 3.0)
        clip_ref(a, 2.0)
        clip_core(b, 2.0)
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-12)
    pa, pb = ref.params(V, H, seed), ref.params(V, H, seed)
    ma, mb = optim.zeros_like(pa), optim.zeros_like(pb)
    g = ref.grads_like(V, H, seed)
    ref.adagrad_step(pa, g, ma, 0.1)
    optim.adagrad_step(pb, g, mb, 0.1)
    for k in pa:
        np.testing.assert_allclose(pa[k], pb[k], rtol=1e-12)
        np.testing.assert_allclose(ma[k], mb[k], rtol=1e-12)


def test_the_reference_gradients_match_a_numerical_estimate():
    p, inputs, targets, hs, ps = ref.sequence(4, 3, 6, 1)
    grads = ref.bptt(p, inputs, targets, hs, ps)
    for k in p:
        for idx in [(0,) * p[k].ndim, tuple(s - 1 for s in p[k].shape)]:
            old = p[k][idx]
            p[k][idx] = old + 1e-5
            up = ref.loss(ref.forward(p, inputs, hs[0])[1], targets)
            p[k][idx] = old - 1e-5
            down = ref.loss(ref.forward(p, inputs, hs[0])[1], targets)
            p[k][idx] = old
            assert grads[k][idx] == pytest.approx((up - down) / 2e-5, rel=1e-5, abs=1e-9)


def test_the_reference_sampling_rules_follow_their_definitions():
    y = np.array([1.0, 3.0, 1.0, 0.0, 2.0])
    np.testing.assert_allclose(ref.temperature(y, 2.0), np.exp(y / 2) / np.exp(y / 2).sum())
    p = ref.top_k(y, 3)
    assert np.count_nonzero(p) == 4  # the tie at the third place keeps both 1.0s, as rnn_core does
    np.testing.assert_allclose(p[[0, 1, 2, 4]], ref.softmax(y[[0, 1, 2, 4]]))
    np.testing.assert_allclose(ref.top_k(y, 9), ref.softmax(y))
    pa = ref.params(3, 2, 0)
    ma = {k: np.ones_like(v) for k, v in pa.items()}
    g = ref.grads_like(3, 2, 0)
    expected = {k: pa[k] - 0.1 * g[k] / np.sqrt(0.9 + 0.1 * g[k] ** 2 + 1e-8) for k in pa}
    ref.rmsprop_step(pa, g, ma, 0.1)
    for k in pa:
        np.testing.assert_allclose(pa[k], expected[k], rtol=1e-12)
