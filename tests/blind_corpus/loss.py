"""03 loss: ps: (T, V), targets: (T,) int -> summed cross-entropy in nats (float)."""
import math

import numpy as np

from ._corpus import Calls, ids, registrar

NAME = "loss"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(ps, targets):
    return math.fsum(-math.log(float(ps[t][int(k)])) for t, k in enumerate(targets))


def public(ps, targets):
    import rnn_core
    return rnn_core.cross_entropy(np.asarray(ps), np.asarray(targets))


def probs(T, V, seed=0, spread=1.0):
    y = np.random.default_rng(seed).standard_normal((T, V)) * spread
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


PS = probs(5, 4, seed=1)
TG = np.array([1, 3, 0, 2, 2])
ARGS = (PS, TG)
ZERO = PS.copy()
ZERO[0] = [0.0, 0.5, 0.25, 0.25]  # an exact zero where the target is not
LONG = (probs(2000, 6, seed=2), ids(2000, 6))
T = 25  # a notebook's global


@wrong("onehot-times-log", args=(ZERO, TG), why="-sum(onehot * log p) as seed 004 writes it: 0 * log 0 = NaN")
def loss(ps, targets):
    onehot = np.zeros_like(ps)
    onehot[np.arange(len(targets)), targets] = 1
    return -np.sum(onehot * np.log(ps))


@wrong("log-of-product", args=LONG, why="-log(prod p): the product of 2000 probabilities underflows to 0")
def loss(ps, targets):
    return float(-np.log(np.prod(ps[np.arange(len(targets)), targets])))


@wrong("np-choose", args=(probs(4, 65, seed=3), np.array([0, 64, 3, 10])), why="np.choose(targets, ps.T) has a limit on the number of choices: fails for V = 65")
def loss(ps, targets):
    return float(-np.log(np.choose(targets, ps.T)).sum())


@wrong("mean-not-sum", args=ARGS, why="averages over the steps instead of summing")
def loss(ps, targets):
    return float(-np.mean(np.log(ps[np.arange(len(targets)), targets])))


@wrong("columns-by-targets", args=ARGS, why="ps[:, targets] is (T, T): sums every step's probability of every target")
def loss(ps, targets):
    return float(-np.log(ps[:, targets]).sum())


@wrong("log10", args=ARGS, why="np.log10: not nats")
def loss(ps, targets):
    return float(-np.log10(ps[np.arange(len(targets)), targets]).sum())


@wrong("global-T", args=ARGS, why="np.arange(T) with the notebook's global T = 25")
def loss(ps, targets):
    return float(-np.log(ps[np.arange(T), targets]).sum())


@wrong("hard-coded-25-steps", args=(probs(30, 4, seed=4), ids(30, 4)), why="for t in range(25): min-char-rnn's seq_length")
def loss(ps, targets):
    total = 0.0
    for t in range(25):
        total += -np.log(ps[t, targets[t]])
    return float(total)


@wrong("targets-shifted-again", args=ARGS, why="pairs ps[t] with targets[t + 1], as if targets were the inputs")
def loss(ps, targets):
    return float(-np.log(ps[np.arange(len(targets) - 1), targets[1:]]).sum())


@wrong("no-minus", args=ARGS, why="sum of log p: negative")
def loss(ps, targets):
    return float(np.log(ps[np.arange(len(targets)), targets]).sum())


@wrong("epsilon-in-log", args=(np.array([[1e-7, 1 - 1e-7], [0.5, 0.5]]), np.array([0, 1])), why="log(p + 1e-8) is 10% off for a target probability of 1e-7")
def loss(ps, targets):
    return float(-np.log(ps[np.arange(len(targets)), targets] + 1e-8).sum())


@wrong("per-step-array", args=ARGS, why="returns the (T,) per-step losses, not their sum")
def loss(ps, targets):
    return -np.log(ps[np.arange(len(targets)), targets])


@wrong("most-likely-not-target", args=ARGS, why="-log(max p): the loss of the predicted character, not of the target")
def loss(ps, targets):
    return float(-np.log(ps.max(axis=1)).sum())


_total = [0.0]


@wrong("running-total-never-reset", args=Calls(ARGS, ARGS), why="adds into a module-level total: the second call returns twice the loss")
def loss(ps, targets):
    for t, k in enumerate(targets):
        _total[0] += -math.log(ps[t, k])
    return _total[0]


@wrong("rounded", args=ARGS, why="round(loss, 2) for display")
def loss(ps, targets):
    return round(float(-np.log(ps[np.arange(len(targets)), targets]).sum()), 2)


