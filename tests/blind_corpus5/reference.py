"""My own reference answers for every exercise, written from the notebooks' stub docstrings.

They are plain loops on purpose; tests/test_blind_corpus5.py cross-checks them against
rnn_core's public functions where one exists.
"""
import numpy as np


def vocabulary(text):
    return "".join(sorted(set(text)))


def encode(text, chars):
    position = {c: i for i, c in enumerate(chars)}
    return np.array([position[c] for c in text], dtype=np.int64)


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
    T, H = len(inputs), len(h0)
    hs = np.zeros((T + 1, H))
    hs[0] = h0
    ps = np.zeros((T, params["by"].shape[0]))
    for t in range(T):
        hs[t + 1] = rnn_step(params, inputs[t], hs[t])
        ps[t] = softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


def loss(ps, targets):
    with np.errstate(divide="ignore"):
        return float(-sum(np.log(ps[t, c]) for t, c in enumerate(targets)))


def dlogits(ps, targets):
    dy = np.array(ps, dtype=float, copy=True)
    for t, c in enumerate(targets):
        dy[t, c] -= 1.0
    return dy


def bptt_step(params, x, h_prev, h, dy, dhnext):
    grads = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    grads["Why"] = np.outer(dy, h)
    grads["by"] = np.array(dy, dtype=float)
    dh = params["Why"].T @ dy + dhnext
    draw = (1.0 - h * h) * dh
    grads["bh"] = draw
    grads["Wxh"][:, x] = draw
    grads["Whh"] = np.outer(draw, h_prev)
    return grads, params["Whh"].T @ draw


def bptt(params, inputs, targets, hs, ps):
    total = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        step, dhnext = bptt_step(params, inputs[t], hs[t], hs[t + 1], dy, dhnext)
        for k in total:
            total[k] += step[k]
    return total


def clip(grads, limit):
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)


def clip_global_norm(grads, max_norm):
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def temperature(logits, temperature):
    return softmax(np.asarray(logits, dtype=float) / temperature)


def top_k(logits, k):
    y = np.array(logits, dtype=float)
    if k < len(y):
        kth = np.sort(y)[len(y) - k]
        # ties with the k-th largest logit keep probability, as rnn_core.sampling does
        y[y < kth] = -np.inf
    return softmax(y)
