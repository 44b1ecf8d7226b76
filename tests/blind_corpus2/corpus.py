"""Student functions: WRONG ones (each with the calls that show it wrong) and RIGHT ones.

Each entry is (exercise, sentence, function, calls). For a WRONG entry, ``calls`` is a
list of argument tuples; the last call's result differs from reference.py's (earlier
calls are there to set up state kept between calls). RIGHT entries have calls None and
are compared with the reference on seeded inputs.
"""
import unicodedata

import numpy as np

from .reference import forward_case, forward as ref_forward, dlogits as ref_dlogits, \
    make_params, grads_like, LookBack

WRONG = []
RIGHT = []


def wrong(exercise, sentence, calls):
    def register(fn):
        WRONG.append((exercise, sentence, fn, calls))
        return fn
    return register


def right(exercise, sentence):
    def register(fn):
        RIGHT.append((exercise, sentence, fn, None))
        return fn
    return register


def _softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---- vocabulary -------------------------------------------------------------------------

@wrong("vocabulary", "vocabulary that lowercases the text loses capital letters", [("Ab",)])
def _(text):
    return "".join(sorted(set(text.lower())))


@wrong("vocabulary", "vocabulary that strips the text loses a trailing newline", [("ab\n",)])
def _(text):
    return "".join(sorted(set(text.strip())))


@wrong("vocabulary", "vocabulary that keeps only ASCII drops accented letters", [("café",)])
def _(text):
    return "".join(c for c in sorted(set(text)) if ord(c) < 128)


@wrong("vocabulary", "vocabulary that returns a list of characters is not a string", [("ba",)])
def _(text):
    return sorted(set(text))


@wrong("vocabulary", "vocabulary in order of first appearance is not sorted", [("ba",)])
def _(text):
    return "".join(dict.fromkeys(text))


@wrong("vocabulary", "vocabulary built from splitlines drops carriage returns and newlines",
       [("a\r\nb",)])
def _(text):
    return "".join(sorted(set("".join(text.splitlines()))))


@wrong("vocabulary", "vocabulary sorted case-insensitively puts 'a' before 'B'", [("aB",)])
def _(text):
    return "".join(sorted(set(text), key=str.lower))


@wrong("vocabulary", "vocabulary that starts from text[0] crashes on an empty text", [("",)])
def _(text):
    chars = [text[0]]
    for c in text:
        if c not in chars:
            chars.append(c)
    return "".join(sorted(chars))


@wrong("vocabulary", "vocabulary that NFC-normalises merges a decomposed accent",
       [("e\u0301",)])
def _(text):
    return "".join(sorted(set(unicodedata.normalize("NFC", text))))


_vocab_cache = {}


@wrong("vocabulary", "vocabulary cached from the first call answers the second with old text",
       [("ab",), ("cd",)])
def _(text):
    if "v" not in _vocab_cache:
        _vocab_cache["v"] = "".join(sorted(set(text)))
    return _vocab_cache["v"]


@wrong("vocabulary", "vocabulary that drops tabs as whitespace loses the tab character",
       [("a\tb",)])
def _(text):
    return "".join(sorted(set(text.replace("\t", ""))))


@right("vocabulary", "vocabulary built by inserting into a sorted list is right")
def _(text):
    import bisect
    chars = []
    for c in text:
        i = bisect.bisect_left(chars, c)
        if i == len(chars) or chars[i] != c:
            chars.insert(i, c)
    return "".join(chars)


@right("vocabulary", "vocabulary built with a dict and sorted by code point is right")
def _(text):
    return "".join(sorted({c: None for c in text}, key=ord))


@wrong("vocabulary", "vocabulary by numpy unique on U1 strings loses the NUL character",
       [("a\x00",)])
def _(text):
    return "".join(np.unique(np.array(list(text), dtype="U1")).tolist()) if text else ""


# ---- encode -----------------------------------------------------------------------------

@wrong("encode", "encode that ignores chars and builds its own vocabulary from the text",
       [("ac", "abc")])
def _(text, chars):
    mine = sorted(set(text))
    return np.array([mine.index(c) for c in text])


@wrong("encode", "encode of an empty text returns a float array",
       [("", "abc")])
def _(text, chars):
    return np.array([chars.index(c) for c in text])


@wrong("encode", "encode that stores ids as uint8 wraps around past 255 characters",
       [("".join(chr(0x100 + i) for i in range(300))[-1],
         "".join(chr(0x100 + i) for i in range(300)))])
def _(text, chars):
    return np.array([chars.index(c) for c in text], dtype=np.uint8)


@wrong("encode", "encode that stores ids as int8 wraps around past 127 characters",
       [(chr(0x100 + 199), "".join(chr(0x100 + i) for i in range(200)))])
def _(text, chars):
    return np.array([chars.index(c) for c in text], dtype=np.int8)


@wrong("encode", "encode by ord minus the first character assumes a contiguous vocabulary",
       [("e", "ace")])
def _(text, chars):
    return np.array([ord(c) - ord(chars[0]) for c in text])


@wrong("encode", "encode through the UTF-8 bytes counts an accent as two ids",
       [("é", "aé")])
def _(text, chars):
    table = {c.encode()[0]: i for i, c in enumerate(chars)}
    return np.array([table.get(b, 0) for b in text.encode()])


@wrong("encode", "encode that strips the text loses a trailing newline", [("a\n", "\na")])
def _(text, chars):
    return np.array([chars.index(c) for c in text.strip()], dtype=int)


_enc_cache = {}


@wrong("encode", "encode that builds its lookup table once keeps the first vocabulary",
       [("ab", "ab"), ("b", "bx")])
def _(text, chars):
    if "t" not in _enc_cache:
        _enc_cache["t"] = {c: i for i, c in enumerate(chars)}
    return np.array([_enc_cache["t"][c] for c in text], dtype=int)


@wrong("encode", "encode that lowercases the text maps 'A' to 'a'", [("A", "Aa")])
def _(text, chars):
    return np.array([chars.index(c) for c in text.lower()], dtype=int)


@wrong("encode", "encode that removes carriage returns shortens the ids",
       [("a\r\nb", "\n\rab")])
def _(text, chars):
    return np.array([chars.index(c) for c in text.replace("\r", "")], dtype=int)


@right("encode", "encode by searchsorted in the sorted vocabulary is right")
def _(text, chars):
    return np.searchsorted(np.array(list(chars)), np.array(list(text), dtype="U1")
                           ).astype(np.int64) if text else np.zeros(0, dtype=np.int64)


@right("encode", "encode that returns a plain list of ints is right")
def _(text, chars):
    return [chars.find(c) for c in text]


@right("encode", "encode into an int32 array with fromiter is right")
def _(text, chars):
    where = {c: i for i, c in enumerate(chars)}
    return np.fromiter((where[c] for c in text), dtype=np.int32, count=len(text))


# ---- one_hot ----------------------------------------------------------------------------

@wrong("one_hot", "one_hot that takes V from the largest id makes too few columns",
       [(np.array([0, 1]), 3)])
def _(ids, V):
    return np.eye(max(ids) + 1)[ids]


