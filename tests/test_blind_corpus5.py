"""Fifth blind corpus: wrong student functions must be called wrong, right ones right.

The corpus (tests/blind_corpus5/corpus.py) was written without reading the checker.
Each wrong entry first proves itself wrong against tests/blind_corpus5/reference.py on its
own witness input; each right entry proves itself right on seeded inputs. The references
are cross-checked against rnn_core's public functions.
"""
import copy
import importlib.util
import pathlib

import numpy as np
import pytest

import rnn_core
from rnn_core import optim
from rnn_core.exercises import NAMES, check

HERE = pathlib.Path(__file__).parent / "blind_corpus5"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"blind_corpus5_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _load("corpus")
reference = _load("reference")
KNOWN_MISSES = _load("known_misses").KNOWN_MISSES

IN_PLACE = {"clip", "clip_global_norm", "adagrad_step", "rmsprop_step"}


def observe(exercise, fn, args):
    """Call fn on a deep copy of args -> ("raised", type) or ("ok", result, arrays the caller holds)."""
    args = copy.deepcopy(args)
    held = [dict(a) if isinstance(a, dict) else a for a in args]  # the caller's references
    try:
        with np.errstate(all="ignore"):
            result = fn(*args)
    except Exception as exc:  # a student function may raise anything
        return ("raised", type(exc).__name__)
    return ("ok", result, held)


def same(a, b):
    """Deep equality of results within float64 rounding; types and shapes must agree."""
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b)
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):
        return False  # a list where an array or str is expected
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype.kind in "US" or b.dtype.kind in "US":
        return a.shape == b.shape and np.array_equal(a, b)
    return bool(np.allclose(a, b, rtol=1e-7, atol=1e-12, equal_nan=False)) and \
        bool(np.array_equal(np.isinf(a), np.isinf(b)))


KIND = {"encode": "iu", "one_hot": "f"}  # dtype kinds the contracts state


def agrees(exercise, fn, args):
    got = observe(exercise, fn, args)
    want = observe(exercise, getattr(reference, exercise), args)
    assert want[0] == "ok", f"my reference raised on {exercise}{args!r}"
    if got[0] != "ok":
        return False
    if exercise in IN_PLACE:
        return got[1] is None and same(tuple(got[2]), tuple(want[2]))
    if exercise in KIND and np.asarray(got[1]).dtype.kind not in KIND[exercise]:
        return False
    if exercise == "loss" and np.ndim(got[1]) != 0:
        return False
    return same(got[1], want[1]) and same(tuple(got[2]), tuple(args))


def seeded_cases(exercise):
    """A few seeded inputs per exercise, for the right entries."""
    rng = np.random.default_rng(sum(map(ord, exercise)))
    alphabet = "abcXYZ \t\r\néü!"
    texts = ["".join(rng.choice(list(alphabet), size=n)) for n in (1, 7, 40)] + [""]
    if exercise == "vocabulary":
        return [(t,) for t in texts]
    if exercise == "encode":
        train = alphabet + "qé"
        return [(t, reference.vocabulary(train)) for t in texts]
    if exercise == "one_hot":
        return [(rng.integers(0, V, n), V) for n, V in ((1, 1), (6, 5), (30, 65))] + [
            (np.zeros(0, dtype=int), 3)]
    if exercise == "softmax":
        return [(rng.normal(0, 3, 5),), (rng.normal(0, 500, (4, 7)),), (rng.normal(0, 1, (2, 3, 4)),),
                (np.array([1.0, 1.0, 1.0]),)]
    if exercise == "rnn_step":
        return [(corpus.P(V, H, s), int(rng.integers(V)), rng.normal(0, 0.5, H))
                for V, H, s in ((5, 4, 1), (7, 3, 2), (3, 6, 3))]
    if exercise == "forward":
        return [(corpus.P(V, H, s), rng.integers(0, V, T), rng.normal(0, 0.5, H))
                for V, H, T, s in ((5, 4, 1, 1), (7, 3, 9, 2), (65, 6, 30, 3))]
    if exercise in ("loss", "dlogits"):
        return [(corpus.probs(T, V, s), rng.integers(0, V, T)) for T, V, s in ((1, 3, 1), (9, 5, 2), (40, 65, 3))]
    if exercise == "bptt_step":
        return [corpus.step_case(V, H, s) for V, H, s in ((5, 4, 1), (6, 3, 2), (3, 7, 3))]
    if exercise == "bptt":
        return [corpus.bptt_case(V, H, T, s) for V, H, T, s in ((5, 4, 1, 1), (6, 3, 8, 2), (4, 7, 20, 3))]
    if exercise == "clip":
        return [(corpus.grads_like(seed=s, scale=8.0), lim) for s, lim in ((1, 5.0), (2, 1.0), (3, 100.0))]
    if exercise == "clip_global_norm":
        return [(corpus.grads_like(seed=s, scale=sc), m) for s, sc, m in ((1, 3.0, 1.0), (2, 0.01, 5.0), (3, 1.0, 2.5))]
    if exercise == "adagrad_step":
        return [corpus._opt_args(seed=s, mem=m) for s, m in ((1, 0.0), (2, 0.5), (3, 3.0))]
    if exercise == "rmsprop_step":
        return [corpus._opt_args(seed=s, mem=m, extra=(d,)) for s, m, d in ((1, 0.0, 0.9), (2, 0.5, 0.5), (3, 3.0, 0.99))]
    if exercise == "temperature":
        return [(rng.normal(0, 3, 6), T) for T in (1e-3, 1.0, 100.0)]
    if exercise == "top_k":
        return [(np.array([2.0, 1.0, 2.0, 0.5]), 1), (rng.normal(0, 2, 8), 3), (rng.normal(0, 2, 5), 9)]
    raise KeyError(exercise)


