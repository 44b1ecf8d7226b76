"""Correct but unusual student functions: the checker must call each of them right."""
import math
from itertools import groupby

import numpy as np

RIGHT = []


def right(name, sentence):
    def register(fn):
        RIGHT.append((name, sentence, lambda: fn))
        return fn
    return register


@right("vocabulary", "dedupes a sorted text with groupby")
def _(text):
    return "".join(k for k, _ in groupby(sorted(text)))


@right("vocabulary", "uses dict.fromkeys and sorted")
def _(text):
    return "".join(sorted(dict.fromkeys(text)))


@right("encode", "uses chars.find")
def _(text, chars):
    return np.array([chars.find(c) for c in text], dtype=np.int64)


@right("encode", "uses np.searchsorted on the sorted vocabulary")
def _(text, chars):
    vocab = np.array(list(chars))
    return np.searchsorted(vocab, np.array(list(text), dtype=vocab.dtype)).astype(np.int64)


@right("encode", "returns int32 ids from a dict comprehension")
def _(text, chars):
    index = {c: i for i, c in enumerate(chars)}
    return np.fromiter((index[c] for c in text), dtype=np.int32, count=len(text))


@right("one_hot", "indexes rows of np.eye(V)")
def _(ids, V):
    return np.eye(V)[np.asarray(ids, dtype=np.intp)]


@right("one_hot", "compares ids with arange(V)")
def _(ids, V):
    return (np.asarray(ids)[:, None] == np.arange(V)).astype(float)


@right("softmax", "goes through a log-sum-exp")
def _(y):
    y = np.asarray(y, dtype=float)
    m = y.max(axis=-1, keepdims=True)
    return np.exp(y - m - np.log(np.exp(y - m).sum(axis=-1, keepdims=True)))


@right("softmax", "reshapes to 2-d and loops over rows")
def _(y):
    y = np.asarray(y, dtype=float)
    flat = y.reshape(-1, y.shape[-1])
    out = np.empty_like(flat)
    for i, row in enumerate(flat):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(y.shape)


@right("rnn_step", "multiplies Wxh by an explicit one-hot")
def _(params, x, h_prev):
    xs = np.zeros(params["Wxh"].shape[1])
    xs[x] = 1
    return np.tanh(params["Wxh"] @ xs + params["Whh"] @ h_prev + params["bh"])


@right("rnn_step", "works in float32")
def _(params, x, h_prev):
    f = {k: v.astype(np.float32) for k, v in params.items()}
    return np.tanh(f["Wxh"][:, x] + f["Whh"] @ h_prev.astype(np.float32) + f["bh"])


@right("forward", "collects lists and stacks them at the end")
def _(params, inputs, h0):
    hs, ps = [np.array(h0, dtype=float)], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        y = params["Why"] @ hs[-1] + params["by"]
        e = np.exp(y - y.max())
        ps.append(e / e.sum())
    return np.stack(hs), np.stack(ps)


@right("forward", "computes all logits in one matrix product after the loop")
def _(params, inputs, h0):
    hs = np.empty((len(inputs) + 1, len(h0)))
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[t] + params["bh"])
    y = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return hs, e / e.sum(axis=1, keepdims=True)


@right("loss", "sums logs with math.fsum in a plain loop")
def _(ps, targets):
    return -math.fsum(math.log(ps[t][targets[t]]) for t in range(len(targets)))


@right("loss", "takes the log of a product in chunks")
def _(ps, targets):
    picked = ps[np.arange(len(targets)), targets]
    return float(-sum(np.log(np.prod(picked[i:i + 10])) for i in range(0, len(picked), 10)))


@right("dlogits", "subtracts an eye-indexed one-hot")
def _(ps, targets):
    return ps - np.eye(ps.shape[1])[targets]


@right("dlogits", "copies row by row in a loop")
def _(ps, targets):
    dy = np.zeros_like(ps)
    for t, target in enumerate(targets):
        dy[t] = ps[t]
        dy[t, target] -= 1
    return dy


