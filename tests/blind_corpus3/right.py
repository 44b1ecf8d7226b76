"""Third blind corpus: correct answers written in unusual ways, and seeded inputs that
test_blind_corpus3.py uses to show each agrees with the reference."""
import bisect
import math
from collections import Counter

import numpy as np

try:
    import scipy.special
except ImportError:  # scipy is no dependency of the project: its two right answers join where it is installed
    scipy = None

from .wrong_a import ids, params, probs
from .wrong_b import bptt_case, grads, opt_case, reorder, step_case

RIGHT = []


def right(name, why):
    def deco(fn):
        RIGHT.append((name, why, fn))
        return fn
    return deco


def right_with_scipy(name, why):
    return right(name, why) if scipy is not None else (lambda fn: fn)


def seeded_inputs(name):
    """A few seeded argument tuples per exercise, with the edges a student meets."""
    rng = np.random.default_rng(7)
    if name == "vocabulary":
        return [("hello world\n",), ("a\tb\r\nc\u00e9\u00e9 \u4e2d",), ("zzz",)]
    if name == "encode":
        return [("hello", " dehlowx"), ("\u00e9\t\r\n", "\t\n\r a\u00e9"), ("", "ab")]
    if name == "one_hot":
        return [(np.array([0, 3, 3, 1]), 6), (np.array([2]), 65), (np.array([], dtype=int), 3)]
    if name == "softmax":
        return [(rng.normal(size=7),), (rng.normal(size=(3, 5)) * 1000,),
                (rng.normal(size=(2, 3, 4)),), (np.array([[5.0, 5.0, 5.0]]),)]
    if name == "rnn_step":
        return [(params(7, 4, 1), 3, np.tanh(rng.normal(size=4))), (params(5, 6, 2), 0, np.zeros(6))]
    if name == "forward":
        return [(params(7, 4, 1), ids(9, 7), np.full(4, 0.1)), (params(5, 3, 2), ids(1, 5), np.zeros(3))]
    if name == "loss":
        return [(probs(1200, 65), ids(1200, 65)), (probs(3, 4), np.array([2, 2, 0]))]
    if name == "dlogits":
        return [(probs(6, 5), ids(6, 5)), (probs(2, 9), np.array([8, 8]))]
    if name == "bptt_step":
        return [step_case(), step_case(V=7, H=4, seed=3)]
    if name == "bptt":
        return [bptt_case(), bptt_case(V=7, H=4, T=12, seed=2)]
    if name == "clip":
        return [(grads(), 5.0), (grads(1, 0.1), 0.5)]
    if name in ("adagrad_step", "rmsprop_step"):
        p, g, m = opt_case(3)
        extra = (0.9,) if name == "rmsprop_step" else ()
        return [opt_case() + (0.1,) + extra, (reorder(p), g, reorder(m), 0.05) + extra]
    if name == "clip_global_norm":
        return [(grads(), 5.0), (grads(scale=0.01), 5.0), (grads(2, 100.0), 1.0)]
    if name == "temperature":
        y = rng.normal(size=65) * 3
        return [(y, 1.0), (y, 1e-7), (y, 1000.0), (np.array([1.0, 1.0, 0.0]), 0.5)]
    if name == "top_k":
        y = rng.normal(size=65)
        return [(y, 5), (y, 65), (y, 100), (np.array([2.0, 2.0, 1.0, 0.0]), 1)]
    raise KeyError(name)


@right("vocabulary", "sorts a set display")
def vocab_set_display(text):
    return "".join(sorted({*text}))


@right("vocabulary", "sorts the keys of a Counter")
def vocab_counter(text):
    return "".join(sorted(Counter(text)))


@right("encode", "finds each character with bisect in the sorted chars")
def enc_bisect(text, chars):
    return np.array([bisect.bisect_left(chars, ch) for ch in text], dtype=np.intp)


@right("encode", "uses np.searchsorted on an array of the characters")
def enc_searchsorted(text, chars):
    if not text:
        return np.zeros(0, dtype=int)
    return np.searchsorted(np.array(list(chars)), np.array(list(text))).astype(np.int64)


@right("encode", "builds the ids with np.fromiter and str.index")
def enc_fromiter(text, chars):
    return np.fromiter((chars.index(c) for c in text), dtype=np.int32, count=len(text))


@right("one_hot", "compares ids with arange(V)")
def oh_compare(ids, V):
    return (np.asarray(ids).reshape(-1, 1) == np.arange(V)).astype(np.float64)


@right("one_hot", "puts ones with np.put_along_axis")
def oh_put(ids, V):
    ids = np.asarray(ids, dtype=np.intp)
    out = np.zeros((ids.size, V))
    np.put_along_axis(out, ids.reshape(-1, 1), 1.0, axis=1)
    return out


@right_with_scipy("softmax", "uses logsumexp from scipy")
def sm_logsumexp(y):
    y = np.asarray(y, dtype=float)
    return np.exp(y - scipy.special.logsumexp(y, axis=-1, keepdims=True))


@right("softmax", "reshapes to rows, loops, and reshapes back")
def sm_rows(y):
    y = np.asarray(y, dtype=float)
    rows = y.reshape(-1, y.shape[-1])
    out = np.empty_like(rows)
    for i, r in enumerate(rows):
        e = np.exp(r - r.max())
        out[i] = e / e.sum()
    return out.reshape(y.shape)


