"""Gradient clipping and the two update rules the notebooks compare.

Adagrad (as in min-char-rnn) keeps, per parameter element, the running sum of
its squared gradients and divides each step by its square root: elements that
have seen large gradients take smaller steps.
"""
import math

import numpy as np


def check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)) \
            or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr: the learning rate must be a positive number such as 0.1, got {lr!r}")
    return float(lr)


def check_grads(grads, like=None, what="grads"):
    """Raise a clear ValueError unless ``grads`` is a dict of arrays (shaped like ``like``)."""
    if isinstance(grads, tuple) and len(grads) == 3 and isinstance(grads[1], dict):
        raise ValueError(f"{what} is the (loss, grads, h) tuple that loss_and_grads returns; "
                         "unpack it first: loss, grads, h = rnn_core.loss_and_grads(...)")
    if not isinstance(grads, dict):
        raise ValueError(f"{what} must be a dict of arrays keyed like the parameters, "
                         f"got {type(grads).__name__}")
    if like is not None:
        for k, p in like.items():
            if k not in grads:
                raise ValueError(f"{what} has no {k!r}: it needs one array per parameter "
                                 f"({', '.join(like)})")
            if np.shape(grads[k]) != np.shape(p):
                raise ValueError(f"{what}[{k!r}] has shape {np.shape(grads[k])}, but the "
                                 f"parameter has shape {np.shape(p)}")
    return grads


def _check_limit(limit, name):
    if isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)) \
            or not limit > 0 or not math.isfinite(limit):
        raise ValueError(f"{name} must be a positive number such as 5.0, got {limit!r}")


def clip_elementwise(grads, limit=5.0):
    """Clip every gradient element to [-limit, limit] in place (min-char-rnn clips at 5)."""
    _check_limit(limit, "limit")
    check_grads(grads)
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)
    return grads


def global_norm(grads):
    """sqrt of the sum of squares of every gradient element."""
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))


def clip_global_norm(grads, max_norm):
    """Scale all gradients together, in place, so their global norm is at most max_norm.

    Unlike elementwise clipping this keeps the gradient's direction.
    Returns the norm before clipping.
    """
    _check_limit(max_norm, "max_norm")
    check_grads(grads)
    norm = global_norm(grads)
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm


def zeros_like(params):
    """Adagrad memory: one zero array per parameter."""
    return {k: np.zeros_like(p) for k, p in params.items()}


def adagrad_step(params, grads, memory, lr=0.1):
    """In place: mem += g * g; p -= lr * g / sqrt(mem + 1e-8)."""
    lr = check_lr(lr)
    check_grads(grads, like=params)
    check_grads(memory, like=params, what="memory")
    adagrad_update(params, grads, memory, lr)


def adagrad_update(params, grads, memory, lr):
    """adagrad_step without the checks: the training loop calls it every step."""
    for k, p in params.items():
        g, mem = grads[k], memory[k]
        mem += g * g
        p += -lr * g / np.sqrt(mem + 1e-8)


def sgd_step(params, grads, lr=0.1):
    """In place: p -= lr * g."""
    lr = check_lr(lr)
    check_grads(grads, like=params)
    sgd_update(params, grads, lr)


def sgd_update(params, grads, lr):
    """sgd_step without the checks: the training loop calls it every step."""
    for k, p in params.items():
        p -= lr * grads[k]
