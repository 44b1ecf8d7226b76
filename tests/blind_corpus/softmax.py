"""02 softmax: y: (..., V) logits -> (..., V) probabilities along the last axis."""
import math

import numpy as np

from ._corpus import Calls, registrar

NAME = "softmax"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(y):
    y = np.array(y, dtype=np.float64)
    flat = y.reshape(-1, y.shape[-1])
    out = np.empty_like(flat)
    for r, row in enumerate(flat):
        m = max(row)
        e = [math.exp(v - m) for v in row]
        s = math.fsum(e)
        out[r] = [v / s for v in e]
    return out.reshape(y.shape)


def public(y):
    import rnn_core
    return rnn_core.softmax(np.asarray(y, dtype=np.float64))


BIG = np.array([[0.0, 1000.0, 999.0], [-2.0, -1.0, 0.5]])
SPAN = np.array([-1500.0, 0.0, 1500.0])


@wrong("no-max-subtracted", args=(BIG,), why="np.exp(y) / sum: exp(1000) overflows to inf and inf/inf is NaN")
def softmax(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


@wrong("subtracts-mean", args=(SPAN,), why="subtracting the mean leaves +1500 in a row spanning 3000")
def softmax(y):
    e = np.exp(y - y.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("subtracts-first-logit", args=(np.array([0.0, 800.0, 790.0]),), why="y - y[..., :1] overflows when a later logit is 800 larger")
def softmax(y):
    e = np.exp(y - y[..., :1])
    return e / e.sum(axis=-1, keepdims=True)


@wrong("subtracts-min", args=(np.array([-400.0, 0.0, 400.0]),), why="y - min makes the largest logit 800: exp overflows")
def softmax(y):
    e = np.exp(y - y.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("sums-axis-0", args=(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]),), why="seed 004's column-vector softmax: normalises down the columns of a 2-D input")
def softmax(y):
    t = np.exp(y - np.max(y))
    return t / np.sum(t, axis=0)


@wrong("sums-everything", args=(np.array([[1.0, 2.0], [3.0, 0.0]]),), why="np.sum(e) over the whole array: the rows do not each sum to 1")
def softmax(y):
    e = np.exp(y - np.max(y))
    return e / np.sum(e)


@wrong("global-max", args=(np.array([[0.0, 1.0], [-1000.0, -999.0]]),), why="one max for the whole array: a row of -1000s underflows to 0/0")
def softmax(y):
    e = np.exp(y - np.max(y))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("no-keepdims", args=(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.0, 5.0, 0.0]]),), why="e / e.sum(axis=-1) divides column j by the sum of row j")
def softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


@wrong("changes-callers-logits", args=(np.array([[1.0, 2.0], [3.0, 5.0]]),), why="y -= y.max(...) writes into the caller's array")
def softmax(y):
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


@wrong("output-like-integer-input", args=(np.array([1, 2, 3]),), why="np.zeros_like(y) is an int array for integer logits: every probability truncates to 0")
def softmax(y):
    out = np.zeros_like(y)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    out[...] = e / e.sum(axis=-1, keepdims=True)
    return out


@wrong("axis-1", args=(np.arange(12.0).reshape(2, 2, 3),), why="max and sum over axis=1: right for 2-D, wrong for 3-D input")
def softmax(y):
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("unguarded-log-sum-exp", args=(np.array([1000.0, 0.0]),), why="y - log(sum(exp(y))) computes exp(1000) first")
def softmax(y):
    return np.exp(y - np.log(np.sum(np.exp(y), axis=-1, keepdims=True)))


@wrong("float16", args=(np.array([0.1, 0.2, 0.3]),), why="float16 arithmetic to save memory: about 1e-3 relative error")
def softmax(y):
    y = np.asarray(y, dtype=np.float16)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float64)


@wrong("clips-logits", args=(np.array([600.0, 1000.0]),), why="np.clip(y, -500, 500) instead of subtracting the max: 600 and 1000 become equal")
def softmax(y):
    e = np.exp(np.clip(y, -500, 500))
    return e / e.sum(axis=-1, keepdims=True)


_buf = {}


