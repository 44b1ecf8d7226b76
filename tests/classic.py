"""An independent reference: min-char-rnn's loss, sampler and training loop in their
classic per-step form (one-hot column vectors in dicts, a loop over t), rewritten
in Python 3 for these tests and for the benchmark.

Deliberately naive: it is the yardstick the fast batched code is checked and
timed against, so it must stay exactly this plain.
"""
import numpy as np


def classic_loss(params, inputs, targets, hprev, clip=5.0):
    """inputs, targets: lists of ids; hprev: (H, 1) -> loss, grads (column-shaped), h_last (H, 1)."""
    Wxh, Whh, Why, bh, by = (params[k] for k in ("Wxh", "Whh", "Why", "bh", "by"))
    bh = bh.reshape(-1, 1)
    by = by.reshape(-1, 1)
    V = Why.shape[0]
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    grads = {"Wxh": dWxh, "Whh": dWhh, "Why": dWhy, "bh": dbh.ravel(), "by": dby.ravel()}
    if clip is not None:
        for d in grads.values():
            np.clip(d, -clip, clip, out=d)
    return loss, grads, hs[len(inputs) - 1]


def classic_adagrad(params, grads, mems, lr):
    for k in ("Wxh", "Whh", "Why", "bh", "by"):
        mems[k] += grads[k] * grads[k]
        params[k] += -lr * grads[k] / np.sqrt(mems[k] + 1e-8)


def classic_sample(params, h, seed_ix, n, rng):
    """Sample n ids the classic way: one-hot x, np.random.choice(range(V)) each step."""
    Wxh, Whh, Why = params["Wxh"], params["Whh"], params["Why"]
    bh, by = params["bh"].reshape(-1, 1), params["by"].reshape(-1, 1)
    V = Why.shape[0]
    x = np.zeros((V, 1))
    x[seed_ix] = 1
    ixes = []
    for _ in range(n):
        h = np.tanh(np.dot(Wxh, x) + np.dot(Whh, h) + bh)
        y = np.dot(Why, h) + by
        p = np.exp(y) / np.sum(np.exp(y))
        ix = rng.choice(range(V), p=p.ravel())
        x = np.zeros((V, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes


def classic_train(params, data_ids, seq_length, lr, steps, on_step=None):
    """The classic sweep: one pointer, reset to 0 (and h to zeros) when the window no longer fits.

    Works on copies; returns (params, mems, hprev, p, smooth_loss, losses).
    """
    params = {k: v.copy() for k, v in params.items()}
    mems = {k: np.zeros_like(v) for k, v in params.items()}
    H = params["Whh"].shape[0]
    V = params["Why"].shape[0]
    smooth_loss = -np.log(1.0 / V) * seq_length
    n, p = 0, 0
    hprev = np.zeros((H, 1))
    losses = []
    while n < steps:
        if p + seq_length + 1 >= len(data_ids) or n == 0:
            hprev = np.zeros((H, 1))
            p = 0
        inputs = [int(i) for i in data_ids[p:p + seq_length]]
        targets = [int(i) for i in data_ids[p + 1:p + seq_length + 1]]
        loss, grads, hprev = classic_loss(params, inputs, targets, hprev)
        smooth_loss = smooth_loss * 0.999 + loss * 0.001
        losses.append(loss)
        classic_adagrad(params, grads, mems, lr)
        if on_step is not None:
            on_step(n, loss)
        p += seq_length
        n += 1
    return params, mems, hprev, p, smooth_loss, losses
