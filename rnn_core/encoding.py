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


def decode(ids, vocab):
    """ids: (N,) int -> str of length N."""
    ids = np.asarray(ids).ravel()
    if ids.size and (ids.min() < 0 or ids.max() >= vocab.size):
        raise ValueError(f"ids must lie in 0..{vocab.size - 1} for this {vocab.size}-character vocabulary")
    return "".join(vocab.chars[i] for i in ids.tolist())


def one_hot(ids, V, dtype=np.float64):
    """ids: (...) int -> (..., V) with a single 1 in each row at the id."""
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"ids must lie in 0..{V - 1} to be one-hot encoded with V={V}")
    return np.eye(V, dtype=dtype)[ids]
