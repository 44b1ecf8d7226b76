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
        raise ValueError(f"learning rate must be a positive number, got {lr!r}")
    return float(lr)


def clip_elementwise(grads, limit=5.0):
    """Clip every gradient element to [-limit, limit] in place (min-char-rnn clips at 5)."""
    if not limit > 0:
        raise ValueError(f"clip limit must be positive, got {limit!r}")
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
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm!r}")
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
    for k, p in params.items():
        g, mem = grads[k], memory[k]
        mem += g * g
        p += -lr * g / np.sqrt(mem + 1e-8)


def sgd_step(params, grads, lr=0.1):
    """In place: p -= lr * g."""
    lr = check_lr(lr)
    for k, p in params.items():
        p -= lr * grads[k]