@wrong("one_hot", "one_hot that returns integers is not float", [(np.array([0, 2]), 3)])
def _(ids, V):
    out = np.zeros((len(ids), V), dtype=int)
    out[np.arange(len(ids)), ids] = 1
    return out


@wrong("one_hot", "one_hot indexing out[:, ids] sets every id in every row",
       [(np.array([0, 1]), 3)])
def _(ids, V):
    out = np.zeros((len(ids), V))
    out[:, ids] = 1
    return out


@wrong("one_hot", "one_hot of no ids returns shape (0,) instead of (0, V)",
       [(np.array([], dtype=int), 4)])
def _(ids, V):
    rows = []
    for i in ids:
        r = np.zeros(V)
        r[i] = 1
        rows.append(r)
    return np.array(rows)


@wrong("one_hot", "one_hot that reuses one row buffer returns the last row everywhere",
       [(np.array([0, 1]), 3)])
def _(ids, V):
    row, rows = np.zeros(V), []
    for i in ids:
        row[:] = 0
        row[i] = 1
        rows.append(row)
    return np.array(rows)


@wrong("one_hot", "one_hot that casts ids to uint8 wraps ids past 255",
       [(np.array([299]), 300)])
def _(ids, V):
    ids = np.asarray(ids).astype(np.uint8)
    out = np.zeros((len(ids), V))
    out[np.arange(len(ids)), ids] = 1
    return out


_eye = {}


@wrong("one_hot", "one_hot that caches np.eye(V) from the first call keeps the old V",
       [(np.array([0]), 5), (np.array([0]), 3)])
def _(ids, V):
    if "e" not in _eye:
        _eye["e"] = np.eye(V)
    return _eye["e"][ids]


@right("one_hot", "one_hot as rows of the identity matrix is right")
def _(ids, V):
    return np.eye(V)[np.asarray(ids, dtype=int)]


@right("one_hot", "one_hot by comparing ids with arange is right")
def _(ids, V):
    return (np.asarray(ids)[:, None] == np.arange(V)[None, :]).astype(np.float64)


@right("one_hot", "one_hot in float32 is right (the values are exact)")
def _(ids, V):
    out = np.zeros((len(ids), V), dtype=np.float32)
    out[np.arange(len(ids)), ids] = 1
    return out


# ---- softmax ----------------------------------------------------------------------------

@wrong("softmax", "softmax that subtracts the global max underflows a row far below it",
       [(np.array([[0.0, 1.0], [1000.0, 1001.0]]),)])
def _(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "softmax that sums over axis 0 is wrong for a batch",
       [(np.array([[0.0, 1.0, 2.0], [3.0, 1.0, 0.0]]),)])
def _(y):
    e = np.exp(y - np.max(y, axis=-1, keepdims=True))
    return e / e.sum(axis=0)


@wrong("softmax", "softmax that sums over axis 1 breaks on three axes",
       [(np.arange(24.0).reshape(2, 3, 4) % 5,)])
