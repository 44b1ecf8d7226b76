"""Exercise `bptt` (notebook 04): the gradients of the summed loss over a whole sequence."""
import copy

import numpy as np

from ..bptt import loss_and_grads
from ..gradcheck import numerical_grads
from . import data
from .bptt_step import (DHNEXT_AFTER, DHNEXT_FROM_DH, DWHH_FROM_H, NO_DHNEXT, NO_TANH, TANH_TWICE, WHH_NOT_T,
                        step_variant)
from .checking import bound, case, gradient_dict, relative_error

NOTEBOOK = "04"
SIGNATURE = "fn(params, inputs, targets, hs, ps) -> dict of gradients Wxh, Whh, Why, bh, by"
ARGS = ("params", "inputs", "targets", "hs", "ps")


def bptt(params, inputs, targets, hs, ps):
    """Gradients of the summed loss: inputs, targets: (T,) int, hs: (T+1, H), ps: (T, V)
    -> dict Wxh, Whh, Why, bh, by, each shaped like the parameter."""
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dh = params["Why"].T @ dy + dhnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        grads["Why"] += np.outer(dy, hs[t + 1])
        grads["by"] += dy
        grads["Wxh"][:, inputs[t]] += dhraw  # +=: a character may occur more than once
        grads["Whh"] += np.outer(dhraw, hs[t])
        grads["bh"] += dhraw
        dhnext = params["Whh"].T @ dhraw
    return grads


def cases():
    rng = np.random.default_rng(8)
    out = []
    # (V, H, T, same target): V, H, T differ; the same sizes twice; one step; T = 1200 (far longer than a
    # 25-step horizon) with one target throughout, so dby reaches about -1000, above any clipping threshold
    # a student may think safe; V = 65; T = 2000, past any hard-coded horizon or buffer
    for V, H, T, same in [(7, 4, 5, False), (7, 4, 5, False), (5, 3, 1, False), (13, 8, 6, False),
                          (9, 5, 1200, True), (65, 10, 12, False),
                          (6, 4, 2000, False), (4, 1, 3, False)]:
        params, inputs, targets, h0, hs, ps = data.sequence(rng, V, H, T)
        if same:
            targets[:] = 2
        about = f"V={V}, H={H}, T={T}, h0 not zero" + (", every target the same" if same else "")
        c = case((params, inputs, targets, hs, ps), loss_and_grads(params, inputs, targets, h0)[1], about,
                 V=V, H=H, T=T)
        c.extra["h0"] = h0
        out.append(c)
    params, inputs, targets, h0, hs, ps = data.sequence(rng, 6, 4, 7)
    c = case((data.reordered(params), inputs, targets, hs, ps), loss_and_grads(params, inputs, targets, h0)[1],
             "V=6, H=4, T=7, params with its keys in another order", V=6, H=4, T=7)
    c.extra["h0"] = h0
    out.append(c)
    # V = 300, inputs and targets 256 and up among them: ids cast to uint8 wrap
    params, inputs, targets, h0, hs, ps = data.wide_sequence(42)
    c = case((params, inputs, targets, hs, ps), loss_and_grads(params, inputs, targets, h0)[1],
             "V=300, H=5, T=9, h0 not zero, inputs and targets above 255", V=300, H=5, T=9)
    c.extra["h0"] = h0
    out.append(c)
    return out


def parts(got):
    return gradient_dict(got, "your function's result")


def after_right(outputs):
    """The ✓ line's addition: the student's gradients against central differences of the loss."""
    worst = 0.0
    for c, got_parts in outputs[:3]:  # the small cases: central differences cost 4 losses an element
        params, inputs, targets, _, _ = copy.deepcopy(c.args)
        numeric = numerical_grads(params, inputs, targets, c.extra["h0"])
        grads = dict(got_parts)
        for k, (idx, est) in numeric.items():
            worst = max(worst, relative_error(np.asarray(grads["d" + k], dtype=float).reshape(-1)[idx], est))
    return f"; numerical gradients agree to {bound(worst)}"


