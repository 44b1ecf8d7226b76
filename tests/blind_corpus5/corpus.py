"""Fifth blind corpus: student functions written without reading the checker.

WRONG entries: (id, exercise, function, witness arguments, optional warm-up calls).
The witness arguments show the function differs from tests/blind_corpus5/reference.py.
RIGHT entries: unusual but correct functions (agree with the reference on seeded inputs).
An entry with ``make`` builds a fresh function (it keeps state between calls).
"""
import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Entry:
    id: str
    exercise: str
    fn: object = None
    args: tuple = ()
    warmup: list = field(default_factory=list)
    make: object = None
    recheck: bool = False  # True: the witness is the FIRST call's result, looked at after the second call

    def function(self):
        return self.make() if self.make is not None else self.fn


def P(V=5, H=4, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    return {"Wxh": rng.normal(0, scale, (H, V)), "Whh": rng.normal(0, scale, (H, H)),
            "Why": rng.normal(0, scale, (V, H)), "bh": rng.normal(0, scale, H),
            "by": rng.normal(0, scale, V)}


def probs(T, V, seed=1):
    rng = np.random.default_rng(seed)
    e = np.exp(rng.normal(0, 1, (T, V)))
    return e / e.sum(axis=1, keepdims=True)


def grads_like(V=5, H=4, seed=2, scale=1.0):
    return {k: v * scale for k, v in P(V, H, seed, 1.0).items()}


def _sm(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _fwd(params, inputs, h0):
    hs = [np.array(h0, float)]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


def bptt_case(V=5, H=4, T=6, seed=3, scale=0.5, inputs=None, targets=None):
    params = P(V, H, seed, scale)
    rng = np.random.default_rng(seed + 100)
    inputs = rng.integers(0, V, T) if inputs is None else np.array(inputs)
    targets = rng.integers(0, V, T) if targets is None else np.array(targets)
    hs, ps = _fwd(params, inputs, rng.normal(0, 0.5, H))
    return params, inputs, targets, hs, ps


def step_case(V=5, H=4, seed=4):
    params = P(V, H, seed)
    rng = np.random.default_rng(seed + 1)
    h_prev = np.tanh(rng.normal(0, 1, H))
    x = 2
    h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    dy = _sm(params["Why"] @ h + params["by"])
    dy[1] -= 1
    return params, x, h_prev, h, dy, rng.normal(0, 0.3, H)


WRONG = []
RIGHT = []


def wrong(id, exercise, args, warmup=(), make=None):
    def deco(fn):
        WRONG.append(Entry(id, exercise, fn, args, list(warmup), make))
        return fn
    return deco


def right(id, exercise):
    def deco(fn):
        RIGHT.append(Entry(id, exercise, fn))
        return fn
    return deco


# ------------------------------------------------------------------ vocabulary
@wrong("vocabulary that sorts case-insensitively puts 'a' before 'B'", "vocabulary", ("aB",))
def _(text):
    return "".join(sorted(set(text), key=str.lower))


@wrong("vocabulary that strips the text loses the newline", "vocabulary", ("ab\n",))
def _(text):
    return "".join(sorted(set(text.strip())))


@wrong("vocabulary built from splitlines loses '\\r' and '\\n'", "vocabulary", ("a\r\nb",))
def _(text):
    return "".join(sorted(set("".join(text.splitlines()))))


@wrong("vocabulary that drops non-ASCII loses 'é'", "vocabulary", ("café",))
def _(text):
    return "".join(sorted(set(text.encode("ascii", "ignore").decode())))


@wrong("vocabulary that NFC-normalises merges 'e' and a combining accent", "vocabulary", ("e\u0301",))
def _(text):
    return "".join(sorted(set(unicodedata.normalize("NFC", text))))


@wrong("vocabulary returned as a list of characters, not a str", "vocabulary", ("ba",))
def _(text):
    return sorted(set(text))


@wrong("vocabulary that reverses the sort order", "vocabulary", ("abc",))
def _(text):
    return "".join(sorted(set(text), reverse=True))


def _make_cached_vocabulary():
    cache = {}

    def vocabulary(text):
        if len(text) not in cache:
            cache[len(text)] = "".join(sorted(set(text)))
        return cache[len(text)]
    return vocabulary


WRONG.append(Entry("vocabulary cached by text length returns the old answer for a new text of that length",
                   "vocabulary", None, ("xyz",), [("abc",)], _make_cached_vocabulary))


@wrong("vocabulary that drops the space character", "vocabulary", ("a b",))
def _(text):
    return "".join(sorted(set(text) - {" "}))


# ------------------------------------------------------------------ encode
@wrong("encode that numbers the text's own characters ignores the given vocabulary", "encode", ("b", "ab"))
def _(text, chars):
    own = sorted(set(text))
    return np.array([own.index(c) for c in text])


@wrong("encode that assumes a contiguous vocabulary (ord minus the first)", "encode", ("c", "ac"))
def _(text, chars):
    return np.array([ord(c) - ord(chars[0]) for c in text])


_BIG = "".join(chr(0x100 + i) for i in range(300))


@wrong("encode into uint8 wraps ids above 255", "encode", (_BIG[299], _BIG))
def _(text, chars):
    return np.array([chars.index(c) for c in text], dtype=np.uint8)


@wrong("encode into int8 wraps ids above 127", "encode", (_BIG[130], _BIG))
def _(text, chars):
    return np.array([chars.index(c) for c in text], dtype=np.int8)


@wrong("encode of an empty text returns a float array", "encode", ("", "ab"))
def _(text, chars):
    return np.array([chars.index(c) for c in text])


@wrong("encode that rstrips the text loses its final newline", "encode", ("a\n", "\na"))
def _(text, chars):
    return np.array([chars.index(c) for c in text.rstrip("\n")], dtype=int)


@wrong("encode that lowercases the text maps 'A' to 'a'", "encode", ("A", "Aa"))
def _(text, chars):
    return np.array([chars.index(c) for c in text.lower()], dtype=int)


@wrong("encode through a dict built from set(chars) numbers in hash order", "encode",
       ("abcdefghij", "abcdefghij"))
def _(text, chars):
    table = {c: i for i, c in enumerate(sorted(set(chars), key=lambda c: (ord(c) * 7919) % 101))}
    return np.array([table[c] for c in text], dtype=int)


@wrong("encode that encodes UTF-8 bytes gives two ids for 'é'", "encode", ("é", "aé"))
def _(text, chars):
    b = chars.encode("utf-8")
    return np.array([b.index(x) for x in text.encode("utf-8")], dtype=int)


# ------------------------------------------------------------------ one_hot
@wrong("one_hot with V hard-coded to 65", "one_hot", (np.array([1, 0]), 10))
def _(ids, V):
    out = np.zeros((len(ids), 65))
    out[np.arange(len(ids)), ids] = 1
    return out


@wrong("one_hot transposed to (V, N)", "one_hot", (np.array([0, 1, 3]), 4))
def _(ids, V):
    out = np.zeros((V, len(ids)))
    out[ids, np.arange(len(ids))] = 1
    return out


@wrong("one_hot that sets whole columns", "one_hot", (np.array([0, 2]), 3))
def _(ids, V):
    out = np.zeros((len(ids), V))
    out[:, ids] = 1
    return out


@wrong("one_hot that infers V from max(ids) + 1", "one_hot", (np.array([0]), 3))
def _(ids, V):
    return np.eye(int(max(ids)) + 1)[ids]


@wrong("one_hot built with np.stack fails on no ids", "one_hot", (np.array([], dtype=int), 3))
def _(ids, V):
    return np.stack([np.eye(V)[i] for i in ids])


@wrong("one_hot that returns ints", "one_hot", (np.array([1]), 2))
def _(ids, V):
    out = np.zeros((len(ids), V), dtype=int)
    out[np.arange(len(ids)), ids] = 1
    return out


@wrong("one_hot with += counts a repeated id twice in one row (loops over pairs)", "one_hot",
       (np.array([1, 1]), 3))
def _(ids, V):
    out = np.zeros((len(ids), V))
    for n in range(len(ids)):
        for i in ids:
            if i == ids[n]:
                out[n, i] += 1
    return out


# ------------------------------------------------------------------ softmax
@wrong("softmax without subtracting the max overflows", "softmax", (np.array([1000.0, 0.0]),))
def _(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax subtracting the global max underflows a low row", "softmax",
       (np.array([[0.0, 1.0], [-1000.0, -999.0]]),))
def _(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax that normalises along axis 0", "softmax", (np.arange(6.0).reshape(2, 3),))
def _(y):
    e = np.exp(y - y.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax along axis 1 is wrong for 3-D input", "softmax",
       (np.random.default_rng(5).normal(size=(2, 2, 3)),))
def _(y):
    if y.ndim == 1:
        e = np.exp(y - y.max())
        return e / e.sum()
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax that subtracts the max in place changes the caller's logits", "softmax",
       (np.array([1.0, 2.0, 3.0]),))
def _(y):
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    return y / y.sum(axis=-1, keepdims=True)


@wrong("softmax that clips logits to [-500, 500] instead of shifting them", "softmax",
       (np.array([-1000.0, -1001.0]),))
def _(y):
    e = np.exp(np.clip(y, -500, 500))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax that subtracts the min overflows on a wide range", "softmax", (np.array([0.0, 1000.0]),))
def _(y):
    e = np.exp(y - y.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax that flattens (...,V) input to one distribution", "softmax", (np.zeros((2, 3)),))
def _(y):
    e = np.exp(y - y.max())
    return e / e.sum()


# ------------------------------------------------------------------ rnn_step
@wrong("rnn_step without bh", "rnn_step", (P(), 1, np.full(4, 0.3)))
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


@wrong("rnn_step with Whh transposed", "rnn_step", (P(), 1, np.array([0.3, -0.2, 0.5, 0.1])))
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"].T @ h_prev + params["bh"])


@wrong("rnn_step reading a row of Wxh", "rnn_step", (P(V=4, H=4), 1, np.full(4, 0.2)))
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][x] + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step with a one-hot of hard-coded length 65", "rnn_step", (P(), 1, np.zeros(4)))
def _(params, x, h_prev):
    xv = np.zeros(65)
    xv[x] = 1
    return np.tanh(params["Wxh"] @ xv + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step with tanh around the input term only", "rnn_step", (P(), 0, np.full(4, 0.4)))
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x]) + params["Whh"] @ h_prev + params["bh"]


@wrong("rnn_step that writes h into h_prev", "rnn_step", (P(), 2, np.full(4, 0.1)))
def _(params, x, h_prev):
    h_prev[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h_prev


@wrong("rnn_step returning a (H, 1) column", "rnn_step", (P(), 2, np.full(4, 0.1)))
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]).reshape(-1, 1)


