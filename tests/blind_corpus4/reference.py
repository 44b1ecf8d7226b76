"""My own reference answers and the harness that compares a function with them.

Written without reading the checker. Each reference follows the stub's docstring;
tests/test_blind_corpus4.py cross-checks them against rnn_core's public functions.
"""
import copy

import numpy as np


def vocabulary(text):
    return "".join(sorted(set(text)))


def encode(text, chars):
    index = {c: i for i, c in enumerate(chars)}
    return np.array([index[c] for c in text], dtype=np.int64)


def one_hot(ids, V):
    ids = np.asarray(ids, dtype=np.int64)
    x = np.zeros((len(ids), V))
    x[np.arange(len(ids)), ids] = 1.0
    return x


def softmax(y):
    y = np.asarray(y, dtype=float)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


def forward(params, inputs, h0):
    T, H = len(inputs), len(h0)
    hs = np.zeros((T + 1, H))
    hs[0] = h0
    ps = np.zeros((T, len(params["by"])))
    for t in range(T):
        hs[t + 1] = rnn_step(params, inputs[t], hs[t])
        ps[t] = softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


def loss(ps, targets):
    T = len(targets)
    return float(-np.log(ps[np.arange(T), targets]).sum())


def dlogits(ps, targets):
    dy = np.array(ps, dtype=float, copy=True)
    dy[np.arange(len(targets)), targets] -= 1.0
    return dy


