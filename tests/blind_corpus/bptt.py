"""04 bptt: inputs, targets: (T,) int; hs: (T+1, H), hs[0] = h0; ps: (T, V)
-> dict of gradients of the summed loss: Wxh, Whh, Why, bh, by."""
import numpy as np

from ._corpus import Calls, ids, make_params, registrar, state
from .forward import reference as forward_reference

NAME = "bptt"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(params, inputs, targets, hs, ps):
    """Gradients by forward-mode sensitivities is too slow; this is a plain per-step loop
    written from the equations, checked against rnn_core and against central differences."""
    Whh, Why = params["Whh"], params["Why"]
    T = len(inputs)
    g = {k: np.zeros(np.shape(v)) for k, v in params.items()}
    dhnext = np.zeros(Whh.shape[0])
    for t in range(T - 1, -1, -1):
        dy = np.array(ps[t], dtype=float)
        dy[int(targets[t])] -= 1.0
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1.0 - hs[t + 1] ** 2) * (Why.T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, int(inputs[t])] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = Whh.T @ da
    return g


def public(params, inputs, targets, hs, ps):
    import rnn_core
    _, grads, _ = rnn_core.loss_and_grads(params, np.asarray(inputs), np.asarray(targets), hs[0])
    return grads


def make(V=5, H=4, T=6, seed=30, top=None, order=("Wxh", "Whh", "Why", "bh", "by"), why_scale=None, scale=0.5):
    p = make_params(V, H, seed=seed, order=order, why_scale=why_scale, scale=scale)
    x = ids(T + 1, V, seed=seed + 1, top=top)
    hs, ps = forward_reference(p, x[:-1], state(H, seed=seed + 2))
    return (p, x[:-1], x[1:], hs, ps)


ARGS = make()
LONG = make(V=4, H=3, T=40, seed=31, why_scale=3.0)  # gradients well above 5
T = 25  # a notebook's global


def _core(params, inputs, targets, hs, ps, use_dhnext=True, whh_from=0, clip=None, horizon=None):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    steps = list(reversed(range(len(inputs))))
    if horizon:
        steps = steps[:horizon]
    for t in steps:
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        dh = params["Why"].T @ dy + (dhnext if use_dhnext else 0)
        da = (1 - hs[t + 1] ** 2) * dh
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t + whh_from])
        dhnext = params["Whh"].T @ da
    if clip:
        for v in g.values():
            np.clip(v, -clip, clip, out=v)
    return g


@wrong("no-dhnext", args=ARGS, why="dh = Why.T @ dy only: the gradient from later steps is dropped")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, use_dhnext=False)


@wrong("seed-001-both-bugs", args=ARGS, why="seed 001: dhnext update commented out and dWhh built from hs[t + 1]")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, use_dhnext=False, whh_from=1)


@wrong("dWhh-from-h-t", args=ARGS, why="dWhh from hs[t + 1] (h_t) instead of hs[t] (h_(t-1))")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, whh_from=1)


@wrong("clips-at-5", args=LONG, why="min-char-rnn clips every gradient to [-5, 5] inside lossFun")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, clip=5)


@wrong("clips-at-1", args=make(T=10, seed=36, why_scale=2.0), why="seed 001 clips to [-1, 1]")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, clip=1)


@wrong("horizon-25", args=LONG, why="walks back at most 25 steps (seq_length), so steps before T - 25 are lost")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, targets, hs, ps, horizon=25)


@wrong("walks-forwards", args=ARGS, why="for t in range(T): dhnext flows the wrong way")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in range(len(inputs)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("tanh-derivative-of-previous-state", args=ARGS, why="(1 - hs[t]**2): the state before the step")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("dWxh-assigned", args=make(seed=32, V=3), why="dWxh[:, x] = da overwrites instead of adding: repeated characters count once")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    g["Wxh"][:] = 0
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["Wxh"][:, inputs[t]] = da
        dhnext = params["Whh"].T @ da
    return g


@wrong("fancy-index-add", args=make(seed=33, V=3), why="dWxh[:, inputs] += da.T: numpy's buffered fancy add drops repeated ids")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    das = []
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        das.append(da)
        dhnext = params["Whh"].T @ da
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, inputs] += np.array(das[::-1]).T
    g["Wxh"] = dWxh
    return g