def fresh(entry):
    return entry.function()


def _marks(entry):
    if entry.id in KNOWN_MISSES:
        return [pytest.mark.xfail(strict=True, reason=f"known checker miss: {KNOWN_MISSES[entry.id]}")]
    return []


WRONG = [pytest.param(e, id=e.id) for e in corpus.WRONG]
RIGHT = [pytest.param(e, id=e.id) for e in corpus.RIGHT]
WRONG_CHECKED = [pytest.param(e, id=e.id, marks=_marks(e)) for e in corpus.WRONG]
RIGHT_CHECKED = [pytest.param(e, id=e.id, marks=_marks(e)) for e in corpus.RIGHT]


def test_corpus_covers_every_exercise_with_five_wrong_functions():
    for name in NAMES:
        assert sum(e.exercise == name for e in corpus.WRONG) >= 5, name
    assert len(corpus.WRONG) >= 100 and len(corpus.RIGHT) >= 20
    assert len({e.id for e in corpus.WRONG + corpus.RIGHT}) == len(corpus.WRONG) + len(corpus.RIGHT)
    assert set(KNOWN_MISSES) <= {e.id for e in corpus.WRONG + corpus.RIGHT}


@pytest.mark.parametrize("entry", WRONG)
def test_wrong_function_differs_from_the_reference_on_its_witness(entry):
    fn = fresh(entry)
    if entry.recheck:
        # the first result, looked at again after a second call on other arguments
        first = observe(entry.exercise, fn, entry.warmup[0])
        observe(entry.exercise, fn, entry.args)
        want = observe(entry.exercise, getattr(reference, entry.exercise), entry.warmup[0])
        assert first[0] == "ok" and not same(first[1], want[1])
        return
    for args in entry.warmup:
        observe(entry.exercise, fn, args)
    assert not agrees(entry.exercise, fn, entry.args)


@pytest.mark.parametrize("entry", RIGHT)
def test_right_function_agrees_with_the_reference_on_seeded_inputs(entry):
    for args in seeded_cases(entry.exercise):
        assert agrees(entry.exercise, fresh(entry), args), args


@pytest.mark.parametrize("entry", WRONG_CHECKED)
def test_checker_calls_the_wrong_function_wrong(entry):
    assert check(entry.exercise, fresh(entry)).outcome == "wrong"


@pytest.mark.parametrize("entry", RIGHT_CHECKED)
def test_checker_calls_the_right_function_right(entry):
    assert check(entry.exercise, fresh(entry)).outcome == "right"


