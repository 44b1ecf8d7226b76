"""Third blind corpus: my own reference answers, written from the notebooks' stub docstrings.

Written without reading the checker or the earlier corpora. Each function is a plain,
readable version of the contract; tests/test_blind_corpus3.py cross-checks them against
rnn_core's public functions where one exists.
"""
import copy

import numpy as np

IN_PLACE = {"clip", "adagrad_step", "rmsprop_step", "clip_global_norm"}


def vocabulary(text):
    return "".join(sorted(set(text)))


def encode(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in text], dtype=np.int64)


def one_hot(ids, V):
    ids = np.asarray(ids, dtype=np.int64)
    out = np.zeros((len(ids), V))
    out[np.arange(len(ids)), ids] = 1.0
    return out


def softmax(y):
    y = np.asarray(y, dtype=float)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


def forward(params, inputs, h0):
    T, H = len(inputs), len(h0)
    V = params["Why"].shape[0]
    hs = np.zeros((T + 1, H))
    ps = np.zeros((T, V))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = rnn_step(params, inputs[t], hs[t])
        ps[t] = softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


def loss(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(len(targets))))


def dlogits(ps, targets):
    dy = np.array(ps, dtype=float, copy=True)
    for t, k in enumerate(targets):
        dy[t, k] -= 1.0
    return dy


def bptt_step(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    da = (1.0 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    grads = {"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h),
             "bh": da.copy(), "by": np.array(dy, dtype=float)}
    return grads, params["Whh"].T @ da


def bptt(params, inputs, targets, hs, ps):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    dys = dlogits(ps, targets)
    for t in reversed(range(len(inputs))):
        g, dhnext = bptt_step(params, inputs[t], hs[t], hs[t + 1], dys[t], dhnext)
        for k in grads:
            grads[k] += g[k]
    return grads


def clip(grads, limit):
    for k in grads:
        np.clip(grads[k], -limit, limit, out=grads[k])


def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1.0 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def clip_global_norm(grads, max_norm):
    norm = np.sqrt(sum(float(np.sum(g.astype(float) ** 2)) for g in grads.values()))
    if norm > max_norm:
        for k in grads:
            grads[k] *= max_norm / norm


def temperature(logits, temperature):
    return softmax(np.asarray(logits, dtype=float) / temperature)


def top_k(logits, k):
    y = np.asarray(logits, dtype=float)
    if k >= len(y):
        return softmax(y)
    kth = np.sort(y)[len(y) - k]
    # ties with the k-th largest logit keep their probability, as rnn_core.sampling does
    return softmax(np.where(y >= kth, y, -np.inf))


REFERENCE = {f.__name__: f for f in [
    vocabulary, encode, one_hot, softmax, rnn_step, forward, loss, dlogits, bptt_step, bptt,
    clip, adagrad_step, rmsprop_step, clip_global_norm, temperature, top_k]}


# ---------------------------------------------------------------- running and comparing

def _arrays_in(obj):
    """The ndarray objects an argument holds (itself, or the values of a dict)."""
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, dict):
        return [v for v in obj.values() if isinstance(v, np.ndarray)]
    return []


def run(name, fn, args):
    """What a call shows: for pure exercises the return value and the arguments afterwards;
    for in-place ones the contents of the very arrays passed in (a dict whose values were
    replaced, rather than written into, leaves them unchanged). Returns (raw, snapshot):
    raw still refers to what the function returned, so a later call can change it."""
    args = copy.deepcopy(args)
    held = [a for arg in args for a in _arrays_in(arg)]
    out = fn(*args)
    raw = held if name in IN_PLACE else (out, held)
    return raw, copy.deepcopy(raw)
def same(a, b, rtol=1e-6, atol=1e-10):
    """True when a student's result b matches the reference result a (types, shapes, values)."""
    if isinstance(a, str):
        return isinstance(b, str) and a == b
    if isinstance(a, float):
        return (isinstance(b, (float, np.floating)) and np.ndim(b) == 0
                and bool(np.isclose(a, float(b), rtol=rtol, atol=atol)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and set(a) == set(b)
                and all(same(a[k], b[k], rtol, atol) for k in a))
    if isinstance(a, (tuple, list)):
        return (isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(same(x, y, rtol, atol) for x, y in zip(a, b)))
    if isinstance(a, np.ndarray):
        if not isinstance(b, np.ndarray) or a.shape != b.shape:
            return False
        if a.dtype.kind in "iu" and b.dtype.kind not in "iu":
            return False
        if a.dtype.kind == "f" and b.dtype.kind != "f":
            return False
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))
    if a is None:
        return b is None
    return a == b


def agrees(name, fn, calls):
    """True when fn, called on each argument tuple in turn (the same function object, so
    state kept between calls counts), matches the reference on every call, and what it
    returned on each call still matches after the last call (a shared buffer shows)."""
    ref = REFERENCE[name]
    kept = []
    for args in calls:
        _, expected = run(name, ref, args)
        try:
            with np.errstate(all="ignore"):
                raw, got = run(name, fn, args)
        except Exception:
            return False
        if not same(expected, got):
            return False
        kept.append((expected, raw))
    return all(same(expected, raw) for expected, raw in kept)
