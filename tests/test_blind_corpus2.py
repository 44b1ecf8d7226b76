"""The second blind corpus: student functions written without reading the checker.

(1) The corpus proves itself: each WRONG function differs from our own reference on its
    input, each RIGHT one agrees with it on seeded inputs, and our reference agrees with
    rnn_core's public functions.
(2) check(name, fn) says "wrong" for each WRONG function and "right" for each RIGHT one;
    today's misses are listed in blind_corpus2/known_misses.py and xfail strictly.
"""
import contextlib
import io
import sys
from pathlib import Path

import numpy as np
import pytest

import rnn_core
from rnn_core import bptt as rbptt
from rnn_core import loss as rloss
from rnn_core import optim as roptim
from rnn_core.exercises import NAMES, check

sys.path.insert(0, str(Path(__file__).parent))
from blind_corpus2 import corpus, reference  # noqa: E402
from blind_corpus2.known_misses import KNOWN_MISSES  # noqa: E402

SEEDS = range(6)
# the wrong functions overflow and divide by zero on purpose
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def test_every_exercise_has_five_wrong_and_one_right_function():
    for name in NAMES:
        assert sum(e[0] == name for e in corpus.WRONG) >= 5, name
        assert sum(e[0] == name for e in corpus.RIGHT) >= 1, name
    assert len(corpus.WRONG) >= 100 and len(corpus.RIGHT) >= 20


def test_sentences_are_unique_and_known_misses_name_real_entries():
    sentences = [e[1] for e in corpus.WRONG + corpus.RIGHT]
    assert len(sentences) == len(set(sentences))
    assert set(KNOWN_MISSES) <= set(sentences)


@pytest.mark.parametrize("seed", SEEDS)
def test_our_reference_agrees_with_rnn_core(seed):
    params, inputs, targets, h0 = reference.forward_case(11, 6, 17, seed)
    hs, ps = reference.forward(params, inputs, h0)
    lib_hs, lib_ps = rnn_core.forward(params, inputs, h0)
    np.testing.assert_allclose(hs, lib_hs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ps, lib_ps, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(reference.softmax(ps * 40), rnn_core.softmax(ps * 40), rtol=1e-12)
    assert reference.loss(ps, targets) == pytest.approx(rloss.cross_entropy(ps, targets), rel=1e-12)
    mine = reference.bptt(params, inputs, targets, hs, ps)
    lib = rbptt.backward(params, inputs[:, None], targets[:, None], hs[:, None], ps[:, None])
    for k in lib:
        np.testing.assert_allclose(mine[k], lib[k], rtol=1e-10, atol=1e-13)
    text = "ab\tc\r\néé z" * (seed + 1)
    vocab = rnn_core.build_vocab(text)
    assert reference.vocabulary(text) == vocab.chars
    np.testing.assert_array_equal(reference.encode(text, vocab.chars), rnn_core.encode(text, vocab))
    rng = np.random.default_rng(seed)
    for mine_fn, lib_fn, arg in [(reference.clip, roptim.clip_elementwise, 2.0),
                                 (reference.clip_global_norm, roptim.clip_global_norm, 3.0)]:
        a = reference.grads_like(params, seed, 4.0)
        b = {k: v.copy() for k, v in a.items()}
        mine_fn(a, arg)
        lib_fn(b, arg)
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-12)
    grads = reference.grads_like(params, seed + 3)
    mem = {k: rng.uniform(0, 1, v.shape) for k, v in params.items()}
    p1, m1 = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in mem.items()}
    reference.adagrad_step(params, grads, mem, 0.07)
    roptim.adagrad_step(p1, grads, m1, 0.07)
    for k in params:
        np.testing.assert_allclose(params[k], p1[k], rtol=1e-12)
        np.testing.assert_allclose(mem[k], m1[k], rtol=1e-12)
    # rmsprop with decay 0 is one step of Adagrad from zero memory
    p2 = {k: v.copy() for k, v in params.items()}
    zero = {k: np.zeros_like(v) for k, v in params.items()}
    reference.rmsprop_step(params, grads, {k: v.copy() for k, v in zero.items()}, 0.07, 0.0)
    roptim.adagrad_step(p2, grads, zero, 0.07)
    for k in params:
        np.testing.assert_allclose(params[k], p2[k], rtol=1e-12)
    # top_k with k = V and temperature 1 are plain softmax; top_k keeps ties
    logits = rng.normal(0, 3, 9)
    np.testing.assert_allclose(reference.top_k(logits, 9), rnn_core.softmax(logits))
    np.testing.assert_allclose(reference.temperature(logits, 0.5), rnn_core.softmax(2 * logits))
    assert (reference.top_k(np.array([2.0, 5.0, 5.0, 1.0]), 1) > 0).sum() == 2


def _id(entry):
    return entry[1]


@pytest.mark.parametrize("entry", corpus.WRONG, ids=_id)
def test_each_wrong_function_differs_from_the_reference_on_its_input(entry):
    name, sentence, fn, calls = entry
    assert not reference.agrees(name, fn, calls), f"{sentence}: agrees with the reference"


@pytest.mark.parametrize("entry", corpus.RIGHT, ids=_id)
def test_each_right_function_agrees_with_the_reference_on_seeded_inputs(entry):
    name, sentence, fn, _ = entry
    for seed in SEEDS:
        assert reference.agrees(name, fn, reference.seeded_calls(name, seed)), (sentence, seed)


def _with_known_misses(entries):
    return [pytest.param(e, marks=pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=KNOWN_MISSES[e[1]]))
            if e[1] in KNOWN_MISSES else e for e in entries]


def _verdict(name, fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return check(name, fn)


@pytest.mark.parametrize("entry", _with_known_misses(corpus.WRONG), ids=_id)
def test_the_checker_calls_each_wrong_function_wrong(entry):
    name, sentence, fn, _ = entry
    verdict = _verdict(name, fn)
    assert verdict.outcome == "wrong", f"{sentence}: {verdict.message}"


@pytest.mark.parametrize("entry", _with_known_misses(corpus.RIGHT), ids=_id)
def test_the_checker_calls_each_right_function_right(entry):
    name, sentence, fn, _ = entry
    verdict = _verdict(name, fn)
    assert verdict.outcome == "right", f"{sentence}: {verdict.message}"