@wrong("changes-ps", args=ARGS, why="dy = ps[t] without a copy: dy[k] -= 1 writes into the caller's ps")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t]
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


_grads = {}


@wrong("buffers-never-zeroed", args=Calls(ARGS, ARGS), why="module-level gradient buffers, allocated once and never zeroed")
def bptt(params, inputs, targets, hs, ps):
    for k, v in params.items():
        if k not in _grads or _grads[k].shape != v.shape:
            _grads[k] = np.zeros_like(v)
    for k, v in _core(params, inputs, targets, hs, ps).items():
        _grads[k] += v
    return {k: v.copy() for k, v in _grads.items()}


_WhhT = {}


@wrong("transpose-cached-by-shape", args=Calls(ARGS, make(seed=34)), why="caches Whh.T and Why.T per shape: stale for new parameters")
def bptt(params, inputs, targets, hs, ps):
    key = params["Whh"].shape + params["Why"].shape
    if key not in _WhhT:
        _WhhT[key] = (params["Whh"].T.copy(), params["Why"].T.copy())
    WhhT, WhyT = _WhhT[key]
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (WhyT @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = WhhT @ da
    return g


@wrong("mean-over-steps", args=ARGS, why="divides every gradient by T: the gradient of the mean loss")
def bptt(params, inputs, targets, hs, ps):
    return {k: v / len(inputs) for k, v in _core(params, inputs, targets, hs, ps).items()}


@wrong("dhnext-without-transpose", args=ARGS, why="dhnext = Whh @ da")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"] @ da
    return g


@wrong("target-is-input", args=ARGS, why="dy[inputs[t]] -= 1: subtracts at the character read, not the one to predict")
def bptt(params, inputs, targets, hs, ps):
    return _core(params, inputs, inputs, hs, ps)


@wrong("min-char-rnn-indexing", args=ARGS, why="hs[t] as h_t and hs[t - 1] as h_(t-1), as in min-char-rnn's dict: off by one (and hs[-1] wraps)")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t])
        g["by"] += dy
        da = (1 - hs[t] * hs[t]) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t - 1])
        dhnext = params["Whh"].T @ da
    return g


@wrong("hard-coded-H100", args=ARGS, why="dhnext = np.zeros(100): hidden_size from min-char-rnn")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(100)
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("returns-tuple", args=ARGS, why="returns (dWxh, dWhh, dWhy, dbh, dby) as min-char-rnn does, not a dict")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    return g["Wxh"], g["Whh"], g["Why"], g["bh"], g["by"]


@wrong("dWhh-transposed", args=ARGS, why="np.outer(hs[t], da): the transpose of dWhh")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    g["Whh"] = g["Whh"].T.copy()
    return g


@wrong("dbh-before-tanh", args=ARGS, why="dbh accumulates dh instead of (1 - h**2) * dh")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    g["bh"][:] = 0
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dh = params["Why"].T @ dy + dhnext
        g["bh"] += dh
        dhnext = params["Whh"].T @ ((1 - hs[t + 1] ** 2) * dh)
    return g


@wrong("global-T", args=make(T=7, seed=35), why="reversed(range(T)) with the notebook's global T = 25")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("dby-from-ps", args=ARGS, why="dby += ps[t]: the -1 at the target is left out of the output bias")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    g["by"] = np.sum(ps, axis=0)
    return g


@wrong("dhnext-before-tanh", args=ARGS, why="dhnext = Whh.T @ dh: the tanh derivative is skipped on the way back")
def bptt(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        dh = params["Why"].T @ dy + dhnext
        da = (1 - hs[t + 1] ** 2) * dh
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ dh
    return g


@wrong("dWhy-from-previous-state", args=ARGS, why="dWhy += outer(dy, hs[t]): the output layer read hs[t + 1]")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    dys = np.array(ps, dtype=float)
    dys[np.arange(len(targets)), targets] -= 1
    g["Why"] = dys.T @ np.asarray(hs)[:-1]
    return g


@wrong("dWxh-previous-input", args=ARGS, why="dWxh[:, inputs[t - 1]]: the column of the character before (step 0 wraps to the last)")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, np.asarray(targets), hs, ps)
    shifted = np.roll(np.asarray(inputs), 1)
    return {**g, "Wxh": _core(params, shifted, targets, hs, ps)["Wxh"]}