@wrong("rnn_step with a sigmoid instead of tanh", "rnn_step", (P(), 3, np.full(4, 0.1)))
def _(params, x, h_prev):
    return 1 / (1 + np.exp(-(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])))


def _make_cached_rnn_step():
    cache = {}

    def rnn_step(params, x, h_prev):
        key = params["Wxh"].shape
        if key not in cache:  # "the weights do not change between steps"
            cache[key] = (params["Wxh"].copy(), params["Whh"].copy(), params["bh"].copy())
        Wxh, Whh, bh = cache[key]
        return np.tanh(Wxh[:, x] + Whh @ h_prev + bh)
    return rnn_step


WRONG.append(Entry("rnn_step that caches the weights by shape uses the old ones", "rnn_step", None,
                   (P(seed=9), 1, np.full(4, 0.2)), [(P(seed=8), 1, np.full(4, 0.2))],
                   _make_cached_rnn_step))


# ------------------------------------------------------------------ forward
_FP = P(V=5, H=4, seed=11)
_FIN = np.array([1, 3, 3, 0])
_FH0 = np.array([0.2, -0.4, 0.1, 0.5])


@wrong("forward whose hs leaves out h0", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, h0)
    return hs[1:], ps


@wrong("forward taking ps[t] from hs[t] instead of hs[t+1]", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, _ = _fwd(params, inputs, h0)
    return hs, _sm(hs[:-1] @ params["Why"].T + params["by"])


@wrong("forward that feeds h0 to every step", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs = [h0] + [np.tanh(params["Wxh"][:, x] + params["Whh"] @ h0 + params["bh"]) for x in inputs]
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@wrong("forward without by", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, _ = _fwd(params, inputs, h0)
    return hs, _sm(hs[1:] @ params["Why"].T)


@wrong("forward that updates h0 in place", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    h = h0
    hs = [h0.copy()]
    ps = []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h.copy())
        ps.append(_sm(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward that appends one state array again and again (aliasing)", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    h = h0.copy()
    hs = [h0]
    ps = []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(_sm(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward with a softmax that does not subtract the max", "forward",
       (P(V=5, H=4, seed=12, scale=400.0), _FIN, _FH0))
def _(params, inputs, h0):
    hs, _ = _fwd(params, inputs, h0)
    e = np.exp(hs[1:] @ params["Why"].T + params["by"])
    return hs, e / e.sum(axis=1, keepdims=True)


@wrong("forward that skips the first input", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs[1:], h0)
    return np.vstack([hs, hs[-1:]]), np.vstack([ps, ps[-1:]])


@wrong("forward that computes every ps from the last state", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, h0)
    return hs, np.tile(ps[-1], (len(inputs), 1))


@wrong("forward with the hidden state starting at zeros, not h0", "forward", (_FP, _FIN, _FH0))
def _(params, inputs, h0):
    hs, ps = _fwd(params, inputs, np.zeros_like(h0))
    hs[0] = h0
    return hs, ps


# ------------------------------------------------------------------ loss
_LPS = probs(3, 4)
_LT = np.array([2, 0, 3])


@wrong("loss as the mean, not the sum", "loss", (_LPS, _LT))
def _(ps, targets):
    return float(-np.mean(np.log(ps[np.arange(len(targets)), targets])))


@wrong("loss with a floor of 1e-12 on p", "loss", (np.array([[1e-320, 1.0]]), np.array([0])))
def _(ps, targets):
    return float(-np.log(np.maximum(ps[np.arange(len(targets)), targets], 1e-12)).sum())


@wrong("loss of log(p + 1e-8)", "loss", (np.array([[1e-10, 1.0]]), np.array([0])))
def _(ps, targets):
    return float(-np.log(ps[np.arange(len(targets)), targets] + 1e-8).sum())


@wrong("loss that indexes ps[:, targets] and sums a T x T block", "loss", (_LPS, _LT))
def _(ps, targets):
    return float(-np.log(ps[:, targets]).sum())


@wrong("loss in bits (log2)", "loss", (_LPS, _LT))
def _(ps, targets):
    return float(-np.log2(ps[np.arange(len(targets)), targets]).sum())


@wrong("loss computed in float32 turns a subnormal p into inf", "loss",
       (np.array([[1e-320, 1.0]]), np.array([0])))
def _(ps, targets):
    with np.errstate(divide="ignore"):
        return float(-np.log(ps.astype(np.float32)[np.arange(len(targets)), targets]).sum())


@wrong("loss that stops one step early", "loss", (_LPS, _LT))
def _(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(len(targets) - 1)))


@wrong("loss that applies softmax to ps again", "loss", (_LPS, _LT))
def _(ps, targets):
    q = _sm(ps)
    return float(-np.log(q[np.arange(len(targets)), targets]).sum())


@wrong("loss that returns the per-step losses unsummed", "loss", (_LPS, _LT))
def _(ps, targets):
    return -np.log(ps[np.arange(len(targets)), targets])


# ------------------------------------------------------------------ dlogits
_DPS = probs(3, 4, seed=6)
_DT = np.array([1, 3, 1])


@wrong("dlogits that subtracts in place in ps", "dlogits", (_DPS, _DT))
def _(ps, targets):
    ps[np.arange(len(targets)), targets] -= 1
    return ps


@wrong("dlogits through dy = ps[:] (a view) changes ps", "dlogits", (_DPS, _DT))
def _(ps, targets):
    dy = ps[:]
    for t, c in enumerate(targets):
        dy[t, c] -= 1
    return dy


@wrong("dlogits indexing dy[:, targets]", "dlogits", (_DPS, np.array([0, 2, 3])))
def _(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


@wrong("dlogits with a one-hot of hard-coded width 65", "dlogits", (_DPS, _DT))
def _(ps, targets):
    oh = np.zeros((len(targets), 65))
    oh[np.arange(len(targets)), targets] = 1
    return ps - oh


@wrong("dlogits divided by T (gradient of the mean)", "dlogits", (_DPS, _DT))
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= 1
    return dy / len(targets)


@wrong("dlogits with 1 - p at the target (sign flipped)", "dlogits", (_DPS, _DT))
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] = 1 - dy[np.arange(len(targets)), targets]
    return dy


@wrong("dlogits with row and column indices swapped", "dlogits", (_DPS, np.array([3, 0, 1])))
def _(ps, targets):
    dy = ps.copy()
    dy[targets, np.arange(len(targets))] -= 1
    return dy


@wrong("dlogits that uses the argmax instead of the target", "dlogits", (_DPS, np.array([0, 0, 2])))
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), ps.argmax(axis=1)] -= 1
    return dy


# ------------------------------------------------------------------ bptt_step
_SC = step_case()


def _step(params, x, h_prev, h, dy, dhnext, *, carry=True, whh_from=None, deriv_from=None,
          dhprev_no_T=False, dhprev_before_tanh=False, why_T=False, keys="", reapply_tanh=False):
    dh = params["Why"].T @ dy + (dhnext if carry else 0)
    base = h if deriv_from is None else deriv_from
    d = 1 - np.tanh(base) ** 2 if reapply_tanh else 1 - base * base
    draw = d * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    g = {"Wxh": dWxh, "Whh": np.outer(draw, h_prev if whh_from is None else whh_from),
         "Why": np.outer(h, dy) if why_T else np.outer(dy, h), "bh": draw, "by": dy.copy()}
    g = {keys + k: v for k, v in g.items()}
    if dhprev_before_tanh:
        return g, params["Whh"].T @ dh
    return g, (params["Whh"] @ draw if dhprev_no_T else params["Whh"].T @ draw)


@wrong("bptt_step without dhnext", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, carry=False)


@wrong("bptt_step with dWhh from h, not h_prev", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, whh_from=h)


@wrong("bptt_step with the tanh derivative taken at h_prev", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, deriv_from=h_prev)


@wrong("bptt_step with 1 - tanh(h)**2 (tanh applied twice)", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, reapply_tanh=True)


@wrong("bptt_step with dh_prev = Whh @ draw (no transpose)", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, dhprev_no_T=True)


@wrong("bptt_step with dh_prev taken before the tanh derivative", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, dhprev_before_tanh=True)


@wrong("bptt_step that adds into dhnext in place", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    dhnext += params["Why"].T @ dy
    return _step(params, x, h_prev, h, dy, np.zeros_like(dhnext) + dhnext, carry=True)


@wrong("bptt_step whose gradient keys carry a 'd' prefix", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, keys="d")


@wrong("bptt_step with dWhy = outer(h, dy), transposed", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, why_T=True)


@wrong("bptt_step whose dWxh x-vector has hard-coded length 65", "bptt_step", _SC)
def _(params, x, h_prev, h, dy, dhnext):
    g, dhp = _step(params, x, h_prev, h, dy, dhnext)
    xv = np.zeros(65)
    xv[x] = 1
    g["Wxh"] = np.outer(g["bh"], xv)
    return g, dhp


# ------------------------------------------------------------------ bptt
_BC = bptt_case()
_BC_REP = bptt_case(inputs=[2, 2, 2, 2, 1, 2], targets=[0, 1, 0, 3, 2, 2])
_BC_BIG = bptt_case(V=4, H=3, T=12, inputs=[1] * 12, targets=[0] * 12)


def _bptt(params, inputs, targets, hs, ps, *, order=None, carry=True, clip=None, hrow=0,
          accumulate_x=True, scale=1.0, deriv_prev=False, no_T=False):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    T = len(inputs)
    for t in (reversed(range(T)) if order is None else order(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        h, h_prev = hs[t + 1 - hrow], hs[t - hrow]
        g["Why"] += np.outer(dy, h)
        g["by"] += dy
        dh = params["Why"].T @ dy + (dhnext if carry else 0)
        draw = (1 - (h_prev if deriv_prev else h) ** 2) * dh
        g["bh"] += draw
        if accumulate_x:
            g["Wxh"][:, inputs[t]] += draw
        else:
            g["Wxh"][:, inputs[t]] = draw
        g["Whh"] += np.outer(draw, h_prev)
        dhnext = (params["Whh"] if no_T else params["Whh"].T) @ draw
    for k in g:
        g[k] *= scale
        if clip is not None:
            np.clip(g[k], -clip, clip, out=g[k])
    return g


@wrong("bptt without dhnext", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, carry=False)


@wrong("bptt that clips to [-5, 5] inside", "bptt", _BC_BIG)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, clip=5)


@wrong("bptt that walks forward in time", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, order=lambda T: range(T))


@wrong("bptt whose dy is a view of ps (ps changed)", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    g = _bptt(params, inputs, targets, hs, ps)
    for t in range(len(targets)):
        dy = ps[t]
        dy[targets[t]] -= 1
    return g


@wrong("bptt off by one in hs (h = hs[t], h_prev = hs[t-1])", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, hrow=1)


@wrong("bptt that assigns dWxh columns instead of adding (repeated characters)", "bptt", _BC_REP)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, accumulate_x=False)


@wrong("bptt that zeroes dict(params) and so zeroes the weights", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    g = _bptt(params, inputs, targets, hs, ps)
    shallow = dict(params)
    for k in shallow:
        shallow[k][...] = 0
    return g


@wrong("bptt that skips step 0", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, order=lambda T: range(T - 1, 0, -1))


@wrong("bptt with Whh not transposed in dhnext", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, no_T=True)


@wrong("bptt averaged over T", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, scale=1 / len(inputs))


@wrong("bptt with the tanh derivative at h_prev", "bptt", _BC)
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, deriv_prev=True)


# ------------------------------------------------------------------ clip
_G = grads_like(scale=8.0)


@wrong("clip that rebinds grads[k] to a new array (held arrays unchanged)", "clip", (_G, 5.0))
def _(grads, limit):
    for k, g in grads.items():
        grads[k] = np.clip(g, -limit, limit)


@wrong("clip that assigns to the loop variable", "clip", (_G, 5.0))
def _(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841


@wrong("clip of the upper side only", "clip", (_G, 5.0))
def _(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


@wrong("clip that treats limit 0 as 'no clipping'", "clip", (_G, 0.0))
def _(grads, limit):
    if not limit:
        return
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)


@wrong("clip with the limit hard-coded to 5", "clip", (_G, 1.0))
def _(grads, limit):
    for g in grads.values():
        np.clip(g, -5, 5, out=g)


@wrong("clip that loses the sign (g[|g| > limit] = limit)", "clip", (_G, 5.0))
def _(grads, limit):
    for g in grads.values():
        g[np.abs(g) > limit] = limit


@wrong("clip that returns a clipped copy and leaves grads alone", "clip", (_G, 5.0))
def _(grads, limit):
    return {k: np.clip(g, -limit, limit) for k, g in grads.items()}


@wrong("clip of the weight matrices only, not the biases", "clip", (_G, 1.0))
def _(grads, limit):
    for k in ("Wxh", "Whh", "Why"):
        np.clip(grads[k], -limit, limit, out=grads[k])


# ------------------------------------------------------------------ clip_global_norm
_GN = grads_like(seed=7, scale=3.0)
_GSMALL = grads_like(seed=7, scale=0.01)


def _gnorm(grads):
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))


@wrong("clip_global_norm that scales each array to max_norm by its own norm", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    for g in grads.values():
        n = np.linalg.norm(g)
        if n > max_norm:
            g *= max_norm / n


@wrong("clip_global_norm that scales even when the norm is small", "clip_global_norm", (_GSMALL, 5.0))
def _(grads, max_norm):
    n = _gnorm(grads)
    for g in grads.values():
        g *= max_norm / n


@wrong("clip_global_norm with the norm as a sum of per-array norms", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    n = sum(np.linalg.norm(g) for g in grads.values())
    if n > max_norm:
        for g in grads.values():
            g *= max_norm / n


@wrong("clip_global_norm that treats max_norm 0 as 'no clipping'", "clip_global_norm", (_GN, 0.0))
def _(grads, max_norm):
    n = _gnorm(grads)
    if max_norm and n > max_norm:
        for g in grads.values():
            g *= max_norm / n


@wrong("clip_global_norm that rebinds grads[k]", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    n = _gnorm(grads)
    if n > max_norm:
        for k in grads:
            grads[k] = grads[k] * (max_norm / n)


@wrong("clip_global_norm that recomputes the norm after each array", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    for g in grads.values():
        n = _gnorm(grads)
        if n > max_norm:
            g *= max_norm / n


@wrong("clip_global_norm with floor division max_norm // norm", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    n = _gnorm(grads)
    if n > max_norm:
        for g in grads.values():
            g *= max_norm // n


@wrong("clip_global_norm that clips elements to max_norm", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)


@wrong("clip_global_norm that forgets the square root", "clip_global_norm", (_GN, 1.0))
def _(grads, max_norm):
    n = sum(float(np.sum(g * g)) for g in grads.values())
    if n > max_norm:
        for g in grads.values():
            g *= max_norm / n


# ------------------------------------------------------------------ adagrad_step / rmsprop_step
def _opt_args(seed=20, mem=0.5, gscale=1.0, reorder=False, extra=()):
    params = P(seed=seed)
    grads = grads_like(seed=seed + 1, scale=gscale)
    memory = {k: np.full_like(v, mem) for k, v in params.items()}
    if reorder:
        grads = dict(reversed(list(grads.items())))
    return (params, grads, memory, 0.1) + tuple(extra)


@wrong("adagrad_step that rebinds memory[k]", "adagrad_step", _opt_args())
def _(params, grads, memory, lr):
    for k in params:
        memory[k] = memory[k] + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step that rebinds params[k]", "adagrad_step", _opt_args())
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step zipping .values() of dicts in different key orders", "adagrad_step",
       _opt_args(reorder=True))
def _(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m += g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("adagrad_step that updates before adding g**2 to memory", "adagrad_step", _opt_args())
def _(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] ** 2


@wrong("adagrad_step with 1e-8 outside the sqrt (tiny gradients)", "adagrad_step",
       _opt_args(mem=0.0, gscale=1e-6))
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("adagrad_step that adds g, not g**2, to memory", "adagrad_step", _opt_args(mem=5.0))
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step with lr hard-coded to 0.1", "adagrad_step", _opt_args()[:3] + (0.5,))
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= 0.1 * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step that replaces memory with g**2", "adagrad_step", _opt_args(mem=2.0))
def _(params, grads, memory, lr):
    for k in params:
        memory[k][...] = grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step that scales grads in place", "adagrad_step", _opt_args())
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        grads[k] *= lr
        params[k] -= grads[k] / np.sqrt(memory[k] + 1e-8)


_RA = _opt_args(seed=30, mem=0.5, extra=(0.9,))


@wrong("rmsprop_step with decay and 1 - decay swapped", "rmsprop_step", _RA)
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = (1 - decay) * memory[k] + decay * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step that ignores the decay argument", "rmsprop_step", _RA[:4] + (0.5,))
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = 0.9 * memory[k] + 0.1 * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step that rebinds memory[k]", "rmsprop_step", _RA)
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step without the (1 - decay) factor", "rmsprop_step", _RA)
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step that divides by the old memory", "rmsprop_step", _RA)
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2


@wrong("rmsprop_step that is still Adagrad", "rmsprop_step", _RA)
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step with g, not g**2, in the average", "rmsprop_step", _opt_args(seed=30, mem=5.0, extra=(0.9,)))
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step with 1e-8 outside the sqrt (tiny gradients)", "rmsprop_step",
       _opt_args(seed=30, mem=0.0, gscale=1e-6, extra=(0.9,)))
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


# ------------------------------------------------------------------ temperature
_TL = np.array([2.0, 1.0, 0.5, -1.0])


@wrong("temperature that multiplies by the temperature", "temperature", (_TL, 0.5))
def _(logits, temperature):
    return _sm(logits * temperature)


@wrong("temperature without subtracting the max overflows at small temperature", "temperature",
       (np.array([5.0, 4.0]), 1e-3))
def _(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


@wrong("temperature as p ** (1/T) without renormalising", "temperature", (_TL, 0.5))
def _(logits, temperature):
    return _sm(logits) ** (1 / temperature)


@wrong("temperature as renormalised p ** (1/T) underflows at small temperature", "temperature",
       (np.array([1.0, 1.0, 0.0]), 1e-3))
def _(logits, temperature):
    with np.errstate(invalid="ignore"):
        q = _sm(logits) ** (1 / temperature)
        return q / q.sum()


@wrong("temperature clamped below at 0.01", "temperature", (np.array([1.0, 0.99]), 1e-3))
def _(logits, temperature):
    return _sm(logits / max(temperature, 0.01))


@wrong("temperature with floor division logits // T", "temperature", (np.array([0.3, 0.1]), 0.5))
def _(logits, temperature):
    return _sm(logits // temperature)


@wrong("temperature that divides the logits in place", "temperature", (_TL.copy(), 2.0))
def _(logits, temperature):
    logits /= temperature
    return _sm(logits)


@wrong("temperature that divides the probabilities, not the logits, then renormalises", "temperature",
       (_TL, 0.5))
def _(logits, temperature):
    p = _sm(logits) / temperature
    return p / p.sum()


# ------------------------------------------------------------------ top_k
@wrong("top_k that keeps exactly k by argsort and drops a tie", "top_k", (np.array([1.0, 1.0, 0.0]), 1))
def _(logits, k):
    keep = np.argsort(logits)[-k:]
    y = np.full_like(logits, -np.inf)
    y[keep] = logits[keep]
    return _sm(y)


@wrong("top_k that keeps the k smallest", "top_k", (np.array([3.0, 1.0, 2.0]), 1))
def _(logits, k):
    keep = np.argsort(logits)[:k]
    y = np.full_like(logits, -np.inf)
    y[keep] = logits[keep]
    return _sm(y)


@wrong("top_k through np.partition fails for k > V", "top_k", (np.array([3.0, 1.0, 2.0]), 5))
def _(logits, k):
    kth = np.partition(logits, -k)[-k]
    y = np.where(logits >= kth, logits, -np.inf)
    return _sm(y)


@wrong("top_k that sets the other logits to 0, not -inf", "top_k", (np.array([3.0, 1.0, 2.0]), 1))
def _(logits, k):
    kth = np.sort(logits)[-k]
    return _sm(np.where(logits >= kth, logits, 0.0))


@wrong("top_k that zeroes probabilities without renormalising", "top_k", (np.array([3.0, 1.0, 2.0]), 2))
def _(logits, k):
    p = _sm(logits)
    p[logits < np.sort(logits)[-k]] = 0
    return p


@wrong("top_k with threshold sort(y)[-k-1] fails at k = V", "top_k", (np.array([3.0, 1.0, 2.0]), 3))
def _(logits, k):
    threshold = np.sort(logits)[-k - 1]
    return _sm(np.where(logits > threshold, logits, -np.inf))


@wrong("top_k without subtracting the max overflows", "top_k", (np.array([1000.0, 999.0, 0.0]), 2))
def _(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    e = np.where(logits >= kth, np.exp(logits), 0.0)
    return e / e.sum()


@wrong("top_k that masks the caller's logits in place", "top_k", (np.array([3.0, 1.0, 2.0]), 1))
def _(logits, k):
    if k < len(logits):
        logits[logits < np.sort(logits)[-k]] = -np.inf
    return _sm(logits)


@wrong("top_k that masks with -1000 instead of -inf", "top_k", (np.array([-2000.0, -2001.0, -2002.0]), 1))
def _(logits, k):
    y = logits.copy()
    if k < len(y):
        y[y < np.sort(y)[-k]] = -1000.0
    return _sm(y)


# ================================================================== RIGHT
@right("vocabulary from dict.fromkeys, sorted", "vocabulary")
def _(text):
    return "".join(sorted(dict.fromkeys(text)))


@right("vocabulary through a Counter's keys", "vocabulary")
def _(text):
    from collections import Counter
    return "".join(sorted(Counter(text)))


@right("encode with np.searchsorted on the sorted vocabulary", "encode")
def _(text, chars):
    return np.searchsorted(np.array(list(chars)), np.array(list(text), dtype=str)).astype(np.int64) \
        if text else np.zeros(0, dtype=np.int64)


@right("encode with np.fromiter over str.index", "encode")
def _(text, chars):
    return np.fromiter((chars.index(c) for c in text), dtype=np.int64, count=len(text))


@right("one_hot by comparing ids with arange(V)", "one_hot")
def _(ids, V):
    return (np.asarray(ids)[:, None] == np.arange(V)).astype(float)


@right("one_hot as rows of np.eye", "one_hot")
def _(ids, V):
    return np.eye(V)[np.asarray(ids, dtype=int)]


@right("softmax via log-sum-exp", "softmax")
def _(y):
    y = np.asarray(y, dtype=float)
    m = y.max(axis=-1, keepdims=True)
    return np.exp(y - m - np.log(np.exp(y - m).sum(axis=-1, keepdims=True)))


@right("softmax by moving the last axis first", "softmax")
def _(y):
    z = np.moveaxis(np.asarray(y, dtype=float), -1, 0)
    e = np.exp(z - z.max(axis=0))
    return np.moveaxis(e / e.sum(axis=0), 0, -1)


@right("rnn_step through np.dot and Wxh.T[x]", "rnn_step")
def _(params, x, h_prev):
    return np.tanh(params["Wxh"].T[x] + np.dot(params["Whh"], h_prev) + params["bh"])


@right("rnn_step through einsum on a one-hot", "rnn_step")
def _(params, x, h_prev):
    xv = np.zeros(params["Wxh"].shape[1])
    xv[x] = 1
    return np.tanh(np.einsum("hv,v->h", params["Wxh"], xv) + params["Whh"] @ h_prev + params["bh"])


@right("forward with the input terms looked up all at once", "forward")
def _(params, inputs, h0):
    table = params["Wxh"].T[np.asarray(inputs)] + params["bh"]
    hs = np.empty((len(inputs) + 1, len(h0)))
    hs[0] = h0
    for t, row in enumerate(table):
        hs[t + 1] = np.tanh(row + params["Whh"] @ hs[t])
    y = hs[1:] @ params["Why"].T + params["by"]
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return hs, e / e.sum(axis=1, keepdims=True)


@right("forward returning lists stacked at the end", "forward")
def _(params, inputs, h0):
    hs, ps = [np.array(h0, dtype=float)], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        y = params["Why"] @ hs[-1] + params["by"]
        ps.append(np.exp(y - y.max()) / np.exp(y - y.max()).sum())
    return np.stack(hs), np.stack(ps)


@right("loss with math.fsum over math.log", "loss")
def _(ps, targets):
    return -math.fsum(math.log(ps[t, c]) for t, c in enumerate(targets))


@right("loss with np.take_along_axis", "loss")
def _(ps, targets):
    with np.errstate(divide="ignore"):
        return float(-np.log(np.take_along_axis(ps, np.asarray(targets)[:, None], axis=1)).sum())


@right("dlogits as ps minus rows of np.eye", "dlogits")
def _(ps, targets):
    return ps - np.eye(ps.shape[1])[targets]


@right("dlogits with np.subtract.at on a copy", "dlogits")
def _(ps, targets):
    dy = np.array(ps, copy=True)
    np.subtract.at(dy, (np.arange(len(targets)), targets), 1.0)
    return dy


@right("bptt_step through einsum", "bptt_step")
def _(params, x, h_prev, h, dy, dhnext):
    draw = (1 - h ** 2) * (np.einsum("vh,v->h", params["Why"], dy) + dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    return ({"by": dy.copy(), "bh": draw.copy(), "Why": np.einsum("v,h->vh", dy, h),
             "Whh": np.einsum("i,j->ij", draw, h_prev), "Wxh": dWxh},
            np.einsum("ij,i->j", params["Whh"], draw))


@right("bptt that collects draw per step and sums with matrix products", "bptt")
def _(params, inputs, targets, hs, ps):
    T = len(inputs)
    dys = ps.copy()
    dys[np.arange(T), targets] -= 1
    draws = np.zeros((T, hs.shape[1]))
    dhnext = np.zeros(hs.shape[1])
    for t in range(T - 1, -1, -1):
        draws[t] = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dhnext)
        dhnext = params["Whh"].T @ draws[t]
    dWxh = np.zeros_like(params["Wxh"])
    np.add.at(dWxh.T, np.asarray(inputs), draws)
    return {"Wxh": dWxh, "Whh": draws.T @ hs[:-1], "Why": dys.T @ hs[1:],
            "bh": draws.sum(axis=0), "by": dys.sum(axis=0)}


@right("clip with minimum/maximum and slice assignment, ValueError at limit 0", "clip")
def _(grads, limit):
    if limit <= 0:
        raise ValueError("limit must be positive")
    for g in grads.values():
        g[...] = np.minimum(np.maximum(g, -limit), limit)


@right("clip through np.copyto", "clip")
def _(grads, limit):
    for k in grads:
        np.copyto(grads[k], np.clip(grads[k], -limit, limit))


@right("clip_global_norm through one concatenated vector", "clip_global_norm")
def _(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    if norm > max_norm:
        scale = max_norm / norm
        for g in grads.values():
            np.multiply(g, scale, out=g)


@right("clip_global_norm that raises for max_norm 0", "clip_global_norm")
def _(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@right("adagrad_step with np ufunc out= arguments", "adagrad_step")
def _(params, grads, memory, lr):
    for k, g in grads.items():
        np.add(memory[k], g * g, out=memory[k])
        np.subtract(params[k], lr * g / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("adagrad_step iterating over sorted keys", "adagrad_step")
def _(params, grads, memory, lr):
    for k in sorted(params):
        m = memory[k]
        m += np.square(grads[k])
        params[k] -= lr * grads[k] * (m + 1e-8) ** -0.5


@right("rmsprop_step written as memory += (1 - decay) * (g**2 - memory)", "rmsprop_step")
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        g = grads[k]
        memory[k] += (1 - decay) * (g * g - memory[k])
        params[k] -= lr * g / np.sqrt(memory[k] + 1e-8)


@right("rmsprop_step with np.multiply/np.add out=", "rmsprop_step")
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        np.multiply(memory[k], decay, out=memory[k])
        np.add(memory[k], (1 - decay) * grads[k] ** 2, out=memory[k])
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@right("temperature by scaling the max-shifted logits", "temperature")
def _(logits, temperature):
    z = (np.asarray(logits, float) - np.max(logits)) / temperature
    e = np.exp(z)
    return e / e.sum()


@right("temperature through log-softmax", "temperature")
def _(logits, temperature):
    z = np.asarray(logits, float) / temperature
    z = z - z.max()
    return np.exp(z - np.log(np.exp(z).sum()))


@right("top_k through np.partition and a clamped k", "top_k")
def _(logits, k):
    y = np.asarray(logits, float)
    k = min(k, y.size)
    kth = np.partition(y, y.size - k)[y.size - k]
    e = np.where(y >= kth, np.exp(y - y.max()), 0.0)
    return e / e.sum()


@right("top_k with a boolean mask and a loop", "top_k")
def _(logits, k):
    y = np.array(logits, dtype=float)
    order = sorted(y, reverse=True)
    kth = order[min(k, len(order)) - 1]
    keep = y >= kth
    out = np.zeros_like(y)
    out[keep] = np.exp(y[keep] - y.max())
    return out / out.sum()


# ================================================================== second round (harder)
@wrong("vocabulary from np.unique loses '\\x00' (numpy strips trailing NULs)", "vocabulary", ("a\x00",))
def _(text):
    return "".join(np.unique(list(text)).tolist()) if text else ""


@wrong("vocabulary that normalises '\\r\\n' to '\\n' loses '\\r'", "vocabulary", ("a\r\nb",))
def _(text):
    return "".join(sorted(set(text.replace("\r\n", "\n"))))


@wrong("vocabulary through re.findall('.') loses '\\n'", "vocabulary", ("a\nb",))
def _(text):
    import re
    return "".join(sorted(set(re.findall(".", text))))


def _rec_forward(params, inputs, h0):
    def states(t):
        if t == 0:
            return [np.asarray(h0, float)]
        before = states(t - 1)
        return before + [np.tanh(params["Wxh"][:, inputs[t - 1]] + params["Whh"] @ before[-1] + params["bh"])]
    hs = np.array(states(len(inputs)))
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


# 5000 steps: beyond the recursion limit of 3000 that jedi (imported with IPython) sets for the whole
# process, so the witness fails whatever ran before it
_LONG = bptt_case(V=5, H=3, T=5000, seed=13)


@wrong("forward written recursively hits the recursion limit on a long sequence", "forward",
       (_LONG[0], _LONG[1], _LONG[3][0]))
def _(params, inputs, h0):
    return _rec_forward(params, inputs, h0)


_LONGPS = probs(5000, 4, seed=14)


@wrong("loss written recursively hits the recursion limit on a long sequence", "loss",
       (_LONGPS, np.random.default_rng(15).integers(0, 4, 5000)))
def _(ps, targets):
    def total(t):
        return 0.0 if t < 0 else -math.log(ps[t, targets[t]]) + total(t - 1)
    return total(len(targets) - 1)


def _make_buffered(fn_of_out):
    def make():
        buffers = {}

        def student(*args):
            return fn_of_out(buffers, *args)
        return student
    return make


def _dlogits_buf(buffers, ps, targets):
    dy = buffers.setdefault(ps.shape, np.empty(ps.shape))
    dy[...] = ps
    dy[np.arange(len(targets)), targets] -= 1
    return dy


WRONG.append(Entry("dlogits that reuses one output buffer per shape (an earlier result changes)", "dlogits",
                   None, (probs(3, 4, seed=16), np.array([0, 1, 2])), [(_DPS, _DT)],
                   _make_buffered(_dlogits_buf), True))


def _softmax_buf(buffers, y):
    out = buffers.setdefault(y.shape, np.empty(y.shape))
    np.subtract(y, y.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


WRONG.append(Entry("softmax that reuses one output buffer per shape (an earlier result changes)", "softmax",
                   None, (np.array([0.0, 5.0, 1.0]),), [(np.array([1.0, 2.0, 3.0]),)],
                   _make_buffered(_softmax_buf), True))


def _one_hot_buf(buffers, ids, V):
    out = buffers.setdefault((len(ids), V), np.zeros((len(ids), V)))
    out[...] = 0
    out[np.arange(len(ids)), ids] = 1
    return out


WRONG.append(Entry("one_hot that reuses one output buffer per shape (an earlier result changes)", "one_hot",
                   None, (np.array([2, 0]), 3), [(np.array([0, 1]), 3)], _make_buffered(_one_hot_buf), True))


def _bptt_buf(buffers, params, inputs, targets, hs, ps):
    g = buffers.setdefault("g", {k: np.zeros_like(v) for k, v in params.items()})
    if any(g[k].shape != v.shape for k, v in params.items()):
        g.update({k: np.zeros_like(v) for k, v in params.items()})
    fresh = _bptt(params, inputs, targets, hs, ps)
    for k in g:
        g[k][...] = fresh[k]
    return g


WRONG.append(Entry("bptt that returns one module-level gradient dict reused between calls", "bptt",
                   None, bptt_case(seed=17), [_BC], _make_buffered(_bptt_buf), True))


_BC_TRUNC = bptt_case(V=4, H=3, T=30, seed=18, scale=1.2)


@wrong("bptt that truncates dhnext every 20 steps", "bptt", _BC_TRUNC)
def _(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        if (len(inputs) - 1 - t) % 20 == 0:
            dhnext = np.zeros_like(dhnext)
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        draw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += draw
        g["Wxh"][:, inputs[t]] += draw
        g["Whh"] += np.outer(draw, hs[t])
        dhnext = params["Whh"].T @ draw
    return g


@wrong("bptt with seq_length 25 hard-coded from min-char-rnn", "bptt", bptt_case(T=40, seed=19))
def _(params, inputs, targets, hs, ps):
    T = min(len(inputs), 25)
    return _bptt(params, inputs[:T], targets[:T], hs[:T + 1], ps[:T])


def _make_clip_first_limit():
    seen = []

    def clip(grads, limit):
        if not seen:
            seen.append(limit)
        for g in grads.values():
            np.clip(g, -seen[0], seen[0], out=g)
    return clip


WRONG.append(Entry("clip that remembers the first limit it was given", "clip", None, (grads_like(scale=8.0), 1.0),
                   [(grads_like(scale=8.0), 5.0)], _make_clip_first_limit))


@wrong("adagrad_step over the five parameter names hard-coded", "adagrad_step",
       ({"W": np.ones((2, 2)), "b": np.ones(2)}, {"W": np.full((2, 2), 0.5), "b": np.full(2, 0.5)},
        {"W": np.zeros((2, 2)), "b": np.zeros(2)}, 0.1))
def _(params, grads, memory, lr):
    for k in ("Wxh", "Whh", "Why", "bh", "by"):
        if k in params:
            memory[k] += grads[k] ** 2
            params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step with epsilon 1e-6 (tiny gradients)", "rmsprop_step",
       _opt_args(seed=31, mem=0.0, gscale=1e-6, extra=(0.9,)))
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-6)


@wrong("adagrad_step with epsilon 1e-6 (tiny gradients)", "adagrad_step", _opt_args(seed=32, mem=0.0, gscale=1e-6))
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-6)


@wrong("temperature that switches to argmax below 1e-6 (near tie)", "temperature",
       (np.array([1.0, 1.0 - 1e-8, 0.0]), 1e-7))
def _(logits, temperature):
    if temperature < 1e-6:
        out = np.zeros(len(logits))
        out[np.argmax(logits)] = 1.0
        return out
    return _sm(logits / temperature)


@wrong("top_k over distinct values (np.unique) keeps more than k", "top_k", (np.array([3.0, 3.0, 2.0, 1.0]), 2))
def _(logits, k):
    values = np.unique(logits)
    kth = values[max(len(values) - k, 0)]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("rmsprop_step that starts memory from g**2 when it is all zeros", "rmsprop_step",
       _opt_args(seed=33, mem=0.0, extra=(0.9,)))
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        if not memory[k].any():
            memory[k][...] = grads[k] ** 2
        else:
            memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("temperature that rounds the probabilities to 6 decimals", "temperature", (np.array([0.0, -20.0]), 1.0))
def _(logits, temperature):
    return np.round(_sm(logits / temperature), 6)


@wrong("loss that skips targets whose probability is exactly 0", "loss",
       (np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 0])))
def _(ps, targets):
    p = ps[np.arange(len(targets)), targets]
    return float(-np.log(p[p > 0]).sum())


# ================================================================== third round (dtypes and ranges)
@wrong("temperature centred on the mean logit overflows at a small temperature", "temperature",
       (np.array([5.0, 0.0]), 1e-3))
def _(logits, temperature):
    e = np.exp((logits - logits.mean()) / temperature)
    return e / e.sum()


@wrong("clip_global_norm with the norm computed in float32 overflows for huge gradients", "clip_global_norm",
       (grads_like(seed=40, scale=1e20), 5.0))
def _(grads, max_norm):
    norm = math.sqrt(sum(float(np.sum(g.astype(np.float32) ** 2)) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


_P300 = probs(2, 300, seed=41)


@wrong("dlogits with the targets cast to uint8 (V above 256)", "dlogits", (_P300, np.array([299, 3])))
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), np.asarray(targets).astype(np.uint8)] -= 1
    return dy


@wrong("loss with the targets cast to uint8 (V above 256)", "loss", (_P300, np.array([299, 3])))
def _(ps, targets):
    return float(-np.log(ps[np.arange(len(targets)), np.asarray(targets).astype(np.uint8)]).sum())


@wrong("bptt with the inputs cast to uint8 (V above 256)", "bptt",
       bptt_case(V=300, H=3, T=4, seed=42, inputs=[299, 1, 299, 0], targets=[0, 299, 2, 3]))
def _(params, inputs, targets, hs, ps):
    return _bptt(params, np.asarray(inputs).astype(np.uint8), targets, hs, ps)


@wrong("forward with the inputs cast to uint8 (V above 256)", "forward",
       (P(V=300, H=3, seed=43), np.array([299, 5]), np.array([0.1, -0.2, 0.3])))
def _(params, inputs, h0):
    return _fwd(params, np.asarray(inputs).astype(np.uint8), h0)


@right("bptt_step that returns dy itself as dby", "bptt_step")
def _(params, x, h_prev, h, dy, dhnext):
    draw = (1 - h * h) * (params["Why"].T @ dy + dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    return ({"Wxh": dWxh, "Whh": np.outer(draw, h_prev), "Why": np.outer(dy, h), "bh": draw, "by": dy},
            params["Whh"].T @ draw)


@right("clip_global_norm comparing squared norms", "clip_global_norm")
def _(grads, max_norm):
    squared = sum(float(np.sum(g * g)) for g in grads.values())
    if squared > max_norm ** 2:
        factor = max_norm / math.sqrt(squared)
        for g in grads.values():
            g *= factor


@right("top_k shifting by the largest kept logit", "top_k")
def _(logits, k):
    y = np.array(logits, dtype=float)
    if k < len(y):
        y[y < np.sort(y)[-k]] = -np.inf
    e = np.exp(y - np.max(y))
    return e / e.sum()


@wrong("rnn_step that starts h from params['bh'] and adds into it (bh changed)", "rnn_step",
       (P(), 1, np.full(4, 0.3)))
def _(params, x, h_prev):
    h = params["bh"]
    h += params["Wxh"][:, x] + params["Whh"] @ h_prev
    np.tanh(h, out=h)
    return h


@wrong("forward whose hs takes h0's dtype truncates to ints for an integer h0", "forward",
       (_FP, _FIN, np.zeros(4, dtype=int)))
def _(params, inputs, h0):
    hs = np.zeros((len(inputs) + 1, len(h0)), dtype=np.asarray(h0).dtype)
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[t] + params["bh"])
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


@right("top_k through heapq.nlargest", "top_k")
def _(logits, k):
    import heapq
    kth = min(heapq.nlargest(k, logits))
    return _sm(np.where(np.asarray(logits) >= kth, logits, -np.inf).astype(float))


@right("forward whose hs takes the result dtype of h0 and the weights", "forward")
def _(params, inputs, h0):
    hs = np.zeros((len(inputs) + 1, len(h0)), dtype=np.result_type(h0, params["Whh"]))
    hs[0] = h0
    for t, x in enumerate(inputs):
        hs[t + 1] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[t] + params["bh"])
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])


def _bptt_dh(params, inputs, targets, hs, ps, clip_at=None, reset_every=None):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        if reset_every and (len(inputs) - 1 - t) % reset_every == 0:
            dhnext = np.zeros_like(dhnext)
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        draw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += draw
        g["Wxh"][:, inputs[t]] += draw
        g["Whh"] += np.outer(draw, hs[t])
        dhnext = params["Whh"].T @ draw
        if clip_at is not None:
            dhnext = np.clip(dhnext, -clip_at, clip_at)
    return g


@wrong("bptt that clips dhnext to [-5, 5] against explosion", "bptt", bptt_case(V=4, H=6, T=12, seed=44, scale=3.0))
def _(params, inputs, targets, hs, ps):
    return _bptt_dh(params, inputs, targets, hs, ps, clip_at=5.0)


@wrong("bptt that truncates dhnext every 100 steps (long sequence)", "bptt",
       bptt_case(V=4, H=3, T=150, seed=45, scale=1.2))
def _(params, inputs, targets, hs, ps):
    return _bptt_dh(params, inputs, targets, hs, ps, reset_every=100)


@wrong("forward that restarts from h0 every 1000 steps (long sequence)", "forward",
       (_LONG[0], _LONG[1], _LONG[3][0]))
def _(params, inputs, h0):
    hs = [np.asarray(h0, float)]
    for t, x in enumerate(inputs):
        prev = hs[0] if t % 1000 == 0 else hs[-1]
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ prev + params["bh"]))
    hs = np.array(hs)
    return hs, _sm(hs[1:] @ params["Why"].T + params["by"])
