"""Third blind corpus, wrong functions for notebooks 01-03.

Each entry: the exercise, a sentence saying what the student got wrong, a factory that
makes a fresh function (so state a function keeps starts empty for each test), and the
argument tuples that show it wrong against tests/blind_corpus3/reference.py.
"""
import unicodedata
from dataclasses import dataclass

import numpy as np


@dataclass
class Entry:
    name: str
    why: str
    make: object
    calls: tuple


WRONG = []


def wrong(name, why, *calls, fresh=False):
    """Register fn (or, with fresh=True, a factory of fn) as a wrong answer to name."""
    def deco(fn):
        WRONG.append(Entry(name, why, fn if fresh else (lambda: fn), calls))
        return fn
    return deco


def params(V, H, seed=0, scale=0.5, by=None):
    rng = np.random.default_rng(seed)
    p = {"Wxh": rng.normal(size=(H, V)) * scale, "Whh": rng.normal(size=(H, H)) * scale,
         "Why": rng.normal(size=(V, H)) * scale, "bh": rng.normal(size=H) * 0.3,
         "by": rng.normal(size=V) * 0.3}
    if by is not None:
        p["by"] = p["by"] + by
    return p


def probs(T, V, seed=0):
    rng = np.random.default_rng(seed)
    e = np.exp(rng.normal(size=(T, V)))
    return e / e.sum(axis=1, keepdims=True)


def ids(T, V, seed=0):
    return np.random.default_rng(seed).integers(0, V, size=T)


def ref_softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------ vocabulary

@wrong("vocabulary", "strips whitespace at the ends of the text first", ("ab c\n",))
def vocab_strip(text):
    return "".join(sorted(set(text.strip())))


@wrong("vocabulary", "drops the carriage return of Windows line ends", ("a\r\nb",))
def vocab_no_cr(text):
    return "".join(sorted(set(text.replace("\r", ""))))


@wrong("vocabulary", "sorts case-insensitively", ("Bab",))
def vocab_casefold_sort(text):
    return "".join(sorted(set(text), key=str.lower))


@wrong("vocabulary", "keeps the characters in order of first appearance", ("cab",))
def vocab_first_seen(text):
    return "".join(dict.fromkeys(text))


@wrong("vocabulary", "normalises accents to composed form (NFC) first", ("e\u0301",))
def vocab_nfc(text):
    return "".join(sorted(set(unicodedata.normalize("NFC", text))))


@wrong("vocabulary", "works on UTF-8 bytes, so an accent becomes two characters", ("caf\u00e9",))
def vocab_bytes(text):
    return "".join(chr(b) for b in sorted(set(text.encode("utf-8"))))


@wrong("vocabulary", "looks only at the first 1000 characters for speed", ("a" * 1000 + "z",))
def vocab_prefix(text):
    return "".join(sorted(set(text[:1000])))


@wrong("vocabulary", "drops every whitespace character via split", ("a b\tc",))
def vocab_split(text):
    return "".join(sorted(set("".join(text.split()))))


@wrong("vocabulary", "remembers its answer by text length", ("ab",), ("cd",), fresh=True)
def vocab_cached_by_length():
    cache = {}

    def vocabulary(text):
        if len(text) not in cache:
            cache[len(text)] = "".join(sorted(set(text)))
        return cache[len(text)]
    return vocabulary


@wrong("vocabulary", "returns a list of characters, not a str", ("ba",))
def vocab_list(text):
    return sorted(set(text))


# ------------------------------------------------------------------ encode

@wrong("encode", "stores the ids as uint8, which wraps past 255 characters",
       ("\u0150", "".join(chr(c) for c in range(32, 32 + 400))))
def encode_uint8(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in text], dtype=np.uint8)


@wrong("encode", "returns float ids", ("ba", "abc"))
def encode_float(text, chars):
    return np.array([chars.index(ch) for ch in text], dtype=float)


@wrong("encode", "returns float64 for an empty text (np.array of an empty list)", ("", "abc"))
def encode_empty_float(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in text])


@wrong("encode", "keeps the first vocabulary's index table for every later call",
       ("ab", "abc"), ("ab", "Xab"), fresh=True)
def encode_cached_index():
    table = {}

    def encode(text, chars):
        if not table:
            table.update({ch: i for i, ch in enumerate(chars)})
        return np.array([table[ch] for ch in text], dtype=int)
    return encode


@wrong("encode", "strips the text first, losing a final newline", ("ab\n", "\nab"))
def encode_strip(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in text.strip()], dtype=int)


@wrong("encode", "assumes the vocabulary is a contiguous run of code points", ("ac", "abc"),
       ("z", " az"))
