"""Exercise `adagrad_step` (notebook 05): one Adagrad update, in place."""
import copy

import numpy as np

from ..optim import adagrad_step as library_adagrad_step
from . import data
from .checking import case

NOTEBOOK = "05"
SIGNATURE = "fn(params, grads, memory, lr) -> None: updates params and memory in place"
ARGS = ("params", "grads", "memory", "lr")
CHANGES = ("params", "memory")
# the caller's own arrays must change, not only the dicts: min-char-rnn's loop zips the very arrays it holds
# (for param, dparam, mem in zip([Wxh, ...], [dWxh, ...], [mWxh, ...])), so params[k] = params[k] - ... (a new
# array under the key) leaves those arrays as they were and training silently stops updating
SAME_ARRAYS = True


def adagrad_step(params, grads, memory, lr):
    """In place: memory += g^2, then param -= lr * g / sqrt(memory + 1e-8)."""
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# (V, H, lr, which dict has its keys in another order, gradient scale, memory all zero, key names)
SETTINGS = [(5, 3, 0.1, None, 1.0, False, None), (7, 4, 0.05, "grads", 1.0, False, None),
            (7, 4, 0.3, "memory", 1.0, False, None), (13, 8, 1.0, "params", 1.0, False, None),
            (65, 10, 0.1, "grads", 1.0, False, None), (6, 5, 0.1, None, 10.0, False, None),
            (6, 5, 0.1, None, 1e-5, True, None), (4, 3, 0.1, None, 1.0, False, ("W", "b"))]


def optimiser_cases(seed, step, extra_args=None, settings=SETTINGS):
    """Cases for fn(params, grads, memory, lr, *extra): the same sizes twice; memory 0 where the gradient
    is 0; one of the dicts with its keys in another order (zip(params.values(), grads.values()) then
    pairs Wxh with by); gradients of 10 (above any clipping threshold); gradients of 1e-5 on a first
    step (memory 0, where 1e-8 inside or outside the square root differs); parameters named otherwise."""
    rng = np.random.default_rng(seed)
    out = []
    for (V, H, lr, order, gscale, first, names), extra in zip(settings, extra_args or [()] * len(settings)):
        params, grads, memory = data.optimiser_state(rng, V, H)
        if gscale != 1.0:
            grads = {k: g * gscale for k, g in grads.items()}
        if first:
            memory = {k: np.zeros_like(m) for k, m in memory.items()}
        if names:  # two parameters with other names: every array of the dicts, whatever its name
            params, grads, memory = ({new: d[old] for new, old in zip(names, ("Whh", "by"))}
                                     for d in (params, grads, memory))
        if order == "grads":
            grads = data.reordered(grads)
        elif order == "memory":
            memory = data.reordered(memory)
        elif order == "params":
            params = data.reordered(params)
        p, m = copy.deepcopy(params), copy.deepcopy(memory)
        # an empty extra for rmsprop: called without decay, so the want uses the stub's default 0.9
        step(p, copy.deepcopy(grads), m, lr, *(extra if extra or extra_args is None else (0.9,)))
        about = f"V={V}, H={H}, lr={lr}" + "".join(f", decay={d}" for d in extra)
        about += (f", {order} with its keys in another order" if order else "") + \
            (f", gradients of size {gscale:g}" if gscale != 1.0 else "") + (", memory all zero" if first else "") + \
            (f", parameters named {' and '.join(map(repr, names))}" if names else "")
        if extra_args is not None and not extra:
            about += ", called without decay (the default, 0.9)"
        out.append(case((params, grads, memory, lr, *extra), {"params": p, "memory": m}, about, V=V, H=H))
    return out


def cases():
    return optimiser_cases(10, library_adagrad_step)


def adagrad_without_sqrt(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / (memory[k] + 1e-8)


def adagrad_without_memory(params, grads, memory, lr):
    for k in params:
        memory[k][...] = grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def adagrad_memory_added_after(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] * grads[k]


def adagrad_without_epsilon(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k])


def adagrad_uphill(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] += lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def adagrad_zipping_values(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m += g * g
        p -= lr * g / np.sqrt(m + 1e-8)


ZIP_VALUES = ("dicts with the same keys can hold them in another order, and zip() pairs the arrays by "
              "position (the seed notebooks' update_parameters assumes the orders always agree). "
              "Fix: loop over the keys, for k in params: ... params[k], grads[k], memory[k]")

def adagrad_epsilon_outside_sqrt(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


def adagrad_clipping_first(params, grads, memory, lr):
    for k in params:
        g = np.clip(grads[k], -5, 5)
        memory[k] += g * g
        params[k] -= lr * g / np.sqrt(memory[k] + 1e-8)


EPSILON_OUTSIDE = ("the two differ where the memory is small (a first step with gradients near 1e-5): "
                   "write np.sqrt(memory + 1e-8), as min-char-rnn and notebook 05 do. "
                   "Fix: np.sqrt(memory[k] + 1e-8)")


def vary(args):
    """The same params, grads and memory (the same dicts) with another lr."""
    params, grads, memory, lr = args
    return [("lr", (params, grads, memory, lr * 3))]


MISTAKES = [
    ("Adagrad without the square root",
     "the step is lr * g / sqrt(memory + 1e-8): dividing by memory itself shrinks it with the square of "
     "the gradients", adagrad_without_sqrt),
    ("Adagrad without accumulating the memory",
     "memory is the running *sum* of g**2 over all steps so far. Fix: memory[k] += g * g", adagrad_without_memory),
    ("adding g**2 to the memory after the step",
     "this step's gradient belongs in the divisor. Fix: update memory first", adagrad_memory_added_after),
    ("Adagrad without the 1e-8",
     "an element whose gradient has always been 0 divides 0 by 0. Fix: np.sqrt(memory[k] + 1e-8)",
     adagrad_without_epsilon),
    ("stepping uphill", "descend: params[k] -= ...", adagrad_uphill),
    ("zip(params.values(), grads.values(), memory.values())", ZIP_VALUES, adagrad_zipping_values),
    ("1e-8 outside the square root", EPSILON_OUTSIDE, adagrad_epsilon_outside_sqrt),
    ("gradients clipped inside the update", "clipping is its own step (the exercise before this one), done by "
     "the caller: the update uses the gradients it is given. Fix: remove the np.clip", adagrad_clipping_first),
]


HINTS = [
    "Two things change per parameter: first its memory (what gets added to it?), then the parameter "
    "itself (a step against the gradient, scaled by what?). Both in place: the caller's arrays "
    "themselves must change (a new array put under the key leaves them as they were).",
    "Loop over the names of the parameters and use the same name in all three dicts. The step divides "
    "lr * g by a square root: of what, and why is 1e-8 added inside it?",
]