def bptt_step(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    dhraw = (1.0 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    grads = {"Wxh": dWxh, "Whh": np.outer(dhraw, h_prev), "Why": np.outer(dy, h),
             "bh": dhraw.copy(), "by": np.array(dy, dtype=float)}
    return grads, params["Whh"].T @ dhraw


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
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)


def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def clip_global_norm(grads, max_norm):
    norm = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


def temperature(logits, temperature):
    return softmax(np.asarray(logits, dtype=float) / temperature)


def top_k(logits, k):
    y = np.array(logits, dtype=float)
    if k < len(y):
        kth = np.sort(y)[len(y) - k]
        y = np.where(y < kth, -np.inf, y)
    return softmax(y)


REFERENCE = {name: globals()[name] for name in (
    "vocabulary", "encode", "one_hot", "softmax", "rnn_step", "forward", "loss", "dlogits",
    "bptt_step", "bptt", "clip", "adagrad_step", "rmsprop_step", "clip_global_norm",
    "temperature", "top_k")}


# ---------------------------------------------------------------- inputs

def params(V, H, seed, scale=0.5):
    """Parameters with non-zero biases and V != H."""
    rng = np.random.default_rng(seed)
    return {"Wxh": rng.normal(0, scale, (H, V)), "Whh": rng.normal(0, scale, (H, H)),
            "Why": rng.normal(0, scale, (V, H)), "bh": rng.normal(0, scale, H),
            "by": rng.normal(0, scale, V)}


def sequence(V, H, T, seed, scale=0.5):
    """(params, inputs, targets, hs, ps) from the reference forward pass."""
    rng = np.random.default_rng(seed + 1000)
    p = params(V, H, seed, scale)
    inputs = rng.integers(0, V, T)
    targets = rng.integers(0, V, T)
    hs, ps = forward(p, inputs, rng.normal(0, 0.5, H))
    return p, inputs, targets, hs, ps


def step_case(V, H, seed, x=None):
    rng = np.random.default_rng(seed + 2000)
    p = params(V, H, seed)
    x = int(rng.integers(0, V)) if x is None else x
    h_prev = rng.normal(0, 0.5, H)
    h = rnn_step(p, x, h_prev)
    return (p, x, h_prev, h, rng.normal(0, 1, V), rng.normal(0, 1, H))


def grads_like(V, H, seed, scale=1.0):
    rng = np.random.default_rng(seed + 3000)
    return {k: rng.normal(0, scale, v.shape) for k, v in params(V, H, seed).items()}


def seeded_calls(name, seed):
    """Ordinary arguments for `name`, used to show that a right entry agrees with the reference."""
    rng = np.random.default_rng(seed)
    V, H, T = 7 + seed, 5 + seed, 9 + seed
    if name == "vocabulary":
        return [("hello, wörld\té\r\n" * (seed + 1),), ("zyx",)]
    if name == "encode":
        return [("abcab", "abcdéz"), ("é\t", "\t\rabcé")]
    if name == "one_hot":
        return [(rng.integers(0, V, T), V), (np.array([2, 2, 0]), 3)]
    if name == "softmax":
        return [(rng.normal(0, 3, V),), (rng.normal(0, 3, (T, V)),), (rng.normal(0, 3, (2, 3, V)),)]
    if name == "rnn_step":
        p = params(V, H, seed)
        return [(p, 3, rng.normal(0, 0.5, H)), (p, 0, np.zeros(H))]
    if name == "forward":
        p = params(V, H, seed)
        return [(p, rng.integers(0, V, T), rng.normal(0, 0.5, H)), (p, np.array([1]), np.zeros(H))]
    if name in ("loss", "dlogits"):
        ps = softmax(rng.normal(0, 2, (T, V)))
        return [(ps, rng.integers(0, V, T)), (ps[:1], np.array([V - 1]))]
    if name == "bptt_step":
        return [step_case(V, H, seed), step_case(V, H, seed + 1, x=0)]
    if name == "bptt":
        return [sequence(V, H, T, seed), sequence(V, H, 1, seed + 1)]
    if name in ("clip", "clip_global_norm"):
        g = grads_like(V, H, seed, scale=4.0)
        return [(g, 2.5), (grads_like(V, H, seed + 1, scale=0.1), 10.0)]
    if name in ("adagrad_step", "rmsprop_step"):
        p, g = params(V, H, seed), grads_like(V, H, seed)
        mem = {k: np.abs(v) for k, v in grads_like(V, H, seed + 7).items()}
        extra = (0.9,) if name == "rmsprop_step" else ()
        return [(p, g, mem, 0.1) + extra, (p, g, mem, 0.03) + extra]
    if name == "temperature":
        y = rng.normal(0, 2, V)
        return [(y, 1.0), (y, 0.5), (y, 3.0)]
    if name == "top_k":
        y = rng.normal(0, 2, V)
        return [(y, 1), (y, 3), (y, V + 2)]
    raise KeyError(name)


# ---------------------------------------------------------------- comparing

class Raised:
    """What a call that raised is recorded as."""

    def __init__(self, error):
        self.error = error

    def __repr__(self):
        return f"raised {self.error}"


def _holders(obj):
    """The objects a caller keeps: a dict's own arrays (so rebinding a key shows), arrays as they are."""
    if isinstance(obj, dict):
        return dict(obj)
    return obj


def observe(fn, calls):
    """Call fn on copies of each argument tuple in turn; record what it returned and
    what each argument (as the caller holds it) looks like afterwards."""
    record = []
    for args in calls:
        args = copy.deepcopy(args)
        held = [_holders(a) for a in args]
        try:
            with np.errstate(all="ignore"):
                out = fn(*args)
        except Exception as exc:  # a raise is an observation too
            out = Raised(type(exc).__name__)
        record.append((copy.deepcopy(out), copy.deepcopy(held)))
    return record


def _kind(a):
    return {"f": "float", "c": "float", "i": "int", "u": "int", "b": "bool"}.get(a.dtype.kind, a.dtype.kind)


def same(a, b, rtol=1e-6, atol=1e-12):
    """True when b matches a: equal type family, shape, dtype family, values (NaN == NaN)."""
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if a is None or b is None:
        return a is b
    if isinstance(a, Raised) or isinstance(b, Raised):
        return isinstance(a, Raised) and isinstance(b, Raised) and a.error == b.error
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(same(a[k], b[k], rtol, atol) for k in a)
    if isinstance(a, (list, tuple)):
        return (isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(same(x, y, rtol, atol) for x, y in zip(a, b)))
    if isinstance(b, (dict, str, list, tuple)) or b is None:
        return False
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or _kind(a) != _kind(b):
        return False
    if a.dtype.kind in "iub":
        return bool(np.array_equal(a, b))
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
