"""How far back a vanilla RNN remembers: gradients back in time, influence, a recall task.

Two views of the same question, "does the prediction at step T still depend on
the character read k steps earlier?":

* the gradient ``dL_T / dh_{T-k}`` of the loss at the last step with respect to
  an earlier hidden state, carried back by the BPTT recurrence
  ``dh_{t-1} = Whh^T ((1 - h_t^2) * dh_t)`` (notebook 04), one step per ``k``;
* the change in ``p_T`` when the character ``x_{T-k}`` is replaced by another
  one: the influence measured without any gradient.

Index ``k`` counts steps back from the last one: ``h_{T-k}`` is the state right
after reading ``x_{T-k}``, which is ``inputs[T-1-k]`` in code, so both views pair
up at the same ``k``. And a synthetic text in which a character must be recalled
a fixed number of steps later, to see where training stops finding it.
"""
import numpy as np

from .encoding import check_ids, encode, positive_int
from .forward import as_batch, forward, hidden_states, probabilities
from .loss import nll


def _last_targets(target, B, V):
    target = np.asarray(target)
    if target.ndim == 0 and np.issubdtype(target.dtype, np.integer):
        target = np.full(B, target)
    if target.shape != (B,) or not np.issubdtype(target.dtype, np.integer):
        raise ValueError(f"target must be one character id or {B} of them (one per stream), "
                         f"got {target.shape} {target.dtype}")
    return check_ids(target, V, out_of_range=f"target must be ids in 0..{V - 1} (V={V})")


def gradients_back_in_time(params, inputs, target, h0=None):
    """The gradient of the last step's loss with respect to every earlier hidden state.

    inputs: (T,) or (T, B) int, target: int or (B,) int, h0: (H,) or (B, H)
    -> dhs: (T+1, [B,] H) with dhs[k] = dL_T / dh_{T-k}, L_T = -ln p_T[target];
    dhs[T] is the gradient reaching h0.
    """
    inputs, h0, squeeze = as_batch(inputs, h0, params)  # checks params, inputs and h0
    (T, B), H = inputs.shape, h0.shape[1]
    target = _last_targets(target, B, params["Why"].shape[0])
    hs = hidden_states(params, inputs, h0)
    p_T = probabilities(params, hs[-1])
    dy = p_T.copy()
    dy[np.arange(B), target] -= 1  # d(-ln p[target]) / dy = p - onehot(target)
    dhs = np.empty((T + 1, B, H), dtype=dy.dtype)
    dhs[0] = dy @ params["Why"]
    for k in range(T):  # h_{T-k} = hs[T-k] -> h_{T-k-1}
        h = hs[T - k]
        dhs[k + 1] = ((1 - h * h) * dhs[k]) @ params["Whh"]
    return dhs[:, 0] if squeeze else dhs


def total_variation(p, q, axis=-1):
    """Half the L1 distance between two distributions: the largest difference in the
    probability they give any one set of outcomes (0 = identical, 1 = disjoint)."""
    return 0.5 * np.abs(p - q).sum(axis=axis)


def influence_of_replacing(params, inputs, replacements, h0=None):
    """How much p_T changes when one earlier character is swapped for another.

    inputs, replacements: (T,) or (T, B) int, h0: (H,) or (B, H)
    -> (T, [B]) total-variation distances; entry k compares p_T with the p_T
    obtained when x_{T-k} (= inputs[T-1-k]) is replaced by replacements[T-1-k],
    every other character unchanged.
    """
    inputs, h0, squeeze = as_batch(inputs, h0, params)
    V = params["Why"].shape[0]
    replacements = check_ids(replacements, V, "replacements", out_of_range=(
        f"replacements must be integer character ids in 0..{V - 1} (V={V})"))
    if squeeze and replacements.ndim == 1:
        replacements = replacements[:, None]
    if replacements.shape != inputs.shape:
        raise ValueError(f"replacements have shape {replacements.shape}, inputs {inputs.shape}: "
                         "give one replacement character per input character")
    T, B = inputs.shape
    hs = hidden_states(params, inputs, h0)
    p_T = probabilities(params, hs[-1])
    tv = np.empty((T, B))
    for k in range(T):
        j = T - 1 - k  # position of x_{T-k} in inputs
        changed = inputs[j:].copy()
        changed[0] = replacements[j]
        # the first j characters are the same, so start from the state before position j
        hs_changed = hidden_states(params, changed, hs[j])
        tv[k] = total_variation(p_T, probabilities(params, hs_changed[-1]))
    return tv[:, 0] if squeeze else tv


def recall_text(lag, episodes, keys="abcd", fillers="xyz", seed=0):
    """A text in which a key character must be recalled ``lag`` steps after it was read.

    Each episode is ``key, lag - 1 random fillers, '=', key``: after reading '='
    the next character is the key read ``lag`` steps earlier, and nothing in
    between tells which key it was. Keys and fillers are drawn uniformly.
    -> str of length episodes * (lag + 2)
    """
    lag = positive_int(lag, "lag")
    episodes = positive_int(episodes, "episodes")
    if not keys or not fillers or set(keys) & set(fillers) or "=" in keys + fillers:
        raise ValueError("keys and fillers must be non-empty, share no character and not contain '='")
    rng = np.random.default_rng(seed)
    key_at = rng.integers(0, len(keys), episodes)
    fill_at = rng.integers(0, len(fillers), (episodes, lag - 1))
    return "".join(keys[i] + "".join(fillers[j] for j in row) + "=" + keys[i]
                   for i, row in zip(key_at, fill_at))


def recall_score(params, vocab, text, cue="="):
    """How well a model recalls the key: read ``text`` from h0 = 0 and look at every
    prediction made right after reading ``cue``.

    -> (accuracy: fraction where the most probable character is the true next one,
        loss: mean -ln p[true next character] at those positions, in nats)
    """
    if cue not in vocab.index:
        raise ValueError(f"the cue {cue!r} is not in the model's vocabulary {vocab.chars!r}")
    ids = encode(text, vocab).astype(np.intp)
    at = np.flatnonzero(ids[:-1] == vocab.index[cue])
    if at.size == 0:
        raise ValueError(f"the text never contains the cue {cue!r} before its last character: "
                         "nothing to score")
    _, ps = forward(params, ids[:-1])
    truth = ids[at + 1]
    p = ps[at]
    accuracy = float((p.argmax(axis=1) == truth).mean())
    return accuracy, nll(p, truth) / at.size