@wrong("indexes-transposed", args=(probs(3, 5, seed=5), np.array([4, 0, 2])), why="ps[targets, arange(T)] swaps rows and columns")
def loss(ps, targets):
    return float(-np.log(ps[targets, np.arange(len(targets))]).sum())


@wrong("np-take-flat", args=ARGS, why="np.take(ps, targets) indexes the flattened array: row 0 only")
def loss(ps, targets):
    return float(-np.log(np.take(ps, targets)).sum())


@wrong("log-in-place", args=ARGS, why="np.log(ps, out=ps) overwrites the caller's probabilities")
def loss(ps, targets):
    np.log(ps, out=ps)
    return float(-ps[np.arange(len(targets)), targets].sum())


@wrong("eye-of-max-target", args=(PS, np.array([0, 1, 1, 0, 2])), why="one-hot of size targets.max() + 1: fails when no target is V - 1")
def loss(ps, targets):
    return float(-(np.eye(targets.max() + 1)[targets] * np.log(ps)).sum())


@wrong("float32-log-sum", args=(np.full((1000, 2), 0.5) + np.array([[1e-4, -1e-4]]), np.zeros(1000, dtype=int)),
       why="float32 accumulation over 1000 steps: the sum drifts by more than float64 rounding allows")
def loss(ps, targets):
    total = np.float32(0)
    for t, k in enumerate(targets):
        total += np.float32(-np.log(np.float32(ps[t, k]))) * np.float32(1.0001)
    return float(total)


@wrong("clips-probabilities", args=(np.array([[1e-15, 1 - 1e-15], [0.5, 0.5]]), np.array([0, 1])), why="np.clip(p, 1e-12, 1) before the log: a target probability of 1e-15 scores 27.6 instead of 34.5")
def loss(ps, targets):
    return float(-np.log(np.clip(ps[np.arange(len(targets)), targets], 1e-12, 1.0)).sum())


@wrong("drops-last-step", args=ARGS, why="sums over ps[:-1]: the last prediction is not scored")
def loss(ps, targets):
    return float(-np.log(ps[np.arange(len(targets) - 1), targets[:-1]]).sum())


@wrong("whole-rows", args=ARGS, why="sums -log p over every character of each row, not only the target's")
def loss(ps, targets):
    return float(sum(-np.log(ps[t]).sum() for t in range(len(targets))))


@wrong("log1p", args=ARGS, why="np.log1p(p) is log(1 + p), not log p")
def loss(ps, targets):
    return float(-np.log1p(ps[np.arange(len(targets)), targets]).sum())


@wrong("one-element-array", args=ARGS, why="returns np.array([total]), shape (1,), not a float")
def loss(ps, targets):
    total = np.zeros(1)
    for t, k in enumerate(targets):
        total -= np.log(ps[t, k])
    return total


@right("math-log-loop")
def loss(ps, targets):
    total = 0.0
    for p, k in zip(ps, targets):
        total -= math.log(p[k])
    return total


@right("take-along-axis")
def loss(ps, targets):
    picked = np.take_along_axis(np.asarray(ps), np.asarray(targets, dtype=np.intp)[:, None], axis=1)
    return float(-np.log(picked).sum())


@right("masked-einsum")
def loss(ps, targets):
    onehot = np.eye(ps.shape[1])[np.asarray(targets, dtype=np.intp)]
    logp = np.log(np.where(onehot > 0, ps, 1.0))  # no log(0) where the target is not
    return float(-np.einsum("tv,tv->", onehot, logp))


@right("log-of-product-in-chunks")
def loss(ps, targets):
    picked = ps[np.arange(len(targets)), targets]
    return -sum(math.log(np.prod(picked[i:i + 10])) for i in range(0, len(picked), 10))


@right("numpy-scalar")
def loss(ps, targets):
    return -np.sum(np.log(ps[range(len(targets)), list(targets)]))


def random_args(rng):
    zero = probs(6, 5, seed=7)
    zero[2] = [0.0, 0.0, 1.0, 0.0, 0.0]
    return [(probs(1, 3, seed=1), np.array([2])), (probs(40, 65, seed=2, spread=3), rng.integers(0, 65, 40)),
            (zero, np.array([0, 1, 2, 3, 4, 0])), (probs(1500, 7, seed=3), rng.integers(0, 7, 1500)),
            (probs(10, 300, seed=4), rng.integers(0, 300, 10).astype(np.uint16))]
