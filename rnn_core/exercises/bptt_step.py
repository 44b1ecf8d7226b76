"""Exercise `bptt_step` (notebook 04): one step of backpropagation through time."""
import copy

import numpy as np

from ..encoding import one_hot
from ..forward import forward
from . import data
from .checking import Wrong, case, gradient_dict, kind

NOTEBOOK = "04"
SIGNATURE = ("fn(params, x, h_prev, h, dy, dhnext) -> (grads, dh_prev): this step's contributions "
             "(dict Wxh, Whh, Why, bh, by) and the gradient reaching h_prev (H,)")
ARGS = ("params", "x", "h_prev", "h", "dy", "dhnext")


def bptt_step(params, x, h_prev, h, dy, dhnext):
    """One step of BPTT, from the logits of step t back to h_{t-1}.

    x: int id, h_prev, h: (H,) the states before and after step t, dy: (V,) the
    gradient at the logits y_t, dhnext: (H,) the gradient reaching h_t from step t+1
    -> (grads: dict of this step's contributions, shaped like params; dh_prev: (H,))
    """
    dWhy = np.outer(dy, h)
    dby = dy.copy()
    dh = params["Why"].T @ dy + dhnext  # from this step's prediction and from step t+1
    dhraw = (1 - h * h) * dh            # through tanh: tanh'(a) = 1 - tanh(a)^2 = 1 - h^2
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    dWhh = np.outer(dhraw, h_prev)
    dh_prev = params["Whh"].T @ dhraw
    grads = {"Wxh": dWxh, "Whh": dWhh, "Why": dWhy, "bh": dhraw, "by": dby}
    return grads, dh_prev


def cases():
    rng = np.random.default_rng(7)
    out = []
    # (V, H, T, dhnext scale): V, H differ; the same sizes twice; V = 65; a zero dhnext;
    # a dhnext of 20 (gradients far above a clipping threshold of 5)
    for V, H, T, scale in [(5, 3, 1, 0.5), (7, 4, 5, 0.5), (7, 4, 5, 0.5), (13, 8, 6, 0.0),
                           (65, 12, 3, 0.5), (6, 9, 4, 20.0), (4, 1, 2, 0.5)]:
        params, inputs, targets, _, hs, ps = data.sequence(rng, V, H, T)
        t = T - 1
        dy = ps[t] - one_hot(targets[t], V)
        dhnext = rng.standard_normal(H) * scale
        args = (params, int(inputs[t]), hs[t], hs[t + 1], dy, dhnext)
        # the reference is checked against numerical gradients in tests/test_exercises.py
        about = f"V={V}, H={H}" + (", dhnext all zeros" if scale == 0 else ", a large dhnext" if scale > 1 else "")
        out.append(case(args, bptt_step(*copy.deepcopy(args)), about, V=V, H=H))
    # x = 0, the id a test like `if x:` skips
    params, inputs, targets, h0, _, _ = data.sequence(rng, 6, 4, 3)
    inputs[-1] = 0
    hs, ps = forward(params, inputs, h0)
    args = (params, 0, hs[2], hs[3], ps[2] - one_hot(targets[2], 6), rng.standard_normal(4) * 0.5)
    out.append(case(args, bptt_step(*copy.deepcopy(args)), "V=6, H=4, x=0", V=6, H=4))
    args = (data.reordered(out[1].args[0]),) + out[1].args[1:]
    out.append(case(args, bptt_step(*copy.deepcopy(args)), "V=7, H=4, params with its keys in another order",
                    V=7, H=4))
    return out