def encode_ord_offset(text, chars):
    return np.array([ord(ch) - ord(chars[0]) for ch in text], dtype=int)


@wrong("encode", "joins splitlines(), dropping '\\r\\n' line ends", ("a\r\nb", "\n\rab"))
def encode_splitlines(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in "".join(text.splitlines())], dtype=int)


@wrong("encode", "uses the vocabulary of this text instead of chars", ("b", "ab"))
def encode_own_vocab(text, chars):
    own = sorted(set(text))
    return np.array([own.index(ch) for ch in text], dtype=int)


# ------------------------------------------------------------------ one_hot

@wrong("one_hot", "takes V from the largest id instead of the V given", (np.array([0, 1]), 5))
def onehot_from_max(ids, V):
    return np.eye(int(max(ids)) + 1)[ids]


@wrong("one_hot", "returns integer rows, as seed 000's list of 0s does", (np.array([0, 2]), 3))
def onehot_int(ids, V):
    out = [[0 for _ in range(V)] for _ in ids]
    for row, i in zip(out, ids):
        row[i] = 1
    return np.array(out)


@wrong("one_hot", "returns bool rows", (np.array([1]), 3))
def onehot_bool(ids, V):
    return np.arange(V)[None, :] == np.asarray(ids)[:, None]


@wrong("one_hot", "returns the transpose, (V, N)", (np.array([0, 1]), 3))
def onehot_transposed(ids, V):
    return np.eye(V)[:, ids]


@wrong("one_hot", "keeps the first identity matrix it made, whatever V is later",
       (np.array([0]), 3), (np.array([0]), 4), fresh=True)
def onehot_cached_eye():
    eye = []

    def one_hot(ids, V):
        if not eye:
            eye.append(np.eye(V))
        return eye[0][ids]
    return one_hot


@wrong("one_hot", "reuses one output buffer, so an earlier result changes later",
       (np.array([0, 1]), 3), (np.array([2, 2]), 3), fresh=True)
def onehot_shared_buffer():
    buf = {}

    def one_hot(ids, V):
        out = buf.setdefault((len(ids), V), np.zeros((len(ids), V)))
        out[:] = 0
        out[np.arange(len(ids)), ids] = 1
        return out
    return one_hot


@wrong("one_hot", "fails on an empty ids array (max of nothing)", (np.array([], dtype=int), 4))
def onehot_empty_max(ids, V):
    out = np.zeros((len(ids), max(V, int(np.max(ids)) + 1)))
    out[np.arange(len(ids)), ids] = 1
    return out


# ------------------------------------------------------------------ softmax

@wrong("softmax", "does not subtract the max, so exp overflows", (np.array([1000.0, 0.0]),))
def softmax_no_max(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "subtracts one max over the whole array, not per row",
       (np.array([[1000.0, 999.0], [-1000.0, -1001.0]]),))
def softmax_global_max(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "subtracts the mean instead of the max", (np.array([3000.0, 0.0, 0.0]),))
def softmax_mean(y):
    e = np.exp(y - y.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "clips logits to [-500, 500] instead of subtracting the max",
       (np.array([1000.0, 999.0]),))
def softmax_clip(y):
    e = np.exp(np.clip(y, -500, 500))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "normalises along axis 1, which is the last axis only for 2-D input",
       (np.arange(24.0).reshape(2, 3, 4) / 7,))
def softmax_axis1(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    if e.ndim == 1:
        return e / e.sum()
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", "squeezes its input, so a (1, V) batch comes back as (V,)",
       (np.array([[0.5, 1.0, -1.0]]),))
def softmax_squeeze(y):
    y = np.squeeze(y)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "works in place and returns its argument", (np.array([0.1, 0.2, 0.3]),))
def softmax_inplace(y):
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


@wrong("softmax", "flattens the input and normalises over every element",
       (np.array([[0.0, 1.0], [2.0, 3.0]]),))
def softmax_flat(y):
    e = np.exp(y - y.max())
    return e / e.sum()


# ------------------------------------------------------------------ rnn_step

