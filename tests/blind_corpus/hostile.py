"""Functions that try to stop the checker from giving a verdict, or to leave the process unusable.

Each runs in its own subprocess in the tests (tests/test_blind_corpus.py): the checker must
return a verdict (an object with .outcome) within 60 s, with a message of reasonable size,
and a correct function checked afterwards in the same process must get "right".
"""
import sys
import time
from dataclasses import dataclass

import numpy as np


@dataclass
class Hostile:
    id: str
    exercise: str
    fn: object
    why: str

    def __repr__(self):
        return self.id


HOSTILE = []


def hostile(exercise, tag, why):
    def deco(fn):
        HOSTILE.append(Hostile(f"{exercise}-X{len(HOSTILE) + 1:02d}-{tag}", exercise, fn, why))
        return fn
    return deco


def _softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@hostile("softmax", "bare-except-infinite-loop", "while True inside try/bare except: swallows a time-out exception every time it fires")
def softmax(y):
    while True:
        try:
            while True:
                pass
        except:  # noqa: E722
            pass


@hostile("softmax", "sleeps-and-swallows-BaseException", "retries forever, catching BaseException around time.sleep")
def softmax(y):
    while True:
        try:
            time.sleep(0.05)
        except BaseException:  # noqa: BLE001
            continue


@hostile("one_hot", "loops-again-in-finally", "an infinite loop whose finally block starts another infinite loop")
def one_hot(ids, V):
    try:
        while True:
            pass
    finally:
        while True:
            pass


@hostile("loss", "raises-SystemExit", "raise SystemExit (what sys.exit() does)")
def loss(ps, targets):
    raise SystemExit(3)


@hostile("one_hot", "raises-GeneratorExit", "raise GeneratorExit, a BaseException")
def one_hot(ids, V):
    raise GeneratorExit


class StudentStop(BaseException):
    pass


@hostile("rnn_step", "raises-custom-BaseException", "a class derived from BaseException, not Exception")
def rnn_step(params, x, h_prev):
    raise StudentStop("stop")


class BadStr(str):
    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    def __ne__(self, other):
        raise RuntimeError("no comparing me")

    __hash__ = str.__hash__


@hostile("vocabulary", "str-subclass-eq-raises", "returns a str subclass whose __eq__ and __ne__ raise")
def vocabulary(text):
    return BadStr("".join(sorted(set(text))))


class BadFloat(float):
    def __float__(self):
        raise RuntimeError("no float for you")

    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    def __sub__(self, other):
        raise RuntimeError("no arithmetic")

    __rsub__ = __sub__
    __hash__ = float.__hash__


@hostile("loss", "float-subclass-float-raises", "returns a float subclass whose __float__, __eq__ and __sub__ raise")
def loss(ps, targets):
    return BadFloat(-np.log(ps[np.arange(len(targets)), targets]).sum())


class BadTuple(tuple):
    def __len__(self):
        raise RuntimeError("no length")

    def __iter__(self):
        raise RuntimeError("no iterating")

    def __getitem__(self, i):
        raise RuntimeError("no indexing")


@hostile("forward", "tuple-subclass-len-raises", "returns a tuple subclass whose __len__, __iter__ and __getitem__ raise")
def forward(params, inputs, h0):
    hs = [h0]
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
    hs = np.array(hs)
    return BadTuple((hs, _softmax(hs[1:] @ params["Why"].T + params["by"])))


class BadDict(dict):
    def __getitem__(self, key):
        raise RuntimeError("no items")

    def get(self, key, default=None):
        raise RuntimeError("no items")

    def items(self):
        raise RuntimeError("no items")

    def values(self):
        raise RuntimeError("no items")


@hostile("bptt", "dict-subclass-getitem-raises", "returns a dict subclass whose __getitem__, get, items and values raise")
def bptt(params, inputs, targets, hs, ps):
    return BadDict({k: np.zeros_like(v) for k, v in params.items()})


@hostile("temperature", "prints-20-MB", "prints one 20 MB line, then returns a wrong answer")
def temperature(logits, temperature):
    print("x" * 20_000_000)
    return _softmax(np.asarray(logits, dtype=float))


@hostile("top_k", "sleeps-30-s", "time.sleep(30) on every call")
def top_k(logits, k):
    time.sleep(30)
    return _softmax(np.asarray(logits, dtype=float))


@hostile("softmax", "checks-itself", "calls check('softmax', itself) from inside: a re-entrant check")
def softmax(y):
    from rnn_core.exercises import check
    check("softmax", softmax_self)
    return _softmax(np.asarray(y, dtype=float))


softmax_self = HOSTILE[-1].fn


@hostile("dlogits", "3-s-per-call-and-wrong", "takes 3 s per call and forgets to copy ps: diagnosis must not re-run it without bound")
def dlogits(ps, targets):
    time.sleep(3)
    ps[np.arange(len(targets)), targets] -= 1
    return ps


@hostile("clip", "long-C-call", "sum(range(10**13)): one C call of hours in which Python signal handlers cannot run")
def clip(grads, limit):
    sum(range(10 ** 13))
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)


class Poison:
    def __array__(self, *a, **k):
        raise RuntimeError("no array")

    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__
    __hash__ = None


@hostile("adagrad_step", "replaces-arrays-with-poison", "puts objects whose __array__, __eq__ and __repr__ raise into the caller's dicts")
def adagrad_step(params, grads, memory, lr):
    for k in list(params):
        params[k] = Poison()
        memory[k] = Poison()


class UnprintableError(Exception):
    def __str__(self):
        raise RuntimeError("no message")

    def __repr__(self):
        raise RuntimeError("no repr")


@hostile("rmsprop_step", "exception-that-cannot-be-printed", "raises an Exception whose __str__ and __repr__ raise")
def rmsprop_step(params, grads, memory, lr, decay=0.9):
    raise UnprintableError()


class Sticky(np.ndarray):
    def __array_finalize__(self, obj):
        while obj is not None:  # not on creation, on every view and slice
            pass


@hostile("bptt_step", "ndarray-view-hangs", "returns an ndarray subclass whose every view or slice loops forever")
def bptt_step(params, x, h_prev, h, dy, dhnext):
    g = {k: np.zeros(np.shape(v)) for k, v in params.items()}
    dh = np.asarray(dhnext, dtype=float).copy()
    sticky = np.ndarray.__new__(Sticky, dh.shape)
    return g, sticky


@hostile("forward", "closes-stdout", "closes sys.stdout, then returns a wrong answer")
def forward(params, inputs, h0):
    sys.stdout.close()
    return np.zeros((len(inputs) + 1, len(h0))), np.zeros((len(inputs), params["Why"].shape[0]))


@hostile("temperature", "numpy-raises-on-underflow", "np.seterr(all='raise') for the rest of the process, then a correct answer")
def temperature(logits, temperature):
    np.seterr(all="raise")
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


@hostile("softmax", "object-array-of-poisoned-floats", "returns a dtype=object array whose elements' arithmetic and comparisons raise")
def softmax(y):
    p = _softmax(np.asarray(y, dtype=float))
    out = np.empty(p.shape, dtype=object)
    for i in np.ndindex(p.shape):
        out[i] = BadFloat(p[i])
    return out
