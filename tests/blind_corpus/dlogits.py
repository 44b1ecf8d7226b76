"""03 dlogits: ps: (T, V), targets: (T,) int -> dy: (T, V) = p - onehot(target); ps must not change."""
import numpy as np

from ._corpus import Calls, registrar
from .loss import probs

NAME = "dlogits"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(ps, targets):
    T, V = np.shape(ps)
    dy = np.zeros((T, V))
    for t in range(T):
        for j in range(V):
            dy[t, j] = ps[t][j] - (1.0 if j == int(targets[t]) else 0.0)
    return dy


def public(ps, targets):
    """rnn_core's own dy, read out of its BPTT: T streams of one step each, with h_t the t-th unit
    vector, make dWhy = dy.T @ I, so dWhy.T is dy row by row."""
    from rnn_core.bptt import gradients
    ps = np.asarray(ps, dtype=np.float64)
    T, V = ps.shape
    params = {"Wxh": np.zeros((T, V)), "Whh": np.zeros((T, T)), "Why": np.zeros((V, T)),
              "bh": np.zeros(T), "by": np.zeros(V)}
    hs = np.zeros((2, T, T))
    hs[1] = np.eye(T)
    grads = gradients(params, np.zeros((1, T), dtype=np.intp), np.asarray(targets, dtype=np.intp)[None, :],
                      hs, ps[None, :, :])
    return grads["Why"].T


PS = probs(4, 5, seed=11)
TG = np.array([1, 4, 0, 1])
ARGS = (PS, TG)
T = 25  # a notebook's global


@wrong("changes-ps", args=ARGS, why="dy = ps; dy[...] -= 1 subtracts from the caller's ps")
def dlogits(ps, targets):
    dy = ps
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("slice-is-a-view", args=ARGS, why="dy = ps[:] is a view in numpy, not a copy as for a list")
def dlogits(ps, targets):
    dy = ps[:]
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("whole-target-columns", args=ARGS, why="dy[:, targets] -= 1 subtracts in every row")
def dlogits(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


@wrong("eye-of-max-target", args=(PS, np.array([0, 1, 1, 2])), why="np.eye(targets.max() + 1): fails when no target is V - 1")
def dlogits(ps, targets):
    return ps - np.eye(targets.max() + 1)[targets]


@wrong("divided-by-T", args=ARGS, why="gradient of the mean loss, not of the summed one")
def dlogits(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= 1
    return dy / len(targets)


@wrong("sign-flipped", args=ARGS, why="onehot - p")
def dlogits(ps, targets):
    return np.eye(ps.shape[1])[targets] - ps


@wrong("sets-minus-one", args=ARGS, why="dy[t, k] = -1 instead of p - 1")
def dlogits(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] = -1
    return dy


@wrong("rows-by-targets", args=ARGS, why="dy[targets] -= 1 (seed style dy[targets[t]] on a (T, V) array) subtracts whole rows")
def dlogits(ps, targets):
    dy = np.copy(ps)
    for t in range(len(targets)):
        dy[targets[t]] -= 1
    return dy


@wrong("flat-index", args=ARGS, why="dy.flat[targets] -= 1 indexes the flattened array")
def dlogits(ps, targets):
    dy = ps.copy()
    dy.flat[targets] -= 1
    return dy


_dy = {}


@wrong("returns-shared-buffer", args=Calls((PS, TG), (PS, TG[::-1].copy())), why="a module-level output per shape, returned and overwritten by the next call")
def dlogits(ps, targets):
    dy = _dy.setdefault(ps.shape, np.empty(ps.shape))
    dy[...] = ps
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("global-T", args=ARGS, why="np.arange(T) with the notebook's global T = 25")
def dlogits(ps, targets):
    dy = ps.copy()
    dy[np.arange(T), targets] -= 1
    return dy


@wrong("last-step-missed", args=ARGS, why="for t in range(len(targets) - 1)")
def dlogits(ps, targets):
    dy = ps.copy()
    for t in range(len(targets) - 1):
        dy[t, targets[t]] -= 1
    return dy


@wrong("softmax-again", args=ARGS, why="takes ps for logits and applies softmax once more")
def dlogits(ps, targets):
    e = np.exp(ps - ps.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p


@wrong("onehot-uint8-subtracted-in-place", args=ARGS, why="onehot -= ps on a uint8 array raises (or truncates)")
def dlogits(ps, targets):
    onehot = np.eye(ps.shape[1], dtype=np.uint8)[targets]
    onehot -= ps
    return -onehot


@wrong("transposed", args=ARGS, why="returns (V, T), the column layout of min-char-rnn")
def dlogits(ps, targets):
    dy = ps.T.copy()
    dy[targets, np.arange(len(targets))] -= 1
    return dy


@wrong("eye-of-T", args=ARGS, why="np.eye(len(ps))[targets]: a one-hot of size T, not V")
def dlogits(ps, targets):
    return ps - np.eye(len(ps))[targets][:, :ps.shape[1]]


@wrong("onehot-row-not-reset", args=ARGS, why="one zero vector reused for every row: the 1s of earlier targets stay in it")
def dlogits(ps, targets):
    onehot = np.zeros(ps.shape[1])
    dy = np.empty_like(ps)
    for t, k in enumerate(targets):
        onehot[k] = 1
        dy[t] = ps[t] - onehot
    return dy


@wrong("subtracts-from-argmax", args=ARGS, why="subtracts 1 at the most likely character instead of the target")
def dlogits(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(ps)), ps.argmax(axis=1)] -= 1
    return dy


@right("subtract-at")
def dlogits(ps, targets):
    dy = np.array(ps, dtype=float)
    np.subtract.at(dy, (np.arange(len(targets)), np.asarray(targets, dtype=np.intp)), 1.0)
    return dy


@right("equal-outer")
def dlogits(ps, targets):
    return ps - np.equal.outer(np.asarray(targets), np.arange(ps.shape[1]))


@right("row-loop-copy")
def dlogits(ps, targets):
    rows = []
    for p, k in zip(ps, targets):
        r = p.copy()
        r[k] -= 1
        rows.append(r)
    return np.array(rows).reshape(np.shape(ps))


@right("float32-cast-back", f32=True)
def dlogits(ps, targets):
    dy = np.asarray(ps, dtype=np.float32).copy()
    dy[np.arange(len(targets)), targets] -= np.float32(1)
    return dy.astype(np.float64)


@right("where-mask")
def dlogits(ps, targets):
    cols = np.arange(np.shape(ps)[1])
    return np.where(cols[None, :] == np.asarray(targets)[:, None], ps - 1.0, ps)


def random_args(rng):
    return [(probs(1, 2, seed=1), np.array([1])), (probs(30, 65, seed=2), rng.integers(0, 65, 30)),
            (probs(6, 4, seed=3), np.array([2, 2, 2, 2, 2, 2])), (probs(1000, 3, seed=4), rng.integers(0, 3, 1000)),
            (probs(5, 300, seed=5), rng.integers(0, 300, 5).astype(np.uint16))]
