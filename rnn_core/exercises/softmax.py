"""Exercise `softmax` (notebook 02): probabilities along the last axis, safe for large logits."""
import numpy as np

from ..forward import softmax as library_softmax
from .checking import case

NOTEBOOK = "02"
SIGNATURE = "fn(y) -> probabilities along the last axis, same shape as y (any leading shape)"
ARGS = ("y",)
OUTPUT = "probabilities"
SUMS_TO_ONE = ("probabilities",)


def softmax(y):
    """y: (..., V) logits -> (..., V) probabilities along the last axis."""
    # subtract each row's max: exp() of a large logit overflows to inf
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cases():
    rng = np.random.default_rng(2)
    mixed = np.stack([1000 + rng.standard_normal(6), rng.standard_normal(6), -1000 + rng.standard_normal(6)])
    wide = np.array([[-3000.0, 0.5, 2.0, -1.0], [4.0, 4.0, -2500.0, 3.0], [-800.0, -805.0, -2000.0, -790.0]])
    ys = [(rng.standard_normal(5) * 2, "shape (5,)"),
          (rng.standard_normal((4, 7)) * 3, "shape (4, 7)"),
          (rng.standard_normal((4, 7)) * 3, "shape (4, 7) again, other logits"),
          (rng.standard_normal((2, 3, 5)) * 3, "shape (2, 3, 5)"),
          (np.array([1000.0, 999.0, 990.0, 1001.5, 0.0]), "shape (5,), logits up to 1001.5"),
          (mixed, "shape (3, 6), rows near +1000, 0 and -1000"),
          (wide, "shape (3, 4), rows spanning thousands"),
          (rng.integers(-5, 6, size=(3, 65)), "shape (3, 65), integer logits"),
          (np.array([[2.0, 2.0, 2.0], [0.0, 0.0, 0.0]]), "shape (2, 3), ties and exact zeros"),
          ((rng.standard_normal((5, 9)) * 4).astype(np.float32), "shape (5, 9), float32 logits"),
          (rng.standard_normal((6, 1)), "shape (6, 1), one logit per row"),
          (np.stack([mixed[:, :4], wide[::-1]]), "shape (2, 3, 4), rows near +1000, 0 and -1000 and rows spanning "
                                                 "thousands")]
    # no empty batch (shape (0, V)): np.apply_along_axis refuses one, and a softmax built on it is right
    # everywhere a model calls softmax (the first blind corpus counts it right)
    return [case((y,), library_softmax(np.asarray(y, dtype=np.float64)), about) for y, about in ys]


def softmax_without_max(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_global_max(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_over_everything(y):
    e = np.exp(y - y.max())
    return e / e.sum()


def softmax_over_everything_after_row_max(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum()


def softmax_first_axis(y):
    e = np.exp(y - y.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_minus_mean(y):
    e = np.exp(y - y.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_minus_min(y):
    e = np.exp(y - y.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


_OVER_EVERYTHING = "each row (the last axis) must sum to 1. Fix: e.sum(axis=-1, keepdims=True)"
_SHIFT = ("only the max makes every exponent <= 0: exp() of a row spanning thousands overflows "
          "(or underflows to all zeros) otherwise. Fix: y - y.max(axis=-1, keepdims=True)")

MISTAKES = [
    ("a softmax without subtracting the max",
     "a large logit overflows exp() to inf, and inf / inf is NaN. "
     "Fix: e = np.exp(y - y.max(axis=-1, keepdims=True))", softmax_without_max),
    ("subtracting the max of the whole array instead of each row's",
     "a row far below the overall max underflows to all zeros and 0 / 0 is NaN. "
     "Fix: y.max(axis=-1, keepdims=True)", softmax_global_max),
    ("normalising over the whole array instead of each row", _OVER_EVERYTHING, softmax_over_everything),
    ("normalising over the whole array instead of each row", _OVER_EVERYTHING,
     softmax_over_everything_after_row_max),
    ("a softmax along the first axis", "the characters are the last axis. Fix: axis=-1 in max and sum",
     softmax_first_axis),
    ("subtracting the mean instead of the max", _SHIFT, softmax_minus_mean),
    ("subtracting the min instead of the max", _SHIFT, softmax_minus_min),
]

HINTS = [
    "softmax(y) = softmax(y - c) for any number c. Which c makes sure exp() never sees a number above 0?",
    "Take that c per row: a max along the last axis, kept as an axis of length 1 so that y - c broadcasts. "
    "Then exponentiate and divide by the sum along the same axis (also kept).",
]
