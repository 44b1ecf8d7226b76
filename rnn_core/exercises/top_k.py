"""Exercise `top_k` (notebook 06): only the k largest logits keep probability."""
import numpy as np

from ..forward import softmax
from .checking import case

NOTEBOOK = "06"
SIGNATURE = "fn(logits, k) -> probabilities (V,): only the k largest logits keep probability"
ARGS = ("logits", "k")
OUTPUT = "probabilities"
SUMS_TO_ONE = ("probabilities",)


def top_k(logits, k):
    """logits: (V,), k >= 1 -> probabilities (V,): softmax over the k largest logits, 0 elsewhere."""
    if k >= len(logits):
        k = len(logits)  # nothing to cut (rnn_core.sample allows any k >= 1)
    kth = np.sort(logits)[-k]  # the k-th largest logit
    z = np.where(logits >= kth, logits, -np.inf)  # exp(-inf) = 0
    e = np.exp(z - z.max())
    return e / e.sum()


def _want(y, k):
    y = np.asarray(y, dtype=np.float64)
    if k >= len(y):
        return softmax(y)
    kept = np.where(y >= np.sort(y)[-k], y, -np.inf)
    return softmax(kept)


def cases():
    rng = np.random.default_rng(13)
    out = []
    # (V, k, shift, kind): k = 1, k = V, k > V; logits near 800; integer logits; ties at the k-th largest;
    # V = 65; the same sizes twice; every logit near -20000 (a finite mask value such as -1000 or -1e4 is
    # then above the kept logits, not negligible)
    for V, k, shift, kind in [(7, 3, 0, ""), (7, 3, 0, ""), (13, 1, 0, ""), (5, 5, 0, ""), (9, 4, 800, ""),
                              (65, 10, 0, ""), (6, 9, 0, ""), (12, 5, 0, "int"),
                              (8, 3, 0, "ties"), (10, 2, -600, ""), (9, 3, -20000, "grid")]:
        y = rng.standard_normal(V) * 2 + shift
        if kind == "int":
            y = np.round(y * 2).astype(np.int64)
        if kind == "grid":  # multiples of 1/64, exact in float32 near 2e4: a float32 top_k loses nothing on input
            y = np.round(y * 64) / 64
        if kind == "ties":
            y = np.array([0.5, 2.0, -1.0, 1.0, 2.0, 1.0, -3.0, 1.0])  # the 3rd largest, 1.0, three times
        about = f"V={V}, k={k}" + (f", logits near {shift}" if shift else "")
        about += ", k > V" if k > V else ", k = V" if k == V else ""
        about += ", integer logits" if kind == "int" else ", ties at the k-th largest logit" if kind == "ties" else ""
        out.append(case((y, k), _want(y, k), about, V=V))
    y = np.array([4.0, 4.0, 4.0, 1.0, -2.0])
    out.append(case((y, 2), _want(y, 2), "V=5, k=2, three logits tied for the largest", V=5))
    # k = 1 with a tied largest logit; logits spanning thousands at k = V and k > V
    y = np.array([2.0, 5.0, 5.0, 1.0])
    out.append(case((y, 1), _want(y, 1), "V=4, k=1, two logits tied for the largest", V=4))
    y = np.array([1000.0, 2.0, -1500.0, 999.0, 0.0])
    out.append(case((y, 5), _want(y, 5), "V=5, k=5 = V, logits spanning 2500", V=5))
    out.append(case((y, 8), _want(y, 8), "V=5, k=8 > V, logits spanning 2500", V=5))
    return out


def explain(got_parts, c):
    """'dropped logits kept probability ...' when every dropped logit got one and the same probability (a finite
    value put in their place)."""
    (_, got), = got_parts
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return []
    want, y = np.asarray(c.want, dtype=float), np.asarray(c.args[0], dtype=float)
    if got.shape != want.shape:
        return []
    leak, dropped = np.flatnonzero((want == 0) & (got > 0)), np.flatnonzero(want == 0)
    # every dropped logit with one and the same probability: they were all replaced by one finite value
    if len(leak) < 2 or len(leak) != len(dropped) or not np.allclose(got[leak], got[leak[0]], rtol=1e-9, atol=0):
        return []
    i = leak[0]
    return [f"{len(leak)} dropped logits kept probability (probabilities[{i}] = {got[i]:.3g}, logit {y[i]:.6g}, below "
            f"the k-th largest {np.sort(y)[-c.args[1]]:.6g}): whatever replaces a dropped logit must lie below every "
            f"kept one, and here the kept ones go down to {y[want > 0].min():.6g}; a finite stand-in (0, -1000, "
            "-1e4) is not always below them, -np.inf is (exp(-inf) = 0)"]


def top_k_unnormalised(logits, k):
    p = softmax(logits)
    return np.where(logits >= np.sort(logits)[-min(k, len(logits))], p, 0.0)


def top_k_plus_one(logits, k):
    return top_k(logits, min(k + 1, len(logits)))


def top_k_strictly_greater(logits, k):
    z = np.where(logits > np.sort(logits)[-min(k, len(logits))], logits, -np.inf)
    e = np.exp(z - z.max())
    return e / e.sum()


def top_k_minus_one(logits, k):
    return top_k(logits, max(min(k, len(logits)) - 1, 1))


def top_k_smallest(logits, k):
    z = np.where(logits <= np.sort(logits)[min(k, len(logits)) - 1], logits, -np.inf)
    return softmax(z)


def top_k_zero_logits(logits, k):
    return softmax(np.where(logits >= np.sort(logits)[-min(k, len(logits))], logits, 0.0))


def vary(args):
    """The same logits (the same object) with another k."""
    logits, k = args
    return [("k", (logits, k - 1 if k > 1 else k + 1))]


MISTAKES = [
    ("top-k probabilities that are not renormalised",
     "after zeroing the others, the k kept probabilities must sum to 1 again", top_k_unnormalised),
    ("keeping k + 1 characters", "the k-th largest logit is np.sort(logits)[-k]: keep the logits >= it",
     top_k_plus_one),
    ("logits > the k-th largest instead of >=",
     "that drops the k-th largest itself and keeps k - 1 (none when k = 1). Fix: logits >= np.sort(logits)[-k]",
     top_k_strictly_greater),
    ("keeping k - 1 characters", "keep the logits >= the k-th largest, np.sort(logits)[-k]", top_k_minus_one),
    ("keeping the k smallest logits", "sorting is ascending: the k largest are at the end of np.sort(logits)",
     top_k_smallest),
    ("setting the dropped logits to 0 instead of -inf",
     "a logit of 0 still gets probability; exp(-inf) = 0", top_k_zero_logits),
]

HINTS = [
    "Find the k-th largest logit; every logit below it should end with probability exactly 0, and the "
    "rest should sum to 1. What value of a logit gives exp() = 0?",
    "Replace the logits below the k-th largest, then take a softmax of what is left. Two edges: k >= V "
    "(rnn_core.sample allows it), and logits that tie with the k-th largest (keep every one of them, as "
    "rnn_core does: all logits >= the k-th largest).",
]
