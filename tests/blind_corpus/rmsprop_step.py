"""05 rmsprop_step: Adagrad with memory = decay * memory + (1 - decay) * g**2; in place."""
import numpy as np

from ._corpus import registrar
from .adagrad_step import dicts

NAME = "rmsprop_step"
INPLACE = True
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(params, grads, memory, lr, decay=0.9):
    for k in params:
        g, m, p = grads[k].reshape(-1), memory[k].reshape(-1), params[k].reshape(-1)
        for i in range(p.size):
            m[i] = decay * m[i] + (1 - decay) * g[i] * g[i]
            p[i] = p[i] - lr * g[i] / np.sqrt(m[i] + 1e-8)


def args(lr=0.1, decay=0.9, **kw):
    return (*dicts(**kw), lr, decay)


ARGS = args()
NO_DECAY = (*dicts(seed=60), 0.1)  # decay left to its default


@wrong("still-adagrad", args=ARGS, why="memory += g**2: the line was not changed")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("decay-swapped", args=ARGS, why="(1 - decay) * memory + decay * g**2")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][:] = (1 - decay) * memory[k] + decay * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("memory-rebound", args=ARGS, why="memory[k] = decay * memory[k] + ... puts a new array in the dict: the caller's array keeps the old memory")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        m = memory[k]
        m = decay * m + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@wrong("hard-coded-decay", args=args(decay=0.5), why="0.9 written in the formula, the decay argument ignored")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= 0.9
        memory[k] += 0.1 * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("default-decay-0.99", args=NO_DECAY, why="decay=0.99 as default, not the 0.9 the stub gives")
def rmsprop_step(params, grads, memory, lr, decay=0.99):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("gradient-not-squared", args=ARGS, why="(1 - decay) * g instead of g**2: negative memory, NaN steps")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(np.abs(memory[k]) + 1e-8)


@wrong("old-memory-in-step", args=ARGS, why="steps with the memory before the update")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2


@wrong("epsilon-outside-sqrt", args=args(gscale=1e-5, mem=False), why="sqrt(memory) + 1e-8")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("forgets-one-minus-decay", args=ARGS, why="memory = decay * memory + g**2")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("zips-values", args=args(order=("by", "bh", "Why", "Whh", "Wxh")), why="zip of .values(): grads in another key order pair with the wrong parameters")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m *= decay
        m += (1 - decay) * g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("no-sqrt", args=ARGS, why="lr * g / (memory + 1e-8)")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (memory[k] + 1e-8)


_mem = {}


@wrong("own-module-memory", args=ARGS, why="a module-level memory per shape: the memory argument is never written")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        m = _mem.setdefault((k, params[k].shape), memory[k].copy())
        m *= decay
        m += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(m + 1e-8)


@wrong("decay-applied-to-step", args=ARGS, why="decays the parameter step instead of the memory")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= decay * lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("bias-corrected", args=ARGS, why="divides the memory by (1 - decay) as Adam does: not the rule asked for")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] / (1 - decay) + 1e-8)


@wrong("hard-coded-key-list", args=({"W": np.ones(3)}, {"W": np.full(3, 0.5)}, {"W": np.ones(3)}, 0.1, 0.9),
       why="loops over min-char-rnn's five names: other parameter names raise")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in ("Wxh", "Whh", "Why", "bh", "by"):
        memory[k] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("decay-on-gradient", args=ARGS, why="memory = memory + (1 - decay) * g**2: the old memory is never decayed")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@right("out-arguments")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        np.multiply(memory[k], decay, out=memory[k])
        np.add(memory[k], (1 - decay) * np.square(grads[k]), out=memory[k])
        np.subtract(params[k], lr * grads[k] / np.sqrt(memory[k] + 1e-8), out=params[k])


@right("lerp-form")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k, g in grads.items():
        memory[k] += (1 - decay) * (g * g - memory[k])  # the same average, written as a step towards g**2
        params[k] -= lr * g / np.sqrt(memory[k] + 1e-8)


@right("slice-assign")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in sorted(params):
        memory[k][:] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k][:] = params[k] - lr * grads[k] / (memory[k] + 1e-8) ** 0.5


@right("float32-step-cast-back", f32=True)
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        step = np.float32(lr) * grads[k].astype(np.float32) / np.sqrt(memory[k].astype(np.float32) + np.float32(1e-8))
        params[k] -= step.astype(np.float64)


def random_args(rng):
    return [args(seed=int(rng.integers(1000))), args(decay=0.5, seed=2), args(decay=0.99, lr=0.01, seed=3, mem=False),
            args(seed=4, gscale=1e-5, mem=False), args(seed=5, V=65, H=6, order=("Why", "by", "bh", "Wxh", "Whh")),
            (*dicts(seed=6), 0.1)]