@right("bptt_step", "returns dy itself as the by gradient")
def _(params, x, h_prev, h, dy, dhnext):
    dhraw = (1 - h ** 2) * (params["Why"].T @ dy + dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    return ({"by": dy, "bh": dhraw, "Why": np.outer(dy, h), "Whh": np.outer(dhraw, h_prev),
             "Wxh": dWxh}, dhraw @ params["Whh"])


@right("bptt", "builds dy for all steps first and uses einsum for Why")
def _(params, inputs, targets, hs, ps):
    T = len(inputs)
    dys = ps.copy()
    dys[np.arange(T), targets] -= 1
    g = {"Why": np.einsum("tv,th->vh", dys, hs[1:]), "by": dys.sum(axis=0),
         "Wxh": np.zeros_like(params["Wxh"]), "Whh": np.zeros_like(params["Whh"]),
         "bh": np.zeros_like(params["bh"])}
    dh = np.zeros(hs.shape[1])
    for t in range(T - 1, -1, -1):
        dhraw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dh)
        g["Wxh"][:, inputs[t]] += dhraw
        g["Whh"] += np.outer(dhraw, hs[t])
        g["bh"] += dhraw
        dh = params["Whh"].T @ dhraw
    return g


@right("clip", "assigns through boolean masks")
def _(grads, limit):
    for g in grads.values():
        g[g > limit] = limit
        g[g < -limit] = -limit


@right("clip", "copies np.clip's result back with [...]")
def _(grads, limit):
    for key in sorted(grads):
        grads[key][...] = np.clip(grads[key], -limit, limit)


@right("adagrad_step", "iterates over grads' keys and uses np.add with out=")
def _(params, grads, memory, lr):
    for k, g in grads.items():
        np.add(memory[k], g * g, out=memory[k])
        np.subtract(params[k], lr * g / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("rmsprop_step", "writes the decaying average with [:] slices")
def _(params, grads, memory, lr, decay=0.9):
    for k in sorted(params):
        m = memory[k]
        m[:] = m * decay + (1.0 - decay) * grads[k] * grads[k]
        params[k][:] = params[k] - lr * grads[k] / np.sqrt(m + 1e-8)


@right("clip_global_norm", "concatenates everything and uses >=")
def _(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    if norm >= max_norm:
        for g in grads.values():
            g *= max_norm / norm


@right("clip_global_norm", "uses math.hypot over all elements")
def _(grads, max_norm):
    norm = math.hypot(*[float(v) for g in grads.values() for v in g.ravel()])
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    for g in grads.values():
        g *= scale


@right("temperature", "scales the shifted logits")
def _(logits, temperature):
    z = (np.asarray(logits, dtype=float) - np.max(logits)) / temperature
    p = np.exp(z)
    return p / p.sum()


@right("temperature", "goes through log-softmax")
def _(logits, temperature):
    z = np.asarray(logits, dtype=float) / temperature
    z = z - z.max()
    return np.exp(z - np.log(np.exp(z).sum()))


@right("top_k", "keeps logits at or above the k-th largest, with np.partition")
def _(logits, k):
    y = np.asarray(logits, dtype=float)
    if k < len(y):
        kth = np.partition(y, len(y) - k)[len(y) - k]
        y = np.where(y >= kth, y, -np.inf)
    e = np.exp(y - y.max())
    return e / e.sum()


@right("top_k", "masks with a sorted copy and min(k, V)")
def _(logits, k):
    y = np.array(logits, dtype=float)
    kth = np.sort(y)[::-1][min(k, len(y)) - 1]
    p = np.where(y >= kth, np.exp(y - y.max()), 0.0)
    return p / p.sum()


@right("vocabulary", "sorts by the characters' UTF-8 bytes, which keeps code-point order")
def _(text):
    return "".join(sorted(set(text), key=lambda c: c.encode("utf-8")))


@right("softmax", "recurses over the leading axis")
def _(y):
    y = np.asarray(y, dtype=float)
    if y.ndim > 1:
        return np.array([_softmax_recursive(row) for row in y]).reshape(y.shape)
    e = np.exp(y - y.max())
    return e / e.sum()


_softmax_recursive = RIGHT[-1][2]()


@right("forward", "runs in float32")
def _(params, inputs, h0):
    f = {k: v.astype(np.float32) for k, v in params.items()}
    h = np.asarray(h0, dtype=np.float32)
    hs, ps = [h], []
    for x in inputs:
        h = np.tanh(f["Wxh"][:, x] + f["Whh"] @ h + f["bh"])
        y = f["Why"] @ h + f["by"]
        e = np.exp(y - y.max())
        hs.append(h)
        ps.append(e / e.sum())
    return np.array(hs), np.array(ps)


@right("one_hot", "returns float32")
def _(ids, V):
    return np.eye(V, dtype=np.float32)[ids]
