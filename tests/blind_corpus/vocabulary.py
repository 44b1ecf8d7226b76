"""01 vocabulary: text: str -> str of its distinct characters, sorted."""
import collections

import numpy as np

from ._corpus import Calls, registrar

NAME = "vocabulary"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(text):
    chars = []
    for ch in text:
        chars.append(ch)
    chars = list(dict.fromkeys(chars))
    # insertion sort by code point: independent of sorted(set(...))
    out = []
    for ch in chars:
        i = 0
        while i < len(out) and ord(out[i]) < ord(ch):
            i += 1
        out.insert(i, ch)
    return "".join(out)


def public(text):
    import rnn_core
    return rnn_core.build_vocab(text).chars


ALPHABET = "the quick brown fox jumps over a lazy dog THE QUICK"


@wrong("list-set-unsorted", args=(ALPHABET,), why="list(set(text)) as in every seed: the order of a set of str changes per process")
def vocabulary(text):
    return "".join(list(set(text)))


@wrong("strips-text", args=("\thello world\n",), why="text.strip() drops the tab and the newline at the ends")
def vocabulary(text):
    return "".join(sorted(set(text.strip())))


@wrong("printable-only", args=("a\tb\r\nc",), why="keeps isprintable() characters only: tab, \\r and \\n are lost")
def vocabulary(text):
    return "".join(sorted(c for c in set(text) if c.isprintable()))


@wrong("ascii-only", args=("café au lait",), why="encode('ascii', 'ignore') drops é")
def vocabulary(text):
    return "".join(sorted(set(text.encode("ascii", "ignore").decode())))


@wrong("splitlines", args=("ab\r\ncd\n",), why="joins text.splitlines(): \\r and \\n disappear")
def vocabulary(text):
    return "".join(sorted(set("".join(text.splitlines()))))


@wrong("case-insensitive-sort", args=("aBc",), why="sorted with key=str.lower puts 'a' before 'B'; code point order puts 'B' first")
def vocabulary(text):
    return "".join(sorted(set(text), key=str.lower))


@wrong("first-appearance-order", args=("banana",), why="dict.fromkeys keeps the order of first appearance, not sorted")
def vocabulary(text):
    return "".join(dict.fromkeys(text))


@wrong("keeps-duplicates", args=("hello",), why="sorted(text) without set keeps every occurrence")
def vocabulary(text):
    return "".join(sorted(text))


@wrong("split-drops-whitespace", args=("to be\tor not",), why="text.split() removes spaces and tabs")
def vocabulary(text):
    return "".join(sorted(set("".join(text.split()))))


@wrong("lowercases", args=("Hello",), why="text.lower() merges 'H' into 'h'")
def vocabulary(text):
    return "".join(sorted(set(text.lower())))


@wrong("dedups-neighbours-only", args=("abab",), why="drops a character only when it repeats the previous one, without sorting")
def vocabulary(text):
    out = ""
    for ch in text:
        if not out or out[-1] != ch:
            out += ch
    return out


@wrong("utf8-bytes", args=("naïve",), why="sorts the UTF-8 bytes: ï becomes two characters Ã and ¯")
def vocabulary(text):
    return "".join(chr(b) for b in sorted(set(text.encode("utf-8"))))


_seen = set()


@wrong("set-kept-between-calls", args=Calls(("abc",), ("xyz",)), why="a module-level set collects characters from every call")
def vocabulary(text):
    _seen.update(text)
    return "".join(sorted(_seen))


@wrong("str-of-list", args=("ba",), why="str(sorted(set(text))) is \"['a', 'b']\", not 'ab'")
def vocabulary(text):
    return str(sorted(set(text)))


@wrong("frequency-order", args=("abbccc",), why="Counter.most_common orders by count, not by character")
def vocabulary(text):
    return "".join(c for c, _ in collections.Counter(text).most_common())


@wrong("drops-last-char", args=("abc",), why="text[:-1] (the inputs of a training pair) misses the last character")
def vocabulary(text):
    return "".join(sorted(set(text[:-1])))


@wrong("np-unique-loses-NUL", args=("a\x00b",), why="np.unique on a numpy str array: numpy strips trailing NUL characters, so '\\x00' disappears")
def vocabulary(text):
    return "".join(np.unique(np.array(list(text))).tolist())


@wrong("regex-dot-skips-newline", args=("ab\ncd",), why="re.findall('.', text): '.' does not match a newline")
def vocabulary(text):
    import re
    return "".join(sorted(set(re.findall(".", text))))


@wrong("normalises-line-endings", args=("one\r\ntwo\r\n",), why="text.replace('\\r\\n', '\\n') first: the \\r is not in the vocabulary")
def vocabulary(text):
    return "".join(sorted(set(text.replace("\r\n", "\n"))))


@wrong("unicode-normalised", args=("cafe\u0301",), why="unicodedata.normalize('NFC', text): e + combining accent becomes one character é")
def vocabulary(text):
    import unicodedata
    return "".join(sorted(set(unicodedata.normalize("NFC", text))))


@wrong("returns-list", args=("hello",), why="returns sorted(set(text)), a list of characters, not a str")
def vocabulary(text):
    return sorted(set(text))


@wrong("expandtabs", args=("a\tb",), why="text.expandtabs() first: the tab becomes spaces")
def vocabulary(text):
    return "".join(sorted(set(text.expandtabs())))


@wrong("strips-BOM", args=("\ufeffhello",), why="lstrip('\\ufeff') to drop a byte-order mark: it is a character of the text")
def vocabulary(text):
    return "".join(sorted(set(text.lstrip("\ufeff"))))


@right("ord-key-loop")
def vocabulary(text):
    chars = []
    for ch in text:
        if ch not in chars:
            chars.append(ch)
    return "".join(sorted(chars, key=ord))


@right("counter-keys")
def vocabulary(text):
    return "".join(sorted(collections.Counter(text)))


@right("frozenset-and-codepoints")
def vocabulary(text):
    return "".join(map(chr, sorted(frozenset(map(ord, text)))))


@right("str-subclass-free-reduce")
def vocabulary(text):
    import functools
    return functools.reduce(lambda acc, ch: acc + ch, sorted({*text}), "")


@right("set-union-loop")
def vocabulary(text):
    seen = set()
    for ch in text:
        seen |= {ch}
    out = ""
    for ch in sorted(seen):
        out += ch
    return out


def random_args(rng):
    pool = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123 \t\r\n.,;!'é€ñ😀")
    out = [("x",), ("a\tb\r\nc é😀",), (ALPHABET * 20,), ("\x00z\x7f~",)]
    for n in (1, 5, 200):
        out.append(("".join(rng.choice(pool, n)),))
    return out
