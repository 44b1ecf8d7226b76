"""Characters to integers to one-hot vectors, and back.

The vocabulary is the *sorted* set of characters in the text. Sorting matters:
``list(set(text))`` orders characters by their string hash, which Python
randomises per process (PYTHONHASHSEED), so the same text would give a
different vocabulary -- and a saved model would decode to gibberish -- in the
next process.
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Vocab:
    """The characters a model knows, in a fixed order: id ``i`` is ``chars[i]``."""

    chars: str

    def __post_init__(self):
        if not isinstance(self.chars, str):
            raise ValueError(f"chars must be a str of characters such as 'abc', got "
                             f"{type(self.chars).__name__}; or build one from a text with "
                             "rnn_core.build_vocab(text)")
        if len(self.chars) == 0:
            raise ValueError("chars is empty: a vocabulary needs at least one character; "
                             "build one from a text with rnn_core.build_vocab(text)")
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("a vocabulary cannot list the same character twice")
        if list(self.chars) != sorted(self.chars):
            raise ValueError("vocabulary characters must be in sorted order")

    @property
    def size(self):
        return len(self.chars)

    def __len__(self):
        return len(self.chars)

    @cached_property
    def index(self):
        """Dict char -> id (built once, on first use)."""
        return {ch: i for i, ch in enumerate(self.chars)}

    def id_dtype(self):
        """The smallest unsigned integer type that holds every id."""
        return np.uint8 if self.size <= 256 else np.uint16 if self.size <= 65536 else np.uint32


def build_vocab(text):
    """The sorted set of characters in ``text``."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}"
                         + ("; decode bytes first with data.decode('utf-8')"
                            if isinstance(text, (bytes, bytearray)) else ""))
    if len(text) == 0:
        raise ValueError("cannot build a vocabulary from empty text")
    return Vocab("".join(sorted(set(text))))


def _describe(ch):
    return repr(ch) if ch.isprintable() else f"{ch!r} (U+{ord(ch):04X})"


def check_known(text, vocab, what="text"):
    """Raise a clear ValueError if ``text`` holds a character outside ``vocab``."""
    unknown = sorted(set(text) - set(vocab.chars))
    if unknown:
        shown = ", ".join(_describe(ch) for ch in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(
            f"{what} contains {shown}{more}, which "
            f"{'is' if len(unknown) == 1 else 'are'} not in the "
            f"{vocab.size}-character vocabulary of this model"
        )


def encode(text, vocab, chunk=1 << 20):
    """str of length N -> ids: (N,) smallest unsigned int type that fits.

    Works through the text ``chunk`` characters at a time, so a large corpus
    never exists in memory as anything wider than its final 1-byte ids.
    """
    check_vocab(vocab)
    if not isinstance(text, str):
        hint = ("decode bytes first with data.decode('utf-8')" if isinstance(text, (bytes, bytearray))
                else "to turn ids into text use rnn_core.decode(ids, vocab)")
        raise ValueError(f"text must be a str, got {type(text).__name__}; {hint}")
    # A lookup table from code point to id turns each chunk into ids in one numpy
    # operation instead of a Python loop over characters; -1 marks unknown ones.
    known = np.frombuffer(vocab.chars.encode("utf-32-le"), dtype=np.uint32)
    table = np.full(int(known.max()) + 1, -1, dtype=np.int32)
    table[known] = np.arange(vocab.size)
    ids = np.empty(len(text), dtype=vocab.id_dtype())
    for start in range(0, len(text), chunk):
        codes = np.frombuffer(text[start:start + chunk].encode("utf-32-le"), dtype=np.uint32)
        found = table[np.minimum(codes, len(table) - 1)]
        if (found < 0).any() or (codes >= len(table)).any():
            check_known(text[start:start + chunk], vocab)  # raises, naming the characters
        ids[start:start + len(codes)] = found
    return ids


def check_vocab(vocab):
    """Raise a clear ValueError unless ``vocab`` is a Vocab."""
    if not isinstance(vocab, Vocab):
        raise ValueError(f"vocab must be an rnn_core.Vocab, got {type(vocab).__name__}; "
                         "make one with rnn_core.build_vocab(text)")
    return vocab


def check_ids(ids, V, what="ids", out_of_range=None):
    """ids as an integer array with every value in 0..V-1, or a ValueError saying what to fix.

    ``out_of_range``, if given, is the message for ids outside 0..V-1. One pass over
    the ids (min and max); the callers' hot loops never call it.
    """
    if isinstance(ids, str):
        raise ValueError(f"{what} must be integer character ids, got the text {_clip(ids)!r}; "
                         "encode it first with rnn_core.encode(text, vocab)")
    ids = np.asarray(ids)
    if ids.size == 0:
        return ids.astype(np.intp)  # an empty list is float64 to numpy; no ids is fine
    if ids.dtype.kind in "US":
        raise ValueError(f"{what} must be integer character ids, got strings; "
                         "encode text first with rnn_core.encode(text, vocab)")
    if ids.dtype.kind not in "iu":  # bool is not an id either
        example = ids.reshape(-1)[0].item()
        hint = ("convert whole numbers with .astype(int)"
                if ids.dtype.kind == "f" and np.all(np.mod(ids, 1) == 0)
                else "ids come from rnn_core.encode(text, vocab)")
        raise ValueError(f"{what} must be integer character ids, got dtype {ids.dtype} "
                         f"(e.g. {example!r}); {hint}")
    if ids.min() < 0 or ids.max() >= V:
        raise ValueError(out_of_range or f"{what} must be character ids in 0..{V - 1} for V={V}, "
                         f"got values from {ids.min()} to {ids.max()}")
    return ids


def _clip(text, n=20):
    return text if len(text) <= n else text[:n] + "..."


def decode(ids, vocab):
    """ids: (N,) int -> str of length N."""
    check_vocab(vocab)
    if isinstance(ids, str):
        raise ValueError(f"ids must be integer character ids, got the text {_clip(ids)!r}: "
                         "decode turns ids into text; to turn text into ids use "
                         "rnn_core.encode(text, vocab)")
    ids = np.asarray(ids)
    if ids.ndim > 1:
        raise ValueError(f"ids has shape {ids.shape}, but decode reads one stream of shape (N,): "
                         "for a (T, B) batch decode each stream, decode(ids[:, b], vocab)")
    ids = check_ids(ids, vocab.size, out_of_range=f"ids must lie in 0..{vocab.size - 1} for this "
                                                  f"{vocab.size}-character vocabulary")
    return "".join(vocab.chars[i] for i in ids.ravel().tolist())


def one_hot(ids, V, dtype=np.float64):
    """ids: (...) int -> (..., V) with a single 1 in each row at the id."""
    V = positive_int(V, "V")
    ids = check_ids(ids, V, out_of_range=f"ids must lie in 0..{V - 1} to be one-hot encoded with V={V}")
    return np.eye(V, dtype=dtype)[ids]


def positive_int(n, what):
    """n as an int, or a ValueError naming ``what`` unless n is a whole number > 0."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"{what} must be a positive integer, got {n!r}")
    return int(n)