@wrong("dWhh-skips-h0", args=ARGS, why="dWhh summed for t >= 1 only, as if h0 were always zero")
def bptt(params, inputs, targets, hs, ps):
    g = _core(params, inputs, targets, hs, ps)
    das = []
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        das.append((t, da))
        dhnext = params["Whh"].T @ da
    g["Whh"] = sum(np.outer(da, hs[t]) for t, da in das if t >= 1) + np.zeros_like(params["Whh"])
    return g


@right("vectorised-with-add-at")
def bptt(params, inputs, targets, hs, ps):
    T = len(inputs)
    dy = np.array(ps, dtype=float)
    dy[np.arange(T), targets] -= 1
    dh_own = dy @ params["Why"]
    das = np.zeros_like(dh_own)
    dhnext = np.zeros(dh_own.shape[1])
    for t in range(T - 1, -1, -1):
        das[t] = (1 - hs[t + 1] ** 2) * (dh_own[t] + dhnext)
        dhnext = das[t] @ params["Whh"]
    dWxh = np.zeros(params["Wxh"].shape)
    np.add.at(dWxh.T, np.asarray(inputs, dtype=np.intp), das)
    return {"Wxh": dWxh, "Whh": das.T @ hs[:-1], "Why": dy.T @ hs[1:], "bh": das.sum(0), "by": dy.sum(0)}


@right("calls-own-step")
def bptt(params, inputs, targets, hs, ps):
    from .bptt_step import RIGHT as steps
    step = steps[1].fn
    total = {k: np.zeros(np.shape(v)) for k, v in params.items()}
    dhnext = np.zeros(len(hs[0]))
    for t in reversed(range(len(inputs))):
        dy = ps[t] - np.eye(len(ps[t]))[targets[t]]
        g, dhnext = step(params, inputs[t], hs[t], hs[t + 1], dy, dhnext)
        for k in total:
            total[k] = total[k] + g[k]
    return total


@right("one-hot-einsum")
def bptt(params, inputs, targets, hs, ps):
    V = params["Why"].shape[0]
    X, Y = np.eye(V)[np.asarray(inputs, dtype=np.intp)], np.eye(V)[np.asarray(targets, dtype=np.intp)]
    dy = ps - Y
    das, dhnext = [], 0.0
    for t in reversed(range(len(inputs))):
        da = (1 - hs[t + 1] ** 2) * (np.einsum("vh,v->h", params["Why"], dy[t]) + dhnext)
        das.append(da)
        dhnext = np.einsum("ij,i->j", params["Whh"], da)
    das = np.array(das[::-1])
    return {"Wxh": np.einsum("th,tv->hv", das, X), "Whh": np.einsum("ti,tj->ij", das, hs[:-1]),
            "Why": np.einsum("tv,th->vh", dy, hs[1:]), "bh": das.sum(axis=0), "by": dy.sum(axis=0)}


@right("float32-cast-back", f32=True)
def bptt(params, inputs, targets, hs, ps):
    f = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    hs32, ps32 = np.asarray(hs, dtype=np.float32), np.asarray(ps, dtype=np.float32)
    g = {k: np.zeros_like(v) for k, v in f.items()}
    dhnext = np.zeros_like(hs32[0])
    for t in reversed(range(len(inputs))):
        dy = ps32[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs32[t + 1])
        g["by"] += dy
        da = (1 - hs32[t + 1] ** 2) * (f["Why"].T @ dy + dhnext)
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs32[t])
        dhnext = f["Whh"].T @ da
    return {k: v.astype(np.float64) for k, v in g.items()}


def random_args(rng):
    return [make(V=5, H=4, T=1, seed=int(rng.integers(1000))), make(V=65, H=6, T=30, seed=int(rng.integers(1000))),
            make(V=3, H=8, T=12, seed=3, top=2), make(V=4, H=3, T=1000, seed=4, scale=0.3),
            make(V=6, H=5, T=9, seed=5, order=("by", "bh", "Why", "Whh", "Wxh"), why_scale=4.0)]
