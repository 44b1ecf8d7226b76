"""04 bptt_step: one step of BPTT, from the logits y_t back to h_(t-1).

x: int id read at step t; h_prev, h: (H,) the states before and after it; dy: (V,) the gradient
at the logits; dhnext: (H,) the gradient reaching h from step t+1 -> (grads, dh_prev): this
step's contributions, a dict Wxh, Whh, Why, bh, by shaped like params, and dh_prev: (H,).
"""
import numpy as np

from ._corpus import Calls, make_params, registrar, state

NAME = "bptt_step"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(params, x, h_prev, h, dy, dhnext):
    Whh, Why = params["Whh"], params["Why"]
    H, V = Whh.shape[0], Why.shape[0]
    g = {k: np.zeros(np.shape(v)) for k, v in params.items()}
    for v in range(V):
        g["by"][v] = dy[v]
        for i in range(H):
            g["Why"][v, i] = dy[v] * h[i]
    da = np.zeros(H)
    for i in range(H):
        dh_i = dhnext[i] + sum(Why[v, i] * dy[v] for v in range(V))
        da[i] = (1 - h[i] ** 2) * dh_i
    g["bh"][:] = da
    g["Wxh"][:, int(x)] = da
    for i in range(H):
        for j in range(H):
            g["Whh"][i, j] = da[i] * h_prev[j]
    dh_prev = np.array([sum(Whh[i, j] * da[i] for i in range(H)) for j in range(H)])
    return g, dh_prev


def public(params, x, h_prev, h, dy, dhnext):
    """rnn_core's BPTT on one step (T = 1). dhnext enters as H extra outputs: with Why' = [Why; I]
    and dy' = [dy; dhnext], Why'.T @ dy' = Why.T @ dy + dhnext. ps' = dy' + onehot(target 0)
    gives that dy' back (rnn_core's gradients does not check that ps sums to 1)."""
    from rnn_core.bptt import gradients
    V, H = params["Why"].shape
    Why2 = np.vstack([params["Why"], np.eye(H)])
    dy2 = np.concatenate([dy, dhnext])
    ps = dy2.copy()
    ps[0] += 1.0
    p2 = {"Wxh": params["Wxh"], "Whh": params["Whh"], "Why": Why2, "bh": params["bh"],
          "by": np.zeros(V + H)}
    hs = np.stack([h_prev, h])[:, None, :]
    g = gradients(p2, np.array([[x]]), np.array([[0]]), hs, ps[None, None, :])
    grads = {"Wxh": g["Wxh"][:, :params["Wxh"].shape[1]], "Whh": g["Whh"], "Why": g["Why"][:V],
             "bh": g["bh"], "by": g["by"][:V]}
    return {k: grads[k] for k in params}, params["Whh"].T @ g["bh"]


def _args(V=5, H=4, seed=20, x=2, dscale=1.0, order=("Wxh", "Whh", "Why", "bh", "by")):
    rng = np.random.default_rng(seed)
    p = make_params(V, H, seed=seed, order=order)
    h_prev = state(H, seed=seed + 1)
    h = np.tanh(p["Wxh"][:, x] + p["Whh"] @ h_prev + p["bh"])
    dy = rng.standard_normal(V) * dscale
    return (p, x, h_prev, h, dy, rng.standard_normal(H))


ARGS = _args()


def _step(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    da = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    g = {"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy.copy()}
    return g, da


@wrong("no-dhnext", args=ARGS, why="dh = Why.T @ dy, leaving out the gradient from step t+1")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    da = (1 - h * h) * (params["Why"].T @ dy)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy},
            params["Whh"].T @ da)


@wrong("dWhh-from-h", args=ARGS, why="seed 001: dWhh from h_t instead of h_(t-1)")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["Whh"] = np.outer(da, h)
    return g, params["Whh"].T @ da


@wrong("tanh-derivative-of-h-prev", args=ARGS, why="1 - h_prev**2 instead of 1 - h**2")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    da = (1 - h_prev ** 2) * (params["Why"].T @ dy + dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy},
            params["Whh"].T @ da)


@wrong("Whh-not-transposed", args=ARGS, why="dh_prev = Whh @ da")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return g, params["Whh"] @ da


@wrong("dh-prev-before-tanh", args=ARGS, why="dh_prev = Whh.T @ dh, skipping the tanh derivative")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return g, params["Whh"].T @ (params["Why"].T @ dy + dhnext)


@wrong("dWhy-transposed", args=ARGS, why="np.outer(h, dy) is (H, V), not (V, H)")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["Why"] = np.outer(h, dy)
    return g, params["Whh"].T @ da


@wrong("tanh-derivative-not-squared", args=ARGS, why="(1 - h) * dh")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    da = (1 - h) * (params["Why"].T @ dy + dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy},
            params["Whh"].T @ da)


@wrong("clips-at-5", args=_args(dscale=40.0), why="min-char-rnn's np.clip(dparam, -5, 5) inside the step")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    for v in g.values():
        np.clip(v, -5, 5, out=v)
    return g, params["Whh"].T @ da


@wrong("adds-into-dhnext", args=ARGS, why="dh = dhnext; dh += Why.T @ dy changes the caller's dhnext")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    dh = dhnext
    dh += params["Why"].T @ dy
    da = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy.copy()},
            params["Whh"].T @ da)


@wrong("d-prefixed-keys", args=ARGS, why="keys dWxh, dWhh, ... as in min-char-rnn, not the parameter names")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return {"d" + k: v for k, v in g.items()}, params["Whh"].T @ da


@wrong("dhnext-passed-through", args=ARGS, why="dh_prev = Whh.T @ da + dhnext: dhnext counted twice")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return g, params["Whh"].T @ da + dhnext


