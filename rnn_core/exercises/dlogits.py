"""Exercise `dlogits` (notebook 03): the gradient of the summed loss at the logits."""
import numpy as np

from ..encoding import one_hot
from . import data
from .loss import ps_cases

NOTEBOOK = "03"
SIGNATURE = ("fn(ps, targets) -> dy: (T, V) = p - onehot(target), the gradient of the summed loss w.r.t. the "
             "logits; T >= 1 (an empty sequence is outside the contract, as in forward)")
ARGS = ("ps", "targets")
OUTPUT = "dy"


def dlogits(ps, targets):
    """ps: (T, V), targets: (T,) int -> dy: (T, V) = p - onehot(target), d loss / d logits."""
    dy = ps.copy()  # a copy: the caller's ps must not change
    dy[np.arange(len(targets)), targets] -= 1
    return dy


def cases():
    return ps_cases(6, lambda ps, targets: ps - one_hot(targets, ps.shape[1]))


def dlogits_sign_flipped(ps, targets):
    return -dlogits(ps, targets)


def dlogits_mean(ps, targets):
    return dlogits(ps, targets) / len(targets)


def dlogits_columns_only(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


def dlogits_with_uint8_targets(ps, targets):
    return dlogits(ps, np.asarray(targets).astype(np.uint8))


def vary(args):
    """The same targets (the same object) with other ps: each row's probabilities moved one column on."""
    ps, targets = args
    return [("ps", (np.roll(ps, 1, axis=-1), targets))]


MISTAKES = [
    ("the sign flipped (onehot - p)", "the gradient is p - onehot(target)", dlogits_sign_flipped),
    ("the gradient of the mean loss", "the loss is summed. Fix: drop the division by T", dlogits_mean),
    ("dy[:, targets] -= 1, which subtracts in every row",
     "index rows and columns together: dy[np.arange(T), targets] -= 1", dlogits_columns_only),
    ("the targets cast to uint8", data.UINT8, dlogits_with_uint8_targets),
]

HINTS = [
    "Notebook 03 derived it: the gradient of -log softmax(y)[target] with respect to y is p minus "
    "the one-hot vector of the target. Start from a copy of ps: why a copy?",
    "In row t, only one entry changes: which column, and by how much? Index every row at once with "
    "two arrays (row numbers, targets).",
]
