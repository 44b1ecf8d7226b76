"""Exercise `clip_global_norm` (notebook 05): scale every gradient by one factor, in place."""
import copy

import numpy as np

from ..optim import clip_global_norm as library_clip_global_norm
from . import data
from .checking import case

NOTEBOOK = "05"
SIGNATURE = ("fn(grads, max_norm) -> None: if the norm of all gradients together exceeds max_norm, scale "
             "every array by the same factor so that it equals max_norm; in place. max_norm = 0 allows no "
             "gradient at all: every element becomes 0 (as clip does at limit 0); raising a ValueError for "
             "it, as rnn_core does, is also right")
ARGS = ("grads", "max_norm")
CHANGES = ("grads",)
# the caller's own arrays must change, not only the dict: min-char-rnn clips the arrays its loop holds
# (for dparam in [dWxh, ...]: np.clip(dparam, -5, 5, out=dparam)), and a new array under the key misses them
SAME_ARRAYS = True


def clip_global_norm(grads, max_norm):
    """In place: scale all gradients together so that sqrt(sum of every g**2) is at most max_norm."""
    norm = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm  # the same factor for every array keeps the direction


def cases():
    rng = np.random.default_rng(14)
    out = []
    # (V, H, max_norm, scale): a norm far above max_norm, one below it (nothing changes), one array much
    # larger than the others (its own norm is not the global one), the same sizes twice, an int max_norm,
    # keys in another order
    for V, H, max_norm, scale, kind in [(5, 3, 5.0, 3.0, ""), (7, 4, 1.0, 2.0, ""), (7, 4, 50.0, 0.5, ""),
                                        (13, 8, 3, 1.0, "one big"), (65, 10, 5.0, 1.0, "order")]:
        grads = data.grads(rng, V, H, scale)
        if kind == "one big":
            grads["by"] *= 40
        if kind == "order":
            grads = data.reordered(grads)
        want = copy.deepcopy(grads)
        norm = library_clip_global_norm(want, float(max_norm))
        about = f"V={V}, H={H}, max_norm={max_norm!r}, global norm {norm:.3g}"
        about += ", one array much larger than the rest" if kind == "one big" else \
            ", keys in another order" if kind == "order" else ""
        out.append(case((grads, max_norm), {"grads": want}, about, V=V, H=H))
    # global norms set exactly: 0 (all-zero gradients); between sqrt(max_norm) and max_norm, and between
    # max_norm and sqrt(max_norm) for max_norm < 1 (where norm**2 and norm disagree on which side they
    # are); a tiny max_norm, where adding 1e-6 to the norm shows
    for V, H, max_norm, norm in [(5, 3, 5.0, 0.0), (6, 4, 9.0, 5.0), (6, 4, 0.25, 0.4), (7, 3, 1e-3, 2e-3),
                                 (5, 4, 2.0, 2.0 * (1 + 1e-4))]:
        grads = data.grads(rng, V, H, 1.0)
        total = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
        for g in grads.values():
            g *= norm / total
        want = copy.deepcopy(grads)
        library_clip_global_norm(want, float(max_norm))
        about = f"V={V}, H={H}, max_norm={max_norm!r}, " + ("every gradient 0" if norm == 0 else f"global norm {norm:.6g}")
        out.append(case((grads, max_norm), {"grads": want}, about, V=V, H=H))
    grads = {"W": np.array([[3.0, -4.0], [0.0, 12.0]]), "b": np.array([0.0, 0.0])}  # norm 13
    want = copy.deepcopy(grads)
    library_clip_global_norm(want, 6.5)
    out.append(case((grads, 6.5), {"grads": want}, "max_norm=6.5, global norm 13, arrays named 'W' and 'b'"))
    # max_norm = 0: the limit of the rule (a norm of at most 0 is the zero vector), as clip at limit 0;
    # rnn_core refuses 0 (ValueError), and a function that does the same is right too
    grads = data.grads(rng, 6, 3, 1.0)
    want = copy.deepcopy(grads)
    clip_global_norm(want, 0.0)
    assert not any(g.any() for g in want.values())
    out.append(case((grads, 0.0), {"grads": want}, "V=6, H=3, max_norm=0.0 (every gradient becomes 0)", V=6, H=3))
    out[-1].extra["may_refuse"] = (ValueError,)
    # a diverging run's gradients, about 1e20: their squares (1e40) are fine in float64 and overflow
    # float32 (largest ~3.4e38), so a norm summed in float32 becomes inf and scales everything to 0
    grads = data.grads(np.random.default_rng(15), 6, 4, 1e20)
    want = copy.deepcopy(grads)
    norm = library_clip_global_norm(want, 5.0)
    out.append(case((grads, 5.0), {"grads": want}, f"V=6, H=4, max_norm=5.0, gradients near 1e20 (global norm "
                    f"{norm:.3g})", V=6, H=4))
    return out


