"""Wrong student functions, notebooks 01-03: each with the calls that show it wrong.

Every entry: (exercise, sentence, make, calls). `make()` returns a fresh function, so a
function that keeps state between calls starts clean in every test.
"""
import unicodedata
from itertools import groupby

import numpy as np

from . import reference as ref

WRONG = []


def wrong(name, sentence, calls):
    def register(fn):
        WRONG.append((name, sentence, lambda: fn, calls))
        return fn
    return register


def wrong_stateful(name, sentence, calls):
    def register(factory):
        WRONG.append((name, sentence, factory, calls))
        return factory
    return register


# ------------------------------------------------------------------ vocabulary

@wrong("vocabulary", "returns the set of characters unsorted", [("the quick brown fox",)])
def _(text):
    return "".join(set(text))


@wrong("vocabulary", "sorts case-insensitively", [("Ba",)])
def _(text):
    return "".join(sorted(set(text), key=str.lower))


@wrong("vocabulary", "strips surrounding whitespace first", [(" ab \n",)])
def _(text):
    return "".join(sorted(set(text.strip())))


@wrong("vocabulary", "drops the newline character", [("ab\ncd",)])
def _(text):
    return "".join(sorted(set(text.replace("\n", ""))))


@wrong("vocabulary", "removes only adjacent repeats", [("abab",)])
def _(text):
    return "".join(sorted(k for k, _ in groupby(text)))


@wrong("vocabulary", "works on utf-8 bytes, splitting accented letters", [("café",)])
def _(text):
    return "".join(chr(b) for b in sorted(set(text.encode("utf-8"))))


@wrong("vocabulary", "normalises unicode to NFC, merging a combining accent", [("e\u0301a",)])
def _(text):
    return "".join(sorted(set(unicodedata.normalize("NFC", text))))


@wrong("vocabulary", "splits on whitespace, so tabs and spaces vanish", [("a b\tc",)])
def _(text):
    return "".join(sorted(set("".join(text.split()))))


@wrong("vocabulary", "returns a sorted list instead of a str", [("cab",)])
def _(text):
    return sorted(set(text))


@wrong_stateful("vocabulary", "caches the answer by text length", [("ab",), ("cd",)])
def _():
    cache = {}

    def vocabulary(text):
        if len(text) not in cache:
            cache[len(text)] = "".join(sorted(set(text)))
        return cache[len(text)]
    return vocabulary


@wrong("vocabulary", "drops the carriage return with splitlines", [("a\r\nb",)])
def _(text):
    return "".join(sorted(set("".join(text.splitlines()))))


# ------------------------------------------------------------------ encode

@wrong("encode", "builds its own vocabulary from the text", [("ca", "abc")])
def _(text, chars):
    own = sorted(set(text))
    return np.array([own.index(c) for c in text])


@wrong("encode", "uses ord(c) - ord(chars[0]), right only for contiguous vocabularies", [("c", "ac")])
def _(text, chars):
    return np.array([ord(c) - ord(chars[0]) for c in text])


@wrong("encode", "stores ids as uint8, wrapping above 255", [("ŕ", "".join(chr(i) for i in range(32, 400)))])
def _(text, chars):
    return np.array([chars.index(c) for c in text], dtype=np.uint8)


@wrong("encode", "returns floats for an empty text", [("", "abc")])
def _(text, chars):
    return np.array([chars.index(c) for c in text])


@wrong("encode", "removes carriage returns from the text", [("a\r\nb", "\n\rab")])
def _(text, chars):
    text = text.replace("\r", "")
    return np.array([chars.index(c) for c in text], dtype=int)


@wrong("encode", "re-sorts the vocabulary case-insensitively", [("a", "ABab")])
def _(text, chars):
    index = {c: i for i, c in enumerate(sorted(chars, key=str.lower))}
    return np.array([index[c] for c in text], dtype=int)


@wrong_stateful("encode", "builds the lookup table on the first call only", [("ab", "ab"), ("b", "bc")])
def _():
    table = {}

    def encode(text, chars):
        if not table:
            table.update({c: i for i, c in enumerate(chars)})
        return np.array([table[c] for c in text], dtype=int)
    return encode


@wrong("encode", "counts positions from 1", [("ab", "ab")])
def _(text, chars):
    return np.array([chars.index(c) + 1 for c in text])


@wrong("encode", "looks characters up with rfind in a vocabulary it first lower-cases",
       [("B", "ABb")])
def _(text, chars):
    low = chars.lower()
    return np.array([low.rfind(c.lower()) for c in text], dtype=int)


# ------------------------------------------------------------------ one_hot

@wrong("one_hot", "sizes the matrix by max(ids) + 1, ignoring V", [(np.array([0, 1]), 5)])
def _(ids, V):
    x = np.zeros((len(ids), max(ids) + 1))
    x[np.arange(len(ids)), ids] = 1
    return x