def _variant(params, inputs, targets, hs, ps, shift_hs=False, overwrite_dWxh=False, mean=False, last=0,
             clip_at=None, horizon=None, **step_changes):
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    dhnext = np.zeros(hs.shape[1])
    T = len(inputs)
    first = T - 1 if horizon is None else min(T, horizon) - 1
    for t in range(first, last - 1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        # shift_hs: reads hs[t] as h_t, forgetting that hs[0] is h0 (and hs[-1] wraps around)
        h, h_prev = (hs[t], hs[t - 1]) if shift_hs else (hs[t + 1], hs[t])
        g, dhnext = step_variant(params, inputs[t], h_prev, h, dy, dhnext, **step_changes)
        for k in grads:
            if k == "Wxh" and overwrite_dWxh:
                grads[k][:, inputs[t]] = g[k][:, inputs[t]]
            else:
                grads[k] += g[k]
    if mean:
        grads = {k: g / T for k, g in grads.items()}
    if clip_at is not None:
        for g in grads.values():
            np.clip(g, -clip_at, clip_at, out=g)
    return grads


def _mistake(**change):
    def wrong(params, inputs, targets, hs, ps):
        return _variant(params, inputs, targets, hs, ps, **change)
    return wrong


_CLIPPED = ("clipping belongs to the update (notebook 05), after the gradients are computed: the check compares "
            "the gradients themselves, and here they exceed the threshold. Fix: remove the np.clip from bptt")


def bptt_with_uint8_ids(params, inputs, targets, hs, ps):
    return bptt(params, np.asarray(inputs).astype(np.uint8), np.asarray(targets).astype(np.uint8), hs, ps)


def vary(args):
    """The same params, inputs, hs and ps (the same objects) with other targets."""
    params, inputs, targets, hs, ps = args
    return [("targets", (params, inputs, (np.asarray(targets) + 1) % ps.shape[-1], hs, ps))]


MISTAKES = [
    ("BPTT without dhnext", NO_DHNEXT, _mistake(use_dhnext=False)),
    ("BPTT without the tanh derivative", NO_TANH, _mistake(tanh_grad="missing")),
    ("dhnext added after the tanh derivative", DHNEXT_AFTER, _mistake(dhnext_after_tanh=True)),
    ("dhnext = Whh.T @ dh instead of Whh.T @ dhraw", DHNEXT_FROM_DH, _mistake(dh_prev_with="dh")),
    ("a loop that stops before t = 0",
     "the first character's step is missing. Fix: for t in reversed(range(T)), or range(T - 1, -1, -1)",
     _mistake(last=1)),
    ("tanh applied twice", TANH_TWICE, _mistake(tanh_grad="twice")),
    ("dWhh from h_t instead of h_{t-1}", DWHH_FROM_H, _mistake(dWhh_from="h")),
    # seed 001 (min-char-rnn rewritten with row vectors) makes both at once
    ("BPTT without dhnext and with dWhh from h_t instead of h_{t-1} (two mistakes at once)",
     NO_DHNEXT + "; and " + DWHH_FROM_H[0].lower() + DWHH_FROM_H[1:],
     _mistake(use_dhnext=False, dWhh_from="h")),
    ("Whh not transposed on the way back", WHH_NOT_T, _mistake(dh_prev_with="Whh")),
    ("hs indexed off by one",
     "since hs[0] is h0, the state after reading inputs[t] is hs[t + 1] and the one before it hs[t]",
     _mistake(shift_hs=True)),
    ("dWxh overwritten instead of accumulated",
     "a character that occurs twice adds to its column twice. Fix: dWxh[:, inputs[t]] += dhraw",
     _mistake(overwrite_dWxh=True)),
    ("the gradient of the mean loss", "the loss is summed over steps. Fix: drop the division by T",
     _mistake(mean=True)),
    ("gradients clipped to [-5, 5] inside bptt (as min-char-rnn does)", _CLIPPED, _mistake(clip_at=5.0)),
    ("gradients clipped to [-1, 1] inside bptt", _CLIPPED, _mistake(clip_at=1.0)),
    ("a loop over the first 25 steps only",
     "the sequence has T steps, and T is not always 25. Fix: for t in reversed(range(len(inputs)))",
     _mistake(horizon=25)),
    ("the inputs and targets cast to uint8", data.UINT8, bptt_with_uint8_ids),
]

HINTS = [
    "Walk t backwards, from the last step to the first, starting every gradient at zero. At step t: "
    "which row of ps, which target, which rows of hs are h_t and h_{t-1} (remember hs[0] = h0)?",
    "Each step is your bptt_step, handed the dhnext that the step after it returned (zero for the last "
    "step); add (+=) every step's contributions. What does bptt_step need that you must build first?",
]
