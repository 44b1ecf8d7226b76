"""02 rnn_step: x: int id, h_prev: (H,) -> h_t: (H,) = tanh(Wxh x_t + Whh h_{t-1} + bh)."""
import numpy as np

from ._corpus import Calls, make_params, registrar, state

NAME = "rnn_step"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(params, x, h_prev):
    Wxh, Whh, bh = params["Wxh"], params["Whh"], params["bh"]
    H = Whh.shape[0]
    a = np.zeros(H)
    for i in range(H):
        a[i] = Wxh[i, int(x)] + bh[i] + sum(Whh[i, j] * h_prev[j] for j in range(H))
    return np.tanh(a)


def public(params, x, h_prev):
    import rnn_core
    hs, _ = rnn_core.forward(params, np.array([x]), h_prev)
    return hs[1]


P = make_params(V=5, H=4, seed=3)
P2 = make_params(V=5, H=4, seed=4)
H0 = state(4)
ARGS = (P, 3, H0)


@wrong("no-bias", args=ARGS, why="forgets + bh")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


@wrong("no-tanh", args=ARGS, why="returns the pre-activation")
def rnn_step(params, x, h_prev):
    return params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]


@wrong("Whh-transposed", args=ARGS, why="h_prev @ Whh is Whh.T @ h_prev")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + h_prev @ params["Whh"] + params["bh"])


@wrong("row-of-Wxh", args=(make_params(V=4, H=4, seed=5), 1, state(4)), why="Wxh[x] is a row; with H = V it even has the right length")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][x] + params["Whh"] @ h_prev + params["bh"])


@wrong("one-hot-of-65", args=ARGS, why="builds a 65-long one-hot vector: fails for any other V")
def rnn_step(params, x, h_prev):
    xv = np.zeros(65)
    xv[x] = 1
    return np.tanh(params["Wxh"] @ xv + params["Whh"] @ h_prev + params["bh"])


@wrong("sigmoid", args=ARGS, why="the logistic sigmoid instead of tanh")
def rnn_step(params, x, h_prev):
    a = params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]
    return 1 / (1 + np.exp(-a))


@wrong("updates-h-prev-in-place", args=ARGS, why="h_prev[:] = ... changes the caller's state")
def rnn_step(params, x, h_prev):
    h_prev[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h_prev


Wxh = np.random.default_rng(0).standard_normal((100, 65)) * 0.01
Whh = np.random.default_rng(1).standard_normal((100, 100)) * 0.01
bh = np.zeros(100)


@wrong("notebook-globals", args=ARGS, why="uses the notebook's global Wxh, Whh, bh (H = 100) instead of params")
def rnn_step(params, x, h_prev):
    return np.tanh(Wxh[:, x] + Whh @ h_prev[:100] + bh)


@wrong("x-as-vector", args=ARGS, why="Wxh @ x treats the id as a one-hot vector")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"] @ x + params["Whh"] @ h_prev + params["bh"])


@wrong("ids-one-based", args=(P, 0, H0), why="Wxh[:, x - 1]: id 0 reads the last column")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x - 1] + params["Whh"] @ h_prev + params["bh"])


_table = {}


@wrong("input-table-cached-by-shape", args=Calls((P, 2, H0), (P2, 2, H0)),
       why="caches Wxh + bh per shape: new parameters of the same shape reuse the first ones")
def rnn_step(params, x, h_prev):
    key = params["Wxh"].shape
    if key not in _table:
        _table[key] = params["Wxh"] + params["bh"][:, None]
    return np.tanh(_table[key][:, x] + params["Whh"] @ h_prev)


_h = {}


@wrong("returns-shared-buffer", args=Calls((P, 1, H0), (P, 2, H0)), why="np.tanh(a, out=buffer) into one module-level array, returned every time")
def rnn_step(params, x, h_prev):
    out = _h.setdefault(h_prev.shape, np.empty(h_prev.shape))
    np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"], out=out)
    return out


@wrong("bias-outside-tanh", args=ARGS, why="tanh(Wxh x + Whh h) + bh")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev) + params["bh"]


@wrong("ignores-h-prev", args=ARGS, why="the recurrent term left out: tanh(Wxh x + bh)")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["bh"])


@wrong("column-vector-output", args=ARGS, why="min-char-rnn's (H, 1) columns: returns (H, 1), not (H,)")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, [x]] + params["Whh"] @ h_prev.reshape(-1, 1) + params["bh"].reshape(-1, 1))


@wrong("one-hot-of-size-H", args=ARGS, why="np.eye(len(h_prev))[x]: a one-hot of size H, not V")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"] @ np.eye(len(h_prev))[x] + params["Whh"] @ h_prev + params["bh"])


@wrong("tanh-before-recurrence", args=ARGS, why="tanh(Wxh x + bh) + Whh h_prev: the recurrent term is added after the tanh")
def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["bh"]) + params["Whh"] @ h_prev


@wrong("returns-h-and-y", args=ARGS, why="returns (h, y) like min-char-rnn's step, not h alone")
def rnn_step(params, x, h_prev):
    h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h, params["Why"] @ h + params["by"]


@wrong("relu", args=ARGS, why="np.maximum(0, a): a ReLU instead of tanh")
def rnn_step(params, x, h_prev):
    return np.maximum(0, params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


@right("one-hot-matmul")
def rnn_step(params, x, h_prev):
    V = params["Wxh"].shape[1]
    return np.tanh(params["Wxh"] @ np.eye(V)[x] + params["Whh"] @ h_prev + params["bh"])


@right("einsum")
def rnn_step(params, x, h_prev):
    return np.tanh(np.einsum("ij,j->i", params["Whh"], h_prev) + params["Wxh"][:, x] + params["bh"])


@right("float32-cast-back", f32=True)
def rnn_step(params, x, h_prev):
    f = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    h = np.asarray(h_prev, dtype=np.float32)
    return np.tanh(f["Wxh"][:, x] + f["Whh"] @ h + f["bh"]).astype(np.float64)


@right("row-vector-form")
def rnn_step(params, x, h_prev):
    h = np.tanh(h_prev[None, :] @ params["Whh"].T + params["Wxh"].T[x][None, :] + params["bh"])
    return h[0]


@right("exp-tanh")
def rnn_step(params, x, h_prev):
    a = params["Wxh"][:, x] + params["Whh"].dot(h_prev) + params["bh"]
    return 1 - 2 / (np.exp(2 * a) + 1)


@right("math-tanh-loop")
def rnn_step(params, x, h_prev):
    import math
    a = params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]
    return np.array([math.tanh(v) for v in a])


def random_args(rng):
    out = []
    for V, H, x in ((5, 4, 0), (65, 7, 64), (3, 12, 1), (1, 1, 0)):
        p = make_params(V, H, seed=int(rng.integers(1000)))
        out.append((p, x, state(H, seed=int(rng.integers(1000)))))
    out.append((make_params(6, 3, seed=1, order=("by", "bh", "Why", "Whh", "Wxh")), np.uint8(5), np.zeros(3)))
    return out