def _(y):
    e = np.exp(y - np.max(y, axis=-1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) if y.ndim > 1 else e / e.sum()


@wrong("softmax", "softmax normalised by the sum of everything is wrong for a batch",
       [(np.array([[0.0, 1.0], [2.0, 0.0]]),)])
def _(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum()


@wrong("softmax", "softmax that works in place changes the caller's logits",
       [(np.array([1.0, 2.0, 3.0]),)])
def _(y):
    y -= y.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


@wrong("softmax", "softmax that clips logits to +-50 instead of subtracting the max",
       [(np.array([0.0, 100.0, 99.0]),)])
def _(y):
    e = np.exp(np.clip(y, -50, 50))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "softmax that subtracts the min overflows for a wide spread",
       [(np.array([0.0, 1000.0]),)])
def _(y):
    e = np.exp(y - y.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "softmax through transposes mixes rows for three axes",
       [(np.arange(8.0).reshape(2, 2, 2) ** 1.5,)])
def _(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return (e.T / e.sum(axis=-1)).T


@wrong("softmax", "softmax without the max subtracted overflows on large logits",
       [(np.array([800.0, 0.0]),)])
def _(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


@right("softmax", "softmax through a log-sum-exp is right")
def _(y):
    y = np.asarray(y, dtype=float)
    return np.exp(y - np.logaddexp.reduce(y, axis=-1, keepdims=True))


@right("softmax", "softmax on rows of a 2-D reshape is right")
def _(y):
    flat = y.reshape(-1, y.shape[-1])
    out = np.empty_like(flat, dtype=float)
    for i, row in enumerate(flat):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(y.shape)


@right("softmax", "softmax with a 1e-300 guard in the denominator is right")
def _(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / (e.sum(axis=-1, keepdims=True) + 1e-300)


# ---- rnn_step ---------------------------------------------------------------------------

_P = make_params(7, 5, 3)


def _big_bias(value):
    p = make_params(7, 5, 4)
    p["bh"] = np.full(5, value)
    return p


@wrong("rnn_step", "rnn_step that indexes a row of Wxh instead of a column",
       [(make_params(5, 5, 1), 2, np.full(5, 0.3))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][x] + params["Whh"] @ h_prev + params["bh"])


@wrong("rnn_step", "rnn_step without the bias bh", [(_P, 1, np.full(5, 0.1))])
def _(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


@wrong("rnn_step", "rnn_step that writes h into h_prev changes the caller's array",
       [(_P, 1, np.full(5, 0.1))])
def _(params, x, h_prev):
    h_prev[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return h_prev


@wrong("rnn_step", "rnn_step that clips the pre-activation to +-5 bends large inputs",
       [(_big_bias(5.2), 0, np.zeros(5))])
def _(params, x, h_prev):
    a = params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]
    return np.tanh(np.clip(a, -5, 5))


@wrong("rnn_step", "rnn_step with a hand-written tanh gives NaN for a large pre-activation",
       [(_big_bias(400.0), 0, np.zeros(5))])
def _(params, x, h_prev):
    a = params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]
    return (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1)


@wrong("rnn_step", "rnn_step that returns an (H, 1) column like min-char-rnn",
       [(_P, 1, np.full(5, 0.1))])
def _(params, x, h_prev):
    xv = np.zeros((params["Wxh"].shape[1], 1))
    xv[x] = 1
    return np.tanh(params["Wxh"] @ xv + params["Whh"] @ h_prev.reshape(-1, 1)
                   + params["bh"].reshape(-1, 1))


@wrong("rnn_step", "rnn_step that unpacks params.values() by position",
       [({k: _P[k] for k in ["Whh", "Wxh", "Why", "bh", "by"]}, 1, np.full(5, 0.1))])
def _(params, x, h_prev):
    Wxh, Whh, Why, bh, by = params.values()
    return np.tanh(Wxh[:, x] + Whh @ h_prev + bh)


_h_state = {}


@wrong("rnn_step", "rnn_step that keeps its own h after the first call ignores h_prev",
       [(_P, 1, np.full(5, 0.1)), (_P, 1, np.full(5, -0.4))])
def _(params, x, h_prev):
    h = _h_state.get("h", h_prev)
    h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
    _h_state["h"] = h
    return h


@right("rnn_step", "rnn_step through a one-hot vector and matrix products is right")
def _(params, x, h_prev):
    xv = np.eye(params["Wxh"].shape[1])[x]
    return np.tanh(params["Wxh"] @ xv + params["Whh"] @ h_prev + params["bh"])


@right("rnn_step", "rnn_step with einsum and a tanh from exp(-2|a|) is right")
def _(params, x, h_prev):
    a = params["Wxh"][:, x] + np.einsum("ij,j->i", params["Whh"], h_prev) + params["bh"]
    e = np.exp(-2 * np.abs(a))
    return np.sign(a) * (1 - e) / (1 + e)


# ---- forward ----------------------------------------------------------------------------

def _fw(V, H, T, seed, scale=0.5):
    params, inputs, _, h0 = forward_case(V, H, T, seed, scale)
    return (params, inputs, h0)


def _forward_with(softmax_fn, reset_every=None, squeeze=False):
    def forward(params, inputs, h0):
        hs, ps, h = [h0], [], h0
        for t, x in enumerate(inputs):
            if reset_every and t % reset_every == 0:
                h = h0
            h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
            hs.append(h)
            ps.append(softmax_fn(params["Why"] @ h + params["by"]))
        hs, ps = np.array(hs), np.array(ps)
        return (hs, ps.squeeze()) if squeeze else (hs, ps)
    return forward


WRONG.append(("forward", "forward of an empty sequence returns ps of shape (0,)",
              _forward_with(_softmax), [_fw(6, 4, 0, 1)]))
WRONG.append(("forward", "forward whose softmax skips the max overflows on large logits",
              _forward_with(lambda y: np.exp(y) / np.exp(y).sum()), [_fw(6, 4, 5, 2, 300.0)]))
WRONG.append(("forward", "forward that restarts from h0 every 25 steps like min-char-rnn",
              _forward_with(_softmax, reset_every=25), [_fw(6, 4, 60, 3)]))
WRONG.append(("forward", "forward that squeezes ps loses the T axis when T is 1",
              _forward_with(_softmax, squeeze=True), [_fw(6, 4, 1, 4)]))


@wrong("forward", "forward that reuses one h buffer makes every row of hs the same",
       [_fw(6, 4, 5, 5)])
def _(params, inputs, h0):
    h, hs, ps = h0.copy(), [h0.copy()], []
    for x in inputs:
        h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(_softmax(params["Why"] @ h + params["by"]))
    return np.array(hs), np.array(ps)


@wrong("forward", "forward that takes ps from hs[t] instead of hs[t + 1]", [_fw(6, 4, 5, 6)])
def _(params, inputs, h0):
    hs, ps, h = [h0], [], h0
    for x in inputs:
        ps.append(_softmax(params["Why"] @ h + params["by"]))
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
    return np.array(hs), np.array(ps)


_fw_state = {}


@wrong("forward", "forward that carries h over from its previous call ignores h0",
       [_fw(6, 4, 5, 7), _fw(6, 4, 5, 7)])
def _(params, inputs, h0):
    h = _fw_state.get("h", h0)
    hs, ps = [h], []
    for x in inputs:
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        hs.append(h)
        ps.append(_softmax(params["Why"] @ h + params["by"]))
    _fw_state["h"] = h
    return np.array(hs), np.array(ps)


@wrong("forward", "forward that cuts inputs to seq_length 25", [_fw(6, 4, 40, 8)])
def _(params, inputs, h0):
    return _forward_with(_softmax)(params, inputs[:25], h0)


@right("forward", "forward that preallocates hs and ps and computes the logits at the end")
def _(params, inputs, h0):
    T = len(inputs)
    hs = np.empty((T + 1, h0.shape[0]))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
    ys = hs[1:] @ params["Why"].T + params["by"]
    return hs, _softmax(ys) if T else np.zeros((0, params["by"].shape[0]))


@right("forward", "forward through a precomputed input table is right")
def _(params, inputs, h0):
    table = params["Wxh"].T + params["bh"]
    hs = [np.asarray(h0, dtype=float)]
    for x in inputs:
        hs.append(np.tanh(table[x] + params["Whh"] @ hs[-1]))
    hs = np.vstack(hs)
    ys = hs[1:] @ params["Why"].T + params["by"]
    return hs, _softmax(ys.reshape(len(inputs), -1))


# ---- loss -------------------------------------------------------------------------------

def _ps_targets(V, T, seed, tiny=None):
    params, inputs, targets, h0 = forward_case(V, 4, T, seed)
    ps = ref_forward(params, inputs, h0)[1]
    if tiny is not None:
        ps[0] = (1 - tiny) / (V - 1)
        ps[0, targets[0]] = tiny
    return ps, targets


@wrong("loss", "loss that adds 1e-8 inside the log is off when a target's p is tiny",
       [_ps_targets(5, 3, 1, tiny=1e-12)])
def _(ps, targets):
    return float(-np.sum(np.log(ps[np.arange(len(targets)), targets] + 1e-8)))


@wrong("loss", "loss that clips p to at least 1e-7 is off when a target's p is tiny",
       [_ps_targets(5, 3, 2, tiny=1e-12)])
def _(ps, targets):
    return float(-np.log(np.clip(ps[np.arange(len(targets)), targets], 1e-7, 1)).sum())


@wrong("loss", "loss as the log of a product underflows on a long sequence",
       [_ps_targets(65, 1200, 3)])
def _(ps, targets):
    return float(-np.log(np.prod(ps[np.arange(len(targets)), targets])))


@wrong("loss", "loss that averages over time instead of summing", [_ps_targets(5, 7, 4)])
def _(ps, targets):
    return float(-np.mean(np.log(ps[np.arange(len(targets)), targets])))


@wrong("loss", "loss with ps[:, targets] sums a T by T block", [_ps_targets(5, 4, 5)])
def _(ps, targets):
    return float(-np.sum(np.log(ps[:, targets])))


@wrong("loss", "loss in bits with log2", [_ps_targets(5, 4, 6)])
def _(ps, targets):
    return float(-np.sum(np.log2(ps[np.arange(len(targets)), targets])))


@wrong("loss", "loss that loops over a hard-coded 25 steps", [_ps_targets(5, 40, 7)])
def _(ps, targets):
    return float(sum(-np.log(ps[t, targets[t]]) for t in range(min(25, len(targets)))))


_loss_total = {"sum": 0.0}


@wrong("loss", "loss that accumulates a running total between calls",
       [_ps_targets(5, 4, 8), _ps_targets(5, 4, 8)])
def _(ps, targets):
    _loss_total["sum"] += float(-np.sum(np.log(ps[np.arange(len(targets)), targets])))
    return _loss_total["sum"]


@wrong("loss", "loss that returns a one-element array instead of a float",
       [_ps_targets(5, 4, 9)])
def _(ps, targets):
    return -np.log(ps[np.arange(len(targets)), targets]).sum(keepdims=True)


@right("loss", "loss with math.fsum over a Python loop is right")
def _(ps, targets):
    import math
    return math.fsum(-math.log(ps[t][c]) for t, c in enumerate(targets))


@right("loss", "loss through take_along_axis is right")
def _(ps, targets):
    picked = np.take_along_axis(ps, np.asarray(targets)[:, None], axis=1)
    return float(-np.log(picked).sum())


@right("loss", "loss as minus the log-likelihood dot a one-hot mask is right")
def _(ps, targets):
    mask = np.zeros(ps.shape, dtype=bool)
    mask[np.arange(len(targets)), targets] = True
    return -float(np.log(ps[mask]).sum())


# ---- dlogits ----------------------------------------------------------------------------

@wrong("dlogits", "dlogits that subtracts 1 in ps itself changes the caller's ps",
       [_ps_targets(5, 4, 11)])
def _(ps, targets):
    ps[np.arange(len(targets)), targets] -= 1
    return ps


@wrong("dlogits", "dlogits from a ps[:] view changes the caller's ps", [_ps_targets(5, 4, 12)])
def _(ps, targets):
    dy = ps[:]
    for t, c in enumerate(targets):
        dy[t, c] -= 1
    return dy


@wrong("dlogits", "dlogits with dy[:, targets] subtracts every target in every row",
       [_ps_targets(5, 4, 13)])
def _(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


@wrong("dlogits", "dlogits divided by T is the mean loss's gradient", [_ps_targets(5, 4, 14)])
def _(ps, targets):
    return (ps - np.eye(ps.shape[1])[targets]) / len(targets)


@wrong("dlogits", "dlogits of an empty sequence returns shape (0,)",
       [(np.zeros((0, 5)), np.zeros(0, dtype=int))])
def _(ps, targets):
    return np.array([p - np.eye(len(p))[c] for p, c in zip(ps, targets)])


@wrong("dlogits", "dlogits that one-hots the most likely character instead of the target",
       [(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), np.array([1, 0]))])
def _(ps, targets):
    return ps - np.eye(ps.shape[1])[np.argmax(ps, axis=1)]


@wrong("dlogits", "dlogits with repeated targets via a bincount subtracts counts per column",
       [(np.full((3, 4), 0.25), np.array([1, 1, 2]))])
def _(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= np.bincount(targets, minlength=ps.shape[1])[targets]
    return dy


@right("dlogits", "dlogits with np.subtract.at on a copy is right")
def _(ps, targets):
    dy = np.array(ps, copy=True)
    np.subtract.at(dy, (np.arange(len(targets)), targets), 1.0)
    return dy


@right("dlogits", "dlogits as ps minus a one-hot built with put_along_axis is right")
def _(ps, targets):
    oh = np.zeros_like(ps)
    np.put_along_axis(oh, np.asarray(targets)[:, None], 1.0, axis=1)
    return ps - oh


# ---- bptt_step --------------------------------------------------------------------------

def _step_case(V, H, seed, scale=0.5):
    params, inputs, targets, h0 = forward_case(V, H, 2, seed, scale)
    hs, ps = ref_forward(params, inputs, h0)
    dy = ref_dlogits(ps, targets)[1]
    dhnext = np.random.default_rng(seed).normal(0, 1, H)
    return (params, int(inputs[1]), hs[1], hs[2], dy, dhnext)


def _step(params, x, h_prev, h, dy, dhnext, *, use_dhnext=True, dwhh_from=None,
          whh_t=True, deriv_from=None):
    dh = params["Why"].T @ dy + (dhnext if use_dhnext else 0)
    d = deriv_from if deriv_from is not None else h
    draw = (1 - d * d) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    hw = h_prev if dwhh_from is None else dwhh_from
    grads = {"Wxh": dWxh, "Whh": np.outer(draw, hw), "Why": np.outer(dy, h),
             "bh": draw, "by": dy.copy()}
    return grads, (params["Whh"].T if whh_t else params["Whh"]) @ draw


@wrong("bptt_step", "bptt_step without dhnext", [_step_case(6, 4, 1)])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, use_dhnext=False)


@wrong("bptt_step", "bptt_step with dWhh from h instead of h_prev", [_step_case(6, 4, 2)])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, dwhh_from=h)


@wrong("bptt_step", "bptt_step with Whh not transposed for dh_prev", [_step_case(6, 4, 3)])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, whh_t=False)


@wrong("bptt_step", "bptt_step with the tanh derivative taken at h_prev", [_step_case(6, 4, 4)])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, deriv_from=h_prev)


@wrong("bptt_step", "bptt_step that adds into dhnext changes the caller's array",
       [_step_case(6, 4, 5)])
def _(params, x, h_prev, h, dy, dhnext):
    dh = dhnext
    dh += params["Why"].T @ dy
    draw = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    return ({"Wxh": dWxh, "Whh": np.outer(draw, h_prev), "Why": np.outer(dy, h),
             "bh": draw, "by": dy.copy()}, params["Whh"].T @ draw)


_buffers = {}


@wrong("bptt_step", "bptt_step that returns one module-level grads dict every call",
       LookBack([_step_case(6, 4, 6), _step_case(6, 4, 16)]))
def _(params, x, h_prev, h, dy, dhnext):
    fresh, dh_prev = _step(params, x, h_prev, h, dy, dhnext)
    g = _buffers.setdefault("g", {k: np.zeros_like(v) for k, v in params.items()})
    for k in g:
        g[k][...] = fresh[k]
    return g, dh_prev


@wrong("bptt_step", "bptt_step that adds dhnext after the tanh derivative",
       [_step_case(6, 4, 7)])
def _(params, x, h_prev, h, dy, dhnext):
    draw = (1 - h * h) * (params["Why"].T @ dy)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = draw
    return ({"Wxh": dWxh, "Whh": np.outer(draw, h_prev), "Why": np.outer(dy, h),
             "bh": draw, "by": dy.copy()}, params["Whh"].T @ draw + dhnext)


@wrong("bptt_step", "bptt_step that returns dh_prev as an (H, 1) column",
       [_step_case(6, 4, 8)])
def _(params, x, h_prev, h, dy, dhnext):
    g, dh_prev = _step(params, x, h_prev, h, dy, dhnext)
    return g, dh_prev.reshape(-1, 1)


@right("bptt_step", "bptt_step that recomputes h from params and h_prev is right")
def _(params, x, h_prev, h, dy, dhnext):
    h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return _step(params, x, h_prev, h, dy, dhnext)


@right("bptt_step", "bptt_step that returns dy itself as the by gradient is right")
def _(params, x, h_prev, h, dy, dhnext):
    g, dh_prev = _step(params, x, h_prev, h, dy, dhnext)
    g["by"] = dy
    return g, dh_prev


@right("bptt_step", "bptt_step with an outer product against a one-hot for dWxh is right")
def _(params, x, h_prev, h, dy, dhnext):
    g, dh_prev = _step(params, x, h_prev, h, dy, dhnext)
    g["Wxh"] = np.outer(g["bh"], np.eye(params["Wxh"].shape[1])[x])
    return g, dh_prev


# ---- bptt -------------------------------------------------------------------------------

def _bptt_case(V, H, T, seed, scale=0.5):
    params, inputs, targets, h0 = forward_case(V, H, T, seed, scale)
    hs, ps = ref_forward(params, inputs, h0)
    return (params, inputs, targets, hs, ps)


def _bptt_loop(params, inputs, targets, hs, ps, *, window=None, reset_every=None,
               clip=None, dy_view=False):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    T = len(inputs)
    start = 0 if window is None else max(0, T - window)
    for t in reversed(range(start, T)):
        dy = ps[t] if dy_view else ps[t].copy()
        dy[targets[t]] -= 1
        if reset_every and (t + 1) % reset_every == 0:
            dhnext = np.zeros_like(dhnext)
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        draw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
        g["bh"] += draw
        g["Wxh"][:, inputs[t]] += draw
        g["Whh"] += np.outer(draw, hs[t])
        dhnext = params["Whh"].T @ draw
    if clip is not None:
        for v in g.values():
            np.clip(v, -clip, clip, out=v)
    return g


WRONG.append(("bptt", "bptt that only walks back the last 25 steps like a fixed seq_length",
              lambda *a: _bptt_loop(*a, window=25), [_bptt_case(6, 4, 40, 1)]))
WRONG.append(("bptt", "bptt that only walks back the last 100 steps misses older steps",
              lambda *a: _bptt_loop(*a, window=100), [_bptt_case(6, 4, 110, 2)]))
WRONG.append(("bptt", "bptt that drops dhnext every 50 steps (truncation) on a long sequence",
              lambda *a: _bptt_loop(*a, reset_every=50), [_bptt_case(6, 4, 120, 3)]))
WRONG.append(("bptt", "bptt that clips its gradients to +-5 inside",
              lambda *a: _bptt_loop(*a, clip=5.0), [_bptt_case(6, 4, 30, 4, 3.0)]))
WRONG.append(("bptt", "bptt that subtracts 1 in a view of ps changes the caller's ps",
              lambda *a: _bptt_loop(*a, dy_view=True), [_bptt_case(6, 4, 8, 5)]))


@wrong("bptt", "bptt vectorised with dWxh[:, inputs] += loses repeated characters",
       [(lambda c: (c[0], np.array([1, 1, 2, 1]), c[2], c[3], c[4]))(_bptt_case(6, 4, 4, 6))])
def _(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    draws = []
    dhnext = np.zeros(hs.shape[1])
    dys = ps.copy()
    dys[np.arange(len(targets)), targets] -= 1
    for t in reversed(range(len(inputs))):
        draw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dhnext)
        draws.append(draw)
        dhnext = params["Whh"].T @ draw
    draws = np.array(draws[::-1])
    g["Wxh"][:, inputs] += draws.T
    g["Whh"] = draws.T @ hs[:-1]
    g["bh"] = draws.sum(0)
    g["Why"] = dys.T @ hs[1:]
    g["by"] = dys.sum(0)
    return g


@wrong("bptt", "bptt that stacks per-step arrays crashes on an empty sequence",
       [_bptt_case(6, 4, 0, 7)])
def _(params, inputs, targets, hs, ps):
    dys = ps.copy()
    dys[np.arange(len(targets)), targets] -= 1
    draws, dhnext = [], np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        draw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dhnext)
        draws.append(draw)
        dhnext = params["Whh"].T @ draw
    draws = np.stack(draws[::-1])
    dWxh = np.zeros_like(params["Wxh"])
    np.add.at(dWxh.T, inputs, draws)
    return {"Wxh": dWxh, "Whh": draws.T @ hs[:-1], "Why": dys.T @ hs[1:],
            "bh": draws.sum(0), "by": dys.sum(0)}


