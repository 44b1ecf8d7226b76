"""01 one_hot: ids: (N,) int -> (N, V) float: row n is 0 except a 1 at column ids[n]."""
import numpy as np

from ._corpus import Calls, registrar

NAME = "one_hot"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(ids, V):
    ids = [int(i) for i in ids]
    out = np.zeros((len(ids), V))
    for n, i in enumerate(ids):
        out[n, i] = 1.0
    return out


def public(ids, V):
    import rnn_core
    return rnn_core.one_hot(np.asarray(ids, dtype=np.intp), V)


@wrong("V-from-max-id", args=(np.array([0, 1, 1]), 4), why="V taken from ids.max() + 1: 2 columns when ids never reach V - 1")
def one_hot(ids, V):
    ids = np.asarray(ids)
    return np.eye(ids.max() + 1)[ids]


@wrong("uint8-output", args=(np.array([2, 0]), 3), why="np.zeros(..., dtype=np.uint8) to save memory: 2*x - 1 wraps to 255")
def one_hot(ids, V):
    out = np.zeros((len(ids), V), dtype=np.uint8)
    out[np.arange(len(ids)), ids] = 1
    return out


@wrong("bool-output", args=(np.array([1, 2]), 3), why="a boolean mask (ids[:, None] == arange(V)) is not a float matrix")
def one_hot(ids, V):
    return np.asarray(ids)[:, None] == np.arange(V)


@wrong("int-list-output", args=(np.array([0, 2]), 3), why="seed 000's lists of 0 and 1 turned into an int array")
def one_hot(ids, V):
    rows = []
    for ix in ids:
        letter = [0 for _ in range(V)]
        letter[ix] = 1
        rows.append(letter)
    return np.array(rows)


@wrong("transposed", args=(np.array([0, 1, 2]), 4), why="column vectors as in the seeds: (V, N) instead of (N, V)")
def one_hot(ids, V):
    out = np.zeros((V, len(ids)))
    out[ids, np.arange(len(ids))] = 1
    return out


@wrong("ids-one-based", args=(np.array([0, 1]), 3), why="puts the 1 at column ids[n] - 1, so id 0 lands in the last column")
def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    for n, i in enumerate(ids):
        out[n, i - 1] = 1
    return out


@wrong("eye-of-N", args=(np.array([0, 1, 2]), 5), why="np.eye(len(ids)) instead of np.eye(V)")
def one_hot(ids, V):
    return np.eye(len(ids))[ids]


@wrong("hard-coded-V65", args=(np.array([0, 3]), 4), why="65 columns, Tiny Shakespeare's V, whatever V is")
def one_hot(ids, V):
    out = np.zeros((len(ids), 65))
    out[np.arange(len(ids)), ids] = 1
    return out


_cache = {}


@wrong("buffer-reused-by-shape", args=Calls((np.array([0, 1]), 3), (np.array([2, 2]), 3)),
       why="a zero matrix cached per shape and never cleared: the 1s of the first call stay, and both calls return the same array")
def one_hot(ids, V):
    key = (len(ids), V)
    if key not in _cache:
        _cache[key] = np.zeros(key)
    out = _cache[key]
    out[np.arange(len(ids)), ids] = 1
    return out


@wrong("whole-columns", args=(np.array([0, 1]), 3), why="out[:, ids] = 1 sets those columns in every row")
def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    out[:, ids] = 1
    return out


_EYE = np.eye(64)


@wrong("identity-of-64", args=(np.array([3, 64]), 65), why="rows of a module-level np.eye(64): fails for V = 65")
def one_hot(ids, V):
    return _EYE[ids, :V]


@wrong("rows-at-ids", args=(np.array([1, 0]), 3), why="out[ids] = 1 fills whole rows numbered by the ids")
def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    out[ids] = 1
    return out


@wrong("empty-ids-shape", args=(np.array([], dtype=np.int64), 4), why="np.array of a list of rows is (0,) for no ids, not (0, V)")
def one_hot(ids, V):
    return np.array([np.eye(V)[i] for i in ids])


@wrong("counts-not-one-hot", args=(np.array([1, 1]), 2), why="np.bincount-style accumulation: row n gets all ids up to n")
def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    acc = np.zeros(V)
    for n, i in enumerate(ids):
        acc[i] += 1
        out[n] = acc
    return out


@wrong("flat-index-in-ids-dtype", args=(np.arange(40, dtype=np.uint8) % 65, 65),
       why="flat indices n * V + id computed in the ids' dtype: uint8 ids (what rnn_core.encode returns) wrap at 256")
def one_hot(ids, V):
    ids = np.asarray(ids)
    out = np.zeros(len(ids) * V)
    out[np.arange(len(ids)).astype(ids.dtype) * V + ids] = 1
    return out.reshape(len(ids), V)


@wrong("indices-swapped", args=(np.array([2, 0, 1]), 3), why="out[ids, arange(N)] = 1: the 1 of row n lands in row ids[n], column n (a transpose, silent when N = V)")
def one_hot(ids, V):
    out = np.zeros((len(ids), V))
    out[ids, np.arange(len(ids))] = 1
    return out


@right("equal-outer-cast")
def one_hot(ids, V):
    return np.equal.outer(np.asarray(ids, dtype=np.int64), np.arange(V)).astype(np.float64)


@right("put-along-axis")
def one_hot(ids, V):
    ids = np.asarray(ids, dtype=np.intp)
    out = np.zeros((ids.size, V))
    np.put_along_axis(out, ids[:, None], 1.0, axis=1)
    return out


@right("float32-eye-cast", f32=True)
def one_hot(ids, V):
    return np.eye(V, dtype=np.float32)[np.asarray(ids, dtype=np.intp)].astype(np.float64)


@right("flat-index")
def one_hot(ids, V):
    ids = np.asarray(ids, dtype=np.int64)
    out = np.zeros(ids.size * V)
    out[np.arange(ids.size) * V + ids] = 1
    return out.reshape(ids.size, V)


@right("python-lists-to-float")
def one_hot(ids, V):
    return np.array([[1.0 if j == int(i) else 0.0 for j in range(V)] for i in ids], dtype=float).reshape(len(ids), V)


@right("identity-take")
def one_hot(ids, V):
    return np.take(np.identity(V), np.asarray(ids, dtype=np.intp), axis=0)


def random_args(rng):
    return [(np.array([0]), 1), (np.array([3, 1, 3]), 5), (rng.integers(0, 65, 40).astype(np.uint8), 65),
            (rng.integers(0, 3, 10), 8), (np.array([], dtype=np.int64), 4),
            (list(rng.integers(0, 300, 20)), 300)]
