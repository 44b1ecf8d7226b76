"""The forward pass of a vanilla RNN, one time step after another.

Column-vector form (as in min-char-rnn and the notebooks)::

    h_t = tanh(Wxh x_t + Whh h_{t-1} + bh)
    y_t = Why h_t + by
    p_t = softmax(y_t)

With ``B`` streams at once the hidden states are the rows of an ``(B, H)``
array, so each product is written transposed (``h @ Whh.T``) -- the same
numbers. ``x_t`` is a one-hot vector, and ``Wxh x_t`` just picks the column of
``Wxh`` for that character, so the code looks that column up instead of
multiplying by a vector of zeros.
"""
import numpy as np

from .encoding import check_ids, positive_int

PARAM_NAMES = ("Wxh", "Whh", "Why", "bh", "by")


def init_params(V, H=100, seed=0, dtype=np.float64):
    """Parameters as in min-char-rnn: weights N(0, 1) * 0.01, biases zero.

    Wxh: (H, V), Whh: (H, H), Why: (V, H), bh: (H,), by: (V,).
    """
    if hasattr(V, "chars"):  # a Vocab
        raise ValueError("V must be the vocabulary's size, a number: pass vocab.size")
    V, H = positive_int(V, "vocabulary size V"), positive_int(H, "hidden size H")
    dtype = check_dtype(dtype)
    rng = np.random.default_rng(check_seed(seed))
    # Draw in float64 and cast: float32 and float64 models from one seed start
    # from the same numbers (up to rounding).
    return {
        "Wxh": (rng.standard_normal((H, V)) * 0.01).astype(dtype),
        "Whh": (rng.standard_normal((H, H)) * 0.01).astype(dtype),
        "Why": (rng.standard_normal((V, H)) * 0.01).astype(dtype),
        "bh": np.zeros(H, dtype=dtype),
        "by": np.zeros(V, dtype=dtype),
    }


def check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def check_seed(seed):
    """A seed for numpy.random.default_rng: a whole number >= 0 (or None for fresh entropy)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


def sizes(params):
    """(V, H) of a parameter dict, after checking every shape agrees."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be the dict of arrays that rnn_core.init_params returns "
                         f"(keys {', '.join(PARAM_NAMES)}), got {type(params).__name__}")
    if "params" in params and "Wxh" not in params:
        raise ValueError("params is a training state (the dict train returns): "
                         "pass state['params'] instead")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"parameters are missing {', '.join(missing)}")
    if not all(isinstance(params[k], np.ndarray) for k in PARAM_NAMES):
        raise ValueError("params must hold numpy arrays; convert with np.asarray")
    H, V = params["Wxh"].shape
    expected = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    for k, shape in expected.items():
        if params[k].shape != shape:
            raise ValueError(f"{k} has shape {params[k].shape}, expected {shape} for V={V}, H={H}")
    return V, H


def softmax(y, axis=-1):
    """Probabilities from logits along ``axis``; subtracts the max so exp() cannot overflow."""
    y = np.asarray(y)
    if y.dtype.kind not in "iuf":
        raise ValueError(f"y must be an array of numbers (logits), got dtype {y.dtype}")
    e = np.exp(y - y.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)  # in place: no second temporary as large as y
    return e


def as_batch(inputs, h0, params):
    """Bring (T,) inputs and (H,) h0 to the batched shapes (T, B) and (B, H).

    Returns (inputs, h0, squeeze) where squeeze says the caller gave one stream.
    """
    V, H = sizes(params)
    if isinstance(inputs, str):
        raise ValueError(f"inputs must be integer character ids, got the text {inputs[:20]!r}; "
                         f"encode it first: rnn_core.encode({inputs[:20]!r}, vocab)")
    inputs = np.asarray(inputs)
    squeeze = inputs.ndim == 1
    if squeeze:
        inputs = inputs[:, None]
    if inputs.ndim != 2 or inputs.shape[0] == 0:
        raise ValueError(f"inputs must have shape (T,) or (T, B) with T >= 1, got {inputs.shape}")
    check_ids(inputs, V, "inputs")
    B = inputs.shape[1]
    dtype = params["Whh"].dtype
    if h0 is None:
        h0 = np.zeros((B, H), dtype=dtype)
    else:
        h0 = np.asarray(h0, dtype=dtype)
        if h0.shape == (H,) and B == 1:
            h0 = h0[None, :]
        if h0.shape != (B, H):
            want = f"({H},)" if squeeze else f"({B}, {H})"
            raise ValueError(f"h0 has shape {h0.shape}, expected {want}")
    return inputs, h0, squeeze


def forward(params, inputs, h0=None):
    """Run the RNN over a sequence.

    inputs: (T,) or (T, B) int, h0: (H,) or (B, H) -> hs: (T+1, [B,] H), ps: (T, [B,] V)

    ``hs[0]`` is ``h0`` and ``hs[t]`` the hidden state after reading ``inputs[t-1]``;
    ``ps[t]`` is the predicted distribution of the character after ``inputs[t]``.
    """
    inputs, h0, squeeze = as_batch(inputs, h0, params)
    hs = hidden_states(params, inputs, h0)
    ps = probabilities(params, hs[1:])
    if squeeze:
        return hs[:, 0], ps[:, 0]
    return hs, ps


def probabilities(params, hs):
    """hs: (..., H) hidden states -> ps: (..., V) = softmax(Why h + by) for every h."""
    # Deliberately the stacked product (one small product per step): reshaping to a
    # single (T*B, H) product is ~2% faster but rounds differently, and early
    # Adagrad training amplifies last-bit differences into visibly different runs
    # within ~20 steps, so stored results would no longer reproduce.
    y = hs @ params["Why"].T
    y += params["by"]
    return softmax(y)


def input_table(params):
    """(V, H): row i is ``Wxh x + bh`` for the one-hot x of character i.

    Multiplying ``Wxh`` by a one-hot vector picks one of its columns, so the
    input term of every step is a row lookup in this table, not a product.
    """
    return params["Wxh"].T + params["bh"]


def hidden_states(params, inputs, h0):
    """inputs: (T, B) int, h0: (B, H) -> hs: (T+1, B, H) with hs[0] = h0.

    The only loop over time in the forward pass: h_t needs h_{t-1}.
    """
    T, B = inputs.shape
    Whh = params["Whh"]
    hs = np.empty((T + 1, B, Whh.shape[0]), dtype=Whh.dtype)
    hs[0] = h0
    # Wxh x_t + bh for every step at once (a row lookup), written where h_t will go
    np.take(input_table(params), inputs, axis=0, out=hs[1:])
    WhhT = Whh.T
    rec = np.empty((B, Whh.shape[0]), dtype=Whh.dtype)  # Whh h_{t-1}, reused every step
    for h_prev, h in zip(hs[:-1], hs[1:]):
        # np.dot rather than @: the same BLAS call with less overhead on small arrays
        np.dot(h_prev, WhhT, out=rec)
        h += rec  # h held Wxh x_t + bh
        np.tanh(h, out=h)
    return hs
