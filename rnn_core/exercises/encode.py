"""Exercise `encode` (notebook 01): a text's ids in a vocabulary made from another text."""
import numpy as np

from .checking import _short, case
from .vocabulary import long_text

NOTEBOOK = "01"
SIGNATURE = ("fn(text, chars) -> (N,) int: ids[n] is the position of text[n] in chars, the sorted "
             "vocabulary of the training text (which may hold characters this text lacks)")
ARGS = ("text", "chars")
OUTPUT = "ids"


def encode(text, chars):
    """text: str, chars: str (a sorted vocabulary) -> (N,) int, the position of each character in chars."""
    stoi = {ch: i for i, ch in enumerate(chars)}
    return np.array([stoi[ch] for ch in text], dtype=np.int64)


# (text, the text its vocabulary comes from): the vocabulary holds characters the text lacks,
# tabs, '\r' and non-ASCII characters, one character, an empty text
PAIRS = [("hello", "hello world\n"), ("First Citizen:\n", "First Citizen:\nBefore we proceed any further"),
         ("zz top", "abcdefghijklmnopqrstuvwxyz "), ("tab\there\r\n", "tab\there\r\nand CRLF\r\n!"),
         ("café ☃", "naïve café: ☃ ¿qué? 日本"), ("a", "a"), ("", "xyz"),
         ("to be or not to be", "to be, or not to be: that is the question"),
         ("".join(chr(0x100 + i) for i in (299, 0, 128, 255, 256, 130, 290)), "".join(chr(0x100 + i) for i in range(300))),
         ("hi \U0001F600!", "hi \U0001F600! \uff01\ufb01")]


def cases():
    out = []
    for text, source in PAIRS:
        chars = "".join(sorted(set(source)))
        want = np.array([chars.index(ch) for ch in text], dtype=np.int64)
        about = f"text {_short(text)}, a vocabulary of {len(chars)} characters"
        out.append(case((text, chars), want.astype(float), about, N=len(text), V=len(chars)))
    # a text of a few thousand characters whose last ones appear nowhere before (a prefix is not enough)
    text = long_text(3000, "Q\té!")
    chars = "".join(sorted(set(text) | set("XYZ")))
    want = np.array([chars.index(ch) for ch in text], dtype=np.int64)
    out.append(case((text, chars), want.astype(float), f"a text of {len(text)} characters whose last 4 appear "
                    f"nowhere before, a vocabulary of {len(chars)} characters", N=len(text), V=len(chars)))
    return out


def notes(got_parts, value, c):
    arr = np.asarray(value) if isinstance(value, np.ndarray) else None
    if arr is not None and not np.issubdtype(arr.dtype, np.integer):
        return [f"your ids are {arr.dtype}: ids index arrays, so return integers (np.array(..., dtype=int))"]
    return []


def encode_own_vocabulary(text, chars):
    own = sorted(set(text))
    return np.array([own.index(ch) for ch in text], dtype=np.int64)


def encode_counting_from_one(text, chars):
    return np.array([chars.index(ch) + 1 for ch in text], dtype=np.int64)


def encode_code_points(text, chars):
    return np.array([ord(ch) for ch in text], dtype=np.int64)


def vary(args):
    """The same text (the same object) with another vocabulary: one more character before all the others."""
    text, chars = args
    return [("chars", (text, "".join(sorted(set(chars) | {"\x01"}))))]


MISTAKES = [
    ("ids from the text's own vocabulary instead of chars",
     "the ids must mean the same characters as in training: the model's vocabulary is chars, which may hold "
     "characters this text never uses. Fix: look each character up in chars", encode_own_vocabulary),
    ("ids counted from 1", "the first character of chars has id 0 (a position in the string)",
     encode_counting_from_one),
    ("Unicode code points (ord) instead of positions in chars",
     "ids run from 0 to V - 1 so that they can index a row of Wxh's columns. Fix: the position in chars",
     encode_code_points),
]

HINTS = [
    "The id of a character is its position in chars, not in the text, and not in a vocabulary of this text: "
    "why would the two differ?",
    "Looking a character up with chars.index(ch) works but reads chars again for every character. Build a "
    "lookup once (what did the notebook call it?), then use it for each character of text; return an int array.",
]