@wrong("dbh-before-tanh", args=ARGS, why="dbh = dh instead of (1 - h**2) * dh")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["bh"] = params["Why"].T @ dy + dhnext
    return g, params["Whh"].T @ da


@wrong("zips-keys-in-fixed-order", args=_args(order=("by", "bh", "Why", "Whh", "Wxh")),
       why="dict(zip(params.keys(), [dWxh, dWhh, dWhy, dbh, dby])): wrong names when params come in another order")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return dict(zip(params.keys(), [g["Wxh"], g["Whh"], g["Why"], g["bh"], g["by"]])), params["Whh"].T @ da


_acc = {}


@wrong("buffers-never-zeroed", args=Calls(ARGS, _args(seed=21)), why="module-level gradient buffers added into and never zeroed")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    for k, v in g.items():
        if k not in _acc or _acc[k].shape != v.shape:
            _acc[k] = np.zeros(v.shape)
        _acc[k] += v
    return dict(_acc), params["Whh"].T @ da


@wrong("dWxh-whole-matrix", args=ARGS, why="dWxh = outer(da, ones(V)): every column gets da, not only column x")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["Wxh"] = np.outer(da, np.ones(params["Wxh"].shape[1]))
    return g, params["Whh"].T @ da


@wrong("dWxh-column-only", args=ARGS, why="dWxh = da[:, None]: the (H, 1) column instead of an (H, V) matrix")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["Wxh"] = da[:, None].copy()
    return g, params["Whh"].T @ da


@wrong("returns-dh-not-dh-prev", args=ARGS, why="returns dh (the gradient at h_t) as the gradient for h_(t-1)")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    return g, params["Why"].T @ dy + dhnext


@wrong("column-biases", args=ARGS, why="bh and by as (H, 1) and (V, 1) columns, as in min-char-rnn")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["bh"], g["by"] = da.reshape(-1, 1), dy.reshape(-1, 1)
    return g, params["Whh"].T @ da


@wrong("dWhy-from-h-prev", args=ARGS, why="np.outer(dy, h_prev): the logits were computed from h, not h_prev")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    g["Why"] = np.outer(dy, h_prev)
    return g, params["Whh"].T @ da


@wrong("zeroes-Wxh-in-params", args=ARGS, why="dWxh = params['Wxh']; dWxh[:] = 0: the 'new' gradient array is the caller's weight matrix")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g, da = _step(params, x, h_prev, h, dy, dhnext)
    dWxh = params["Wxh"]
    dWxh[:] = 0
    dWxh[:, x] = da
    g["Wxh"] = dWxh
    return g, params["Whh"].T @ da


@wrong("dhnext-after-tanh", args=ARGS, why="da = (1 - h**2) * (Why.T @ dy) + dhnext: dhnext skips the tanh derivative")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    da = (1 - h * h) * (params["Why"].T @ dy) + dhnext
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da, "by": dy.copy()},
            params["Whh"].T @ da)


@right("one-hot-outer")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    V = params["Wxh"].shape[1]
    dh = dy @ params["Why"] + dhnext
    da = dh * (1 - np.tanh(np.arctanh(h)) ** 2)
    return ({"Wxh": np.outer(da, np.eye(V)[x]), "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h),
             "bh": da.copy(), "by": np.array(dy, dtype=float)}, da @ params["Whh"])


@right("einsum")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    da = np.einsum("vh,v->h", params["Why"], dy) + dhnext
    da = da * (1 - h) * (1 + h)
    dWxh = np.zeros(params["Wxh"].shape)
    dWxh[:, x] += da
    grads = {"by": dy * 1.0, "bh": da, "Why": np.einsum("v,h->vh", dy, h),
             "Whh": np.einsum("i,j->ij", da, h_prev), "Wxh": dWxh}
    return grads, np.einsum("ij,i->j", params["Whh"], da)


@right("column-vectors")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    dy_c, h_c, hp_c = dy.reshape(-1, 1), h.reshape(-1, 1), h_prev.reshape(-1, 1)
    dh = np.dot(params["Why"].T, dy_c) + dhnext.reshape(-1, 1)
    dhraw = (1 - h_c * h_c) * dh
    xs = np.zeros((params["Wxh"].shape[1], 1))
    xs[x] = 1
    grads = {"Wxh": np.dot(dhraw, xs.T), "Whh": np.dot(dhraw, hp_c.T), "Why": np.dot(dy_c, h_c.T),
             "bh": dhraw.ravel(), "by": dy_c.ravel()}
    return grads, np.dot(params["Whh"].T, dhraw).ravel()


@right("float32-cast-back", f32=True)
def bptt_step(params, x, h_prev, h, dy, dhnext):
    f = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    h32, hp, dy32 = h.astype(np.float32), h_prev.astype(np.float32), dy.astype(np.float32)
    da = (1 - h32 * h32) * (f["Why"].T @ dy32 + dhnext.astype(np.float32))
    dWxh = np.zeros(f["Wxh"].shape, dtype=np.float32)
    dWxh[:, x] = da
    g = {"Wxh": dWxh, "Whh": np.outer(da, hp), "Why": np.outer(dy32, h32), "bh": da, "by": dy32}
    return {k: v.astype(np.float64) for k, v in g.items()}, (f["Whh"].T @ da).astype(np.float64)


def random_args(rng):
    return [_args(V=5, H=4, seed=int(rng.integers(1000))), _args(V=65, H=7, x=64, seed=int(rng.integers(1000))),
            _args(V=3, H=9, x=0, dscale=50.0, seed=3), _args(V=2, H=1, x=1, seed=4),
            _args(V=6, H=3, x=5, seed=5, order=("by", "Why", "bh", "Whh", "Wxh"))]
