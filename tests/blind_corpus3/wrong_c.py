"""Third blind corpus, a second round aimed at long inputs, very negative logits and dicts
whose arrays are replaced rather than written into (see wrong_a.py for the format)."""
import unicodedata

import numpy as np

from .wrong_a import ids, params, probs, ref_softmax, wrong
from .wrong_b import bptt_case, bptt_loop, grads, opt_case, step_case


@wrong("vocabulary", "looks only at the first 200 characters", ("a" * 200 + "\u00e9",))
def vocab_prefix200(text):
    return "".join(sorted(set(text[:200])))


@wrong("encode", "encodes at most the first 1000 characters", ("ab" * 600, "abc"))
def encode_prefix(text, chars):
    index = {ch: i for i, ch in enumerate(chars)}
    return np.array([index[ch] for ch in text[:1000]], dtype=int)


@wrong("one_hot", "fills at most 1000 rows", (ids(1200, 5), 5))
def onehot_prefix(ids, V):
    out = np.zeros((len(ids), V))
    n = min(len(ids), 1000)
    out[np.arange(n), np.asarray(ids)[:n]] = 1
    return out


@wrong("softmax", "subtracts the global max once the input has more than two axes",
       (np.array([[[1000.0, 999.0]], [[-1000.0, -1001.0]]]),))
def softmax_3d_global(y):
    if y.ndim <= 2:
        e = np.exp(y - y.max(axis=-1, keepdims=True))
    else:
        e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "subtracts the max only when it is positive, so very negative rows give 0 / 0",
       (np.array([-1000.0, -1001.0]),))
def softmax_shift_if_positive(y):
    m = y.max(axis=-1, keepdims=True)
    e = np.exp(y - np.maximum(m, 0))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("forward", "allocates buffers for at most 100 steps", (params(4, 3), ids(120, 4), np.zeros(3)))
def fwd_max100(params, inputs, h0):
    T = len(inputs)
    hs = np.zeros((T + 1, len(h0)))
    ps = np.full((T, len(params["by"])), 1.0 / len(params["by"]))
    hs[0] = h0
    for t in range(min(T, 100)):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        ps[t] = ref_softmax(params["Why"] @ hs[t + 1] + params["by"])
    return hs, ps


@wrong("loss", "scores at most the first 1000 steps", (probs(1200, 65), ids(1200, 65)))
def loss_prefix(ps, targets):
    n = min(1000, len(targets))
    return float(-np.sum(np.log(ps[np.arange(n), targets[:n]])))


@wrong("dlogits", "subtracts the 1 in at most the first 1000 rows", (probs(1200, 5), ids(1200, 5)))
def dly_prefix(ps, targets):
    dy = ps.copy()
    n = min(1000, len(targets))
    dy[np.arange(n), targets[:n]] -= 1
    return dy


@wrong("bptt", "backpropagates at most 50 steps (truncated 'for stability')", bptt_case(T=60))
def bp_last50(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, last=50)


