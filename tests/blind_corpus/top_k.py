"""06 top_k: logits: (V,), k >= 1 -> probabilities (V,), 0 outside the k largest logits (temperature 1).

Ties follow rnn_core.sampling: every logit equal to the k-th largest keeps its share, and
k >= V keeps everything (rnn_core.sample allows it)."""
import math

import numpy as np

from ._corpus import Calls, registrar

NAME = "top_k"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(logits, k):
    y = [float(v) for v in logits]
    V = len(y)
    kth = sorted(y, reverse=True)[min(k, V) - 1]
    m = max(y)
    e = [math.exp(v - m) if v >= kth else 0.0 for v in y]
    s = math.fsum(e)
    return np.array([v / s for v in e])


def public(logits, k):
    # the same masking as rnn_core.sampling.next_char_probs, on given logits
    import rnn_core
    y = np.asarray(logits, dtype=np.float64)
    if k < len(y):
        kth = np.sort(y)[len(y) - k]
        y = np.where(y < kth, -np.inf, y)
    return rnn_core.softmax(y)


Y = np.array([1.0, 3.0, 2.0, 0.5, -1.0])
TIE = np.array([2.0, 5.0, 2.0, 1.0])  # k = 2: the 2nd largest value, 2.0, appears twice


def _sm(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@wrong("crashes-for-k-above-V", args=(Y, 7), why="np.partition(y, -k)[-k] raises for k > V, which rnn_core.sample allows")
def top_k(logits, k):
    kth = np.partition(logits, -k)[-k]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("strictly-greater", args=(Y, 2), why="y > kth drops the k-th largest itself")
def top_k(logits, k):
    kth = np.sort(logits)[-k]
    return _sm(np.where(logits > kth, logits, -np.inf))


@wrong("argsort-exactly-k-on-ties", args=(TIE, 2), why="argsort()[-k:] keeps one of two tied logits and drops the other")
def top_k(logits, k):
    keep = np.argsort(logits)[-k:]
    z = np.full(len(logits), -np.inf)
    z[keep] = logits[keep]
    return _sm(z)


@wrong("not-renormalised", args=(Y, 2), why="softmax over all, then zeroes the rest without renormalising")
def top_k(logits, k):
    p = _sm(np.asarray(logits, dtype=float))
    p[np.argsort(logits)[:-k]] = 0
    return p


@wrong("zero-logits-not-minus-inf", args=(Y, 2), why="sets the other logits to 0, so they keep exp(0) of the mass")
def top_k(logits, k):
    z = np.array(logits, dtype=float)
    z[z < np.sort(z)[-k]] = 0
    return _sm(z)


@wrong("k-smallest", args=(Y, 2), why="np.sort(y)[k - 1] as threshold with <=: keeps the k smallest")
def top_k(logits, k):
    kth = np.sort(logits)[k - 1]
    return _sm(np.where(logits <= kth, logits, -np.inf))


@wrong("keeps-k-plus-one", args=(Y, 2), why="threshold np.sort(y)[-k - 1]: one too many")
def top_k(logits, k):
    kth = np.sort(logits)[max(len(logits) - k - 1, 0)]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("keeps-k-minus-one", args=(Y, 3), why="argsort()[-k + 1:]: one too few (and everything for k = 1)")
def top_k(logits, k):
    keep = np.argsort(logits)[-k + 1:]
    z = np.full(len(logits), -np.inf)
    z[keep] = logits[keep]
    return _sm(z)


@wrong("unguarded-exp", args=(np.array([1000.0, 999.0, 0.0]), 2), why="np.exp(y) / sum overflows for large logits")
def top_k(logits, k):
    kth = np.sort(logits)[-k]
    e = np.where(logits >= kth, np.exp(logits), 0.0)
    return e / e.sum()


@wrong("largest-magnitude", args=(np.array([-9.0, 1.0, 2.0, 0.0]), 2), why="sorts by |y|: a very negative logit counts as large")
def top_k(logits, k):
    keep = np.argsort(np.abs(logits))[-k:]
    z = np.full(len(logits), -np.inf)
    z[keep] = logits[keep]
    return _sm(z)


@wrong("masks-callers-logits", args=(Y, 2), why="logits[logits < kth] = -inf writes into the caller's array")
def top_k(logits, k):
    kth = np.sort(logits)[-k]
    logits[logits < kth] = -np.inf
    return _sm(logits)


@wrong("returns-masked-logits", args=(Y, 2), why="forgets the softmax")
def top_k(logits, k):
    kth = np.sort(logits)[-k]
    return np.where(logits >= kth, logits, 0.0)


@wrong("k-capped-at-V-minus-1", args=(Y, 5), why="k = min(k, V - 1) as a guard: k = V drops the smallest logit")
def top_k(logits, k):
    k = min(k, len(logits) - 1)
    kth = np.sort(logits)[-k]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("integer-logits-minus-inf", args=(np.array([3, 1, 2, 0]), 2), why="y = np.asarray(logits); y[mask] = -np.inf fails for integer logits")
def top_k(logits, k):
    y = np.asarray(logits)
    y = y.copy()
    y[y < np.sort(y)[-k]] = -np.inf
    return _sm(y)


_buf = {}


@wrong("returns-shared-buffer", args=Calls((Y, 2), (Y[::-1].copy(), 1)), why="one module-level output array per length, returned and overwritten")
def top_k(logits, k):
    out = _buf.setdefault(len(logits), np.zeros(len(logits)))
    kth = np.sort(logits)[-k] if k <= len(logits) else -np.inf
    out[:] = np.where(logits >= kth, np.exp(logits - np.max(logits)), 0.0)
    out /= out.sum()
    return out


@wrong("threshold-from-smallest", args=(Y, 2), why="np.partition(y, k)[k]: the (k+1)-th smallest as threshold")
def top_k(logits, k):
    kth = np.partition(logits, k)[k]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("distinct-values", args=(np.array([5.0, 5.0, 5.0, 1.0, 0.0]), 2), why="threshold np.unique(y)[-k] counts distinct values: ties let in more than k")
def top_k(logits, k):
    vals = np.unique(logits)
    kth = vals[-k] if k <= len(vals) else vals[0]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("hard-coded-V65", args=(Y, 2), why="np.sort(y)[65 - k]: Tiny Shakespeare's V written in")
def top_k(logits, k):
    kth = np.sort(logits)[65 - k]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@wrong("ties-broken-by-first-k", args=(np.array([4.0, 4.0, 4.0, 1.0]), 2), why="a loop that keeps the first k logits >= kth: drops the third tied one")
def top_k(logits, k):
    kth = sorted(logits, reverse=True)[min(k, len(logits)) - 1]
    z = np.full(len(logits), -np.inf)
    kept = 0
    for i, v in enumerate(logits):
        if v >= kth and kept < k:
            z[i] = v
            kept += 1
    return _sm(z)


@wrong("returns-indices", args=(Y, 2), why="returns the indices of the k largest logits, not a distribution")
def top_k(logits, k):
    return np.argsort(logits)[-k:]


@wrong("normalises-logits", args=(Y, 2), why="keeps the k largest logits and divides them by their sum: no exp")
def top_k(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    z = np.where(logits >= kth, logits, 0.0)
    return z / z.sum()


@wrong("sorts-callers-logits", args=(Y, 2), why="logits.sort() to find the k-th largest sorts the caller's array (and the answer's order)")
def top_k(logits, k):
    logits.sort()
    kth = logits[-min(k, len(logits))]
    return _sm(np.where(logits >= kth, logits, -np.inf))


@right("float32-cast-back", f32=True)
def top_k(logits, k):
    y = np.asarray(logits, dtype=np.float32)
    kth = np.sort(y)[max(len(y) - k, 0)]
    z = np.where(y >= kth, y, np.float32(-np.inf))
    e = np.exp(z - z.max())
    return (e / e.sum()).astype(np.float64)


@right("partition-guarded")
def top_k(logits, k):
    y = np.asarray(logits, dtype=np.float64)
    if k >= len(y):
        keep = np.ones(len(y), dtype=bool)
    else:
        keep = y >= np.partition(y, len(y) - k)[len(y) - k]
    e = np.where(keep, np.exp(y - y.max()), 0.0)
    return e / e.sum()


@right("sorted-loop")
def top_k(logits, k):
    y = [float(v) for v in logits]
    kth = sorted(y)[-min(k, len(y))]
    m = max(y)
    e = [math.exp(v - m) if v >= kth else 0.0 for v in y]
    s = sum(e)
    return np.array([v / s for v in e])


@right("log-sum-exp-mask")
def top_k(logits, k):
    y = np.asarray(logits, dtype=np.float64)
    kth = -np.sort(-y)[min(k, y.size) - 1]
    z = np.where(y >= kth, y, -np.inf)
    return np.exp(z - np.logaddexp.reduce(z))


@right("count-greater")
def top_k(logits, k):
    y = np.asarray(logits, dtype=np.float64)
    # keep y_i when fewer than k logits are strictly larger: ties at the k-th all stay
    larger = (y[None, :] > y[:, None]).sum(axis=1)
    e = np.where(larger < k, np.exp(y - y.max()), 0.0)
    return e / e.sum()


@right("mask-probabilities-then-renormalise")
def top_k(logits, k):
    y = np.asarray(logits, dtype=np.float64)
    p = np.exp(y - y.max())
    p /= p.sum()
    kth = np.sort(p)[::-1][min(k, p.size) - 1]
    p = np.where(p >= kth, p, 0.0)  # exp is increasing, so the same characters as on the logits
    return p / p.sum()


@right("heapq-nlargest-isin")
def top_k(logits, k):
    import heapq
    y = np.asarray(logits, dtype=np.float64)
    keep = np.isin(y, heapq.nlargest(k, y.tolist()))  # a tied k-th value keeps every copy
    e = np.where(keep, np.exp(y - y.max()), 0.0)
    return e / e.sum()


def random_args(rng):
    return [(rng.standard_normal(6), 2), (rng.standard_normal(65) * 3, 10), (rng.standard_normal(5), 5),
            (rng.standard_normal(5), 9), (np.array([2.0, 5.0, 2.0, 1.0]), 2), (np.array([3.0, 3.0, 3.0]), 1),
            (np.array([7, 1, 4, 4]), 2), (np.array([1e4, -1e4, 9999.0, 0.0]), 3), (np.array([1.5]), 1)]
