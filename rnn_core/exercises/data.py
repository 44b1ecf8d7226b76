"""Building blocks of the exercises' cases: seeded parameters, ids, sequences, optimiser state."""
import numpy as np

from ..forward import forward


def params(rng, V, H, scale=0.6):
    # weights large enough that tanh bends (with 0.01 a missing tanh' would hide); non-zero biases
    return {"Wxh": rng.standard_normal((H, V)) * scale, "Whh": rng.standard_normal((H, H)) * scale,
            "Why": rng.standard_normal((V, H)) * scale, "bh": rng.standard_normal(H) * 0.3,
            "by": rng.standard_normal(V) * 0.3}


def reordered(d, order=("by", "Why", "bh", "Whh", "Wxh")):
    """The same dict with its keys in another order (zip(a.values(), b.values()) then pairs wrongly)."""
    return {k: d[k] for k in order}


def ids(rng, V, T, top=None):
    """T ids in 0..top-1 (top defaults to V), the first repeated at the end so sums must accumulate."""
    out = rng.integers(0, V if top is None else top, size=T)
    if T > 2:
        out[-1] = out[0]
    return out


def past_uint8(ids, V):
    """The same ids (at least 5) with three of them above 255, V > 257: ids kept in uint8 wrap there."""
    out = ids.copy()
    out[1:4] = [256, V - 1, 257]
    return out


# the fix for a named mistake: ids kept in uint8 (as rnn_core stores a corpus of up to 256 characters)
UINT8 = ("ids 256 and above wrap around in uint8 (256 becomes 0). Fix: keep ids in an integer type "
         "that holds V - 1, e.g. np.asarray(ids, dtype=int)")


def wide_sequence(seed, V=300, H=5, T=9):
    """sequence() with V > 256 and ids above 255 among the inputs and the targets."""
    p, inputs, targets, h0, _, _ = sequence(np.random.default_rng(seed), V, H, T)
    inputs, targets = past_uint8(inputs, V), past_uint8(targets, V)[::-1].copy()
    hs, ps = forward(p, inputs, h0)
    return p, inputs, targets, h0, hs, ps


def sequence(rng, V, H, T, scale=0.6, top=None):
    """params, inputs, targets (T,), h0 (H,), and forward's hs, ps."""
    p = params(rng, V, H, scale)
    inputs, targets = ids(rng, V, T, top), ids(rng, V, T, top)
    h0 = np.tanh(rng.standard_normal(H))
    hs, ps = forward(p, inputs, h0)
    return p, inputs, targets, h0, hs, ps


def grads(rng, V, H, scale):
    return {k: rng.standard_normal(p.shape) * scale for k, p in params(rng, V, H).items()}


def optimiser_state(rng, V, H):
    p, g = params(rng, V, H), grads(rng, V, H, 1.0)
    memory = {k: rng.random(a.shape) * 4 for k, a in p.items()}
    g["bh"][0], memory["bh"][0] = 0.0, 0.0  # an element that never had a gradient
    memory["by"][:] = 0.0  # and a first step
    return p, g, memory