@wrong("bptt", "bptt that indexes hs like min-char-rnn's dict (hs[t] as the state after t)",
       [_bptt_case(6, 4, 6, 8)])
def _(params, inputs, targets, hs, ps):
    shifted = np.vstack([hs[:1], hs[:-1]])  # shifted[t + 1] is hs[t]
    return _bptt_loop(params, inputs, targets, shifted, ps)


_bptt_buf = {}


@wrong("bptt", "bptt that keeps a module-level grads dict sums over calls",
       [_bptt_case(6, 4, 6, 9), _bptt_case(6, 4, 6, 9)])
def _(params, inputs, targets, hs, ps):
    if "g" not in _bptt_buf:
        _bptt_buf["g"] = {k: np.zeros_like(v) for k, v in params.items()}
    fresh = _bptt_loop(params, inputs, targets, hs, ps)
    for k, v in _bptt_buf["g"].items():
        v += fresh[k]
    return _bptt_buf["g"]


@right("bptt", "bptt fully vectorised with np.add.at is right")
def _(params, inputs, targets, hs, ps):
    T = len(inputs)
    dys = ps.copy()
    dys[np.arange(T), targets] -= 1
    draws, dhnext = np.zeros((T, hs.shape[1])), np.zeros(hs.shape[1])
    for t in reversed(range(T)):
        draws[t] = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dys[t] + dhnext)
        dhnext = params["Whh"].T @ draws[t]
    dWxh = np.zeros_like(params["Wxh"])
    np.add.at(dWxh.T, np.asarray(inputs), draws)
    return {"Wxh": dWxh, "Whh": draws.T @ hs[:-1], "Why": dys.T @ hs[1:],
            "bh": draws.sum(0), "by": dys.sum(0)}