# ---- my references against rnn_core's public functions ------------------------------------
def test_reference_softmax_and_one_hot_match_rnn_core():
    rng = np.random.default_rng(0)
    y = rng.normal(0, 300, (3, 4, 9))
    np.testing.assert_allclose(reference.softmax(y), rnn_core.softmax(y), rtol=1e-12, atol=1e-300)
    ids = rng.integers(0, 7, 11)
    np.testing.assert_array_equal(reference.one_hot(ids, 7), rnn_core.one_hot(ids, 7))


def test_reference_encode_matches_rnn_core():
    train = "Hello,\tWörld!\r\nzz"
    vocab = rnn_core.build_vocab(train)
    assert reference.vocabulary(train) == vocab.chars
    np.testing.assert_array_equal(reference.encode("Wö\r\n!", vocab.chars), rnn_core.encode("Wö\r\n!", vocab))


def test_reference_forward_loss_and_bptt_match_rnn_core():
    params, inputs, targets, _, _ = corpus.bptt_case(V=6, H=5, T=15, seed=4)
    h0 = np.linspace(-0.5, 0.5, 5)
    hs, ps = reference.forward(params, inputs, h0)
    out = rnn_core.forward(params, inputs, h0)
    np.testing.assert_allclose(hs, out[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ps, out[1], rtol=1e-10, atol=1e-12)
    assert reference.loss(ps, targets) == pytest.approx(float(rnn_core.loss.cross_entropy(ps, targets)), rel=1e-12)
    np.testing.assert_allclose(reference.dlogits(ps, targets)[np.arange(15), targets], ps[np.arange(15), targets] - 1)
    mine = reference.bptt(params, inputs, targets, hs, ps)
    their_loss, theirs, h_last = rnn_core.loss_and_grads(params, inputs, targets, h0)
    assert their_loss == pytest.approx(reference.loss(ps, targets), rel=1e-12)
    np.testing.assert_allclose(h_last, hs[-1], rtol=1e-10)
    for k in mine:
        np.testing.assert_allclose(mine[k], theirs[k], rtol=1e-9, atol=1e-12, err_msg=k)


def test_reference_optimisers_and_clipping_match_rnn_core():
    a, b = corpus._opt_args(seed=5, mem=0.3), corpus._opt_args(seed=5, mem=0.3)
    reference.adagrad_step(*a)
    optim.adagrad_step(*b)
    for k in a[0]:
        np.testing.assert_allclose(a[0][k], b[0][k], rtol=1e-12)
        np.testing.assert_allclose(a[2][k], b[2][k], rtol=1e-12)
    g1, g2 = corpus.grads_like(seed=6, scale=4.0), corpus.grads_like(seed=6, scale=4.0)
    reference.clip_global_norm(g1, 2.0)
    optim.clip_global_norm(g2, 2.0)
    for k in g1:
        np.testing.assert_allclose(g1[k], g2[k], rtol=1e-12)
    g1, g2 = corpus.grads_like(seed=7, scale=4.0), corpus.grads_like(seed=7, scale=4.0)
    reference.clip(g1, 1.5)
    optim.clip_elementwise(g2, 1.5)
    for k in g1:
        np.testing.assert_array_equal(g1[k], g2[k])
    # rmsprop at decay 0 from any memory is Adagrad from zero memory
    a, b = corpus._opt_args(seed=8, mem=7.0, extra=(0.0,)), corpus._opt_args(seed=8, mem=0.0)
    reference.rmsprop_step(*a)
    optim.adagrad_step(*b)
    for k in a[0]:
        np.testing.assert_allclose(a[0][k], b[0][k], rtol=1e-12)


def test_reference_temperature_and_top_k_match_rnn_core_sampling():
    rng = np.random.default_rng(3)
    logits = rng.normal(0, 2, 9)
    for T in (1e-3, 0.7, 50.0):
        np.testing.assert_allclose(reference.temperature(logits, T), rnn_core.softmax(logits / T), rtol=1e-12)
    tied = np.array([1.0, 3.0, 3.0, 2.0, 0.0])
    np.testing.assert_allclose(reference.top_k(tied, 1), [0, 0.5, 0.5, 0, 0])
    np.testing.assert_allclose(reference.top_k(tied, 9), rnn_core.softmax(tied))