@wrong("one_hot", "returns an int matrix", [(np.array([1, 0]), 3)])
def _(ids, V):
    x = np.zeros((len(ids), V), dtype=int)
    x[np.arange(len(ids)), ids] = 1
    return x


@wrong("one_hot", "sets whole columns with x[:, ids]", [(np.array([0, 2]), 3)])
def _(ids, V):
    x = np.zeros((len(ids), V))
    x[:, ids] = 1
    return x


@wrong("one_hot", "stacks rows, which fails on no ids", [(np.array([], dtype=int), 4)])
def _(ids, V):
    return np.stack([np.eye(V)[i] for i in ids])


@wrong_stateful("one_hot", "keeps the identity matrix of the first V", [(np.array([1]), 2), (np.array([3]), 5)])
def _():
    eye = []

    def one_hot(ids, V):
        if not eye:
            eye.append(np.eye(V))
        return eye[0][ids] if max(ids) < len(eye[0]) else np.zeros((len(ids), len(eye[0])))
    return one_hot


@wrong("one_hot", "returns booleans", [(np.array([1, 1]), 2)])
def _(ids, V):
    return np.eye(V, dtype=bool)[ids]


@wrong("one_hot", "casts ids to uint8, wrapping ids above 255", [(np.array([300]), 400)])
def _(ids, V):
    ids = np.asarray(ids).astype(np.uint8)
    return np.eye(V)[ids]


@wrong("one_hot", "returns the transpose (V, N)", [(np.array([0, 1, 1]), 4)])
def _(ids, V):
    return np.eye(V)[:, ids]


@wrong("one_hot", "allocates 65 columns (Tiny Shakespeare's V) and slices to V", [(np.array([70, 1]), 80)])
def _(ids, V):
    x = np.zeros((len(ids), 65))
    x[np.arange(len(ids)), ids] = 1
    return x[:, :V]


# ------------------------------------------------------------------ softmax

@wrong("softmax", "does not subtract the max, so exp overflows", [(np.array([1000.0, 999.0]),)])
def _(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "subtracts the max of the whole array, so far-apart rows underflow",
       [(np.array([[0.0, 1.0], [1000.0, 1001.0]]),)])
