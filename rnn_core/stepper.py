"""What the network does at time step t: the numbers the stepper widget shows.

``trace`` runs one forward pass (``rnn_core.forward``) and one backward pass
over a short text and keeps every intermediate; ``view(tr, t, direction)``
picks out what belongs to step t. Steps are numbered as in notebooks 02 and 04:
at step t = 1..T the network reads ``x_t``, moves from ``h_{t-1}`` to ``h_t``
and predicts ``p_t`` for the character after ``x_t``.

The backward numbers of one step (dy_t, the two parts of dh_t, this step's
share of dWhh) are what ``rnn_core.backward`` adds up internally and does not
return one by one. ``trace`` computes them in a plain loop over t, notebook 04's
by-hand form; tests/test_stepper.py checks that they add up to
``rnn_core.backward``'s gradients and to the classic min-char-rnn ones.
"""
import numpy as np

from .encoding import check_known, encode
from .forward import forward, sizes

TOP = 5  # how many of the most likely next characters a view lists
SCALES = ("fixed", "stretched")  # the colour scales of the strips; see colour_scales
STRETCH_BELOW = 0.5  # default_scale stretches when every |h| of the text is below this


def trace(params, vocab, text, h0=None):
    """Forward and backward over ``text``, every step kept.

    text: str of N >= 2 characters, T = N - 1 steps -> dict with
    ids (N,), inputs (T,), targets (T,), hs (T+1, H), ps (T, V), losses (T,),
    dy (T, V), dh_pred (T, H), dh_next (T, H), dhraw (T, H), dh0 (H,).
    ``dh_pred[t-1]`` is the gradient reaching h_t from its own prediction,
    ``dh_next[t-1]`` the part flowing back from h_{t+1} (zero at t = T), and
    ``dh0`` what step 1 passes back to h_0 (Whh^T dhraw_1).
    """
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(f"text must hold at least 2 characters (one to read, one to predict), "
                         f"got {text!r}")
    V, H = sizes(params)
    if V != vocab.size:
        raise ValueError(f"the model predicts {V} characters but the vocabulary has {vocab.size}: "
                         "pass the vocabulary the model was trained with")
    check_known(text, vocab, what="text")
    ids = encode(text, vocab).astype(np.intp)
    inputs, targets = ids[:-1], ids[1:]
    T = len(inputs)
    hs, ps = forward(params, inputs, h0)
    losses = -np.log(ps[np.arange(T), targets])

    # BPTT one step at a time, t = T, ..., 1 (arrays are indexed t - 1)
    Whh, Why = params["Whh"], params["Why"]
    dy = ps.copy()
    dy[np.arange(T), targets] -= 1  # dy_t = p_t - onehot(target_t)
    dh_pred = dy @ Why
    dh_next = np.zeros((T, H), dtype=hs.dtype)
    dhraw = np.zeros((T, H), dtype=hs.dtype)
    carry = np.zeros(H, dtype=hs.dtype)
    for i in reversed(range(T)):
        dh_next[i] = carry
        dhraw[i] = (1 - hs[i + 1] ** 2) * (dh_pred[i] + carry)  # through tanh
        carry = Whh.T @ dhraw[i]
    return {"text": text, "vocab": vocab, "ids": ids, "inputs": inputs, "targets": targets,
            "hs": hs, "ps": ps, "losses": losses, "dy": dy, "dh_pred": dh_pred,
            "dh_next": dh_next, "dhraw": dhraw, "dh0": carry}


def steps(tr):
    """T, the number of steps of a trace."""
    return len(tr["inputs"])


def check_step(tr, t):
    T = steps(tr)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= T:
        raise ValueError(f"step t must be a whole number from 1 to {T}, got {t!r}")
    return int(t)


