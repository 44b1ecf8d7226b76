"""Backpropagation through time: the gradient of the summed loss w.r.t. every parameter.

Walking backwards from the last step, each hidden state receives gradient from
two places: its own prediction (through ``Why``) and the next hidden state
(through ``Whh``). The second is ``dhnext``; leaving it out gives gradients
that look plausible and are wrong (the gradient check in the notebooks catches
it).
"""
import numpy as np

from .encoding import check_ids
from .forward import as_batch, hidden_states, probabilities, sizes
from .loss import nll


def backward(params, inputs, targets, hs, ps):
    """Gradients of the summed cross-entropy.

    inputs, targets: (T, B) int; hs: (T+1, B, H); ps: (T, B, V) -> dict of arrays
    shaped like ``params`` (keys Wxh, Whh, Why, bh, by).
    """
    V, H = sizes(params)
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    hs, ps = np.asarray(hs), np.asarray(ps)
    if inputs.ndim != 2:
        raise ValueError(f"inputs has shape {inputs.shape}; backward takes the batched (T, B) "
                         "form (or call loss_and_grads, which also takes (T,))")
    T, B = inputs.shape
    for name, a, shape in (("targets", targets, (T, B)), ("hs", hs, (T + 1, B, H)),
                           ("ps", ps, (T, B, V))):
        if a.shape != shape:
            raise ValueError(f"{name} has shape {a.shape}, expected {shape} for inputs of shape "
                             f"{(T, B)}; hs and ps are what hidden_states and probabilities "
                             "(or forward on the (T, B) inputs) return")
    check_ids(inputs, V, "inputs")
    check_ids(targets, V, "targets")
    return gradients(params, inputs, targets, hs, ps)


def gradients(params, inputs, targets, hs, ps):
    """backward without the checks: the training step calls this once per step."""
    T, B = inputs.shape
    Whh, Why = params["Whh"], params["Why"]
    H, V = Whh.shape[0], Why.shape[0]
    # d loss / d y_t = p_t - onehot(target_t)
    dy = ps.reshape(T * B, V).copy()
    dy[np.arange(T * B), targets.reshape(-1)] -= 1
    h_out = hs[1:].reshape(T * B, H)
    dWhy = dy.T @ h_out
    dby = dy.sum(axis=0)
    # gradient reaching each h_t from its own prediction, for all t at once
    dh = (dy @ Why).reshape(T, B, H)
    dtanh = hs[1:] * hs[1:]
    np.subtract(1, dtanh, out=dtanh)  # tanh'(a) = 1 - tanh(a)^2
    dhraw = np.empty_like(dh)
    dhnext = np.zeros((B, H), dtype=dh.dtype)
    for dh_t, dtanh_t, dhraw_t in zip(dh[::-1], dtanh[::-1], dhraw[::-1]):  # t = T-1, ..., 0
        dh_t += dhnext  # ... plus what flows back from h_{t+1}
        np.multiply(dh_t, dtanh_t, out=dhraw_t)
        np.dot(dhraw_t, Whh, out=dhnext)  # np.dot: less call overhead than @ on small arrays
    dhraw = dhraw.reshape(T * B, H)
    dWhh = dhraw.T @ hs[:-1].reshape(T * B, H)
    dbh = dhraw.sum(axis=0)
    # Wxh x_t picked column inputs[t] of Wxh, so dhraw_t is added into that column.
    # Characters repeat, so the adds must accumulate: np.add.at on flat indices into
    # the (H, V) array (numpy's fast 1-D path; the 2-D form is several times slower).
    dWxh = np.zeros((H, V), dtype=dh.dtype)
    flat = inputs.reshape(-1, 1).astype(np.intp) + V * np.arange(H)  # (T*B, H): row j, column x
    np.add.at(dWxh.reshape(-1), flat.reshape(-1), dhraw.reshape(-1))
    return {"Wxh": dWxh, "Whh": dWhh, "Why": dWhy, "bh": dbh, "by": dby}


def check_batch(params, inputs, targets, h0=None):
    """The arguments of loss_and_grads, checked and in the batched form.

    -> (inputs: (T, B), targets: (T, B), h0: (B, H), squeeze: the caller gave one stream)
    """
    inputs, h0, squeeze = as_batch(inputs, h0, params)
    targets = check_ids(targets, params["Why"].shape[0], "targets")
    if squeeze and targets.ndim == 1:
        targets = targets[:, None]
    if targets.shape != inputs.shape:
        raise ValueError(f"targets have shape {targets.shape}, inputs {inputs.shape}: they must match")
    return inputs, targets, h0, squeeze


def loss_and_grads(params, inputs, targets, h0=None):
    """The training step's maths: forward, loss, BPTT.

    inputs, targets: (T,) or (T, B) int; h0: (H,) or (B, H), zeros if None
    -> (loss: float, summed in nats; grads: dict like params; h_last: like h0)
    """
    inputs, targets, h0, squeeze = check_batch(params, inputs, targets, h0)
    hs = hidden_states(params, inputs, h0)
    ps = probabilities(params, hs[1:])
    loss = nll(ps, targets)
    grads = gradients(params, inputs, targets, hs, ps)
    h_last = hs[-1, 0].copy() if squeeze else hs[-1].copy()
    return loss, grads, h_last
