"""Numerical gradient check: is the backward pass the derivative of the forward pass?

For a parameter element ``w`` the central difference
``(L(w + eps) - L(w - eps)) / (2 eps)`` estimates ``dL/dw`` with error
``O(eps^2)``. Comparing it with the analytic gradient from BPTT element by
element proves (or disproves) the derivation, with no trust in either side.
"""
import numpy as np

from .bptt import loss_and_grads


def relative_error(a, b):
    """|a - b| / max(|a|, |b|), elementwise; 0 where both are exactly 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1.0), 0.0)


def numerical_grads(params, inputs, targets, h0=None, eps=1e-5, max_per_param=None, seed=0,
                    loss_fn=None):
    """Central-difference estimates of dL/dparam.

    Returns ``{name: (index_array, estimates)}``: the flat indices that were
    checked (all of them, or ``max_per_param`` chosen at random) and the estimate
    at each. ``loss_fn(params, inputs, targets, h0) -> loss`` defaults to the
    loss of ``loss_and_grads``.
    """
    if loss_fn is None:
        def loss_fn(p, x, y, h):
            return loss_and_grads(p, x, y, h)[0]
    rng = np.random.default_rng(seed)
    out = {}
    for name, p in params.items():
        flat = p.reshape(-1)  # a view: writing to it perturbs the parameter
        idx = np.arange(flat.size)
        if max_per_param is not None and flat.size > max_per_param:
            idx = np.sort(rng.choice(flat.size, size=max_per_param, replace=False))
        est = np.empty(len(idx))
        for j, i in enumerate(idx):
            old = flat[i]
            flat[i] = old + eps
            plus = loss_fn(params, inputs, targets, h0)
            flat[i] = old - eps
            minus = loss_fn(params, inputs, targets, h0)
            flat[i] = old
            est[j] = (plus - minus) / (2 * eps)
        out[name] = (idx, est)
    return out


def grad_check(params, inputs, targets, h0=None, eps=1e-5, max_per_param=None, seed=0,
               grads=None, loss_fn=None):
    """Compare analytic and numerical gradients for every parameter.

    ``grads`` defaults to BPTT's (pass your own to check a hand-written backward
    pass). Returns ``{name: relative errors (n,)}``; use ``.max()`` for a table.
    Needs float64 parameters: in float32 the rounding noise of the loss swamps
    the central difference.
    """
    if any(p.dtype != np.float64 for p in params.values()):
        raise ValueError("gradient checking needs float64 parameters (float32 rounding swamps the estimate)")
    if grads is None:
        grads = loss_and_grads(params, inputs, targets, h0)[1]
    numeric = numerical_grads(params, inputs, targets, h0, eps, max_per_param, seed, loss_fn)
    return {name: relative_error(grads[name].reshape(-1)[idx], est)
            for name, (idx, est) in numeric.items()}
