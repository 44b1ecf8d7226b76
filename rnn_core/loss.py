"""Cross-entropy: how surprised the model is by the character that came next.

The loss of one prediction is ``-ln p_t[target_t]`` (in nats); a sequence's loss
is the sum over its steps (and over streams), as in min-char-rnn.
"""
import math

import numpy as np

from .encoding import check_ids


def cross_entropy(ps, targets):
    """ps: (T, [B,] V) probabilities, targets: (T, [B]) int -> summed loss in nats (float).

    Refuses ``ps`` whose rows do not sum to 1: logits passed by mistake would
    otherwise give a large, plausible-looking number.
    """
    ps = np.asarray(ps)
    if ps.dtype.kind not in "f" or ps.ndim == 0:
        raise ValueError(f"ps must be an array of probabilities with the vocabulary on the last "
                         f"axis, got dtype {ps.dtype} and shape {ps.shape}")
    targets = check_ids(targets, ps.shape[-1], "targets")
    if ps.shape[:-1] != targets.shape:
        raise ValueError(f"targets of shape {targets.shape} do not match predictions of shape {ps.shape}")
    check_probabilities(ps)
    return nll(ps, targets)


def check_probabilities(ps):
    """Raise a ValueError unless ps is >= 0 and sums to 1 along its last axis (one pass)."""
    # float32 rows sum to 1 only within ~1e-6 (also when cast to float64 afterwards);
    # logits miss 1 by far more
    tol = 1e-3 if ps.dtype.itemsize < 8 else 1e-5
    sums = ps.sum(axis=-1)
    if ps.size and not (np.all(np.abs(sums - 1) <= tol) and ps.min() >= 0):
        raise ValueError(
            "ps must be probabilities, >= 0 and summing to 1 along the last axis, but its rows "
            f"sum to between {sums.min():.4g} and {sums.max():.4g} and its smallest entry is "
            f"{ps.min():.4g}: these look like logits; pass rnn_core.softmax(logits) instead")


def nll(ps, targets):
    """cross_entropy without the checks, for callers that made ps and targets themselves."""
    picked = np.take_along_axis(ps, targets[..., None].astype(np.intp), axis=-1)
    # tiny floor: a probability that underflowed to 0 would give an infinite loss
    return float(-np.log(np.maximum(picked, np.finfo(ps.dtype).tiny)).sum())


def uniform_loss(V):
    """Expected loss per character of a model that knows nothing: ln V nats."""
    return math.log(V)


def perplexity(loss_per_char):
    """exp(loss per char): the number of equally likely characters the model is choosing among."""
    if isinstance(loss_per_char, bool) or not isinstance(loss_per_char, (int, float, np.number)) \
            or not 0 <= loss_per_char < 700:
        raise ValueError(
            f"loss_per_char must be a loss per character in nats (a number from 0 to a few), "
            f"got {loss_per_char!r}; a summed loss must first be divided by the number of "
            "characters")
    return math.exp(loss_per_char)


def smooth(previous, loss):
    """The running average the classic loop prints: 0.999 * previous + 0.001 * loss."""
    return previous * 0.999 + loss * 0.001
