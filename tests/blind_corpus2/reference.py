"""Our own reference answers, the comparison of a result with them, and seeded inputs.

Each exercise's contract is its stub's docstring in notebooks 01-06. Where the stub
leaves a choice open (ties in top_k) we follow rnn_core's sampler: every logit equal
to the k-th largest keeps its probability.
"""
import copy

import numpy as np

IN_PLACE = {"clip", "adagrad_step", "rmsprop_step", "clip_global_norm"}


def vocabulary(text):
    return "".join(sorted(set(text)))


def encode(text, chars):
    where = {c: i for i, c in enumerate(chars)}
    return np.array([where[c] for c in text], dtype=np.int64)


def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    for n, i in enumerate(ids):
        out[n, i] = 1.0
    return out


def softmax(y):
    y = np.asarray(y, dtype=float)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rnn_step(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


def forward(params, inputs, h0):
    T, V = len(inputs), params["by"].shape[0]
    hs = np.zeros((T + 1, h0.shape[0]))
    ps = np.zeros((T, V))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = rnn_step(params, inputs[t], hs[t])
        ps[t] = softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


def loss(ps, targets):
    return float(sum(-np.log(ps[t, c]) for t, c in enumerate(targets)))


def dlogits(ps, targets):
    dy = np.array(ps, dtype=float)
    for t, c in enumerate(targets):
        dy[t, c] -= 1.0
    return dy


def bptt_step(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    draw = (1.0 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    grads = {"Wxh": dWxh, "Whh": np.outer(draw, h_prev), "Why": np.outer(dy, h),
             "bh": draw, "by": np.array(dy, dtype=float)}
    return grads, params["Whh"].T @ draw


def bptt(params, inputs, targets, hs, ps):
    total = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(params["Whh"].shape[0])
    dys = dlogits(ps, targets)
    for t in reversed(range(len(inputs))):
        g, dhnext = bptt_step(params, inputs[t], hs[t], hs[t + 1], dys[t], dhnext)
        for k in total:
            total[k] += g[k]
    return total


def clip(grads, limit):
    for g in grads.values():
        g[...] = np.minimum(np.maximum(g, -limit), limit)


def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
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
        kth = sorted(y)[len(y) - k]
        y[y < kth] = -np.inf
    return softmax(y)


REFERENCES = {name: globals()[name] for name in [
    "vocabulary", "encode", "one_hot", "softmax", "rnn_step", "forward", "loss", "dlogits",
    "bptt_step", "bptt", "clip", "adagrad_step", "rmsprop_step", "clip_global_norm",
    "temperature", "top_k"]}


# ---- running and comparing ------------------------------------------------------------

def arrays_in(value):
    """The numpy arrays inside an argument (a dict's values, or the array itself)."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if isinstance(v, np.ndarray)}
    if isinstance(value, np.ndarray):
        return {"": value}
    return {}


RAISED = object()


class LookBack(list):
    """Calls whose FIRST result is judged after all of them ran (a returned array reused)."""


def run(fn, calls):
    """Call fn on copies of each argument tuple in turn; what the LAST call did.

    Returns (returned, args after the call, the original array objects of those args),
    or (RAISED, exception) when it raised.
    """
    result, first = None, None
    for args in calls:
        args = copy.deepcopy(args)
        originals = [arrays_in(a) for a in args]
        try:
            returned = fn(*args)
        except Exception as exc:  # a student function may raise anything
            result = (RAISED, exc)
            continue
        result = (returned, args, originals)
        first = first or result
    return first if isinstance(calls, LookBack) else result


def close(got, want, rtol=1e-7, atol=1e-12):
    try:
        got = np.asarray(got)
    except Exception:
        return False
    want = np.asarray(want)
    if got.shape != want.shape or got.dtype.kind not in "fiub":
        return False
    if not np.isfinite(got.astype(float)).all() and not np.isfinite(want).all():
        return np.array_equal(got.astype(float), want, equal_nan=True)
    return bool(np.allclose(got.astype(float), want, rtol=rtol, atol=atol))


def same_value(name, got, want):
    """Does a returned value agree with the reference's, under the exercise's contract?"""
    if name == "vocabulary":
        return isinstance(got, str) and got == want
    if name == "encode":
        g = np.asarray(got) if not isinstance(got, str) else None
        return (g is not None and g.dtype.kind in "iu" and g.shape == want.shape
                and np.array_equal(g, want))
    if name == "one_hot":
        g = np.asarray(got)
        return g.dtype.kind == "f" and close(g, want)
    if name == "loss":
        return np.ndim(got) == 0 and close(float(got), want, rtol=1e-9)
    if name == "forward":
        return isinstance(got, tuple) and len(got) == 2 and all(map(close, got, want))
    if name == "bptt_step":
        return (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], dict)
                and set(got[0]) == set(want[0])
                and all(close(got[0][k], want[0][k]) for k in want[0])
                and close(got[1], want[1]))
    if name == "bptt":
        return (isinstance(got, dict) and set(got) == set(want)
                and all(close(got[k], want[k]) for k in want))
    return close(got, want)


def unchanged(before, after):
    for b, a in zip(before, after):
        if isinstance(b, dict):
            if set(a) != set(b) or not all(np.array_equal(a[k], b[k]) for k in b):
                return False
        elif isinstance(b, np.ndarray):
            if not np.array_equal(a, b):
                return False
    return True


def agrees(name, fn, calls):
    """True when fn does what the reference does on the last of these calls."""
    mine = run(fn, calls)
    ref = run(REFERENCES[name], calls)
    assert ref[0] is not RAISED, f"the reference {name} raised {ref[1]!r} on its own input"
    if mine[0] is RAISED:
        return False
    returned, args, originals = mine
    _, ref_args, _ = ref
    if name in IN_PLACE:
        # in place: the very arrays the caller holds must hold the new values
        for orig, after, want in zip(originals, args, ref_args):
            for key, want_arr in arrays_in(want).items():
                if key == "":
                    continue
                if not close(orig[key], want_arr) or not close(after[key], want_arr):
                    return False
        return True
    judged = calls[0] if isinstance(calls, LookBack) else calls[-1]
    if not unchanged(judged, args):
        return False
    return same_value(name, returned, ref[0])


# ---- inputs ---------------------------------------------------------------------------

def make_params(V, H, seed, scale=0.5):
    rng = np.random.default_rng(seed)
    return {"Wxh": rng.normal(0, scale, (H, V)), "Whh": rng.normal(0, scale, (H, H)),
            "Why": rng.normal(0, scale, (V, H)), "bh": rng.normal(0, scale, H),
            "by": rng.normal(0, scale, V)}


def forward_case(V, H, T, seed, scale=0.5):
    rng = np.random.default_rng(seed + 1000)
    params = make_params(V, H, seed, scale)
    inputs = rng.integers(0, V, T)
    targets = rng.integers(0, V, T)
    h0 = rng.normal(0, 0.5, H)
    return params, inputs, targets, h0


def grads_like(params, seed, scale=3.0):
    rng = np.random.default_rng(seed)
    return {k: rng.normal(0, scale, v.shape) for k, v in params.items()}


def seeded_calls(name, seed):
    """A list of ordinary argument tuples for this exercise, made from one seed."""
    rng = np.random.default_rng(seed)
    V, H, T = [(7, 5, 9), (65, 12, 30), (4, 9, 3)][seed % 3]
    params, inputs, targets, h0 = forward_case(V, H, T, seed)
    hs, ps = forward(params, inputs, h0)
    text = "".join(rng.choice(list("abcAB \n\t\r\x00é,.;!xyz"), 40))
    if name == "vocabulary":
        return [(text,)]
    if name == "encode":
        chars = vocabulary(text + "QRS")
        return [(text, chars)]
    if name == "one_hot":
        return [(inputs, V)]
    if name == "softmax":
        return [(rng.normal(0, 5, (3, 2, V)),)]
    if name == "rnn_step":
        return [(params, int(inputs[0]), h0)]
    if name == "forward":
        return [(params, inputs, h0)]
    if name in ("loss", "dlogits"):
        return [(ps, targets)]
    if name == "bptt_step":
        dy = dlogits(ps, targets)[0]
        return [(params, int(inputs[0]), hs[0], hs[1], dy, rng.normal(0, 1, H))]
    if name == "bptt":
        return [(params, inputs, targets, hs, ps)]
    grads = grads_like(params, seed + 7)
    if name == "clip":
        return [(grads, 2.5)]
    if name == "clip_global_norm":
        return [(grads, 4.0)]
    memory = {k: rng.uniform(0, 2, v.shape) for k, v in params.items()}
    if name == "adagrad_step":
        return [(params, grads, memory, 0.05)]
    if name == "rmsprop_step":
        return [(params, grads, memory, 0.05, 0.8)]
    logits = rng.normal(0, 3, V)
    if name == "temperature":
        return [(logits, 0.6)]
    if name == "top_k":
        return [(logits, 3)]
    raise KeyError(name)
