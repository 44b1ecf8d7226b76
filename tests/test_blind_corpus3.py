"""The third blind corpus: wrong student functions the checker must call wrong, and
correct-but-unusual ones it must call right. Written without reading the checker or the
earlier corpora.

Known misses (the checker calls a wrong function right) are listed in
tests/blind_corpus3/known_misses.py and marked xfail(strict=True): the suite fails the
moment one is fixed (then remove it from the list) or a new one appears.
"""
import contextlib
import copy
import io

import numpy as np
import pytest

import rnn_core
from rnn_core import optim
from rnn_core.exercises import NAMES, SIGNATURES, check

from blind_corpus3 import wrong_b, wrong_c  # noqa: F401  (they register into WRONG)
from blind_corpus3.known_misses import KNOWN_MISSES
from blind_corpus3.reference import REFERENCE, agrees, run, same
from blind_corpus3.right import RIGHT, seeded_inputs
from blind_corpus3.wrong_a import WRONG


def entry_id(name, why, outcome):
    return f"{name}: a function that {why} is called {outcome}"


WRONG_IDS = [entry_id(e.name, e.why, "wrong") for e in WRONG]
RIGHT_IDS = [entry_id(name, why, "right") for name, why, _ in RIGHT]


def quiet_check(name, fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return check(name, fn)


# ------------------------------------------------------------ the corpus proves itself

def test_corpus_covers_every_exercise_with_five_wrong_and_one_right():
    assert set(REFERENCE) == set(NAMES) == set(SIGNATURES)
    for name in NAMES:
        assert sum(e.name == name for e in WRONG) >= 5, name
        assert any(n == name for n, _, _ in RIGHT), name
    assert len(WRONG) >= 100 and len(RIGHT) >= 20
    assert len(set(WRONG_IDS)) == len(WRONG_IDS) and len(set(RIGHT_IDS)) == len(RIGHT_IDS)


def test_known_misses_name_real_entries():
    assert set(KNOWN_MISSES) <= set(WRONG_IDS)


def test_reference_agrees_with_rnn_core_where_it_has_the_same_function():
    rng = np.random.default_rng(3)
    text = "To be,\tor not\r\nto b\u00e9: \u4e2d!"
    assert REFERENCE["vocabulary"](text) == rnn_core.build_vocab(text).chars
    vocab = rnn_core.build_vocab(text + "xyz")
    assert np.array_equal(REFERENCE["encode"](text, vocab.chars), rnn_core.encode(text, vocab))
    ids = rng.integers(0, 9, size=11)
    assert np.array_equal(REFERENCE["one_hot"](ids, 9), rnn_core.one_hot(ids, 9))
    y = rng.normal(size=(2, 3, 6)) * 800
    assert np.allclose(REFERENCE["softmax"](y), rnn_core.softmax(y))
    params = rnn_core.init_params(7, 5, seed=1)
    params = {k: v * 40 + rng.normal(size=v.shape) * 0.3 for k, v in params.items()}
    inputs, targets, h0 = rng.integers(0, 7, 13), rng.integers(0, 7, 13), rng.normal(size=5) * 0.5
    hs, ps = REFERENCE["forward"](params, inputs, h0)
    lib_hs, lib_ps = rnn_core.forward(params, inputs, h0)
    assert np.allclose(hs, lib_hs) and np.allclose(ps, lib_ps)
    assert np.isclose(REFERENCE["rnn_step"](params, inputs[0], h0), hs[1]).all()
    lib_loss, lib_grads, _ = rnn_core.loss_and_grads(params, inputs, targets, h0)
    assert np.isclose(REFERENCE["loss"](ps, targets), lib_loss)
    assert np.isclose(REFERENCE["loss"](ps, targets), rnn_core.cross_entropy(ps, targets))
    grads = REFERENCE["bptt"](params, inputs, targets, hs, ps)
    assert same(lib_grads, grads)
    # dlogits against a finite difference of the loss in the logits of one step
    y = rng.normal(size=(3, 4))
    t = np.array([1, 1, 3])
    dy = REFERENCE["dlogits"](REFERENCE["softmax"](y), t)
    for j in range(4):
        e = np.zeros_like(y)
        e[1, j] = 1e-6
        num = (REFERENCE["loss"](REFERENCE["softmax"](y + e), t)
               - REFERENCE["loss"](REFERENCE["softmax"](y - e), t)) / 2e-6
        assert np.isclose(dy[1, j], num, atol=1e-7)
    for name, lib in [("clip", lambda g: optim.clip_elementwise(g, 0.7)),
                      ("clip_global_norm", lambda g: optim.clip_global_norm(g, 0.7))]:
        mine, theirs = copy.deepcopy(lib_grads), copy.deepcopy(lib_grads)
        REFERENCE[name](mine, 0.7)
        lib(theirs)
        assert same(theirs, mine), name
    p1, p2 = copy.deepcopy(params), copy.deepcopy(params)
    m1, m2 = optim.zeros_like(params), optim.zeros_like(params)
    REFERENCE["adagrad_step"](p1, lib_grads, m1, 0.05)
    rnn_core.adagrad_step(p2, lib_grads, m2, 0.05)
    assert same(p2, p1) and same(m2, m1)
    # rmsprop with decay 0 from zero memory is one Adagrad step
    p3, m3 = copy.deepcopy(params), optim.zeros_like(params)
    REFERENCE["rmsprop_step"](p3, lib_grads, m3, 0.05, 0.0)
    assert same(p2, p3)
    logits = rng.normal(size=65) * 4
    for tau in (1e-3, 0.5, 1.0, 300.0):
        assert np.allclose(REFERENCE["temperature"](logits, tau),
                           rnn_core.softmax(logits / tau))
    order = np.argsort(-logits)
    p = REFERENCE["top_k"](logits, 5)
    assert np.count_nonzero(p) == 5 and set(np.flatnonzero(p)) == set(order[:5])
    assert np.isclose(p.sum(), 1) and np.allclose(p[order[:5]] / p[order[0]],
                                                  np.exp(logits[order[:5]] - logits[order[0]]))
    assert np.allclose(REFERENCE["top_k"](logits, 100), REFERENCE["softmax"](logits))


@pytest.mark.parametrize("entry", WRONG, ids=WRONG_IDS)
def test_each_wrong_entry_differs_from_the_reference_on_its_input(entry):
    assert not agrees(entry.name, entry.make(), entry.calls)


@pytest.mark.parametrize("name, why, fn", RIGHT, ids=RIGHT_IDS)
def test_each_right_entry_agrees_with_the_reference_on_seeded_inputs(name, why, fn):
    calls = seeded_inputs(name)
    assert agrees(name, fn, calls)
    # and the reference itself holds on them (no NaN sneaking through both)
    for args in calls:
        _, got = run(name, REFERENCE[name], args)
        assert same(got, got)


# ------------------------------------------------------------ the checker's verdicts

def wrong_params():
    out = []
    for e, i in zip(WRONG, WRONG_IDS):
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[i])] if i in KNOWN_MISSES else []
        out.append(pytest.param(e, marks=marks, id=i))
    return out


@pytest.mark.parametrize("entry", wrong_params())
def test_checker_calls_each_wrong_entry_wrong(entry):
    verdict = quiet_check(entry.name, entry.make())
    assert verdict.outcome == "wrong", verdict.message


@pytest.mark.parametrize("name, why, fn", RIGHT, ids=RIGHT_IDS)
def test_checker_calls_each_right_entry_right(name, why, fn):
    verdict = quiet_check(name, fn)
    assert verdict.outcome == "right", verdict.message
