"""Exercise `rmsprop_step` (notebook 05): Adagrad with a decaying memory, in place."""

import copy

import numpy as np

from . import adagrad_step as _adagrad
from . import data
from .checking import case
from .adagrad_step import EPSILON_OUTSIDE, SETTINGS, ZIP_VALUES, optimiser_cases

NOTEBOOK = "05"
SIGNATURE = ("fn(params, grads, memory, lr, decay) -> None: Adagrad with the memory a decaying average "
             "of g**2, in place")
ARGS = ("params", "grads", "memory", "lr", "decay")
CHANGES = ("params", "memory")
SAME_ARRAYS = True  # the arrays themselves change, as in adagrad_step (a new array under the key is wrong)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    """Adagrad with one line changed: memory is a decaying average of g^2, not a sum."""
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def _independent(params, grads, memory, lr, decay):
    # written apart from the reference above: new arrays, then copied into place
    for k in list(params):
        m = decay * memory[k] + (1.0 - decay) * np.square(grads[k])
        memory[k][...] = m
        params[k][...] = params[k] - lr * grads[k] / np.sqrt(m + 1e-8)


def cases():
    out = optimiser_cases(11, _independent, [(0.9,), (0.5,), (0.99,), (0.0,), (0.9,), (0.9,), (0.99,), (),
                                             (0.5,)], SETTINGS + [(5, 4, 0.05, None, 1.0, False, None)])
    # a gradient array of exact zeros with a memory that is not: the memory still decays
    params, grads, memory = data.optimiser_state(np.random.default_rng(111), 6, 4)
    grads["Whh"][:] = 0.0
    p, m = copy.deepcopy(params), copy.deepcopy(memory)
    _independent(p, copy.deepcopy(grads), m, 0.1, 0.8)
    out.append(case((params, grads, memory, 0.1, 0.8), {"params": p, "memory": m},
                    "V=6, H=4, lr=0.1, decay=0.8, every gradient of Whh 0", V=6, H=4))
    return out


def rmsprop_epsilon_outside_sqrt(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


def rmsprop_accumulating(params, grads, memory, lr, decay=0.9):
    _adagrad.adagrad_step(params, grads, memory, lr)


def rmsprop_decay_swapped(params, grads, memory, lr, decay=0.9):
    rmsprop_step(params, grads, memory, lr, 1 - decay)


def rmsprop_fixed_decay(params, grads, memory, lr, decay=0.9):
    rmsprop_step(params, grads, memory, lr, 0.9)


def rmsprop_without_sqrt(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / (memory[k] + 1e-8)


def rmsprop_zipping_values(params, grads, memory, lr, decay=0.9):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m *= decay
        m += (1 - decay) * g * g
        p -= lr * g / np.sqrt(m + 1e-8)


def vary(args):
    """The same params, grads and memory (the same dicts) with another decay (or lr, called without decay)."""
    if len(args) == 4:
        params, grads, memory, lr = args
        return [("lr", (params, grads, memory, lr * 3))]
    params, grads, memory, lr, decay = args
    return [("decay", (params, grads, memory, lr, decay / 2 + 0.25))]


MISTAKES = [
    ("RMSProp still accumulating like Adagrad",
     "the one line to change: memory = decay * memory + (1 - decay) * g**2, a decaying average instead of a sum",
     rmsprop_accumulating),
    ("decay and 1 - decay swapped",
     "the old memory keeps the weight decay. Fix: decay * memory + (1 - decay) * g * g", rmsprop_decay_swapped),
    ("RMSProp with a fixed 0.9 instead of decay",
     "the check passes other values of decay. Fix: use the argument decay", rmsprop_fixed_decay),
    ("RMSProp without the square root", "divide by np.sqrt(memory + 1e-8)", rmsprop_without_sqrt),
    ("zip(params.values(), grads.values(), memory.values())", ZIP_VALUES, rmsprop_zipping_values),
    ("1e-8 outside the square root", EPSILON_OUTSIDE, rmsprop_epsilon_outside_sqrt),
]

HINTS = [
    "Start from your Adagrad: only the line that updates the memory changes. Adagrad adds g**2 for ever; "
    "what should a decaying average keep of the old memory, and what weight does the new g**2 get?",
    "The old memory keeps a share decay of itself and g**2 brings the rest, so the weights add up to 1. "
    "Write that line in place (memory[k] *= ..., then += ...) and keep the step as in Adagrad.",
]
