"""Numerical gradient check: is the backward pass the derivative of the forward pass?

For a parameter element ``w`` the central difference
``(L(w + eps) - L(w - eps)) / (2 eps)`` estimates ``dL/dw`` with error
``O(eps^2)``. Comparing it with the analytic gradient from BPTT element by
element proves (or disproves) the derivation, with no trust in either side.

The default is the fourth-order central difference
``(-L(w+2e) + 8 L(w+e) - 8 L(w-e) + L(w-2e)) / (12 e)``, error ``O(e^4)``:
it allows a larger step (1e-3), so the rounding noise of a loss summed over
many characters (~1e-16 * L / e) stays far below the gradients being checked,
and relative errors of 1e-8 are typical where the plain formula gives 1e-6.
"""
import numpy as np

from .bptt import check_batch, loss_and_grads
from .encoding import positive_int
from .forward import hidden_states, probabilities, sizes
from .loss import nll
from .optim import check_grads


def relative_error(a, b):
    """|a - b| / max(|a|, |b|), elementwise; 0 where both are exactly 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1.0), 0.0)


def numerical_grads(params, inputs, targets, h0=None, eps=1e-3, max_per_param=None, seed=0,
                    order=4):
    """Central-difference estimates of dL/dparam.

    Returns ``{name: (index_array, estimates)}``: the flat indices that were
    checked (all of them, or ``max_per_param`` chosen at random) and the estimate
    at each. ``order`` is 2 (the textbook formula) or 4.
    """
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, got {order!r}")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating)) or not 0 < eps < 1:
        raise ValueError(f"eps must be a small positive step such as 1e-3, got {eps!r}")
    if max_per_param is not None:
        positive_int(max_per_param, "max_per_param")
    inputs, targets, h0, _ = check_batch(params, inputs, targets, h0)
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

            def loss_at(shift):
                flat[i] = old + shift
                # the loss alone: loss_and_grads would also run BPTT, four times per element
                value = nll(probabilities(params, hidden_states(params, inputs, h0)[1:]), targets)
                flat[i] = old
                return value

            if order == 2:
                est[j] = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
            else:
                # differences first: a loss that does not depend on w gives exactly 0
                near = loss_at(eps) - loss_at(-eps)
                far = loss_at(2 * eps) - loss_at(-2 * eps)
                est[j] = (8 * near - far) / (12 * eps)
        out[name] = (idx, est)
    return out


def grad_check(params, inputs, targets, h0=None, eps=1e-3, max_per_param=None, seed=0,
               grads=None, order=4):
    """Compare analytic and numerical gradients for every parameter.

    ``grads`` defaults to BPTT's (pass your own to check a hand-written backward
    pass). Returns ``{name: relative errors (n,)}``; use ``.max()`` for a table.
    Needs float64 parameters: in float32 the rounding noise of the loss swamps
    the central difference.
    """
    sizes(params)
    if any(p.dtype != np.float64 for p in params.values()):
        raise ValueError("gradient checking needs float64 parameters (float32 rounding swamps the "
                         "estimate): convert with {k: p.astype(np.float64) for k, p in params.items()}")
    if grads is not None:
        check_grads(grads, like=params)
    if grads is None:
        grads = loss_and_grads(params, inputs, targets, h0)[1]
    numeric = numerical_grads(params, inputs, targets, h0, eps, max_per_param, seed, order)
    return {name: relative_error(grads[name].reshape(-1)[idx], est)
            for name, (idx, est) in numeric.items()}