def view(tr, t, direction="forward"):
    """The numbers shown at step t (1..T), as a plain dict.

    forward: the characters read so far, x_t (character and id), h_{t-1}, h_t,
    the top-5 of p_t with the true next character, the loss at t and its sum
    and mean over steps 1..t.
    backward: dy_t, dh_t split into the part from this step's prediction and
    the part from dhnext, dhraw_t (dh_t through tanh), |dhnext| at steps T..t
    (what the walk back has seen so far), this step's contribution to dWhh,
    ``dhraw_t h_{t-1}^T``, and what it passes back to step t - 1, ``passed_back`` =
    Whh^T dhraw_t (the dhnext of step t - 1; at t = 1, the gradient of h_0).
    """
    t = check_step(tr, t)
    i = t - 1
    chars = tr["vocab"].chars
    x, target = int(tr["inputs"][i]), int(tr["targets"][i])
    common = {"t": t, "T": steps(tr), "direction": direction, "x_char": chars[x], "x_id": x,
              "target_char": chars[target], "target_id": target, "read": tr["text"][:t]}
    if direction == "forward":
        p = tr["ps"][i]
        top = np.argsort(-p, kind="stable")[:TOP]
        losses = tr["losses"][:t]
        return {**common, "h_prev": tr["hs"][i], "h": tr["hs"][t],
                "top": [(chars[j], float(p[j]), int(j) == target) for j in top],
                "p_target": float(p[target]), "target_rank": int((p > p[target]).sum()) + 1,
                "loss": float(tr["losses"][i]), "loss_sum": float(losses.sum()),
                "loss_mean": float(losses.mean())}
    if direction == "backward":
        T = steps(tr)
        dWhh = np.outer(tr["dhraw"][i], tr["hs"][i])
        return {**common, "dy": tr["dy"][i], "dy_target": float(tr["dy"][i, target]),
                "dh_pred": tr["dh_pred"][i], "dh_next": tr["dh_next"][i],
                "dh": tr["dh_pred"][i] + tr["dh_next"][i], "dhraw": tr["dhraw"][i],
                "dhnext_norms": [(s, float(np.linalg.norm(tr["dh_next"][s - 1])))
                                 for s in range(T, t - 1, -1)],
                "dWhh": dWhh, "dWhh_norm": float(np.linalg.norm(dWhh)),
                "passed_back": tr["dh_next"][i - 1] if i > 0 else tr["dh0"]}
    raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")


def largest(tr):
    """The largest |value| over the whole text of each family of strips -> dict of floats:
    h (h_0 .. h_T), dy (dy_1 .. dy_T), dh (its two parts and their sum, every step),
    dWhh (every step's share dhraw_t h_{t-1}^T)."""
    dh = np.concatenate([tr["dh_pred"], tr["dh_next"], tr["dh_pred"] + tr["dh_next"]])
    # max |a_i b_j| over an outer product is max|a| * max|b|: no (T, H, H) array is needed
    dWhh = np.abs(tr["dhraw"]).max(axis=1) * np.abs(tr["hs"][:-1]).max(axis=1)
    return {"h": float(np.abs(tr["hs"]).max()), "dy": float(np.abs(tr["dy"]).max()),
            "dh": float(np.abs(dh).max()), "dWhh": float(dWhh.max())}


def default_scale(maxima):
    """maxima: ``largest(tr)`` -> "stretched" when every |h| of the text is below
    STRETCH_BELOW (an untrained model's h stay within a few hundredths of 0 and would draw
    almost white on ±1), else "fixed"."""
    return "stretched" if maxima["h"] < STRETCH_BELOW else "fixed"


def colour_scales(maxima, mode):
    """maxima: ``largest(tr)`` -> {family: s}: a strip of that family runs from full
    blue at -s through white at 0 to full red at +s (beyond ±s it stays full).

    fixed: s = 1 for every family, the range of tanh (h) and of p - onehot (dy); a gradient
    beyond ±1 is drawn at full colour. stretched: s = the family's largest |value| over the
    whole text, so the strongest value anywhere in the text is full colour and a colour
    means the same value at every step t.
    """
    if mode == "fixed":
        return {family: 1.0 for family in maxima}
    if mode == "stretched":
        # a family that is zero everywhere draws white at any positive scale
        return {family: max(m, 1e-12) for family, m in maxima.items()}
    raise ValueError(f"colour scale must be one of {SCALES}, got {mode!r}")