@right("rnn_step", "writes tanh with exp and multiplies a one-hot")
def step_exp_tanh(params, x, h_prev):
    xv = np.zeros(params["Wxh"].shape[1])
    xv[x] = 1.0
    a = params["Wxh"] @ xv + params["Whh"] @ h_prev + params["bh"]
    return 1.0 - 2.0 / (np.exp(2.0 * a) + 1.0)


@right("rnn_step", "uses einsum")
def step_einsum(params, x, h_prev):
    return np.tanh(np.einsum("ij,j->i", params["Whh"], h_prev) + params["Wxh"].T[x] + params["bh"])


@right("forward", "keeps states as batch rows and multiplies by transposes")
def fwd_rows(params, inputs, h0):
    T = len(inputs)
    hs = np.empty((T + 1, len(h0)))
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(hs[t] @ params["Whh"].T + params["Wxh"].T[x] + params["bh"])
    y = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return hs, e / e.sum(axis=1, keepdims=True)


@right("loss", "sums with math.fsum over a loop")
def loss_fsum(ps, targets):
    return math.fsum(-math.log(ps[t][int(k)]) for t, k in enumerate(targets))


@right("loss", "uses take_along_axis")
def loss_take(ps, targets):
    picked = np.take_along_axis(ps, np.asarray(targets).reshape(-1, 1), axis=1)
    return float(-np.log(picked).sum())


@right("dlogits", "subtracts an identity row per target")
def dly_eye(ps, targets):
    return ps - np.eye(ps.shape[1])[np.asarray(targets, dtype=int)]


@right("dlogits", "uses np.subtract.at on a copy")
def dly_at(ps, targets):
    dy = np.array(ps, copy=True)
    np.subtract.at(dy, (np.arange(len(targets)), targets), 1.0)
    return dy


@right("bptt_step", "builds dWxh as an outer product with a one-hot")
def bs_outer(params, x, h_prev, h, dy, dhnext):
    xv = np.zeros(params["Wxh"].shape[1])
    xv[x] = 1.0
    da = (1 - h ** 2) * (dy @ params["Why"] + dhnext)
    return ({"by": dy.copy(), "bh": da, "Why": dy[:, None] * h[None, :],
             "Whh": np.einsum("i,j->ij", da, h_prev), "Wxh": np.outer(da, xv)}, da @ params["Whh"])


@right("bptt", "collects every da first, then forms the gradients as matrix products")
def bp_vectorised(params, inputs, targets, hs, ps):
    T = len(inputs)
    dys = ps.copy()
    dys[np.arange(T), targets] -= 1
    das = np.zeros((T, hs.shape[1]))
    dhnext = np.zeros(hs.shape[1])
    for t in range(T - 1, -1, -1):
        das[t] = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dhnext)
        dhnext = params["Whh"].T @ das[t]
    dWxh = np.zeros_like(params["Wxh"])
    np.add.at(dWxh.T, inputs, das)
    return {"Wxh": dWxh, "Whh": das.T @ hs[:-1], "Why": dys.T @ hs[1:],
            "bh": das.sum(0), "by": dys.sum(0)}


@right("clip", "uses np.minimum and np.maximum with out=")
def clip_minmax(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)
        np.maximum(g, -limit, out=g)
    return grads


@right("clip", "assigns through a slice")
def clip_slice(grads, limit):
    for k in list(grads):
        grads[k][...] = np.clip(grads[k], -limit, limit)


@right("adagrad_step", "uses ufuncs with out=, by key")
def ada_ufunc(params, grads, memory, lr):
    for k, g in grads.items():
        np.add(memory[k], g * g, out=memory[k])
        np.subtract(params[k], lr * g / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("rmsprop_step", "writes memory as a lerp toward g**2")
def rms_lerp(params, grads, memory, lr, decay=0.9):
    for k in sorted(params):
        memory[k] += (1 - decay) * (grads[k] ** 2 - memory[k])
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@right("clip_global_norm", "compares with >= and returns the norm")
def gn_ge(grads, max_norm):
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
    if norm >= max_norm:
        for g in grads.values():
            np.multiply(g, max_norm / norm, out=g)
    return norm


@right("clip_global_norm", "concatenates everything to find the norm")
def gn_concat(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    factor = min(1.0, max_norm / norm) if norm > 0 else 1.0
    for g in grads.values():
        g *= factor


@right("temperature", "subtracts the max before dividing")
def tmp_max_first(logits, temperature):
    y = (np.asarray(logits, dtype=float) - np.max(logits)) / temperature
    return np.exp(y) / np.exp(y).sum()


@right_with_scipy("temperature", "uses scipy.special.softmax")
def tmp_scipy(logits, temperature):
    return scipy.special.softmax(np.asarray(logits, dtype=float) / temperature)


@right("top_k", "masks the softmax and renormalises, keeping ties")
def tk_mask(logits, k):
    y = np.asarray(logits, dtype=float)
    p = np.exp(y - y.max())
    if k < len(y):
        p[y < np.partition(y, len(y) - k)[len(y) - k]] = 0.0
    return p / p.sum()


@right("top_k", "sorts descending and cuts at the k-th value")
def tk_sorted(logits, k):
    y = np.asarray(logits, dtype=float)
    cut = sorted(y, reverse=True)[min(k, len(y)) - 1]
    z = np.where(y >= cut, y, -np.inf)
    e = np.exp(z - z.max())
    return e / e.sum()
