"""Exercise `clip` (notebook 05): elementwise gradient clipping, in place."""
import copy

import numpy as np

from ..optim import clip_elementwise
from . import data
from .checking import case

NOTEBOOK = "05"
SIGNATURE = ("fn(grads, limit) -> None: clips every element to [-limit, limit], in place. limit = 0 allows "
             "no gradient at all: every element becomes 0 (as clip_global_norm does at max_norm 0); raising "
             "a ValueError for it, as rnn_core does, is also right")
ARGS = ("grads", "limit")
CHANGES = ("grads",)
# the caller's own arrays must change, not only the dict: min-char-rnn clips the arrays its loop holds
# (for dparam in [dWxh, ...]: np.clip(dparam, -5, 5, out=dparam)), and a new array under the key misses them
SAME_ARRAYS = True


def clip(grads, limit):
    """Clip every element of every array in grads to [-limit, limit], in place."""
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)  # out=g: change the array the dict holds


def cases():
    rng = np.random.default_rng(9)
    out = []
    # (V, H, limit, scale): both sides beyond the limit; values exactly at the limit; an int limit;
    # nothing to clip; the same sizes twice; grads with the keys in another order; min-char-rnn's size
    # (H=100, V=65: Wxh has 6,500 elements) with values beyond the limit only at the
    # first and last elements of Wxh (a function that clips a prefix misses the last)
    for V, H, limit, scale, order in [(5, 3, 5.0, 6.0, False), (7, 4, 1.0, 2.0, False), (7, 4, 0.5, 0.3, True),
                                      (13, 8, 3, 2.0, False), (65, 10, 5.0, 100.0, True), (4, 6, 50.0, 1.0, False),
                                      (5, 3, 0.0, 1.0, False), (65, 100, 5.0, 1.0, False)]:
        grads = data.grads(rng, V, H, scale)
        grads["Wxh"][0, 0], grads["Wxh"][-1, -1] = 3 * limit, -3 * limit
        grads["by"][0], grads["bh"][-1] = limit, -limit
        if order:
            grads = data.reordered(grads)
        want = copy.deepcopy(grads)
        # a limit of 0 (every gradient becomes 0) is outside rnn_core's contract, not the exercise's
        (clip_elementwise if limit else clip)(want, float(limit))
        about = f"V={V}, H={H}, limit={limit!r}" + (", keys in another order" if order else "")
        out.append(case((grads, limit), {"grads": want}, about, V=V, H=H))
        if not limit:  # rnn_core refuses a limit of 0 (ValueError): a function that does the same is right too
            out[-1].extra["may_refuse"] = (ValueError,)
    grads = {"W": np.array([[9.0, -9.0], [0.5, 2.0]]), "b": np.array([-0.25, 7.0])}
    want = copy.deepcopy(grads)
    clip_elementwise(want, 2.0)
    out.append(case((grads, 2.0), {"grads": want}, "limit=2.0, arrays named 'W' and 'b'"))
    return out


def clip_by_global_norm(grads, limit):
    norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
    if norm > limit:
        for g in grads.values():
            g *= limit / norm


def clip_upper_side_only(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


def clip_rebinding(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841 -- the mistake: a new array, the dict keeps the old one


def clip_to_zero_one(grads, limit):
    for g in grads.values():
        np.clip(g, 0, limit, out=g)


def vary(args):
    """The same grads (the same dict and arrays) with a smaller limit."""
    grads, limit = args
    return [("limit", (grads, limit / 4))]


MISTAKES = [
    ("clipping by the global norm instead of elementwise",
     "that scales every gradient together; this exercise clips each element on its own. "
     "Fix: np.clip(g, -limit, limit, out=g)", clip_by_global_norm),
    ("clipping only the positive side",
     "large negative gradients must be clipped too. Fix: np.clip(g, -limit, limit, out=g)", clip_upper_side_only),
    ("g = np.clip(...), which makes a new array",
     "the dict still holds the old one. Fix: np.clip(g, -limit, limit, out=g)", clip_rebinding),
    ("clipping to [0, limit] instead of [-limit, limit]",
     "a negative gradient is as useful as a positive one: keep it, only cut its size. "
     "Fix: np.clip(g, -limit, limit, out=g)", clip_to_zero_one),
]

HINTS = [
    "After the call, the caller's arrays must hold the clipped values: change each array where it is (a new "
    "array put back under its key leaves the caller's array as it was). Which numpy function limits values "
    "to a range?",
    "np.clip can write its result into an existing array (its out= argument). Loop over the arrays of the "
    "dict: which two bounds?",
]
