"""Loading text and cutting it into the batches that training sweeps over.

Training walks ``B`` parallel streams through the corpus, ``T`` characters at a
time. Stream ``b`` reads its own contiguous slice of the text, so the hidden
state at the end of one batch is the right starting state for the next batch
(truncated backpropagation through time). With ``B = 1`` this is exactly the
classic min-char-rnn sweep: one pointer moving left to right in steps of ``T``.
"""
import os
from importlib import resources
from pathlib import Path

import numpy as np

from .encoding import build_vocab, encode, positive_int


def corpus_path():
    """Path of the bundled Tiny Shakespeare corpus (public domain, ~1.1 MB)."""
    return Path(str(resources.files("rnn_core") / "data" / "tinyshakespeare.txt"))


def load_text(path=None):
    """Read a UTF-8 text file (default: the bundled Tiny Shakespeare)."""
    path = Path(path) if path is not None else corpus_path()
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a text file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path} is not UTF-8 text (byte 0x{raw[err.start]:02x} at position {err.start}); "
            "convert it to UTF-8 first, e.g. with iconv"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is not part of the text
    if not text:
        raise ValueError(f"{path} is empty: there is nothing to learn from")
    return text


def check_trainable(text, seq, what="the text"):
    """Raise a clear ValueError unless ``text`` can train a model with sequences of ``seq``."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str (read files with rnn_core.load_text), "
                        f"got {type(text).__name__}")
    if len(text) == 0:
        raise ValueError(f"{what} is empty: there is nothing to learn from")
    if len(text) < 4096 and "\n" not in text and os.path.isfile(text):  # never raises
        raise ValueError(f"{what} is the name of the file {text!r}, not its contents: "
                         f"read it first with rnn_core.load_text({text!r})")
    if text.count(text[0]) == len(text):  # one distinct character (cheaper than a set)
        raise ValueError(
            f"{what} has only one distinct character ({text[0]!r}): "
            "there is nothing to predict; use a text with at least two different characters"
        )
    if len(text) < seq + 1:
        raise ValueError(
            f"{what} has {len(text)} characters, fewer than seq + 1 = {seq + 1}: "
            "use a longer text or a shorter seq"
        )


def prepare(text, seq=25, val_fraction=0.1):
    """text -> (vocab, train_ids, val_ids): the vocabulary of the whole text, split in two.

    The validation part is the *last* ``val_fraction`` of the text (held out, never
    trained on). It is left empty when the text is too short to spare it.
    """
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float, np.floating)) \
            or not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be a number in [0, 1) such as 0.1, got {val_fraction!r}")
    seq = positive_int(seq, "seq")
    check_trainable(text, seq)
    vocab = build_vocab(text)
    ids = encode(text, vocab)
    n_val = int(len(ids) * val_fraction)
    if len(ids) - n_val < seq + 1:
        n_val = 0
    return vocab, ids[: len(ids) - n_val], ids[len(ids) - n_val:]


def streams(ids, B):
    """ids: (N,) -> (B, L) view: B contiguous streams of L = N // B ids each (tail dropped)."""
    B = positive_int(B, "B (the number of streams)")
    L = len(ids) // B
    if L < 2:
        raise ValueError(f"{len(ids)} ids cannot be split into {B} streams of at least 2")
    return ids[: B * L].reshape(B, L)


def batch_at(S, p, T):
    """S: (B, L) streams, position p -> inputs: (T, B), targets: (T, B), time-major.

    Targets are the inputs shifted by one character: at each step the model
    predicts the next character of its stream.
    """
    inputs = np.ascontiguousarray(S[:, p:p + T].T)
    targets = np.ascontiguousarray(S[:, p + 1:p + T + 1].T)
    return inputs, targets


def wraps(p, T, L):
    """True when the window starting at p does not fit and the sweep restarts at 0.

    Same test as the classic loop (``p + seq_length + 1 >= len(data)``), so B = 1
    visits exactly the windows min-char-rnn visits.
    """
    return p + T + 1 >= L
