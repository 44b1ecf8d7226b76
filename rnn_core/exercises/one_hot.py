"""Exercise `one_hot` (notebook 01): ids -> rows with a single 1."""
import numpy as np

from ..encoding import one_hot as library_one_hot
from . import data
from .checking import case

NOTEBOOK = "01"
SIGNATURE = "fn(ids, V) -> (N, V) float: row n is the one-hot vector of ids[n]"
ARGS = ("ids", "V")
OUTPUT = "one-hot"


def one_hot(ids, V):
    """ids: (N,) int -> (N, V) float, a single 1 in row n at column ids[n]."""
    x = np.zeros((len(ids), V))
    x[np.arange(len(ids)), ids] = 1.0
    return x


def cases():
    rng = np.random.default_rng(1)
    out = []
    # (N, V, highest id + 1, dtype): ids that stop short of V - 1, V = 65 as in Tiny Shakespeare,
    # one id, small integer types
    for N, V, top, dtype in [(6, 5, 5, np.int64), (6, 5, 5, np.int64), (9, 65, 40, np.int64), (1, 3, 3, np.int64),
                             (12, 13, 13, np.int32), (7, 70, 50, np.uint8), (6, 8, 8, np.int64),
                             (9, 300, 300, np.int64), (1500, 65, 65, np.int64)]:
        ids = data.ids(rng, V, N, top).astype(dtype)
        about = f"N={N}, V={V}" + (f", ids only up to {ids.max()}" if ids.max() < V - 1 else "")
        about += f", ids of dtype {np.dtype(dtype).name}" if dtype != np.int64 else ""
        out.append(case((ids, V), library_one_hot(ids.astype(np.int64), V), about, N=N, V=V))
    out.append(case((np.array([], dtype=np.int64), 4), np.zeros((0, 4)), "N=0 (no ids), V=4", N=0, V=4))
    return out


def notes(got_parts, value, c):
    arr = np.asarray(value) if isinstance(value, np.ndarray) else None
    if arr is not None and not np.issubdtype(arr.dtype, np.floating):
        return [f"your one-hot holds {arr.dtype} values, expected floats"]
    return []


def explain(got_parts, c):
    (_, got), = got_parts
    got = np.asarray(got) if not isinstance(got, str) else None
    ids, V = c.args
    if got is None or got.shape != (len(ids), V):
        if got is not None and got.ndim == 2 and got.shape[0] == len(ids) and got.shape[1] == ids.max() + 1:
            return [f"your one-hot has {got.shape[1]} columns, ids.max() + 1: V is given as an argument, and "
                    f"the ids of one text need not reach V - 1 (here V = {V}, the largest id {ids.max()})"]
        return []
    for n, row in enumerate(got):
        if not np.array_equal(row, np.eye(V)[ids[n]]):
            ones = np.flatnonzero(row == 1)
            landed = (f"the 1 landed in column {ones[0]}" if len(ones) == 1 else
                      f"it has {len(ones)} ones" if len(ones) else "it has no 1")
            return [f"row {n}: {landed}, expected a single 1 in column {ids[n]} (ids[{n}] = {ids[n]})"]
    return []


def one_hot_columns_only(ids, V):
    x = np.zeros((len(ids), V))
    x[:, ids] = 1.0
    return x


def one_hot_V_from_ids(ids, V):
    return one_hot(ids, int(np.max(ids)) + 1)


def one_hot_uint8(ids, V):
    return np.eye(V, dtype=np.uint8)[ids]


def vary(args):
    """The same ids (the same object) with a larger V."""
    ids, V = args
    return [("V", (ids, V + 3))]


MISTAKES = [
    ("x[:, ids] = 1, which puts every id in every row",
     "index rows and columns together: x[np.arange(len(ids)), ids] = 1", one_hot_columns_only),
    ("taking V from the ids (ids.max() + 1) instead of the argument",
     "a text need not contain the last character of the vocabulary: use the V you are given",
     one_hot_V_from_ids),
    ("a one-hot of uint8 or bool", "arithmetic on it goes wrong (2 * x - 1 gives 255 in uint8): return float64, "
     "as np.zeros((len(ids), V)) makes", one_hot_uint8),
]

HINTS = [
    "Start from an array of zeros: how many rows, how many columns? Each row then gets one 1.",
    "Row n needs its 1 in column ids[n]. numpy can index row n and column ids[n] for every n at once "
    "if you give it two arrays of the same length: which array lists the row numbers?",
]
