"""Generating text: feed the model its own predictions, one character at a time.

Each step turns the logits into a distribution and draws the next character:

* temperature ``tau``: ``p = softmax(y / tau)``; below 1 sharpens, above 1 flattens;
* top-k: only the ``k`` most likely characters may be drawn;
* greedy: always the most likely one (the limit ``tau -> 0``).
"""
import math

import numpy as np

from .encoding import check_known, check_vocab, encode, positive_int
from .forward import as_batch, check_seed, hidden_states, input_table, sizes


def check_sampling_args(length, temperature, top_k):
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ValueError(f"length must be a whole number >= 0, got {length!r}")
    if not isinstance(temperature, (int, float, np.floating)) or not math.isfinite(temperature) \
            or temperature <= 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r} "
                         "(use greedy=True for the most likely character every time)")
    if top_k is not None:
        positive_int(top_k, "top_k")


def check_model(params, vocab):
    """(V, H) after checking that ``params`` and ``vocab`` belong together."""
    check_vocab(vocab)
    V, H = sizes(params)
    if V != vocab.size:
        raise ValueError(f"the model predicts {V} characters but the vocabulary has {vocab.size}")
    return V, H


def check_prime(prime, vocab):
    if not isinstance(prime, str):
        raise ValueError(f"prime must be a str of text to start from, got {type(prime).__name__}"
                         + ("; turn ids into text with rnn_core.decode(ids, vocab)"
                            if not isinstance(prime, (bytes, bytearray)) else ""))
    check_known(prime, vocab, what="prime text")


def default_prime(vocab):
    """A newline if the model knows it (texts start lines after one), else its first character."""
    return "\n" if "\n" in vocab.chars else vocab.chars[0]


def sample(params, vocab, prime=None, length=200, temperature=1.0, top_k=None,
           greedy=False, seed=None, h0=None, return_hidden=False):
    """Generate ``length`` characters after ``prime``.

    The prime is read through the network first (its hidden states set the
    context); sampling starts from the prediction after its last character.
    Returns the generated text (without the prime), or ``(text, hs)`` with
    ``hs: (length, H)``, the hidden state after each generated character is read
    (for plots), when ``return_hidden`` is set.
    """
    check_sampling_args(length, temperature, top_k)
    V, H = check_model(params, vocab)
    if prime is not None:
        check_prime(prime, vocab)
    prime = prime or default_prime(vocab)
    rng = np.random.default_rng(check_seed(seed))
    dtype = params["Whh"].dtype
    if h0 is not None and np.shape(h0) not in ((H,), (1, H)):
        raise ValueError(f"h0 has shape {np.shape(h0)}, expected ({H},): one hidden state")

    # read the prime (all but its last character) with the batched forward code
    ids = encode(prime, vocab).astype(np.intp)
    h = np.zeros(H, dtype=dtype) if h0 is None else np.asarray(h0, dtype=dtype).reshape(H).copy()
    if len(ids) > 1:
        inputs, hb, _ = as_batch(ids[:-1], h, params)
        h = hidden_states(params, inputs, hb)[-1, 0].copy()

    # Fast loop. One matrix-vector product per step gives both Whh h (for the next
    # state) and Why h (for this prediction): stack [Whh; Why / tau].
    with np.errstate(over="ignore"):  # an overflow is reported just below, in words
        M = np.concatenate([params["Whh"], params["Why"] / temperature]).astype(dtype)
        by = (params["by"] / temperature).astype(dtype)
    x_table = input_table(params).astype(dtype)  # row i: Wxh x + bh for character i
    if not (np.isfinite(M).all() and np.isfinite(by).all() and np.isfinite(x_table).all()):
        if not all(np.isfinite(p).all() for p in params.values()):
            raise ValueError("the model's parameters contain NaN or infinite values: "
                             "it cannot be sampled (was its training diverging?)")
        raise ValueError(f"temperature {temperature!r} is too small: the logits divided by it "
                         "overflow; use greedy=True for the most likely character")
    u = rng.random(length)  # all the random numbers, drawn at once
    hs = np.empty((length, H), dtype=dtype) if return_hidden else None
    out = np.empty(length, dtype=np.intp)
    # every buffer the loop needs, allocated once: it runs once per character
    a = np.empty(H, dtype=dtype)
    z = np.empty(H + V, dtype=dtype)
    zh, y = z[:H], z[H:]  # views: Whh h and the logits Why h / tau
    c = np.empty(V, dtype=dtype)
    ix = int(ids[-1])
    if top_k is not None and top_k >= V:
        top_k = None
    # advance h by reading the last prime character
    np.matmul(params["Whh"], h, out=a)
    a += x_table[ix]
    np.tanh(a, out=h)
    for i in range(length):
        np.dot(M, h, out=z)  # np.dot: the same product as @ with less call overhead
        y += by
        if greedy:
            ix = int(y.argmax())
        else:
            if top_k is not None:
                # everything below the k-th largest logit gets probability 0
                kth = np.partition(y, V - top_k)[V - top_k]
                y[y < kth] = -np.inf
            y -= y.max()  # so exp() cannot overflow
            np.exp(y, out=y)
            np.add.accumulate(y, out=c)  # the cumulative sum (np.cumsum's ufunc, minus its wrapper)
            # inverse-CDF draw: first index whose cumulative mass exceeds u * total
            ix = int(c.searchsorted(u[i] * c[-1], side="right"))
            ix = min(ix, V - 1)
        out[i] = ix
        np.add(zh, x_table[ix], out=a)
        np.tanh(a, out=h)
        if return_hidden:
            hs[i] = h
    text = "".join(vocab.chars[i] for i in out.tolist())
    return (text, hs) if return_hidden else text


def next_char_probs(params, vocab, prime, temperature=1.0, top_k=None):
    """The distribution (V,) the sampler draws the first character after ``prime`` from."""
    check_sampling_args(1, temperature, top_k)
    check_model(params, vocab)
    check_prime(prime, vocab)
    if prime == "":
        raise ValueError("prime is empty: give at least one character to predict after")
    ids = encode(prime, vocab).astype(np.intp)
    inputs, h0, _ = as_batch(ids, None, params)
    h = hidden_states(params, inputs, h0)[-1, 0]
    y = (params["Why"] @ h + params["by"]) / temperature
    if top_k is not None and top_k < len(y):
        kth = np.sort(y)[len(y) - top_k]
        y = np.where(y < kth, -np.inf, y)
    e = np.exp(y - y.max())
    return e / e.sum()