def _(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "normalises along axis 0", [(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]]),)])
def _(y):
    e = np.exp(y - y.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax", "divides by the row sums without keepdims", [(np.array([[1.0, 2.0], [3.0, 0.0]]),)])
def _(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


@wrong("softmax", "normalises along axis 1, wrong for three axes", [(np.arange(24.0).reshape(2, 3, 4) / 7,)])
def _(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", "overwrites its input in place", [(np.array([[1.0, 2.0], [0.5, 0.0]]),)])
def _(y):
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


@wrong("softmax", "clips logits to +-700 before exp", [(np.array([800.0, 801.0]),)])
def _(y):
    e = np.exp(np.clip(y, -700, 700))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "normalises by the sum of the whole array", [(np.array([[0.0, 1.0], [2.0, 0.0]]),)])
def _(y):
    e = np.exp(y - y.max())
    return e / e.sum()


@wrong("softmax", "subtracts the min instead of the max", [(np.array([0.0, 1000.0]),)])
def _(y):
    e = np.exp(y - y.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "keeps the input dtype, so integer logits give integer output", [(np.array([1, 2, 3]),)])
def _(y):
    out = np.empty_like(y)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    out[...] = e / e.sum(axis=-1, keepdims=True)
    return out


@wrong("softmax", "subtracts the mean instead of the max", [(np.array([0.0, 2000.0]),)])
def _(y):
    e = np.exp(y - y.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------ rnn_step

P = ref.params(6, 4, 1)


@wrong("rnn_step", "forgets the bias bh", [(P, 2, np.full(4, 0.3))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


@wrong("rnn_step", "multiplies by Whh transposed", [(P, 2, np.array([0.3, -0.2, 0.1, 0.5]))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"].T @ h_prev + params["bh"])


@wrong("rnn_step", "takes a row of Wxh instead of a column", [(P, 2, np.zeros(4))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][x] + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step", "uses a sigmoid instead of tanh", [(P, 1, np.zeros(4))])
def _(params, x, h_prev):
    return 1 / (1 + np.exp(-(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])))


@wrong("rnn_step", "writes the new state into h_prev", [(P, 1, np.full(4, 0.2))])
def _(params, x, h_prev):
    h_prev[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h_prev


@wrong_stateful("rnn_step", "carries its own state and ignores h_prev after the first call",
                [(P, 1, np.zeros(4)), (P, 1, np.full(4, 0.9))])
def _():
    state = []

    def rnn_step(params, x, h_prev):
        h = state[-1] if state else h_prev
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        state.append(h)
        return h
    return rnn_step


@wrong("rnn_step", "builds a one-hot of hard-coded size 65", [(P, 1, np.zeros(4))])
def _(params, x, h_prev):
    xs = np.zeros(65)
    xs[x] = 1
    return np.tanh(params["Wxh"] @ xs + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step", "adds bh after the tanh", [(P, 3, np.full(4, -0.1))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev) + params["bh"]


@wrong("rnn_step", "returns an (H, 1) column", [(P, 0, np.zeros(4))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, [x]] + params["Whh"] @ h_prev[:, None] + params["bh"][:, None])


@wrong("rnn_step", "rounds the state to float16", [(P, 0, np.full(4, 0.123456))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]).astype(np.float16)


# ------------------------------------------------------------------ forward

def _fwd(params, inputs, h0, ps_from_new=True, bias=True, h_start=None):
    T = len(inputs)
    hs = [h0 if h_start is None else h_start]
    ps = []
    for t in range(T):
        hs.append(np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[-1] + params["bh"]))
        y = params["Why"] @ (hs[-1] if ps_from_new else hs[-2]) + (params["by"] if bias else 0)
        ps.append(ref.softmax(y))
    return np.array(hs), np.array(ps)


PF = ref.params(6, 4, 2)
IN = np.array([1, 4, 4, 0, 5])
H0 = np.array([0.2, -0.4, 0.1, 0.3])


@wrong("forward", "leaves h0 out of hs", [(PF, IN, H0)])
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, h0)
    return hs[1:], ps


@wrong("forward", "computes ps[t] from the state before the step", [(PF, IN, H0)])
def _(params, inputs, h0):
    return _fwd(params, inputs, h0, ps_from_new=False)


@wrong("forward", "starts from zeros and ignores h0", [(PF, IN, H0)])
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, h0, h_start=np.zeros_like(h0))
    hs[0] = h0
    return hs, ps


@wrong("forward", "updates h in place, so every row of hs is the last state", [(PF, IN, H0)])
def _(params, inputs, h0):
    h = h0
    hs, ps = [h], []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(ref.softmax(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "has a softmax without the max, overflowing on large weights",
       [(dict(PF, Why=PF["Why"] * 2000), IN, H0)])
def _(params, inputs, h0):
    hs, _ = _fwd(params, inputs, h0)
    e = np.exp(hs[1:] @ params["Why"].T + params["by"])
    return hs, e / e.sum(axis=1, keepdims=True)


@wrong("forward", "squeezes ps, losing the time axis when T = 1", [(PF, np.array([3]), H0)])
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, h0)
    return hs, ps.squeeze()


@wrong_stateful("forward", "carries the last state of the previous call instead of h0",
                [(PF, IN, H0), (PF, IN, H0)])
def _():
    carry = []

    def forward(params, inputs, h0):
        hs, ps = _fwd(params, inputs, h0, h_start=carry[-1] if carry else None)
        carry.append(hs[-1].copy())
        return hs, ps
    return forward


@wrong("forward", "reads inputs[t - 1] at step t", [(PF, IN, H0)])
def _(params, inputs, h0):
    return _fwd(params, np.roll(inputs, 1), h0)


@wrong("forward", "forgets the output bias by", [(PF, IN, H0)])
def _(params, inputs, h0):
    return _fwd(params, inputs, h0, bias=False)


@wrong("forward", "only runs the first 50 steps (a hard-coded seq_length) and repeats the last", [(PF, np.arange(60) % 6, H0)])
def _(params, inputs, h0):
    n = len(inputs) if len(inputs) <= 50 else 50
    hs, ps = _fwd(params, inputs[:n], h0)
    pad = len(inputs) - n
    return np.vstack([hs, np.repeat(hs[-1:], pad, 0)]), np.vstack([ps, np.repeat(ps[-1:], pad, 0)])


# ------------------------------------------------------------------ loss

PS = ref.softmax(np.random.default_rng(5).normal(0, 2, (6, 4)))
TG = np.array([0, 3, 3, 1, 2, 0])
TINY = np.array([[1e-20, 1 - 1e-20], [0.5, 0.5]])


@wrong("loss", "returns the mean instead of the sum", [(PS, TG)])
def _(ps, targets):
    return float(-np.mean(np.log(ps[np.arange(len(targets)), targets])))


@wrong("loss", "indexes ps[:, targets], summing a T x T block", [(PS, TG)])
def _(ps, targets):
    return float(-np.log(ps[:, targets]).sum())


@wrong("loss", "uses log base 2", [(PS, TG)])
def _(ps, targets):
    return float(-np.log2(ps[np.arange(len(targets)), targets]).sum())


@wrong("loss", "adds 1e-8 inside the log", [(TINY, np.array([0, 1]))])
def _(ps, targets):
    return float(-np.log(ps[np.arange(len(targets)), targets] + 1e-8).sum())


@wrong("loss", "clips probabilities to at least 1e-15", [(TINY, np.array([0, 0]))])
def _(ps, targets):
    return float(-np.log(np.clip(ps[np.arange(len(targets)), targets], 1e-15, 1)).sum())


@wrong("loss", "stops one step early", [(PS, TG)])
def _(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(len(targets) - 1)))


@wrong("loss", "uses -sum(onehot * log p), NaN where a probability is 0",
       [(np.array([[0.0, 1.0], [0.25, 0.75]]), np.array([1, 0]))])
def _(ps, targets):
    onehot = np.eye(ps.shape[1])[targets]
    return float(-np.sum(onehot * np.log(ps)))


@wrong("loss", "truncates to an int", [(PS, TG)])
def _(ps, targets):
    return int(-np.log(ps[np.arange(len(targets)), targets]).sum())


@wrong_stateful("loss", "accumulates a running total across calls", [(PS, TG), (PS, TG)])
def _():
    total = [0.0]

    def loss(ps, targets):
        total[0] += float(-np.log(ps[np.arange(len(targets)), targets]).sum())
        return total[0]
    return loss


@wrong("loss", "sums in float16", [(np.tile(PS, (200, 1)), np.tile(TG, 200))])
def _(ps, targets):
    return float(-np.log(ps[np.arange(len(targets)), targets]).astype(np.float16).sum(dtype=np.float16))


@wrong("loss", "subtracts the log of the largest probability as if it were a softmax",
       [(PS, TG)])
def _(ps, targets):
    lp = np.log(ps) - np.log(ps.max(axis=1, keepdims=True))
    return float(-lp[np.arange(len(targets)), targets].sum())


# ------------------------------------------------------------------ dlogits

@wrong("dlogits", "subtracts 1 from ps itself", [(PS, TG)])
def _(ps, targets):
    dy = ps
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("dlogits", "subtracts 1 from whole columns", [(PS, TG)])
def _(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


@wrong("dlogits", "subtracts 1 from whole rows", [(PS, TG)])
def _(ps, targets):
    dy = ps.copy()
    dy[targets] -= 1
    return dy


@wrong("dlogits", "divides by T", [(PS, TG)])
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= 1
    return dy / len(targets)


@wrong("dlogits", "edits a reshape of ps, which is a view", [(PS, TG)])
def _(ps, targets):
    dy = ps.reshape(ps.shape)
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("dlogits", "edits np.asarray(ps), which is ps", [(PS, TG)])
def _(ps, targets):
    dy = np.asarray(ps)
    dy[np.arange(len(targets)), targets] -= 1
    return dy.copy()


@wrong("dlogits", "builds the one-hot with a hard-coded V of 65", [(PS, TG)])
def _(ps, targets):
    return ps - np.eye(65)[targets]


@wrong("dlogits", "swaps the indices: dy[targets, range(T)]", [(PS[:4], TG[:4])])
def _(ps, targets):
    dy = ps.copy()
    dy[targets, np.arange(len(targets))] -= 1
    return dy


@wrong("dlogits", "writes -1 at the target instead of p - 1", [(PS, TG)])
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] = -1
    return dy


@wrong("dlogits", "returns onehot - p (the sign flipped)", [(PS, TG)])
def _(ps, targets):
    return np.eye(ps.shape[1])[targets] - ps


# ------------------------------------------------------------------ added after a first run

SUBNORMAL = np.array([[1e-320, 1.0], [0.5, 0.5]])


@wrong("loss", "floors probabilities at the smallest normal float before the log",
       [(SUBNORMAL, np.array([0, 1]))])
def _(ps, targets):
    picked = ps[np.arange(len(targets)), targets]
    return float(-np.log(np.maximum(picked, np.finfo(float).tiny)).sum())


@wrong("loss", "clips probabilities at 1e-300 before the log", [(SUBNORMAL, np.array([0, 0]))])
def _(ps, targets):
    return float(-np.log(np.clip(ps[np.arange(len(targets)), targets], 1e-300, 1.0)).sum())


@wrong("loss", "replaces an exact zero probability by 1e-300, so log(0) is never inf",
       [(np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1]))])
def _(ps, targets):
    picked = ps[np.arange(len(targets)), targets]
    return float(-np.log(np.where(picked == 0, 1e-300, picked)).sum())


@wrong("forward", "fills preallocated buffers of 2048 steps",
       [(ref.params(4, 3, 13), np.arange(2100) % 4, np.full(3, 0.1))])
def _(params, inputs, h0):
    hs = np.zeros((2049, len(h0)))
    ps = np.zeros((2048, len(params["by"])))
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = ref.softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs[:len(inputs) + 1], ps[:len(inputs)]
