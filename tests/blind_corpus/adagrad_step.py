"""05 adagrad_step: in place: memory += g**2, then param -= lr * g / sqrt(memory + 1e-8), for every array."""
import numpy as np

from ._corpus import registrar

NAME = "adagrad_step"
INPLACE = True
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(params, grads, memory, lr):
    for k in params:
        g, m, p = grads[k].reshape(-1), memory[k].reshape(-1), params[k].reshape(-1)
        for i in range(p.size):
            m[i] = m[i] + g[i] * g[i]
            p[i] = p[i] - lr * g[i] / np.sqrt(m[i] + 1e-8)


def public(params, grads, memory, lr):
    from rnn_core.optim import adagrad_step
    adagrad_step(params, grads, memory, lr)


KEYS = ("Wxh", "Whh", "Why", "bh", "by")


def dicts(seed=50, V=5, H=4, gscale=1.0, mem=True, order=KEYS):
    rng = np.random.default_rng(seed)
    shapes = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    p = {k: rng.standard_normal(shapes[k]) for k in KEYS}
    g = {k: rng.standard_normal(shapes[k]) * gscale for k in KEYS}
    m = {k: (rng.random(shapes[k]) * 2 if mem else np.zeros(shapes[k])) for k in KEYS}
    return p, {k: g[k] for k in order}, m


def args(lr=0.1, **kw):
    return (*dicts(**kw), lr)


ARGS = args()
TINY = args(gscale=1e-5, mem=False)


@wrong("zips-values", args=args(order=("by", "bh", "Why", "Whh", "Wxh")),
       why="zip(params.values(), grads.values(), memory.values()) pairs the wrong arrays when grads come in another key order (seed 004's update_parameters)")
def adagrad_step(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m += g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("memory-after-step", args=ARGS, why="updates the parameter with the old memory, then adds g**2")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] ** 2


@wrong("epsilon-outside-sqrt", args=TINY, why="sqrt(memory) + 1e-8: differs for gradients near 1e-4 and smaller")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("memory-replaced", args=ARGS, why="memory[k][:] = g**2: no accumulation")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k][:] = grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("param-rebound", args=ARGS, why="p = p - ... rebinds the loop name: the parameters never change")
def adagrad_step(params, grads, memory, lr):
    for p, g, m in zip(params.values(), [grads[k] for k in params], [memory[k] for k in params]):
        m += g * g
        p = p - lr * g / np.sqrt(m + 1e-8)


@wrong("memory-rebound", args=ARGS, why="mem = mem + g**2 makes a new array: the caller's memory never grows")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        mem = memory[k]
        mem = mem + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(mem + 1e-8)


@wrong("ascends", args=ARGS, why="param += lr * g / ...: gradient ascent")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] += lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("hard-coded-lr", args=args(lr=0.05), why="learning_rate = 1e-1 from min-char-rnn instead of lr")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= 0.1 * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("memory-not-squared", args=ARGS, why="memory += g (not g**2)")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += np.abs(grads[k])
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def _zero_grad_args():
    p, g, m = dicts(seed=52, mem=False)
    g["bh"][:] = 0.0  # an exact zero gradient with zero memory
    return (p, g, m, 0.1)


@wrong("no-epsilon", args=_zero_grad_args(), why="g / sqrt(memory): 0 / 0 = NaN where a gradient and its memory are exactly zero")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k])


@wrong("clips-first", args=args(gscale=10.0), why="clips the gradient to [-5, 5] inside the update (and in the caller's grads)")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        np.clip(grads[k], -5, 5, out=grads[k])
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


_own_memory = {}


@wrong("own-module-memory", args=ARGS, why="keeps its own module-level memory and ignores the memory argument")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        m = _own_memory.setdefault((k, params[k].shape), np.zeros_like(params[k]))
        m += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@wrong("lr-inside-sqrt", args=ARGS, why="lr * g / sqrt(lr * memory + 1e-8): lr misplaced")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(lr * memory[k] + 1e-8)


@wrong("sgd", args=ARGS, why="plain SGD: the memory is updated but never used")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k]


@wrong("hard-coded-key-list", args=({"W": np.ones(3), "b": np.ones(2)}, {"W": np.full(3, 0.5), "b": np.full(2, -2.0)},
                                     {"W": np.zeros(3), "b": np.ones(2)}, 0.1),
       why="loops over ('Wxh', 'Whh', 'Why', 'bh', 'by'): any other parameter names raise (the stub says every array)")
def adagrad_step(params, grads, memory, lr):
    for k in ("Wxh", "Whh", "Why", "bh", "by"):
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("epsilon-only-where-zero", args=TINY, why="memory + 1e-8 only where memory is 0: a memory of 1e-10 is not guarded")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(np.where(memory[k] == 0, 1e-8, memory[k]))


@wrong("epsilon-added-to-step", args=TINY, why="lr * g / sqrt(memory) + 1e-8: the epsilon lands on the step, and 0/0 where a gradient is 0")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k]) + 1e-8


@wrong("multiplies-by-root", args=ARGS, why="lr * g * sqrt(memory + 1e-8): multiplies where it should divide")
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] * np.sqrt(memory[k] + 1e-8)


@right("out-arguments")
def adagrad_step(params, grads, memory, lr):
    for k in sorted(params):
        np.add(memory[k], np.square(grads[k]), out=memory[k])
        np.subtract(params[k], lr * grads[k] / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("slice-assign")
def adagrad_step(params, grads, memory, lr):
    for name, g in grads.items():
        memory[name][...] = memory[name] + g * g
        params[name][...] = params[name] - lr * g * (memory[name] + 1e-8) ** -0.5


@right("float32-step-cast-back", f32=True)
def adagrad_step(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        step = np.float32(lr) * grads[k].astype(np.float32) / np.sqrt(memory[k].astype(np.float32) + np.float32(1e-8))
        params[k] -= step.astype(np.float64)


@right("zip-by-key")
def adagrad_step(params, grads, memory, lr):
    for p, g, m in ((params[k], grads[k], memory[k]) for k in params):
        m += g ** 2
        p += -lr * g / np.sqrt(m + 1e-8)


def random_args(rng):
    return [args(seed=int(rng.integers(1000))), args(lr=0.01, seed=2, mem=False), args(seed=3, gscale=1e-5, mem=False),
            args(seed=4, V=65, H=7, order=("by", "Wxh", "bh", "Whh", "Why")), _zero_grad_args()]