@right("bptt", "bptt that returns its keys in another order is right")
def _(params, inputs, targets, hs, ps):
    g = _bptt_loop(params, inputs, targets, hs, ps)
    return {k: g[k] for k in ["by", "bh", "Why", "Whh", "Wxh"]}


# ---- clip -------------------------------------------------------------------------------

def _grads(seed, scale=8.0, V=6, H=4):
    return grads_like(make_params(V, H, seed), seed + 50, scale)


@wrong("clip", "clip that puts new arrays into the dict leaves the caller's arrays unclipped",
       [(_grads(1), 5.0)])
def _(grads, limit):
    for k in grads:
        grads[k] = np.clip(grads[k], -limit, limit)


@wrong("clip", "clip that rebinds the loop variable changes nothing", [(_grads(2), 5.0)])
def _(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841


@wrong("clip", "clip that only caps the top end leaves large negatives", [(_grads(3), 5.0)])
def _(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


@wrong("clip", "clip with min-char-rnn's 5 hard-coded ignores limit", [(_grads(4), 1.5)])
def _(grads, limit):
    for g in grads.values():
        np.clip(g, -5, 5, out=g)


@wrong("clip", "clip behind 'if limit:' does nothing for a limit of 0", [(_grads(5), 0.0)])
def _(grads, limit):
    if limit:
        for g in grads.values():
            np.clip(g, -limit, limit, out=g)


@wrong("clip", "clip that clips only the weight matrices leaves the biases", [(_grads(6), 2.0)])
def _(grads, limit):
    for g in grads.values():
        if g.ndim == 2:
            np.clip(g, -limit, limit, out=g)


_clip_limit = {}


@wrong("clip", "clip that remembers the first limit it was given",
       [(_grads(7), 5.0), (_grads(7), 1.0)])
def _(grads, limit):
    limit = _clip_limit.setdefault("l", limit)
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)


@wrong("clip", "clip that rescales an array whose max exceeds the limit instead of clipping",
       [(_grads(8), 5.0)])
def _(grads, limit):
    for g in grads.values():
        m = np.abs(g).max()
        if m > limit:
            g *= limit / m


@right("clip", "clip by boolean masks is right")
def _(grads, limit):
    for g in grads.values():
        g[g > limit] = limit
        g[g < -limit] = -limit


@right("clip", "clip by sign times the capped magnitude written back with [...] is right")
def _(grads, limit):
    for key in list(grads):
        g = grads[key]
        g[...] = np.sign(g) * np.minimum(np.abs(g), limit)


# ---- adagrad_step -----------------------------------------------------------------------

def _opt_case(seed, gscale=3.0, mem=None, V=6, H=4):
    params = make_params(V, H, seed)
    grads = grads_like(params, seed + 1, gscale)
    memory = {k: (np.zeros_like(v) if mem is None else np.full(v.shape, mem))
              for k, v in params.items()}
    return params, grads, memory


@wrong("adagrad_step", "adagrad_step with 1e-8 outside the square root (as in Adam)",
       [(*_opt_case(1, gscale=1e-5), 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("adagrad_step", "adagrad_step with 1e-6 inside the square root",
       [(*_opt_case(2, gscale=1e-3), 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-6)


@wrong("adagrad_step", "adagrad_step that updates params before memory",
       [(*_opt_case(3, mem=0.5), 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] ** 2


@wrong("adagrad_step", "adagrad_step that zips the values of three dicts",
       [({k: v for k, v in reversed(_opt_case(4)[0].items())}, *_opt_case(4)[1:], 0.1)])
def _(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m += g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("adagrad_step", "adagrad_step that rebinds memory leaves the caller's memory at 0",
       [(*_opt_case(5), 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        m = memory[k] + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@wrong("adagrad_step", "adagrad_step without 1e-8 divides 0 by 0 on a zero gradient",
       [(*(lambda c: (c[0], {k: np.zeros_like(v) for k, v in c[1].items()}, c[2]))(
           _opt_case(6)), 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k])


@wrong("adagrad_step", "adagrad_step with lr fixed at 0.1", [(*_opt_case(7), 0.01)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= 0.1 * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "adagrad_step with its own memory kept between calls",
       [(*_opt_case(8), 0.1), (*_opt_case(8), 0.1)])
def _(params, grads, memory, lr, _mine={}):
    for k in params:
        m = _mine.setdefault(k, np.zeros_like(params[k]))
        m += grads[k] ** 2
        memory[k][...] = m
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@right("adagrad_step", "adagrad_step written with np.add and np.subtract out= is right")
def _(params, grads, memory, lr):
    for k, g in grads.items():
        np.add(memory[k], np.square(g), out=memory[k])
        np.subtract(params[k], lr * g / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("adagrad_step", "adagrad_step with [:] slice assignment is right")
def _(params, grads, memory, lr):
    for k in sorted(params):
        memory[k][:] = memory[k] + grads[k] * grads[k]
        params[k][:] = params[k] - lr * grads[k] * (memory[k] + 1e-8) ** -0.5


# ---- rmsprop_step -----------------------------------------------------------------------

@wrong("rmsprop_step", "rmsprop_step with decay fixed at 0.9", [(*_opt_case(11), 0.1, 0.5)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = 0.9 * memory[k] + 0.1 * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "rmsprop_step with decay and 1 - decay swapped",
       [(*_opt_case(12, mem=1.0), 0.1, 0.8)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = (1 - decay) * memory[k] + decay * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "rmsprop_step with 1e-8 outside the square root",
       [(*_opt_case(13, gscale=1e-5), 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("rmsprop_step", "rmsprop_step with PyTorch's default decay 0.99",
       [(*_opt_case(14), 0.1)])
def _(params, grads, memory, lr, decay=0.99):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "rmsprop_step that rebinds memory leaves the caller's memory",
       [(*_opt_case(15, mem=0.3), 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        m = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@wrong("rmsprop_step", "rmsprop_step that updates params with the old memory",
       [(*_opt_case(16, mem=0.3), 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2


@wrong("rmsprop_step", "rmsprop_step that forgets to decay the old memory",
       [(*_opt_case(17, mem=0.3), 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@right("rmsprop_step", "rmsprop_step with *= then += is right")
def _(params, grads, memory, lr, decay=0.9):
    for k, g in grads.items():
        memory[k] *= decay
        memory[k] += (1 - decay) * g * g
        params[k] -= lr * g / np.sqrt(memory[k] + 1e-8)


@right("rmsprop_step", "rmsprop_step as memory += (1 - decay) * (g**2 - memory) is right")
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += (1 - decay) * (grads[k] ** 2 - memory[k])
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# ---- clip_global_norm -------------------------------------------------------------------

@wrong("clip_global_norm", "clip_global_norm that scales each array by its own norm",
       [(_grads(21), 4.0)])
def _(grads, max_norm):
    for g in grads.values():
        n = np.linalg.norm(g)
        if n > max_norm:
            g *= max_norm / n


@wrong("clip_global_norm", "clip_global_norm that always scales, even below max_norm",
       [(_grads(22, scale=0.01), 4.0)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    for g in grads.values():
        g *= max_norm / norm


@wrong("clip_global_norm", "clip_global_norm that puts new arrays into the dict",
       [(_grads(23), 4.0)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for k in grads:
            grads[k] = grads[k] * (max_norm / norm)


@wrong("clip_global_norm", "clip_global_norm with the sum of the arrays' norms",
       [(_grads(24), 4.0)])
def _(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "clip_global_norm with PyTorch's 1e-6 added to the norm",
       [(_grads(25, scale=1e-7), 1e-7)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / (norm + 1e-6)


@wrong("clip_global_norm", "clip_global_norm that compares the squared norm with max_norm",
       [(_grads(26, scale=0.3), 4.0)])
def _(grads, max_norm):
    sq = sum((g ** 2).sum() for g in grads.values())
    if sq > max_norm:
        for g in grads.values():
            g *= max_norm / np.sqrt(sq)


@wrong("clip_global_norm", "clip_global_norm with min(1, max_norm / norm) divides by a zero norm",
       [({k: np.zeros_like(v) for k, v in _grads(27).items()}, 4.0)])
def _(grads, max_norm):
    norm = float(np.sqrt(sum((g ** 2).sum() for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    for g in grads.values():
        g *= scale


@wrong("clip_global_norm", "clip_global_norm that clips elementwise to max_norm",
       [(_grads(28), 4.0)])
def _(grads, max_norm):
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)


@right("clip_global_norm", "clip_global_norm through one concatenated vector is right")
def _(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    if norm >= max_norm:
        for g in grads.values():
            g /= norm / max_norm


@right("clip_global_norm", "clip_global_norm with math.hypot over the per-array norms is right")
def _(grads, max_norm):
    import math
    norm = math.hypot(*(float(np.linalg.norm(g)) for g in grads.values()))
    factor = max_norm / norm if norm > max_norm else 1.0
    for g in grads.values():
        np.multiply(g, factor, out=g)


# ---- temperature ------------------------------------------------------------------------

@wrong("temperature", "temperature that multiplies by T", [(np.array([0.0, 1.0, 2.0]), 0.5)])
def _(logits, temperature):
    return _softmax(logits * temperature)


@wrong("temperature", "temperature that raises probabilities to 1/T underflows at tiny T",
       [(np.array([0.0, 0.1]), 1e-7)])
def _(logits, temperature):
    p = _softmax(logits) ** (1 / temperature)
    return p / p.sum()


@wrong("temperature", "temperature that divides the logits in place changes them",
       [(np.array([0.0, 1.0, 2.0]), 0.5)])
def _(logits, temperature):
    logits /= temperature
    return _softmax(logits)


@wrong("temperature", "temperature that floors T at 0.01 is not greedy enough at 1e-7",
       [(np.array([0.0, 0.01]), 1e-7)])
def _(logits, temperature):
    return _softmax(logits / max(temperature, 0.01))


@wrong("temperature", "temperature that returns a one-hot argmax at tiny T breaks ties",
       [(np.array([1.0, 1.0, 0.0]), 1e-7)])
def _(logits, temperature):
    if temperature < 1e-3:
        p = np.zeros(len(logits))
        p[np.argmax(logits)] = 1
        return p
    return _softmax(logits / temperature)


@wrong("temperature", "temperature that caps T at 100 is too sharp at T = 1000",
       [(np.array([0.0, 500.0]), 1000.0)])
def _(logits, temperature):
    return _softmax(logits / min(temperature, 100.0))


@wrong("temperature", "temperature without the max subtracted overflows at small T",
       [(np.array([1.0, 2.0]), 0.001)])
def _(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


@right("temperature", "temperature through log-sum-exp is right")
def _(logits, temperature):
    y = np.asarray(logits, dtype=float) / temperature
    return np.exp(y - np.logaddexp.reduce(y))


@right("temperature", "temperature that subtracts the max before dividing by T is right")
def _(logits, temperature):
    e = np.exp((logits - np.max(logits)) / temperature)
    return e / e.sum()


# ---- top_k ------------------------------------------------------------------------------

@wrong("top_k", "top_k with argsort keeps exactly k of tied logits",
       [(np.array([3.0, 1.0, 3.0, 0.0]), 1)])
def _(logits, k):
    keep = np.argsort(logits)[-k:]
    y = np.full(len(logits), -np.inf)
    y[keep] = logits[keep]
    return _softmax(y)


@wrong("top_k", "top_k that indexes sort()[-k] crashes when k is larger than V",
       [(np.array([3.0, 1.0, 2.0]), 5)])
def _(logits, k):
    kth = np.sort(logits)[-k]
    return _softmax(np.where(logits >= kth, logits, -np.inf))


@wrong("top_k", "top_k that keeps k + 1 logits", [(np.array([4.0, 1.0, 3.0, 2.0]), 2)])
def _(logits, k):
    keep = np.argsort(logits)[-k - 1:]
    y = np.full(len(logits), -np.inf)
    y[keep] = logits[keep]
    return _softmax(y)


@wrong("top_k", "top_k that sets the other logits to 0 instead of removing them",
       [(np.array([4.0, 1.0, 3.0, 2.0]), 2)])
def _(logits, k):
    y = logits.copy()
    y[np.argsort(y)[:-k]] = 0
    return _softmax(y)


@wrong("top_k", "top_k that zeroes probabilities without renormalising",
       [(np.array([4.0, 1.0, 3.0, 2.0]), 2)])
def _(logits, k):
    p = _softmax(logits)
    p[np.argsort(logits)[:-k]] = 0
    return p


@wrong("top_k", "top_k that masks with -1e9 fails for logits below -1e9",
       [(np.array([-1e10, -1e10 + 1, -1e10 + 2]), 1)])
def _(logits, k):
    y = logits.copy()
    y[np.argsort(y)[:-k]] = -1e9
    return _softmax(y)


@wrong("top_k", "top_k that masks in place changes the caller's logits",
       [(np.array([4.0, 1.0, 3.0, 2.0]), 2)])
def _(logits, k):
    logits[logits < np.sort(logits)[-k]] = -np.inf
    return _softmax(logits)


@wrong("top_k", "top_k with a strict '>' against the k-th logit drops it",
       [(np.array([4.0, 1.0, 3.0, 2.0]), 2)])
def _(logits, k):
    kth = np.sort(logits)[max(len(logits) - k, 0)]
    return _softmax(np.where(logits > kth, logits, -np.inf))


@wrong("top_k", "top_k that masks a copy of integer logits cannot hold -inf",
       [(np.array([4, 1, 3, 2]), 2)])
def _(logits, k):
    y = logits.copy()
    y[y < np.sort(y)[-k]] = -np.inf
    return _softmax(y)


@right("top_k", "top_k with argpartition and ties kept is right")
def _(logits, k):
    k = min(k, len(logits))
    kth = logits[np.argpartition(logits, len(logits) - k)[len(logits) - k]]
    return _softmax(np.where(logits >= kth, logits, -np.inf))


@right("top_k", "top_k that renormalises the kept softmax probabilities is right")
def _(logits, k):
    p = _softmax(np.asarray(logits, dtype=float))
    if k < len(logits):
        p = np.where(logits >= np.sort(logits)[-k], p, 0.0)
    return p / p.sum()


# ---- later probes: shortcuts and falsy arguments ---------------------------------------

@wrong("rmsprop_step", "rmsprop_step with 'decay = decay or 0.9' turns a decay of 0 into 0.9",
       [(*_opt_case(18, mem=0.3), 0.1, 0.0)])
def _(params, grads, memory, lr, decay=0.9):
    decay = decay or 0.9
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("bptt_step", "bptt_step with 'if x:' skips dWxh for the character with id 0",
       [(lambda c: (c[0], 0, *c[2:]))(_step_case(6, 4, 9))])
def _(params, x, h_prev, h, dy, dhnext):
    g, dh_prev = _step(params, x, h_prev, h, dy, dhnext)
    if not x:
        g["Wxh"] = np.zeros_like(params["Wxh"])
    return g, dh_prev


@wrong("temperature", "temperature with a T = 1 shortcut that skips the max subtraction",
       [(np.array([1000.0, 0.0]), 1.0)])
def _(logits, temperature):
    if temperature == 1:
        return np.exp(logits) / np.exp(logits).sum()
    return _softmax(logits / temperature)


@wrong("top_k", "top_k with a k >= V shortcut that skips the max subtraction",
       [(np.array([1000.0, 0.0, 3.0]), 3)])
def _(logits, k):
    if k >= len(logits):
        return np.exp(logits) / np.exp(logits).sum()
    kth = np.sort(logits)[-k]
    return _softmax(np.where(logits >= kth, logits, -np.inf))


@wrong("softmax", "softmax that stacks row results fails on an empty batch",
       [(np.zeros((0, 4)),)])
def _(y):
    rows = [np.exp(r - r.max()) / np.exp(r - r.max()).sum() for r in y.reshape(-1, y.shape[-1])]
    return np.stack(rows).reshape(y.shape)


@wrong("rnn_step", "rnn_step with 'if x:' drops the input for the character with id 0",
       [(_P, 0, np.full(5, 0.1))])
def _(params, x, h_prev):
    a = params["Whh"] @ h_prev + params["bh"]
    if x:
        a = a + params["Wxh"][:, x]
    return np.tanh(a)


@wrong("one_hot", "one_hot with 'if i:' leaves the row of id 0 empty",
       [(np.array([0, 2]), 3)])
def _(ids, V):
    out = np.zeros((len(ids), V))
    for n, i in enumerate(ids):
        if i:
            out[n, i] = 1
    return out


@wrong("top_k", "top_k with a k = 1 argmax shortcut drops a tied maximum",
       [(np.array([2.0, 5.0, 5.0, 1.0]), 1)])
def _(logits, k):
    if k == 1:
        p = np.zeros(len(logits))
        p[np.argmax(logits)] = 1.0
        return p
    kth = np.sort(logits)[max(len(logits) - k, 0)]
    return _softmax(np.where(logits >= kth, logits, -np.inf))


@wrong("rmsprop_step", "rmsprop_step that skips all-zero gradients forgets to decay memory",
       [(lambda c: (c[0], {**c[1], "by": np.zeros_like(c[1]["by"])}, c[2]))(
           _opt_case(19, mem=0.3)) + (0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        if not grads[k].any():
            continue
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("temperature", "temperature that returns uniform probabilities above T = 100",
       [(np.array([0.0, 1000.0]), 1000.0)])
def _(logits, temperature):
    if temperature > 100:
        return np.full(len(logits), 1.0 / len(logits))
    return _softmax(logits / temperature)


@wrong("softmax", "softmax with a 1-D shortcut that skips the max subtraction",
       [(np.array([1000.0, 0.0]),)])
def _(y):
    if y.ndim == 1:
        return np.exp(y) / np.exp(y).sum()
    return _softmax(y)


# ---- memoising on part of the arguments, dtypes, other orders ---------------------------

_memo = {}


@wrong("forward", "forward memoised on the inputs alone answers new params with old results",
       [_fw(6, 4, 5, 30), (make_params(6, 4, 31),) + _fw(6, 4, 5, 30)[1:]])
def _(params, inputs, h0):
    key = ("forward", np.asarray(inputs).tobytes())
    if key not in _memo:
        _memo[key] = _forward_with(_softmax)(params, inputs, h0)
    return _memo[key]


@wrong("loss", "loss memoised on the targets alone answers new ps with an old loss",
       [_ps_targets(5, 4, 32), (_ps_targets(5, 4, 33)[0], _ps_targets(5, 4, 32)[1])])
def _(ps, targets):
    key = ("loss", np.asarray(targets).tobytes())
    if key not in _memo:
        _memo[key] = float(-np.log(ps[np.arange(len(targets)), targets]).sum())
    return _memo[key]


@wrong("rnn_step", "rnn_step memoised on x and h_prev ignores new params",
       [(_P, 1, np.full(5, 0.1)), (make_params(7, 5, 34), 1, np.full(5, 0.1))])
def _(params, x, h_prev):
    key = ("rnn_step", int(x), np.asarray(h_prev).tobytes())
    if key not in _memo:
        _memo[key] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
    return _memo[key]


@wrong("one_hot", "one_hot that returns booleans is not float", [(np.array([0, 2]), 3)])
def _(ids, V):
    return np.asarray(ids)[:, None] == np.arange(V)


@wrong("vocabulary", "vocabulary sorted by UTF-16 code units puts an emoji before U+FF01",
       [("\uff01\U0001F600",)])
def _(text):
    return "".join(sorted(set(text), key=lambda c: c.encode("utf-16-be")))


@right("vocabulary", "vocabulary sorted by UTF-8 bytes is right (same order as code points)")
def _(text):
    return "".join(sorted(set(text), key=lambda c: c.encode("utf-8")))


@right("softmax", "softmax of a float32 array computed in float64 is right")
def _(y):
    y64 = np.asarray(y, dtype=np.float64)
    e = np.exp(y64 - y64.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.result_type(y, np.float32))


@wrong("dlogits", "dlogits memoised on the targets alone answers new ps with an old dy",
       [_ps_targets(5, 4, 35), (_ps_targets(5, 4, 36)[0], _ps_targets(5, 4, 35)[1])])
def _(ps, targets):
    key = ("dlogits", np.asarray(targets).tobytes())
    if key not in _memo:
        _memo[key] = ps - np.eye(ps.shape[1])[targets]
    return _memo[key].copy()


@wrong("bptt", "bptt memoised on inputs and targets ignores new params",
       [_bptt_case(6, 4, 6, 37), (lambda c, d: (d[0],) + c[1:])(
           _bptt_case(6, 4, 6, 37), _bptt_case(6, 4, 6, 38))])
def _(params, inputs, targets, hs, ps):
    key = ("bptt", np.asarray(inputs).tobytes(), np.asarray(targets).tobytes())
    if key not in _memo:
        _memo[key] = _bptt_loop(params, inputs, targets, hs, ps)
    return {k: v.copy() for k, v in _memo[key].items()}


@wrong("temperature", "temperature memoised on the logits alone ignores a new temperature",
       [(np.array([0.0, 1.0, 2.0]), 1.0), (np.array([0.0, 1.0, 2.0]), 0.5)])
def _(logits, temperature):
    key = ("temperature", np.asarray(logits).tobytes())
    if key not in _memo:
        _memo[key] = _softmax(logits / temperature)
    return _memo[key].copy()


@wrong("softmax", "softmax that squeezes column vectors normalises down a (V, 1) column",
       [(np.array([[1.0], [2.0], [3.0]]),)])
def _(y):
    y = np.squeeze(y)
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).reshape(y.shape if y.ndim else (1,))


@wrong("top_k", "top_k memoised on the logits alone ignores a new k",
       [(np.array([4.0, 1.0, 3.0, 2.0]), 1), (np.array([4.0, 1.0, 3.0, 2.0]), 3)])
def _(logits, k):
    key = ("top_k", np.asarray(logits).tobytes())
    if key not in _memo:
        kth = np.sort(logits)[max(len(logits) - k, 0)]
        _memo[key] = _softmax(np.where(logits >= kth, logits, -np.inf))
    return _memo[key].copy()


@wrong("one_hot", "one_hot memoised on the ids alone ignores a new V",
       [(np.array([0, 2]), 3), (np.array([0, 2]), 5)])
def _(ids, V):
    key = ("one_hot", np.asarray(ids).tobytes())
    if key not in _memo:
        _memo[key] = np.eye(V)[ids]
    return _memo[key].copy()


@wrong("encode", "encode memoised on the text alone ignores a new vocabulary",
       [("ba", "ab"), ("ba", " ab")])
def _(text, chars):
    key = ("encode", text)
    if key not in _memo:
        _memo[key] = np.array([chars.index(c) for c in text], dtype=int)
    return _memo[key].copy()