def parts(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Wrong(f"your function returned {kind(got)}, expected two things: (grads, dh_prev)")
    return gradient_dict(got[0], "your grads") + [("dh_prev", got[1])]


def step_variant(params, x, h_prev, h, dy, dhnext, use_dhnext=True, tanh_grad="right",
                 dWhh_from="h_prev", dh_prev_with="Whh.T", dhnext_after_tanh=False):
    """The right step with one thing changed (shared with the bptt exercise's mistakes)."""
    dh = params["Why"].T @ dy + (dhnext if use_dhnext and not dhnext_after_tanh else 0)
    if dhnext_after_tanh:
        dhraw = (1 - h * h) * dh + dhnext
    elif tanh_grad == "right":
        dhraw = (1 - h * h) * dh
    elif tanh_grad == "missing":
        dhraw = dh
    else:  # "twice": h is already tanh(a)
        dhraw = (1 - np.tanh(h) ** 2) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    dWhh = np.outer(dhraw, h_prev if dWhh_from == "h_prev" else h)
    dh_prev = {"Whh.T": params["Whh"].T @ dhraw, "Whh": params["Whh"] @ dhraw,
               "dh": params["Whh"].T @ dh}[dh_prev_with]
    grads = {"Wxh": dWxh, "Whh": dWhh, "Why": np.outer(dy, h), "bh": dhraw, "by": dy.copy()}
    return grads, dh_prev


NO_DHNEXT = ("the gradient from later steps is missing: h_t also feeds h_{t+1}, so add dhnext "
             "to dh (dh = Why.T @ dy + dhnext) and pass dhnext = Whh.T @ dhraw to the step before")
NO_TANH = ("the tanh derivative is missing: multiply dh by 1 - h_t**2 before it reaches "
           "Wxh, Whh and bh (dhraw = (1 - h * h) * dh)")
DHNEXT_AFTER = ("both Why.T @ dy and dhnext are gradients with respect to h_t, so both go "
                "through tanh'. Fix: dh = Why.T @ dy + dhnext, then dhraw = (1 - h * h) * dh")
DHNEXT_FROM_DH = ("the gradient handed to the step before is taken from dh, before the tanh derivative, "
                  "but the path to h_{t-1} goes through tanh too. Fix: dhnext = Whh.T @ dhraw")
TANH_TWICE = "tanh is applied twice: h_t is already tanh(a_t), so tanh'(a_t) = 1 - h_t**2, not 1 - tanh(h_t)**2"
DWHH_FROM_H = ("Whh multiplies the previous state, so its gradient is built from h_{t-1}, not h_t. "
               "Fix: dWhh += outer(dhraw, h_prev)")
WHH_NOT_T = "the gradient to h_{t-1} uses Whh instead of its transpose: dhnext = Whh.T @ dhraw"


def _mistake(**change):
    def wrong(params, x, h_prev, h, dy, dhnext):
        return step_variant(params, x, h_prev, h, dy, dhnext, **change)
    return wrong


def consistent(args):
    """After the check changed params (and the states) in place, as training does: h becomes the state
    those params give again, h = tanh(Wxh[:, x] + Whh h_prev + bh), so a step that recomputes h agrees."""
    params, x, h_prev, h = args[:4]
    np.clip(h_prev, -0.99, 0.99, out=h_prev)
    h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


def vary(args):
    """The same params, x and states (the same objects) with another dy, then another dhnext."""
    params, x, h_prev, h, dy, dhnext = args
    return [("dy", (params, x, h_prev, h, np.roll(dy, 1), dhnext)),
            ("dhnext", (params, x, h_prev, h, dy, dhnext * -2.0 + 0.5))]


MISTAKES = [
    ("BPTT without dhnext", NO_DHNEXT, _mistake(use_dhnext=False)),
    ("BPTT without the tanh derivative", NO_TANH, _mistake(tanh_grad="missing")),
    ("dhnext added after the tanh derivative", DHNEXT_AFTER, _mistake(dhnext_after_tanh=True)),
    ("dhnext = Whh.T @ dh instead of Whh.T @ dhraw", DHNEXT_FROM_DH, _mistake(dh_prev_with="dh")),
    ("tanh applied twice", TANH_TWICE, _mistake(tanh_grad="twice")),
    ("dWhh from h_t instead of h_{t-1}", DWHH_FROM_H, _mistake(dWhh_from="h")),
    ("Whh not transposed on the way back", WHH_NOT_T, _mistake(dh_prev_with="Whh")),
]

HINTS = [
    "h_t gets gradient from two places: its own prediction (through Why) and the step after it (dhnext). "
    "Add both, then go back through the tanh: what is the derivative of tanh, written with h_t itself?",
    "Call the gradient after the tanh dhraw. Every parameter inside the tanh gets an outer product of dhraw "
    "with what it multiplied (which state did Whh multiply?); the gradient for h_prev goes back through Whh, "
    "transposed. dWhy and dby come from dy and h_t alone.",
]