def explain(got_parts, c):
    """'every array is off by the same factor ...' when the direction is right and only the scale differs."""
    ratios = []
    for (_, got), (k, want) in zip(got_parts, [(k, v) for k, v in c.want["grads"].items()]):
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        if got.shape != want.shape or not np.isfinite(got).all() or not np.abs(want).sum():
            return []
        ratios.append(float((got * want).sum() / (want * want).sum()))
    if not ratios or max(ratios) - min(ratios) > 1e-9 * max(abs(r) for r in ratios):
        return []
    grads = c.args[0]
    norm = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    return [f"every array is off by the same factor {ratios[0]:.9g} (the global norm of this case is "
            f"{norm:.6g}, max_norm {c.args[1]!r}): the direction is right; the factor must be exactly "
            "max_norm / norm when norm > max_norm (nothing added to the norm) and 1 otherwise"]


def clip_each_array_by_its_norm(grads, max_norm):
    for g in grads.values():
        n = np.sqrt((g * g).sum())
        if n > max_norm:
            g *= max_norm / n


def clip_elementwise_instead(grads, max_norm):
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)


def clip_without_square_root(grads, max_norm):
    total = sum((g * g).sum() for g in grads.values())
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total


def clip_always(grads, max_norm):
    norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
    for g in grads.values():
        g *= max_norm / norm


def clip_with_a_float32_norm(grads, max_norm):
    norm = np.sqrt(sum((g.astype(np.float32) ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


def vary(args):
    """The same grads (the same dict and arrays) with a smaller max_norm."""
    grads, max_norm = args
    return [("max_norm", (grads, max_norm / 4))]


MISTAKES = [
    ("each array scaled by its own norm",
     "the global norm is one number for all the arrays together, sqrt of the sum of every g**2: one factor "
     "for every array keeps the direction of the whole gradient", clip_each_array_by_its_norm),
    ("clipping each element instead of the norm",
     "that is the exercise before: it changes the direction. Here every array is multiplied by the same "
     "factor, max_norm / norm", clip_elementwise_instead),
    ("the sum of squares where its square root (the norm) is asked",
     "the norm is sqrt(sum of g**2)", clip_without_square_root),
    ("scaling even when the norm is already below max_norm",
     "a gradient inside the limit stays as it is: scale only when norm > max_norm", clip_always),
    ("the norm summed in float32",
     "squares of gradients above ~1.8e19 overflow float32 to inf, the norm becomes inf and every gradient 0. "
     "Fix: sum the squares in float64 (the gradients' own type)", clip_with_a_float32_norm),
]

HINTS = [
    "Treat all the arrays of grads as one long vector: what is its length (its norm)? If it is longer than "
    "max_norm, what single number must every element be multiplied by to make it max_norm long?",
    "Sum g**2 over every array, take the square root once, and compare. Then change each array where it is "
    "(g *= ..., so the dict sees it). What should happen when the norm is already small enough?",
]
