"""05 clip: clip every element of every array in grads to [-limit, limit], in place."""
import numpy as np

from ._corpus import registrar

NAME = "clip"
INPLACE = True
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(grads, limit):
    for g in grads.values():
        flat = g.reshape(-1)
        for i in range(flat.size):
            if flat[i] > limit:
                flat[i] = limit
            elif flat[i] < -limit:
                flat[i] = -limit


def public(grads, limit):
    from rnn_core.optim import clip_elementwise
    clip_elementwise(grads, limit)


def grads(scale=8.0, seed=40, V=5, H=4):
    rng = np.random.default_rng(seed)
    shapes = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    return {k: rng.standard_normal(s) * scale for k, s in shapes.items()}


ARGS = (grads(), 5.0)


@wrong("rebinds-loop-variable", args=ARGS, why="g = np.clip(g, ...) rebinds the name: the arrays are unchanged")
def clip(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)


@wrong("upper-only", args=ARGS, why="np.minimum(g, limit, out=g) leaves large negative elements")
def clip(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


@wrong("zero-to-limit", args=ARGS, why="np.clip(g, 0, limit) zeroes every negative element")
def clip(grads, limit):
    for g in grads.values():
        np.clip(g, 0, limit, out=g)


@wrong("hard-coded-5", args=(grads(), 1.0), why="np.clip(g, -5, 5) whatever limit is")
def clip(grads, limit):
    for g in grads.values():
        np.clip(g, -5, 5, out=g)


@wrong("weights-only", args=ARGS, why="clips Wxh, Whh, Why and forgets the biases")
def clip(grads, limit):
    for k in ("Wxh", "Whh", "Why"):
        np.clip(grads[k], -limit, limit, out=grads[k])


@wrong("sign-typo", args=ARGS, why="g[g < -limit] = limit: negative elements flip to +limit")
def clip(grads, limit):
    for g in grads.values():
        g[g > limit] = limit
        g[g < -limit] = limit


@wrong("global-norm", args=ARGS, why="rescales by the global norm instead of clipping elements")
def clip(grads, limit):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > limit:
        for g in grads.values():
            g *= limit / norm


@wrong("per-array-norm", args=ARGS, why="rescales each array to norm <= limit")
def clip(grads, limit):
    for g in grads.values():
        n = np.linalg.norm(g)
        if n > limit:
            g *= limit / n


@wrong("loses-sign", args=ARGS, why="g[abs(g) > limit] = limit")
def clip(grads, limit):
    for g in grads.values():
        g[np.abs(g) > limit] = limit


@wrong("no-out-argument", args=ARGS, why="np.clip(grads[k], -limit, limit) without out= returns a copy that is thrown away")
def clip(grads, limit):
    for k in grads:
        np.clip(grads[k], -limit, limit)


@wrong("soft-clip", args=(grads(scale=2.0), 5.0), why="limit * tanh(g / limit) changes small elements too")
def clip(grads, limit):
    for g in grads.values():
        g[...] = limit * np.tanh(g / limit)


@wrong("row-by-row", args=ARGS, why="for row in g: row[:] = ...; a 1-D bias's rows are numbers, so biases are not clipped")
def clip(grads, limit):
    for g in grads.values():
        for row in g:
            if np.ndim(row):
                row[:] = np.clip(row, -limit, limit)


@wrong("strict-limit", args=(grads(), 5), why="clips to limit - 1 for an int limit, as if the range were half-open")
def clip(grads, limit):
    top = limit - 1 if isinstance(limit, int) else limit
    for g in grads.values():
        np.clip(g, -top, top, out=g)


@wrong("hard-coded-key-list", args=({"W": np.array([9.0, -9.0]), "b": np.array([0.5])}, 5.0),
       why="clips grads['Wxh'] ... grads['by'] by name: other names raise")
def clip(grads, limit):
    for k in ("Wxh", "Whh", "Why", "bh", "by"):
        np.clip(grads[k], -limit, limit, out=grads[k])


@wrong("clips-to-int", args=(grads(scale=3.0), 5.0), why="g[:] = np.clip(g, -limit, limit).astype(int): every element is truncated")
def clip(grads, limit):
    for g in grads.values():
        g[:] = np.clip(g, -limit, limit).astype(int)


@right("where-slice-assign")
def clip(grads, limit):
    for k in grads:
        grads[k][:] = np.where(grads[k] > limit, limit, np.where(grads[k] < -limit, -limit, grads[k]))


@right("minimum-maximum-out")
def clip(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)
        np.maximum(g, -limit, out=g)


@right("method-with-out")
def clip(grads, limit):
    for name in sorted(grads):
        grads[name].clip(-limit, limit, out=grads[name])


@right("flat-loop")
def clip(grads, limit):
    for g in grads.values():
        for i in range(g.size):
            v = g.flat[i]
            g.flat[i] = max(-limit, min(limit, v))


@right("copyto")
def clip(grads, limit):
    for g in grads.values():
        np.copyto(g, np.clip(g, -limit, limit))


def random_args(rng):
    return [(grads(seed=int(rng.integers(1000))), 5.0), (grads(scale=0.1, seed=2), 5.0), (grads(seed=3, V=65, H=6), 0.5),
            (grads(seed=4), 3), ({"Wxh": np.array([[5.0, -5.0, 0.0]]), "by": np.array([-7.0])}, 5.0)]
