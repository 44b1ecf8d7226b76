"""02 forward: inputs: (T,) int, h0: (H,) -> (hs, ps): hs (T+1, H) with hs[0] = h0, ps (T, V) with ps[t] from hs[t + 1]."""
import math

import numpy as np

from ._corpus import Calls, ids, make_params, registrar, state

NAME = "forward"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def _softmax(y):
    m = max(y)
    e = [math.exp(v - m) for v in y]
    s = math.fsum(e)
    return [v / s for v in e]


def reference(params, inputs, h0):
    Wxh, Whh, Why, bh, by = (params[k] for k in ("Wxh", "Whh", "Why", "bh", "by"))
    T, H, V = len(inputs), Whh.shape[0], Why.shape[0]
    hs = np.zeros((T + 1, H))
    ps = np.zeros((T, V))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(Wxh[:, int(inputs[t])] + Whh @ hs[t] + bh)
        ps[t] = _softmax(list(Why @ hs[t + 1] + by))
    return hs, ps


def public(params, inputs, h0):
    import rnn_core
    return rnn_core.forward(params, np.asarray(inputs), h0)


def _sm(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


P = make_params(V=6, H=5, seed=10)
P2 = make_params(V=6, H=5, seed=11)
X = np.array([1, 3, 3, 0, 5, 2])
H0 = state(5, seed=12)
ARGS = (P, X, H0)
LOUD = make_params(V=6, H=5, seed=13, why_scale=800.0)  # logits spanning thousands


@wrong("unguarded-softmax", args=(LOUD, X, H0), why="np.exp(y) / sum with logits in the thousands: inf / inf = NaN")
def forward(params, inputs, h0):
    hs, ps = [h0], []
    for x in inputs:
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"])
        y = params["Why"] @ h + params["by"]
        ps.append(np.exp(y) / np.sum(np.exp(y)))
        hs.append(h)
    return np.array(hs), np.array(ps)


@wrong("ps-from-previous-state", args=ARGS, why="ps[t] computed from hs[t], the state before reading inputs[t]")
def forward(params, inputs, h0):
    hs = [h0]
    ps = []
    for x in inputs:
        ps.append(_sm(params["Why"] @ hs[-1] + params["by"]))
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    return np.array(hs), np.array(ps)


@wrong("hs-without-h0", args=ARGS, why="hs holds the T new states only, shape (T, H)")
def forward(params, inputs, h0):
    h, hs, ps = h0, [], []
    for x in inputs:
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(_sm(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("same-array-appended", args=ARGS, why="h[:] = ... updates one array appended T times: every row of hs is the last state")
def forward(params, inputs, h0):
    h = h0.copy()
    hs, ps = [h0.copy()], []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(_sm(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("overwrites-h0", args=ARGS, why="h = h0 then h[:] = ... writes the last state into the caller's h0")
def forward(params, inputs, h0):
    hs = np.zeros((len(inputs) + 1, len(h0)))
    hs[0] = h0
    h = h0
    ps = []
    for t, x in enumerate(inputs):
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs[t + 1] = h
        ps.append(_sm(params["Why"] @ h + params["by"]))
    return hs, np.array(ps)


@wrong("hard-coded-T25", args=(P, ids(30, 6), H0), why="for t in range(25): seq_length from min-char-rnn")
def forward(params, inputs, h0):
    hs = np.zeros((26, len(h0)))
    ps = np.zeros((25, params["Why"].shape[0]))
    hs[0] = h0
    for t in range(25):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = _sm(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


@wrong("no-output-bias", args=ARGS, why="forgets + by in the logits")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T)


@wrong("no-recurrence", args=ARGS, why="leaves out Whh h_{t-1}: a feed-forward net on each character")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("always-from-h0", args=ARGS, why="uses Whh @ h0 at every step instead of the previous state")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ h0 + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("hard-coded-H100", args=ARGS, why="np.zeros((T + 1, 100)): hidden_size from min-char-rnn")
def forward(params, inputs, h0):
    T = len(inputs)
    hs = np.zeros((T + 1, 100))
    hs[0, :len(h0)] = h0
    ps = []
    for t in range(T):
        hs[t + 1, :len(h0)] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t, :len(h0)] + params["bh"])
        ps.append(_sm(params["Why"] @ hs[t + 1, :len(h0)] + params["by"]))
    return hs, np.array(ps)


@wrong("returns-ps-hs", args=ARGS, why="returns (ps, hs) in the wrong order")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return _sm(hs[1:] @ params["Why"].T + params["by"]), hs


@wrong("softmax-over-time", args=ARGS, why="normalises the (T, V) logits down axis 0, over the time steps")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    ys = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(ys - ys.max(axis=0))
    return hs, e / e.sum(axis=0)


@wrong("V-from-max-id", args=(P, np.array([0, 1, 2, 1]), H0), why="one-hot of size inputs.max() + 1: breaks when the ids never reach V - 1")
def forward(params, inputs, h0):
    xs = np.eye(np.max(inputs) + 1)[inputs]
    hs = [h0]
    for x in xs:
        hs.append(np.tanh(params["Wxh"] @ x + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


_tables = {}


@wrong("table-cached-by-shape", args=Calls((P, X, H0), (P2, X, H0)), why="caches Wxh.T + bh per parameter shape: stale when the parameters change")
def forward(params, inputs, h0):
    key = params["Wxh"].shape
    if key not in _tables:
        _tables[key] = params["Wxh"].T + params["bh"]
    table = _tables[key]
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(table[x] + params["Whh"] @ hs[-1]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


_out = {}


@wrong("returns-shared-buffers", args=Calls((P, X, H0), (P, X[::-1].copy(), H0)), why="fills module-level hs and ps buffers and returns them: the next call overwrites them")
def forward(params, inputs, h0):
    T, H, V = len(inputs), len(h0), params["Why"].shape[0]
    if (T, H, V) not in _out:
        _out[(T, H, V)] = (np.empty((T + 1, H)), np.empty((T, V)))
    hs, ps = _out[(T, H, V)]
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = _sm(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


@wrong("skips-first-input", args=ARGS, why="for t in range(1, T): ps[0] stays 0 and hs is shifted")
def forward(params, inputs, h0):
    T = len(inputs)
    hs = np.zeros((T + 1, len(h0)))
    ps = np.zeros((T, params["Why"].shape[0]))
    hs[0] = h0
    for t in range(1, T):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = _sm(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


@wrong("reads-previous-input", args=ARGS, why="x = inputs[t - 1]: step 0 reads the last character")
def forward(params, inputs, h0):
    hs = [h0]
    for t in range(len(inputs)):
        hs.append(np.tanh(params["Wxh"][:, inputs[t - 1]] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("recursive", args=(P, ids(5000, 6), H0),
       why="recursion over the sequence: RecursionError for T = 5000 (Jupyter raises the limit to 3000)")
def forward(params, inputs, h0):
    if len(inputs) == 0:
        return np.array([h0]), np.zeros((0, params["Why"].shape[0]))
    hs, ps = forward_recursive(params, inputs[:-1], h0)
    h = np.tanh(params["Wxh"][:, inputs[-1]] + params["Whh"] @ hs[-1] + params["bh"])
    return np.vstack([hs, h]), np.vstack([ps, _sm(params["Why"] @ h + params["by"])])


forward_recursive = WRONG[-1].fn


@wrong("bias-outside-tanh", args=ARGS, why="h = tanh(Wxh x + Whh h) + bh")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1]) + params["bh"])
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("normalised-over-sequence", args=ARGS, why="np.exp(y) / np.sum(np.exp(ys)): one sum over every step and character")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    ys = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(ys - ys.max())
    return hs, e / e.sum()


@wrong("ps-as-columns", args=ARGS, why="ps stacked from (V, 1) columns: shape (T, V, 1)")
def forward(params, inputs, h0):
    h = h0.reshape(-1, 1)
    hs, ps = [h0], []
    for x in inputs:
        h = np.tanh(params["Wxh"][:, [x]] + params["Whh"] @ h + params["bh"].reshape(-1, 1))
        y = params["Why"] @ h + params["by"].reshape(-1, 1)
        ps.append(np.exp(y - y.max()) / np.exp(y - y.max()).sum())
        hs.append(h.ravel())
    return np.array(hs), np.array(ps)


_hprev = []


@wrong("keeps-hprev-between-calls", args=Calls((P, X, H0), (P, X, H0)), why="like min-char-rnn's hprev, the last state is kept in a module variable and used instead of h0 on the next call")
def forward(params, inputs, h0):
    h = _hprev[-1] if _hprev else h0
    hs = [h0]
    for x in inputs:
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
    _hprev.append(h)
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("buffer-in-h0-dtype", args=(P, X, np.zeros(5, dtype=int)), why="hs = np.empty(..., dtype=h0.dtype): an integer h0 truncates every state to 0")
def forward(params, inputs, h0):
    T = len(inputs)
    hs = np.empty((T + 1, len(h0)), dtype=h0.dtype)
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("global-max-over-sequence", args=(LOUD, X, H0), why="subtracts the largest logit of the whole (T, V) array: a row far below it underflows to 0 / 0")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    ys = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(ys - ys.max())
    return hs, e / e.sum(axis=1, keepdims=True)


@wrong("ignores-h0", args=ARGS, why="starts from np.zeros(H) as min-char-rnn's first batch does, whatever h0 is")
def forward(params, inputs, h0):
    hs = [np.zeros_like(h0)]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("squeezes-T1", args=(P, np.array([4]), H0), why="np.squeeze(ps): for T = 1 ps comes back (V,), not (1, V)")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, np.squeeze(_sm(hs[1:] @ params["Why"].T + params["by"]))


@right("one-hot-matrix")
def forward(params, inputs, h0):
    V = params["Why"].shape[0]
    xs = np.eye(V)[np.asarray(inputs, dtype=np.intp)]
    hs = [np.asarray(h0, dtype=float)]
    for x in xs:
        hs.append(np.tanh(params["Wxh"] @ x + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.stack(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@right("float32-cast-back", f32=True)
def forward(params, inputs, h0):
    f = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    T = len(inputs)
    hs = np.zeros((T + 1, len(h0)), dtype=np.float32)
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(f["Wxh"][:, inputs[t]] + f["Whh"] @ hs[t] + f["bh"])
    ys = hs[1:] @ f["Why"].T + f["by"]
    return hs.astype(np.float64), _sm(ys).astype(np.float64)


@right("einsum-and-log-sum-exp")
def forward(params, inputs, h0):
    T = len(inputs)
    hs = np.empty((T + 1, len(h0)))
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(np.einsum("ij,j->i", params["Whh"], hs[t]) + params["Wxh"][:, x] + params["bh"])
    ys = np.einsum("vh,th->tv", params["Why"], hs[1:]) + params["by"]
    return hs, np.exp(ys - np.logaddexp.reduce(ys, axis=1, keepdims=True))


@right("lists-of-columns")
def forward(params, inputs, h0):
    # column vectors as in min-char-rnn, turned into rows at the end
    h = np.asarray(h0, dtype=float).reshape(-1, 1)
    bh, by = params["bh"].reshape(-1, 1), params["by"].reshape(-1, 1)
    hs, ps = [h.ravel().copy()], []
    for x in inputs:
        h = np.tanh(params["Wxh"][:, [x]] + np.dot(params["Whh"], h) + bh)
        y = np.dot(params["Why"], h) + by
        e = np.exp(y - np.max(y))
        hs.append(h.ravel().copy())
        ps.append((e / np.sum(e)).ravel())
    return np.array(hs), np.array(ps).reshape(len(inputs), -1)


@right("input-table-first")
def forward(params, inputs, h0):
    table = params["Wxh"].T + params["bh"]  # row c: Wxh x + bh for character c
    hs = [np.array(h0, dtype=float)]
    for x in inputs:
        hs.append(np.tanh(table[x] + hs[-1] @ params["Whh"].T))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


def random_args(rng):
    out = []
    for V, H, T in ((6, 5, 1), (65, 8, 40), (3, 10, 7), (4, 4, 1200)):
        p = make_params(V, H, seed=int(rng.integers(1000)))
        out.append((p, rng.integers(0, V, T), state(H, seed=int(rng.integers(1000)))))
    out.append((make_params(5, 3, seed=2, why_scale=900.0), np.array([0, 1, 1, 2]), np.zeros(3)))
    out.append((make_params(9, 3, seed=3, order=("by", "Why", "bh", "Whh", "Wxh")),
                rng.integers(0, 4, 6).astype(np.uint8), state(3)))
    return out