@wrong("returns-shared-buffer", args=Calls((np.array([1.0, 2.0]),), (np.array([5.0, 0.0]),)),
       why="writes into a module-level array per shape and returns it: the next call overwrites the first answer")
def softmax(y):
    y = np.asarray(y, dtype=float)
    out = _buf.setdefault(y.shape, np.empty(y.shape))
    np.exp(y - y.max(axis=-1, keepdims=True), out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


@wrong("log-softmax", args=(np.array([1.0, 2.0, 3.0]),), why="returns y - logsumexp(y), the log-probabilities")
def softmax(y):
    m = y.max(axis=-1, keepdims=True)
    return y - m - np.log(np.exp(y - m).sum(axis=-1, keepdims=True))


@wrong("math-exp-rows", args=(np.array([[1.0, 2.0], [0.0, 0.0]]),), why="a list comprehension with math.exp works for one row only")
def softmax(y):
    m = max(y)
    e = [math.exp(v - m) for v in y]
    s = sum(e)
    return np.array([v / s for v in e])


@wrong("squeezes", args=(np.array([[1.0, 2.0, 3.0]]),), why=".squeeze() turns a (1, V) input into (V,)")
def softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).squeeze()


@wrong("normalises-by-max", args=(np.array([1.0, 2.0]),), why="e / e.max() makes the largest probability 1")
def softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.max(axis=-1, keepdims=True)


@wrong("flattens", args=(np.array([[1.0, 2.0], [3.0, 4.0]]),), why="np.ravel first: returns (4,) with one distribution over all elements")
def softmax(y):
    y = np.ravel(y)
    e = np.exp(y - y.max())
    return e / e.sum()


@wrong("always-2-d", args=(np.array([1.0, 2.0, 3.0]),), why="np.atleast_2d first: a (V,) input comes back (1, V)")
def softmax(y):
    y = np.atleast_2d(y)
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("mixed-shift", args=(np.array([1.0, 2.0, 3.0]),), why="numerator shifted by the max, denominator not: every probability is scaled by exp(-max)")
def softmax(y):
    m = y.max(axis=-1, keepdims=True)
    return np.exp(y - m) / np.exp(y).sum(axis=-1, keepdims=True)


@wrong("base-2", args=(np.array([1.0, 2.0, 3.0]),), why="2 ** (y - max): a softmax in base 2")
def softmax(y):
    e = 2.0 ** (y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@right("row-loop")
def softmax(y):
    y = np.asarray(y, dtype=np.float64)
    flat = y.reshape(-1, y.shape[-1]).copy()
    for row in flat:
        row -= row.max()
        np.exp(row, out=row)
        row /= row.sum()
    return flat.reshape(y.shape)


@right("float32-cast-back", f32=True)
def softmax(y):
    y = np.asarray(y, dtype=np.float32)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float64)


@right("logaddexp-reduce")
def softmax(y):
    y = np.asarray(y, dtype=np.float64)
    return np.exp(y - np.logaddexp.reduce(y, axis=-1, keepdims=True))


@right("einsum-normaliser")
def softmax(y):
    y = np.asarray(y, dtype=np.float64)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    s = np.einsum("...v->...", e)
    return e / s[..., None]


@right("moveaxis-and-tanh-free")
def softmax(y):
    y = np.asarray(y, dtype=np.float64)
    z = np.moveaxis(y, -1, 0)
    e = np.exp(z - z.max(axis=0))
    return np.moveaxis(e / e.sum(axis=0), 0, -1)


@right("apply-along-axis")
def softmax(y):
    def one(row):
        e = np.exp(row - row.max())
        return e / e.sum()
    return np.apply_along_axis(one, -1, np.asarray(y, dtype=np.float64))


def random_args(rng):
    return [(rng.standard_normal(5),), (rng.standard_normal((3, 4)) * 1000,), (rng.standard_normal((2, 3, 70)) * 5,),
            (np.array([3.0, 3.0, 3.0]),), (rng.integers(-5, 5, (4, 6)),), (np.array([[1e4, -1e4, 0.0]]),),
            (np.array([7.0]),)]
