"""Exercise `vocabulary` (notebook 01): the distinct characters of a text, sorted."""
from .checking import case

NOTEBOOK = "01"
SIGNATURE = "fn(text) -> str: the distinct characters of text, sorted"
ARGS = ("text",)
OUTPUT = "vocabulary"


def vocabulary(text):
    """text: str -> str of its distinct characters, sorted."""
    return "".join(sorted(set(text)))


TEXTS = ["hello world\n", "First Citizen:\nBefore we proceed any further, hear me speak.",
         "abracadabra", "Zz?! 09 aA\n\nzz", "tab\there\r\nand CRLF\r\n",
         "naïve café: 5 € ¿qué? Ωμέγα ☃ 日本", "cafe\u0301 de\u0301ja\u0300 vu",
         "\ufeffa text that starts with a byte-order mark,\u200b\u00a0and zero-width spaces", "a", "    ", "~}|{ !\"#$%&'\x7f\x00",
         "", "emoji \U0001F600 after \uff01 and \ufb01 (UTF-16 order differs)"]


def long_text(n, late):
    """n characters of lowercase letters and spaces (a fixed pattern), then the characters of late: a text as
    long as a short file whose last characters appear nowhere before (a function that reads a prefix misses them)."""
    body = "".join("abcdefghijklmnopqrstuvwxyz  "[(i * 7 + i // 28) % 28] for i in range(n))
    return body + late


def cases():
    out = [case((t,), "".join(sorted(set(t))), f"text {t[:24]!r}" + ("..." if len(t) > 24 else ""))
           for t in TEXTS]
    t = long_text(3000, "\tQ!é\n")
    out.append(case((t,), "".join(sorted(set(t))), f"a text of {len(t)} characters whose last 5 ('\\t', 'Q', '!', "
                                                 "'é', '\\n') appear nowhere before"))
    return out


def parts(got):
    if isinstance(got, (list, tuple)) and all(isinstance(c, str) and len(c) == 1 for c in got):
        return [("vocabulary (joined)", "".join(got))]
    return [("vocabulary", got)]


def notes(got_parts, value, c):
    if isinstance(value, (list, tuple)):
        return [f"your vocabulary is a {type(value).__name__}; return one str: ''.join(...)"]
    return []


def vocabulary_from_set(text):
    return "".join(set(text))


def vocabulary_in_order_of_appearance(text):
    return "".join(dict.fromkeys(text))


def vocabulary_sorted_with_repeats(text):
    return "".join(sorted(text))


def vocabulary_without_whitespace(text):
    return "".join(sorted(set(text) - set(" \t\r\n")))


def vocabulary_ascii_only(text):
    return "".join(sorted(c for c in set(text) if ord(c) < 128))


MISTAKES = [
    ("an unsorted vocabulary, ''.join(set(text))",
     "a set's order follows Python's string hash, which changes from one process to the "
     "next (PYTHONHASHSEED): the same text would get other ids tomorrow and a saved model "
     "would decode to gibberish. Fix: sorted(set(text))", vocabulary_from_set),
    ("characters in the order of their first appearance",
     "deterministic, but not the sorted order the series and rnn_core use. Fix: sorted(set(text))",
     vocabulary_in_order_of_appearance),
    ("sorting the text itself, which keeps every occurrence",
     "each character must appear once. Fix: sort the set, sorted(set(text))", vocabulary_sorted_with_repeats),
    ("leaving out the whitespace",
     "spaces, tabs, '\\r' and newlines are characters the model must read and write too", 
     vocabulary_without_whitespace),
    ("keeping only ASCII characters",
     "a text may hold any Unicode character ('é', '€', '日'): every one gets an id", vocabulary_ascii_only),
]

HINTS = [
    "Which Python type keeps each character once? Which function puts things in order?",
    "A set drops the repeats but has no order of its own; sorted() returns a list of characters. "
    "What turns a list of characters back into one str?",
]