@wrong("rnn_step", "forgets the bias bh", (params(5, 3), 2, np.full(3, 0.1)))
def step_no_bias(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


@wrong("rnn_step", "multiplies by Whh transposed", (params(5, 3), 2, np.array([0.3, -0.2, 0.5])))
def step_whh_t(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + h_prev @ params["Whh"] + params["bh"])


@wrong("rnn_step", "adds into params['bh'] in place", (params(5, 3), 1, np.zeros(3) + 0.2))
def step_bias_inplace(params, x, h_prev):
    a = params["bh"]
    a += params["Wxh"][:, x]
    a += params["Whh"] @ h_prev
    return np.tanh(a)


@wrong("rnn_step", "writes the new state into h_prev and returns it",
       (params(5, 3), 1, np.array([0.1, 0.2, 0.3])))
def step_into_hprev(params, x, h_prev):
    h_prev[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h_prev


@wrong("rnn_step", "keeps its own hidden state after the first call, ignoring h_prev",
       (params(5, 3), 1, np.zeros(3)), (params(5, 3), 1, np.zeros(3)), fresh=True)
def step_own_state():
    state = {}

    def rnn_step(params, x, h_prev):
        h = state.get("h", h_prev)
        state["h"] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        return state["h"]
    return rnn_step


@wrong("rnn_step", "builds a one-hot of hard-coded size 65", (params(7, 3), 1, np.zeros(3)))
def step_v65(params, x, h_prev):
    xv = np.zeros(65)
    xv[x] = 1
    return np.tanh(params["Wxh"] @ xv + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step", "uses a ReLU instead of tanh", (params(5, 3), 2, np.array([0.1, 0.2, -0.9])))
def step_relu(params, x, h_prev):
    return np.maximum(0, params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step", "reads row x of Wxh via Wxh.T, correct only if it squares",
       (params(5, 5, seed=3), 1, np.zeros(5) + 0.1))
def step_row(params, x, h_prev):
    return np.tanh(params["Wxh"][x] + params["Whh"] @ h_prev + params["bh"])


# ------------------------------------------------------------------ forward

@wrong("forward", "computes ps[t] from hs[t] instead of hs[t + 1]",
       (params(5, 3), np.array([1, 2, 0]), np.full(3, 0.2)))
def fwd_off_by_one(params, inputs, h0):
    hs = [h0]
    ps = []
    for x in inputs:
        ps.append(ref_softmax(params["Why"] @ hs[-1] + params["by"]))
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "appends one buffer updated in place, so every row of hs is the same",
       (params(5, 3), np.array([1, 2, 0]), np.full(3, 0.2)))
def fwd_shared_row(params, inputs, h0):
    h = h0.copy()
    hs, ps = [h0.copy()], []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(ref_softmax(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "returns ps of shape (0,) for an empty sequence",
       (params(5, 3), np.array([], dtype=int), np.full(3, 0.2)))
def fwd_empty(params, inputs, h0):
    hs, ps = [h0], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        ps.append(ref_softmax(params["Why"] @ hs[-1] + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "runs at most 25 steps, min-char-rnn's seq_length",
       (params(4, 3), ids(30, 4), np.zeros(3)))
def fwd_seq25(params, inputs, h0):
    T = len(inputs)
    hs = np.zeros((T + 1, len(h0)))
    ps = np.full((T, params["by"].shape[0]), 1.0 / params["by"].shape[0])
    hs[0] = h0
    for t in range(min(T, 25)):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = ref_softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


@wrong("forward", "softmax without the max: overflows when by is large",
       (params(4, 3, by=np.array([800.0, 799.0, 0.0, 0.0])), np.array([1, 2]), np.zeros(3)))
def fwd_no_max(params, inputs, h0):
    hs, ps = [h0], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        e = np.exp(params["Why"] @ hs[-1] + params["by"])
        ps.append(e / e.sum())
    return np.array(hs), np.array(ps)


@wrong("forward", "carries the last hidden state into the next call, like hprev in training",
       (params(4, 3), np.array([1, 2]), np.zeros(3)),
       (params(4, 3), np.array([1, 2]), np.zeros(3)), fresh=True)
def fwd_carry_state():
    state = {}

    def forward(params, inputs, h0):
        h = state.get("h", h0)
        hs, ps = [h0], []
        for x in inputs:
            h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
            hs.append(h)
            ps.append(ref_softmax(params["Why"] @ h + params["by"]))
        state["h"] = h
        return np.array(hs), np.array(ps)
    return forward


@wrong("forward", "updates h0 in place, so hs[0] ends up as the last state",
       (params(4, 3), np.array([1, 2]), np.full(3, 0.3)))
def fwd_h0_inplace(params, inputs, h0):
    h = h0
    hs, ps = [h0], []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h.copy())
        ps.append(ref_softmax(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "forgets the output bias by",
       (params(4, 3), np.array([1, 2]), np.full(3, 0.3)))
def fwd_no_by(params, inputs, h0):
    hs, ps = [h0], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        ps.append(ref_softmax(params["Why"] @ hs[-1]))
    return np.array(hs), np.array(ps)


# ------------------------------------------------------------------ loss

@wrong("loss", "averages over steps instead of summing", (probs(4, 5), ids(4, 5)))
def loss_mean(ps, targets):
    return float(-np.mean(np.log(ps[np.arange(len(targets)), targets])))


@wrong("loss", "uses log base 2 (bits, not nats)", (probs(4, 5), ids(4, 5)))
def loss_log2(ps, targets):
    return float(-np.sum(np.log2(ps[np.arange(len(targets)), targets])))


@wrong("loss", "indexes ps[:, targets], a T x T block, and sums it all", (probs(4, 5), ids(4, 5)))
def loss_block(ps, targets):
    return float(-np.sum(np.log(ps[:, targets])))


@wrong("loss", "adds 1e-8 inside the log", (np.array([[1e-10, 1 - 1e-10]]), np.array([0])))
def loss_eps(ps, targets):
    return float(-np.sum(np.log(ps[np.arange(len(targets)), targets] + 1e-8)))


@wrong("loss", "clips probabilities to at least 1e-12", (np.array([[1e-15, 1 - 1e-15]]), np.array([0])))
def loss_clip(ps, targets):
    return float(-np.sum(np.log(np.clip(ps[np.arange(len(targets)), targets], 1e-12, 1))))


@wrong("loss", "skips the last step", (probs(4, 5), ids(4, 5)))
def loss_skip_last(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(len(targets) - 1)))


@wrong("loss", "takes the log of the product, which underflows on long sequences",
       (probs(1200, 65), ids(1200, 65)))
def loss_product(ps, targets):
    return float(-np.log(np.prod(ps[np.arange(len(targets)), targets])))


@wrong("loss", "rounds the loss to 4 decimals", (np.array([[1 - 1e-6, 1e-6]]), np.array([0])))
def loss_rounded(ps, targets):
    return round(float(-np.sum(np.log(ps[np.arange(len(targets)), targets]))), 4)


@wrong("loss", "returns a 1-element array instead of a float", (probs(3, 4), ids(3, 4)))
def loss_array(ps, targets):
    return -np.sum(np.log(ps[np.arange(len(targets)), targets]), keepdims=True)


@wrong("loss", "sums -onehot * log p, which is NaN where a p is exactly 0",
       (np.array([[0.5, 0.5, 0.0]]), np.array([1])))
def loss_onehot(ps, targets):
    onehot = np.eye(ps.shape[1])[targets]
    return float(-np.sum(onehot * np.log(ps)))


@wrong("loss", "only scores the first 25 steps", (probs(30, 3), ids(30, 3)))
def loss_seq25(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(min(25, len(targets)))))


# ------------------------------------------------------------------ dlogits

@wrong("dlogits", "subtracts 1 in place in ps", (probs(3, 4), ids(3, 4)))
def dly_inplace(ps, targets):
    ps[np.arange(len(targets)), targets] -= 1
    return ps


@wrong("dlogits", "copies with ps[:], a view, and so changes ps", (probs(3, 4), ids(3, 4)))
def dly_view(ps, targets):
    dy = ps[:]
    dy[np.arange(len(targets)), targets] -= 1
    return dy


@wrong("dlogits", "subtracts 1 in every target column of every row",
       (probs(3, 4), np.array([0, 2, 3])))
def dly_columns(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


@wrong("dlogits", "divides by T (the gradient of the mean)", (probs(3, 4), ids(3, 4)))
def dly_mean(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= 1
    return dy / len(targets)


@wrong("dlogits", "has the sign flipped", (probs(3, 4), ids(3, 4)))
def dly_sign(ps, targets):
    return np.eye(ps.shape[1])[targets] - ps


@wrong("dlogits", "builds the one-hot with V = ps.shape[0], which is T",
       (probs(3, 5), np.array([0, 1, 2])))
def dly_wrong_v(ps, targets):
    return ps - np.eye(ps.shape[0])[targets]


@wrong("dlogits", "returns the same buffer every call, so an earlier result changes",
       (probs(3, 4), ids(3, 4)), (probs(3, 4, seed=1), ids(3, 4, seed=1)), fresh=True)
def dly_shared():
    buf = {}

    def dlogits(ps, targets):
        out = buf.setdefault(ps.shape, np.empty(ps.shape))
        out[:] = ps
        out[np.arange(len(targets)), targets] -= 1
        return out
    return dlogits


@wrong("dlogits", "stacks rows with np.array, so T = 0 gives shape (0,)",
       (np.zeros((0, 4)), np.array([], dtype=int)))
def dly_stack(ps, targets):
    return np.array([ps[t] - np.eye(ps.shape[1])[targets[t]] for t in range(len(targets))])