@wrong("bptt", "stops dhnext after 30 steps back", bptt_case(T=45))
def bp_dhnext_30(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    T = len(inputs)
    for n, t in enumerate(reversed(range(T))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + (dhnext if n < 30 else 0))
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("rmsprop_step", "replaces params[k] rather than writing into it", opt_case() + (0.1, 0.9))
def rms_param_rebind(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("clip_global_norm", "replaces the arrays in the dict instead of scaling them", (grads(), 5.0))
def gn_replace(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    if norm > max_norm:
        for k in grads:
            grads[k] = grads[k] * (max_norm / norm)


@wrong("adagrad_step", "builds new dicts' arrays with np.add (no out=) for both",
       opt_case() + (0.1,))
def ada_both_rebind(params, grads, memory, lr):
    for k in params:
        memory[k] = np.add(memory[k], grads[k] ** 2)
        params[k] = np.subtract(params[k], lr * grads[k] / np.sqrt(memory[k] + 1e-8))


@wrong("temperature", "subtracts the max only when it is positive, so very negative logits give 0 / 0",
       (np.array([-800.0, -801.0, -805.0]), 1.0))
def tmp_shift_if_positive(logits, temperature):
    y = logits / temperature
    e = np.exp(y - max(y.max(), 0))
    return e / e.sum()


@wrong("top_k", "masks with -1e4, above kept logits near -2e4",
       (np.array([-20000.0, -19990.0, -19995.0]), 1))
def tk_minus_1e4(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    return ref_softmax(np.where(logits >= kth, logits, -1e4))


@wrong("top_k", "cuts strictly above the (k+1)-th logit, dropping ties at the k-th",
       (np.array([3.0, 1.0, 1.0, 0.0]), 2))
def tk_k_plus_1(logits, k):
    if k >= len(logits):
        return ref_softmax(logits)
    cut = np.sort(logits)[-(k + 1)]
    return ref_softmax(np.where(logits > cut, logits, -np.inf))


@wrong("clip", "clips at most the first 1000 elements of each array",
       ({"Wxh": np.full((40, 30), 9.0), "by": np.full(3, -9.0)}, 5.0))
def clip_prefix(grads, limit):
    for g in grads.values():
        flat = g.reshape(-1)
        np.clip(flat[:1000], -limit, limit, out=flat[:1000])


# ------------------------------------------------------------------ answers remembered by size

@wrong("vocabulary", "sorts an accented letter next to its base letter",
       ("f\u00e9e",))
def vocab_accent_sort(text):
    return "".join(sorted(set(text), key=lambda c: (unicodedata.normalize("NFD", c), c)))


@wrong("loss", "remembers its answer by the shape of ps",
       (probs(4, 5), ids(4, 5)), (probs(4, 5, seed=1), ids(4, 5, seed=1)), fresh=True)
def loss_cached_by_shape():
    cache = {}

    def loss(ps, targets):
        if ps.shape not in cache:
            cache[ps.shape] = float(-np.sum(np.log(ps[np.arange(len(targets)), targets])))
        return cache[ps.shape]
    return loss


@wrong("softmax", "remembers its answer by the shape of y",
       (np.array([1.0, 2.0]),), (np.array([2.0, 1.0]),), fresh=True)
def softmax_cached_by_shape():
    cache = {}

    def softmax(y):
        if y.shape not in cache:
            cache[y.shape] = ref_softmax(y)
        return cache[y.shape].copy()
    return softmax


@wrong("bptt_step", "keeps one dWxh array and adds into it on every call",
       step_case(), step_case(seed=1), fresh=True)
def bs_kept_dwxh():
    kept = {}

    def bptt_step(params, x, h_prev, h, dy, dhnext):
        dh = params["Why"].T @ dy + dhnext
        da = (1 - h * h) * dh
        dWxh = kept.setdefault(params["Wxh"].shape, np.zeros_like(params["Wxh"]))
        dWxh[:, x] += da
        return ({"Wxh": dWxh.copy(), "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h),
                 "bh": da, "by": dy.copy()}, params["Whh"].T @ da)
    return bptt_step


@wrong("top_k", "remembers the order of the logits from the first call of each length",
       (np.array([3.0, 1.0, 2.0]), 1), (np.array([1.0, 3.0, 2.0]), 1), fresh=True)
def tk_cached_order():
    cache = {}

    def top_k(logits, k):
        order = cache.setdefault(len(logits), np.argsort(logits))
        y = np.full(len(logits), -np.inf)
        keep = order[-min(k, len(logits)):]
        y[keep] = logits[keep]
        return ref_softmax(y)
    return top_k


# ------------------------------------------------------------------ one-long sequences squeezed

@wrong("encode", "squeezes its result, so one character gives a 0-d array", ("b", "ab"))
def encode_squeeze(text, chars):
    return np.array([chars.index(c) for c in text], dtype=int).squeeze()


@wrong("one_hot", "squeezes its result, so one id gives a (V,) row", (np.array([2]), 4))
def onehot_squeeze(ids, V):
    return np.eye(V)[ids].squeeze()


@wrong("forward", "squeezes ps, so one step gives a (V,) row",
       (params(4, 3), np.array([1]), np.zeros(3)))
def fwd_squeeze(params, inputs, h0):
    hs, ps = [h0], []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        ps.append(ref_softmax(params["Why"] @ hs[-1] + params["by"]))
    return np.array(hs), np.array(ps).squeeze()


@wrong("dlogits", "squeezes dy, so one step gives a (V,) row", (probs(1, 4), np.array([3])))
def dly_squeeze(ps, targets):
    dy = ps.copy()
    dy[np.arange(len(targets)), targets] -= 1
    return dy.squeeze()


@wrong("bptt", "squeezes the gradients, so H = 1 gives (1,) shapes for Whh",
       bptt_case(V=4, H=1, T=3))
def bp_squeeze(params, inputs, targets, hs, ps):
    return {k: v.squeeze() for k, v in bptt_loop(params, inputs, targets, hs, ps).items()}
