"""Cross-entropy: how surprised the model is by the character that came next.

The loss of one prediction is ``-ln p_t[target_t]`` (in nats); a sequence's loss
is the sum over its steps (and over streams), as in min-char-rnn.
"""
import math

import numpy as np


def cross_entropy(ps, targets):
    """ps: (T, [B,] V) probabilities, targets: (T, [B]) int -> summed loss in nats (float)."""
    ps = np.asarray(ps)
    targets = np.asarray(targets)
    if ps.shape[:-1] != targets.shape:
        raise ValueError(f"targets of shape {targets.shape} do not match predictions of shape {ps.shape}")
    picked = np.take_along_axis(ps, targets[..., None].astype(np.intp), axis=-1)
    # tiny floor: a probability that underflowed to 0 would give an infinite loss
    return float(-np.log(np.maximum(picked, np.finfo(ps.dtype).tiny)).sum())


def uniform_loss(V):
    """Expected loss per character of a model that knows nothing: ln V nats."""
    return math.log(V)


def perplexity(loss_per_char):
    """exp(loss per char): the number of equally likely characters the model is choosing among."""
    return math.exp(loss_per_char)


def smooth(previous, loss):
    """The running average the classic loop prints: 0.999 * previous + 0.001 * loss."""
    return previous * 0.999 + loss * 0.001
