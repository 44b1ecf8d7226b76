"""Exercises with instant checks: you write each step, a checker says what is wrong.

    from rnn_core.exercises import check, hint, solution, predict

    def softmax(y):
        ...
    check("softmax", softmax)     # -> ✓ / ✗ with a diagnosis / not attempted

``check(name, fn)`` runs ``fn`` on small cases it builds itself (seeded, several
sizes, non-zero biases and ``h0``, repeated characters, large logits where
overflow matters), compares with ``rnn_core``'s own functions (and, for
``bptt``, with numerical gradients), and, when the answer is wrong and matches
one of the classic mistakes in ``rnn_core.answers``, names it and its fix.
Your function always gets copies: nothing of yours is ever changed by a check.
What it prints stays out of the cell (a ✗ shows what it printed on the case
that failed), an answer computed in float32 is judged within float32's
rounding, and a right answer written another way (``answers.VARIANTS``) passes
with a note.

``NAMES`` lists the exercises in the order of the notebooks; ``SIGNATURES``
says what each one takes and returns. ``hint(name)`` and ``hint(name, 2)``
give graded hints, ``solution(name)`` prints a reference solution.
``predict(question, choices, answer, why)`` is a "predict first" question.
"""
import copy
import dis
import html
import inspect
import io
import os
import signal
import sys
import sysconfig
import textwrap
import threading
import time
import tokenize
import traceback
import warnings
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass

import numpy as np

from . import answers
from .bptt import loss_and_grads
from .encoding import build_vocab, one_hot
from .forward import forward, softmax
from .gradcheck import numerical_grads
from .loss import cross_entropy
from .optim import adagrad_step, clip_elementwise

# exercise -> (notebook, what you write)
SIGNATURES = {
    "vocabulary": ("01", "fn(text) -> str: the distinct characters of text, sorted"),
    "one_hot": ("01", "fn(ids, V) -> (N, V) float: row n is the one-hot vector of ids[n]"),
    "softmax": ("02", "fn(y) -> probabilities along the last axis, same shape as y (any leading shape)"),
    "rnn_step": ("02", "fn(params, x, h_prev) -> h: (H,), x an int id"),
    "forward": ("02", "fn(params, inputs, h0) -> (hs, ps): inputs (T,) int, h0 (H,), "
                      "hs (T+1, H) with hs[0] = h0, ps (T, V)"),
    "loss": ("03", "fn(ps, targets) -> summed cross-entropy in nats (float)"),
    "dlogits": ("03", "fn(ps, targets) -> dy: (T, V) = p - onehot(target), "
                      "the gradient of the summed loss w.r.t. the logits"),
    "bptt_step": ("04", "fn(params, x, h_prev, h, dy, dhnext) -> (grads, dh_prev): this step's "
                        "contributions (dict Wxh, Whh, Why, bh, by) and the gradient reaching h_prev (H,)"),
    "bptt": ("04", "fn(params, inputs, targets, hs, ps) -> dict of gradients Wxh, Whh, Why, bh, by"),
    "clip": ("05", "fn(grads, limit) -> None: clips every element to [-limit, limit], in place"),
    "adagrad_step": ("05", "fn(params, grads, memory, lr) -> None: updates params and memory in place"),
    "rmsprop_step": ("05", "fn(params, grads, memory, lr, decay) -> None: Adagrad with the memory "
                           "a decaying average of g**2, in place"),
    "temperature": ("06", "fn(logits, temperature) -> probabilities (V,)"),
    "top_k": ("06", "fn(logits, k) -> probabilities (V,): only the k largest logits keep probability"),
}
NAMES = tuple(SIGNATURES)

TIME_LIMIT = 5.0   # seconds a single call of your function may take before the check gives up
TOLERANCE = 1e-6   # largest relative error that counts as right
FLOAT32_TOLERANCE = 1e-4  # the same for an answer computed in float32 (rounding ~1e-7 per operation)


@dataclass(frozen=True)
class Result:
    """The verdict of ``check``: one line, and on ✗ the diagnosis below it."""

    name: str
    outcome: str  # "right", "wrong" or "not attempted"
    message: str

    @property
    def passed(self):
        return self.outcome == "right"

    def __repr__(self):
        return self.message

    __str__ = __repr__

    def _repr_html_(self):
        colour = {"right": "#1a7f37", "wrong": "#b00020", "not attempted": "#57606a"}[self.outcome]
        first, _, rest = self.message.partition("\n")
        body = f"<b>{html.escape(first)}</b>"
        if rest:
            body += "\n" + html.escape(rest)
        return (f'<div style="color: {colour}; font-family: monospace; white-space: pre-wrap; '
                f'line-height: 1.4">{body}</div>')


# ------------------------------------------------------------------ the cases
# Every case: args (what your function is called with), want (the right output,
# from rnn_core), about (shown in messages), dims (to write shapes as (H, V)).

SIZES = [(5, 3, 1), (7, 4, 5), (13, 8, 6)]  # (V, H, T): V, H, T and T+1 all differ


def _params(rng, V, H):
    # weights large enough that tanh bends (with 0.01 a missing tanh' would hide)
    return {"Wxh": rng.standard_normal((H, V)) * 0.6, "Whh": rng.standard_normal((H, H)) * 0.6,
            "Why": rng.standard_normal((V, H)) * 0.6, "bh": rng.standard_normal(H) * 0.3,
            "by": rng.standard_normal(V) * 0.3}


def _ids(rng, V, T):
    ids = rng.integers(0, V, size=T)
    if T > 2:
        ids[-1] = ids[0]  # a repeated character, so dWxh must accumulate
    return ids


def _case(args, want, about, **dims):
    if "T" in dims:
        dims["T+1"] = dims["T"] + 1
    return {"args": args, "want": want, "about": about, "dims": dims}


def _cases_vocabulary():
    texts = ["hello world\n", "First Citizen:\nBefore we proceed any further, hear me speak.",
             "abracadabra", "Zz?! 09 aA\n\nzz"]
    return [_case((t,), build_vocab(t).chars, f"text {t[:20]!r}") for t in texts]


def _cases_one_hot():
    rng = np.random.default_rng(1)
    out = []
    for N, V in [(6, 5), (1, 3), (10, 13)]:
        ids = _ids(rng, V, N)
        out.append(_case((ids, V), one_hot(ids, V), f"N={N}, V={V}", N=N, V=V))
    return out


def _cases_softmax():
    rng = np.random.default_rng(2)
    mixed = np.stack([1000 + rng.standard_normal(6), rng.standard_normal(6), -1000 + rng.standard_normal(6)])
    ys = [(rng.standard_normal(5) * 2, "shape (5,)"),
          (rng.standard_normal((4, 7)) * 3, "shape (4, 7)"),
          (rng.standard_normal((2, 3, 5)) * 3, "shape (2, 3, 5)"),
          (np.array([1000.0, 999.0, 990.0, 1001.5, 0.0]), "shape (5,), logits up to 1001.5"),
          (mixed, "shape (3, 6), rows near +1000, 0 and -1000")]
    return [_case((y,), softmax(y), about) for y, about in ys]


def _cases_rnn_step():
    rng = np.random.default_rng(3)
    out = []
    for V, H, _ in SIZES:
        params = _params(rng, V, H)
        x, h_prev = int(rng.integers(0, V)), np.tanh(rng.standard_normal(H))
        want = forward(params, np.array([x]), h_prev)[0][1]
        out.append(_case((params, x, h_prev), want, f"V={V}, H={H}, x={x}", V=V, H=H))
    return out


def _sequence(rng, V, H, T):
    """A model run over a sequence: params, inputs and targets (T,), h0 (H,), and forward's hs, ps."""
    params = _params(rng, V, H)
    inputs, targets = _ids(rng, V, T), _ids(rng, V, T)
    h0 = np.tanh(rng.standard_normal(H))
    hs, ps = forward(params, inputs, h0)
    return params, inputs, targets, h0, hs, ps


def _cases_forward():
    rng = np.random.default_rng(4)
    out = []
    for V, H, T in SIZES:
        params, inputs, _, h0, hs, ps = _sequence(rng, V, H, T)
        out.append(_case((params, inputs, h0), (hs, ps), f"V={V}, H={H}, T={T}", V=V, H=H, T=T))
    return out


def _cases_of_ps_and_targets(seed, reference):
    """Cases for an exercise fn(ps, targets): random distributions ps (T, V), want = reference(ps, targets)."""
    rng = np.random.default_rng(seed)
    out = []
    for V, _, T in SIZES:
        ps, targets = softmax(rng.standard_normal((T, V)) * 2), _ids(rng, V, T)
        out.append(_case((ps, targets), reference(ps, targets), f"V={V}, T={T}", V=V, T=T))
    return out


def _cases_loss():
    return _cases_of_ps_and_targets(5, cross_entropy)


def _cases_dlogits():
    return _cases_of_ps_and_targets(6, lambda ps, targets: ps - one_hot(targets, ps.shape[1]))


def _cases_bptt_step():
    rng = np.random.default_rng(7)
    out = []
    for V, H, T in SIZES:
        params, inputs, targets, _, hs, ps = _sequence(rng, V, H, T)
        t = T - 1
        dy = ps[t] - one_hot(targets[t], V)
        dhnext = rng.standard_normal(H) * 0.5
        args = (params, int(inputs[t]), hs[t], hs[t + 1], dy, dhnext)
        # the reference is checked against numerical gradients in tests/test_exercises.py
        out.append(_case(args, answers.bptt_step(*copy.deepcopy(args)), f"V={V}, H={H}", V=V, H=H))
    return out


def _cases_bptt():
    rng = np.random.default_rng(8)
    out = []
    for V, H, T in SIZES:
        params, inputs, targets, h0, hs, ps = _sequence(rng, V, H, T)
        case = _case((params, inputs, targets, hs, ps), loss_and_grads(params, inputs, targets, h0)[1],
                     f"V={V}, H={H}, T={T}, h0 not zero", V=V, H=H, T=T)
        case["h0"] = h0
        out.append(case)
    return out


def _grads(rng, V, H, scale):
    return {k: rng.standard_normal(p.shape) * scale for k, p in _params(rng, V, H).items()}


def _cases_clip():
    rng = np.random.default_rng(9)
    out = []
    for (V, H, _), limit, scale in zip(SIZES, (5.0, 1.0, 0.5), (6.0, 2.0, 0.3)):
        grads = _grads(rng, V, H, scale)
        grads["Wxh"][0, 0], grads["Wxh"][-1, -1] = 3 * limit, -3 * limit  # both sides exceed the limit
        want = clip_elementwise(copy.deepcopy(grads), limit)
        out.append(_case((grads, limit), {"grads": want}, f"V={V}, H={H}, limit={limit}", V=V, H=H))
    return out


def _optimiser_state(rng, V, H):
    params, grads = _params(rng, V, H), _grads(rng, V, H, 1.0)
    memory = {k: rng.random(p.shape) * 4 for k, p in params.items()}
    # an element that has never had a gradient: memory 0, gradient 0
    grads["bh"][0], memory["bh"][0] = 0.0, 0.0
    memory["by"][:] = 0.0  # and a first step
    return params, grads, memory


def _cases_adagrad_step():
    rng = np.random.default_rng(10)
    out = []
    for (V, H, _), lr in zip(SIZES, (0.1, 0.05, 0.3)):
        params, grads, memory = _optimiser_state(rng, V, H)
        p, m = copy.deepcopy(params), copy.deepcopy(memory)
        adagrad_step(p, copy.deepcopy(grads), m, lr)
        out.append(_case((params, grads, memory, lr), {"params": p, "memory": m},
                         f"V={V}, H={H}, lr={lr}", V=V, H=H))
    return out


def _cases_rmsprop_step():
    rng = np.random.default_rng(11)
    out = []
    for (V, H, _), lr, decay in zip(SIZES, (0.1, 0.05, 0.3), (0.9, 0.5, 0.99)):
        params, grads, memory = _optimiser_state(rng, V, H)
        p, m = copy.deepcopy(params), copy.deepcopy(memory)
        answers.rmsprop_step(p, copy.deepcopy(grads), m, lr, decay)
        out.append(_case((params, grads, memory, lr, decay), {"params": p, "memory": m},
                         f"V={V}, H={H}, lr={lr}, decay={decay}", V=V, H=H))
    return out


def _cases_temperature():
    rng = np.random.default_rng(12)
    out = []
    for V, tau, scale, shift in [(7, 0.5, 2, 0), (13, 2.0, 2, 0), (5, 1.0, 2, 0), (9, 0.25, 3, 500)]:
        y = rng.standard_normal(V) * scale + shift
        note = f", logits near {shift}" if shift else ""
        out.append(_case((y, tau), softmax(y / tau), f"V={V}, temperature={tau}{note}", V=V))
    return out


def _cases_top_k():
    rng = np.random.default_rng(13)
    out = []
    for V, k, shift in [(7, 3, 0), (13, 1, 0), (5, 5, 0), (9, 4, 800)]:
        y = rng.standard_normal(V) * 2 + shift
        kept = np.where(y >= np.sort(y)[-k], y, -np.inf)
        note = f", logits near {shift}" if shift else ""
        out.append(_case((y, k), softmax(kept), f"V={V}, k={k}{note}", V=V))
    return out


# -------------------------------------------------- how each output is read
# Each exercise names its arguments; "changes" are the ones it must update in
# place (their state after the call is the output), "parts" read what it returned.

ARGS = {
    "vocabulary": ("text",), "one_hot": ("ids", "V"), "softmax": ("y",),
    "rnn_step": ("params", "x", "h_prev"), "forward": ("params", "inputs", "h0"),
    "loss": ("ps", "targets"), "dlogits": ("ps", "targets"),
    "bptt_step": ("params", "x", "h_prev", "h", "dy", "dhnext"),
    "bptt": ("params", "inputs", "targets", "hs", "ps"), "clip": ("grads", "limit"),
    "adagrad_step": ("params", "grads", "memory", "lr"),
    "rmsprop_step": ("params", "grads", "memory", "lr", "decay"),
    "temperature": ("logits", "temperature"), "top_k": ("logits", "k"),
}
CHANGES = {"clip": ("grads",), "adagrad_step": ("params", "memory"), "rmsprop_step": ("params", "memory")}
KEYS = ("Wxh", "Whh", "Why", "bh", "by")

SHAPE_NOTES = {
    "hs": "hs[0] is h0, so hs has T+1 rows",
    "ps": "one distribution per input character: T rows of V probabilities",
    "dWxh": "every gradient has the shape of its parameter: Wxh is (H, V)",
    "dWhh": "every gradient has the shape of its parameter: Whh is (H, H)",
    "dWhy": "every gradient has the shape of its parameter: Why is (V, H)",
}


class _Wrong(Exception):
    """Raised while reading an output that is not even the right kind of thing."""


def _gradient_dict(got, what):
    if not isinstance(got, dict):
        raise _Wrong(f"{what} is {_kind(got)}, expected a dict with keys {', '.join(KEYS)}")
    missing = [k for k in KEYS if k not in got]
    if missing and all("d" + k in got for k in missing):
        raise _Wrong(f"{what} has the keys {', '.join(repr('d' + k) for k in missing)}: name each gradient "
                     f"after its parameter, {', '.join(repr(k) for k in missing)} (as rnn_core does)")
    if missing:
        raise _Wrong(f"{what} has no key {', '.join(repr(k) for k in missing)}: "
                     f"expected the keys {', '.join(KEYS)} (the names of the parameters)")
    return [("d" + k, got[k]) for k in KEYS]


def _parts(name, got, args):
    """What your function produced, as [(label, value)], in the order of the expected output."""
    if name in CHANGES:
        return [(f"{arg}[{k!r}]", args[ARGS[name].index(arg)][k]) for arg in CHANGES[name] for k in KEYS]
    if got is None:
        raise _Wrong("your function returned None: did you forget `return`?")
    if name == "vocabulary" and isinstance(got, (list, tuple)) and all(isinstance(c, str) for c in got):
        return [("vocabulary", "".join(got))]
    if name in ("forward", "bptt_step"):
        first, second = ("hs", "ps") if name == "forward" else ("grads", "dh_prev")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise _Wrong(f"your function returned {_kind(got)}, expected two things: ({first}, {second})")
        if name == "forward":
            return [("hs", got[0]), ("ps", got[1])]
        return _gradient_dict(got[0], "your grads") + [("dh_prev", got[1])]
    if name == "bptt":
        return _gradient_dict(got, "your function's result")
    label = {"vocabulary": "vocabulary", "loss": "loss", "dlogits": "dy"}.get(name, "output")
    return [(label, got)]


def _expected_parts(name, want):
    if name in CHANGES:
        return [(f"{arg}[{k!r}]", want[arg][k]) for arg in CHANGES[name] for k in KEYS]
    return _parts(name, want, None)


def _kind(x):
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"a {type(x).__name__}"


def _shape_text(shape, dims):
    symbols = {v: k for k, v in dims.items()}
    text = str(tuple(shape))
    # (1, 1, 5) with T = 1 would read (T, T, V): axes of length 1 are named only when unambiguous
    if shape and all(n in symbols for n in shape) and tuple(shape).count(1) < 2:
        named = ", ".join(symbols[n] for n in shape)
        text += f" = ({named}{',' if len(shape) == 1 else ''})"
    return text


def relative_error(got, want):
    """||got - want|| / max(||got||, ||want||), one number for a whole array (0 if both are 0)."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    scale = max(np.linalg.norm(got), np.linalg.norm(want))
    return float(np.linalg.norm(got - want) / scale) if scale > 0 else 0.0


def _compare(label, got, want, dims, exact_nan=False):
    """-> (problem or None, relative error). ``exact_nan``: NaN where ``want`` has NaN is fine."""
    if isinstance(want, str):
        if not isinstance(got, str):
            return f"your {label} is {_kind(got)}, expected a str", 1.0
        return (None if got == want else f"your {label} is {got!r}, expected {want!r}"), float(got != want)
    if isinstance(want, float):
        if isinstance(got, np.ndarray) and got.shape != ():
            return (f"your {label} is an array of shape {_shape_text(got.shape, dims)}, "
                    "expected one number (a float): sum it"), 1.0
        if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating, np.ndarray)):
            return f"your {label} is {_kind(got)}, expected a float", 1.0
        got = float(got)
        if not np.isfinite(got) and not (exact_nan and np.isnan(got) and np.isnan(want)):
            return f"your {label} is {got}", 1.0
        err = 0.0 if exact_nan and np.isnan(got) and np.isnan(want) else relative_error(got, want)
        return None, err
    # an array
    if isinstance(got, (list, tuple)):
        return f"your {label} is a {type(got).__name__}; return a numpy array (np.array(...))", 1.0
    if not isinstance(got, (np.ndarray, np.generic, int, float)) or isinstance(got, bool):
        return f"your {label} is {_kind(got)}, expected an array of shape {_shape_text(want.shape, dims)}", 1.0
    got = np.asarray(got)
    if got.shape != want.shape:
        if got.ndim == 0:
            return (f"your {label} is a single number, expected an array of shape "
                    f"{_shape_text(want.shape, dims)}"), 1.0
        text = (f"your {label} has shape {_shape_text(got.shape, dims)}, "
                f"expected {_shape_text(want.shape, dims)}")
        if got.shape == want.shape[::-1] and got.ndim == 2:
            text += ": it is transposed"
        if label in SHAPE_NOTES:
            text += f" ({SHAPE_NOTES[label]})"
        return text, 1.0
    if not (np.issubdtype(got.dtype, np.floating) or np.issubdtype(got.dtype, np.integer) or got.dtype == bool):
        return f"your {label} holds {got.dtype} values, expected numbers", 1.0
    got = got.astype(np.float64)
    bad = ~np.isfinite(got)
    if exact_nan:
        same = np.isnan(got) & np.isnan(want)
        if (bad & ~same).any() or (np.isnan(want) & ~np.isnan(got)).any():
            return "differs", 1.0
        got, want = np.where(same, 0.0, got), np.where(same, 0.0, want)
    elif bad.any():
        what = "NaN" if np.isnan(got).any() else "inf"
        return f"your {label} contains {what} in {int(bad.sum())} of {got.size} entries", 1.0
    return None, relative_error(got, want)


def _judge(name, got_parts, want_parts, dims, tolerance=TOLERANCE):
    """-> (lines describing what is wrong, worst error)."""
    problems, errors = [], {}
    for (label, got), (_, want) in zip(got_parts, want_parts):
        problem, err = _compare(label, got, want, dims)
        if problem:
            problems.append(problem)
        errors[label] = err
    worst = max(errors.values())
    if problems:
        return problems, worst
    if worst <= tolerance:
        return [], worst
    if len(errors) == 1:
        (label, err), = errors.items()
        return [f"your {label} is off by a relative error of {_sig(err)}"], worst
    wrong = [f"{k} {_sig(e)}" for k, e in errors.items() if e > tolerance]
    right = [k for k, e in errors.items() if e <= tolerance]
    line = "wrong (relative error): " + ", ".join(wrong)
    if len(right) > len(KEYS):  # an optimiser step: ten arrays, name only the wrong ones
        line += f"; the other {len(right)} are right"
    else:
        line += "; right: " + ", ".join(right) if right else "; none is right"
    return [line], worst


def _sig(err):
    """A failing relative error with one significant digit (stable across BLAS builds)."""
    return f"{err:.1g}"


def _bound(err):
    """A passing relative error as a bound: exact digits would flicker across BLAS builds."""
    for limit in (1e-12, 1e-9, 1e-6):
        if err < limit:
            return f"< {limit:.0e}"
    return f"{err:.1g}"


def _same_state(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_state(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return type(a) is type(b) and a == b


# ------------------------------------------------ running the student's code

class _TimeUp(BaseException):
    """Raised inside your function when it runs too long (BaseException: `except Exception` won't catch it)."""


@contextmanager
def _time_limit(seconds):
    """Interrupt the code in the block after ``seconds``.

    A notebook kernel runs cells on its main thread, where SIGALRM can interrupt
    a Python loop without touching the kernel. Elsewhere (another thread,
    Windows, or a timer already set by someone else) a trace function checks
    the clock at every line of Python instead: slower, but it works anywhere.
    """
    use_alarm = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
                 and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    active = [True]
    if use_alarm:
        def on_alarm(signum, frame):
            if active[0]:
                raise _TimeUp
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            active[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    else:
        deadline = time.monotonic() + seconds

        def tracer(frame, event, arg):
            if active[0] and time.monotonic() > deadline:
                raise _TimeUp
            return tracer
        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            yield
        finally:
            active[0] = False
            sys.settrace(previous)


_OWN_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_LIBRARY_DIRS = tuple({os.path.abspath(sysconfig.get_paths()[k]) + os.sep
                       for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def _is_students(filename):
    if filename.startswith("<"):  # <frozen ...>, <__array_function__ internals>; keep <string>, <stdin>
        return filename in ("<string>", "<stdin>") or filename.startswith("<ipython-input")
    path = os.path.abspath(filename)
    return not path.startswith(_OWN_DIR) and not path.startswith(_LIBRARY_DIRS)


def _where(err):
    """'at line 3 of softmax: return e / e.sum()' for the last line of the student's own code."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if _is_students(f.filename)]
    if not frames:
        return ""
    f = frames[-1]
    line = f" `{f.line.strip()}`" if f.line else ""
    return f"\n  at line {f.lineno} of {f.name}:{line}"


def _call(fn, args, time_limit, printed=None):
    """-> (what happened, value): "returned", "not attempted", "raised" (value: the exception), "timed out",
    "calls a stub" (value: the name of the stub).

    What ``fn`` prints is caught and appended to the list ``printed``: the verdict
    shows it where it helps, instead of one copy per case above the verdict.
    """
    out = io.StringIO()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings(), redirect_stdout(out):
            warnings.simplefilter("ignore")  # a verdict, not a RuntimeWarning on stderr
            with _time_limit(time_limit):
                value = fn(*args)
    except _TimeUp:
        return "timed out", None
    except NotImplementedError as err:
        # raised by fn itself: a stub; raised deeper: fn calls another stub (its own softmax, say)
        deepest = traceback.extract_tb(err.__traceback__)[-1]
        own = getattr(fn, "__code__", None)
        if own is None or (deepest.name == own.co_name and deepest.filename == own.co_filename):
            return "not attempted", None
        return "calls a stub", deepest.name
    except Exception as err:  # noqa: BLE001 -- any error in the student's code becomes a verdict
        return "raised", err
    finally:
        if printed is not None:
            printed.append(out.getvalue())
    return "returned", value


def _printed(text, limit=6):
    """What the student's function printed on the failing case, indented, at most ``limit`` lines."""
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if not lines:
        return ""
    shown = "\n    ".join(lines[:limit])
    more = f"\n    ... ({len(lines) - limit} more lines)" if len(lines) > limit else ""
    return f"\n  your function printed, on this case:\n    {shown}{more}"


def _shapes_reminder(case):
    params = case["args"][0] if isinstance(case["args"][0], dict) else None
    if not params or "Wxh" not in params:
        return ""
    listed = ", ".join(f"{k} {_shape_text(params[k].shape, case['dims'])}" for k in KEYS)
    return f"\n  the shapes in this case: {listed}"


def _matches(label, got, want, dims):
    problem, err = _compare(label, got, want, dims, exact_nan=True)
    return problem is None and err <= _tolerance([(label, got)])


def _diagnose(name, fn, got_parts, case, cases, time_limit):
    """Name the classic mistake whose output equals the student's, if any.

    A mistake is named only when it gives what the student's function gives on
    every case (the student's other outputs too: on a single step, all-zero
    gradients are also what a loop that skips t = 0 gives), and never for a case
    where it gives the right answer (no max subtracted, on small logits).
    """
    want_parts = _expected_parts(name, case["want"])
    if all(_matches(label, got, want, case["dims"]) for (label, got), (_, want) in zip(got_parts, want_parts)):
        return ""  # the output is right: what is wrong is something else (a changed argument)
    students = [(case, got_parts)] + [(other, _output(name, fn, other, time_limit))
                                      for other in cases if other is not case]
    for mistake, fix, wrong_fn in answers.MISTAKES.get(name, []):
        if all(parts is None or _same_output(name, wrong_fn, parts, c, time_limit) for c, parts in students):
            return f"\n  This is what you get with {mistake}. {fix[0].upper()}{fix[1:]}."
    return ""


def _output(name, fn, case, time_limit):
    """The parts of ``fn``'s output on ``case``, or None when it gave none (raised, too slow, not a dict)."""
    args = copy.deepcopy(case["args"])
    what, value = _call(fn, args, time_limit)
    if what != "returned":
        return None
    try:
        return _parts(name, value, args)
    except _Wrong:
        return None


def _same_output(name, wrong_fn, got_parts, case, time_limit):
    parts = _output(name, wrong_fn, case, time_limit)
    return parts is not None and all(_matches(label, got, want, case["dims"])
                                     for (label, got), (_, want) in zip(got_parts, parts))


def check(name, fn, time_limit=TIME_LIMIT):
    """Run your ``fn`` for exercise ``name`` on the checker's own cases -> Result (✓ / ✗ / not attempted).

    ``fn`` gets deep copies of every argument, so nothing outside the check changes.
    A call that takes longer than ``time_limit`` seconds is stopped.
    """
    # a wild answer (1e200, complex numbers) must give a verdict, not a RuntimeWarning on stderr
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _check(name, fn, time_limit)


def _check(name, fn, time_limit):
    _exercise_name(name)
    if not callable(fn):
        raise ValueError(f"check({name!r}, fn) needs your function itself, e.g. check({name!r}, {name}), "
                         f"not {_kind(fn)} (the result of calling it)")
    cases = CASES[name]()
    worst, notes, printed, outputs = 0.0, [], [], []
    for i, case in enumerate(cases, 1):
        args = copy.deepcopy(case["args"])
        what, value = _call(fn, args, time_limit, printed)
        where = f"case {i} of {len(cases)} ({case['about']})"
        if what == "not attempted":
            return Result(name, "not attempted",
                          f"○ {name}: not attempted yet (it raises NotImplementedError). Write it, run "
                          f"its cell, then run this check again; hint({name!r}) if you are stuck.")
        if what == "calls a stub":
            return Result(name, "wrong", f"✗ {name}: your {name} calls {value}, which still raises "
                                         f"NotImplementedError: write {value} first (and check it), or call "
                                         "rnn_core's version" + _printed(printed[-1]))
        if what == "timed out":
            return Result(name, "wrong", f"✗ {name}: gave up after {time_limit:g} s on {where}: "
                                         "the cases are tiny, so is it waiting (time.sleep, input) or "
                                         "in a loop that never ends?" + _printed(printed[-1]))
        if what == "raised":
            text = (f"✗ {name}: your code raised {type(value).__name__} on {where}:\n  "
                    f"{type(value).__name__}: {str(value).strip()}{_where(value)}")
            if isinstance(value, (ValueError, IndexError)):
                text += _shapes_reminder(case)
            if isinstance(value, KeyError):
                text += _keys_reminder(name, case)
            if isinstance(value, TypeError) and not _where(value):  # the call itself failed
                text += f"\n  the check calls it as {SIGNATURES[name][1]}"
            return Result(name, "wrong", text + _globals_note(name, fn, case) + _printed(printed[-1]))
        lines = []
        for arg_name, before, after in zip(ARGS[name], case["args"], args):
            if arg_name not in CHANGES.get(name, ()) and not _same_state(before, after):
                lines.append(f"your function changed its argument {arg_name}, which belongs to the "
                             f"caller: work on a copy ({arg_name} = {arg_name}.copy() first, or "
                             f"{arg_name} = {arg_name} - ... instead of {arg_name} -= ...)"
                             if isinstance(before, np.ndarray) else
                             f"your function changed its argument {arg_name}, which belongs to the "
                             f"caller: leave it as it is and put your results in new arrays "
                             f"({arg_name}.copy() copies the dict, not the arrays in it)")
        try:
            got_parts = _parts(name, value, args)
        except _Wrong as err:
            return Result(name, "wrong", f"✗ {name}: wrong on {where}:\n  {err}" + _printed(printed[-1]))
        tolerance = _tolerance(got_parts)
        problems, err = _judge(name, got_parts, _expected_parts(name, case["want"]), case["dims"], tolerance)
        if problems and not lines:
            note = _accepted_variant(name, got_parts, case, time_limit, tolerance)
            if note:
                problems, err = [], 0.0
                notes.append(note)
        problems += _shape_notes(name, got_parts, case)
        if name == "vocabulary" and isinstance(value, (list, tuple)):
            problems.append(f"your vocabulary is a {type(value).__name__}; return one str: ''.join(...)")
        if name == "loss" and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            problems.append("your loss is an int: a loss has a fraction, so drop the int() (or //)")
        if name in CHANGES and value is not None and problems:
            problems.append(f"your function returned {_kind(value)}, which the check ignores: this exercise "
                            f"returns None and changes the arrays in {' and '.join(CHANGES[name])}")
        if name in CHANGES and all(_same_state(case["args"][ARGS[name].index(a)], args[ARGS[name].index(a)])
                                   for a in CHANGES[name]):
            problems.append(f"nothing in {' or '.join(CHANGES[name])} changed: this exercise updates them "
                            "in place (p -= ..., out=g); p = p - ... makes a new array and the dict "
                            "keeps the old one")
        lines += problems
        if lines:
            text = f"✗ {name}: wrong on {where}:\n  " + "\n  ".join(lines)
            if not (name in CHANGES and value is not None):  # the returned-value line says it all
                text += _diagnose(name, fn, got_parts, case, cases, time_limit)
            if problems:
                text += _globals_note(name, fn, case) + _floor_division_note(fn)
            return Result(name, "wrong", text + _printed(printed[-1]))
        if tolerance > TOLERANCE and err > TOLERANCE:  # say so only where float32's rounding showed
            notes.append("your output is float32: right within float32's rounding "
                         f"(up to {FLOAT32_TOLERANCE:g}); the exercises ask for float64")
        worst = max(worst, err)
        outputs.append(got_parts)
    text = f"✓ {name}: right on all {len(cases)} cases (worst relative error {_bound(worst)})"
    if name == "bptt":
        text += _against_numerical(cases, outputs)
    for note in dict.fromkeys(notes):
        text += f"\n  {note}"
    lines = sum(len(t.splitlines()) for t in printed)
    if lines:
        text += (f"\n  (your function printed {lines} line{'s' if lines > 1 else ''} during the check; "
                 "they are not shown: call it yourself to see them)")
    return Result(name, "right", text)


def _tolerance(got_parts):
    """float32 answers get float32's rounding: ~1e-7 per operation, accumulated over a few dozen."""
    float32 = any(getattr(got, "dtype", None) == np.float32 for _, got in got_parts)
    return FLOAT32_TOLERANCE if float32 else TOLERANCE


def _accepted_variant(name, got_parts, case, time_limit, tolerance):
    """The note of a differently written right answer (answers.VARIANTS) that the output matches, or ""."""
    for note, variant in answers.VARIANTS.get(name, []):
        args = copy.deepcopy(case["args"])
        what, value = _call(variant, args, time_limit)
        if what != "returned":
            continue
        problems, _ = _judge(name, got_parts, _parts(name, value, args), case["dims"], tolerance)
        if not problems:
            return note
    return ""


def _shape_notes(name, got_parts, case):
    """A likely reason for a wrong shape: hs and ps swapped, an extra axis of length 1."""
    notes = []
    want = dict(_expected_parts(name, case["want"]))
    shapes = {label: np.shape(got) for label, got in got_parts if isinstance(got, np.ndarray)}
    if name == "forward" and shapes.get("hs") == want["ps"].shape and shapes.get("ps") == want["hs"].shape:
        notes.append("your hs and ps look swapped: return hs, ps in that order")
    for label, got in got_parts:
        w = want.get(label)
        if (isinstance(got, np.ndarray) and isinstance(w, np.ndarray) and got.ndim != w.ndim
                and got.size == w.size and np.squeeze(got).shape == np.squeeze(w).shape):
            notes.append(f"your {label} has the right number of entries but an axis of length 1 too "
                         f"{'many' if got.ndim > w.ndim else 'few'}: look for a reshape, [:, None] or np.atleast_2d")
    return notes


def _keys_reminder(name, case):
    listed = [f"{arg} has the keys {', '.join(repr(k) for k in value)}"
              for arg, value in zip(ARGS[name], case["args"]) if isinstance(value, dict)]
    return "".join(f"\n  {line}" for line in listed)


def _global_names(code):
    """The names ``code`` (and the functions and comprehensions inside it) reads as globals."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            names |= _global_names(const)
    return names


# how each argument tells a size, for the note on notebook globals
SIZE_FROM_ARGS = {"params": ("VH", "V, H = params['Why'].shape"), "h0": ("H", "H = h0.shape[0]"),
                  "h_prev": ("H", "H = h_prev.shape[0]"), "hs": ("TH", "H = hs.shape[1]"),
                  "ps": ("TV", "T, V = ps.shape"), "ids": ("N", "N = len(ids)"),
                  "inputs": ("T", "T = len(inputs)"), "logits": ("V", "V = len(logits)")}


def _globals_note(name, fn, case):
    """'your function reads H from the notebook (H = 100 there) ...' for sizes, arrays and dicts it
    takes from the notebook instead of its arguments: the check's cases have other sizes."""
    code, space = getattr(fn, "__code__", None), getattr(fn, "__globals__", None)
    if code is None or space is None:
        return ""
    found = []
    for n in sorted(_global_names(code)):
        value = space.get(n)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating, np.ndarray,
                                                             dict, str, list, tuple)):
            continue  # modules, functions, classes are fine
        if isinstance(value, (int, float, np.integer, np.floating)):
            about = f"{n} = {value}"
        elif isinstance(value, str):
            about = f"{n}, a str of {len(value)} characters"
        else:
            about = f"{n}, {_kind(value)}" if not isinstance(value, dict) else f"{n}, a dict"
        ours = f", this case has {n} = {case['dims'][n]}" if n in case["dims"] else ""
        found.append(f"{about} there{ours}")
    if not found:
        return ""
    ways = [SIZE_FROM_ARGS[a] for a in ARGS[name] if a in SIZE_FROM_ARGS]
    read = {n for n in _global_names(code) if len(n) == 1}
    examples = [text for sizes, text in ways if read & set(sizes)][:2] or [text for _, text in ways][:1]
    e_g = f" (e.g. {', '.join(examples)})" if examples else ""
    return ("\n  your function reads from the notebook, not from its arguments: " + "; ".join(found) +
            f". The check calls it with its own small cases: take everything from the arguments{e_g}")


def _floor_division_note(fn):
    """'line 3 uses //, ...' for the first line of fn's source that floor-divides (7 // 2 is 3)."""
    try:
        lines, first = inspect.getsourcelines(fn)
        # tokens, not text: a // inside a string or a comment is not a division
        tokens = list(tokenize.generate_tokens(io.StringIO(textwrap.dedent("".join(lines))).readline))
    except (OSError, TypeError, SyntaxError, tokenize.TokenError):  # no source (built in, exec), or a lambda's line
        return ""
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string == "//":
            row = tok.start[0] - 1
            return (f"\n  line {first + row} uses // (floor division: it rounds down, 7 // 2 is 3): "
                    f"`{lines[row].strip()}`: did you mean / ?")
    return ""


def _against_numerical(cases, outputs):
    """The student's gradients (the parts ``outputs`` holds for each case) against central
    differences of the loss (rnn_core.gradcheck)."""
    worst = 0.0
    for case, got_parts in zip(cases, outputs):
        params, inputs, targets, _, _ = copy.deepcopy(case["args"])
        numeric = numerical_grads(params, inputs, targets, case["h0"])
        grads = dict(got_parts)
        for k, (idx, est) in numeric.items():
            worst = max(worst, relative_error(np.asarray(grads["d" + k]).reshape(-1)[idx], est))
    return f"; numerical gradients agree to {_bound(worst)}"


CASES = {name: globals()[f"_cases_{name}"] for name in NAMES}


# ------------------------------------------------------- hints and solutions

HINTS = {
    "vocabulary": ["A set keeps each character once. In what order does it give them back?",
                   "''.join(sorted(set(text)))"],
    "one_hot": ["Start from np.zeros((len(ids), V)) and put one 1 in each row.",
                "Index rows and columns together: x[np.arange(len(ids)), ids] = 1."],
    "softmax": ["softmax(y) = softmax(y - c) for any c: pick c so that exp() cannot overflow.",
                "Subtract y.max(axis=-1, keepdims=True), exponentiate, divide by the sum over axis=-1 "
                "(keepdims=True so the shapes broadcast)."],
    "rnn_step": ["Wxh times the one-hot vector of x is a column of Wxh: which one?",
                 "np.tanh(params['Wxh'][:, x] + params['Whh'] @ h_prev + params['bh'])"],
    "forward": ["Allocate hs = np.zeros((T + 1, H)) with hs[0] = h0 and ps = np.zeros((T, V)), "
                "then loop over t: your rnn_step gives hs[t + 1].",
                "ps[t] is the softmax of Why @ hs[t + 1] + by: the prediction after reading inputs[t]."],
    "loss": ["Pick, in each row t of ps, the probability of targets[t].",
             "-np.log(ps[np.arange(T), targets]).sum(), as a float; no division by T."],
    "dlogits": ["The gradient of -log softmax(y)[target] w.r.t. y is p minus the one-hot vector of the target.",
                "dy = ps.copy(); dy[np.arange(T), targets] -= 1 (copy first: ps belongs to the caller)."],
    "bptt_step": ["h_t gets gradient from two places: its own prediction (Why.T @ dy) and step t+1 (dhnext).",
                  "dhraw = (1 - h**2) * dh goes to bh, to column x of dWxh, to dWhh as outer(dhraw, h_prev), "
                  "and back to h_prev as Whh.T @ dhraw; dWhy = outer(dy, h), dby = dy."],
    "bptt": ["Walk t from T down to 1, as notebook 04's loop does: dy_t = ps[t - 1] - onehot(targets[t - 1]); "
             "x_t is inputs[t - 1], h_t is hs[t], h_{t-1} is hs[t - 1].",
             "Each step is your bptt_step with dhnext carried from the step after; add (+=) every "
             "step's contributions, starting from zeros."],
    "clip": ["Clip each array of the dict where it is: the dict must hold the clipped arrays afterwards.",
             "for g in grads.values(): np.clip(g, -limit, limit, out=g)"],
    "adagrad_step": ["Per element: memory += g**2, then the step is lr * g / sqrt(memory + 1e-8).",
                     "for k in params: memory[k] += grads[k] ** 2; "
                     "params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)"],
    "rmsprop_step": ["Copy your Adagrad and change the one line that updates the memory.",
                     "memory[k] *= decay; memory[k] += (1 - decay) * grads[k] ** 2"],
    "temperature": ["Temperature divides the logits, before the softmax.",
                    "z = logits / temperature; e = np.exp(z - z.max()); return e / e.sum()"],
    "top_k": ["np.sort(logits)[-k] is the k-th largest logit; the others should get probability 0.",
              "Set the others to -inf (exp(-inf) = 0) and take the softmax of what is left."],
}


def _exercise_name(name):
    if name not in SIGNATURES:
        raise ValueError(f"there is no exercise called {name!r}; the exercises are: {', '.join(NAMES)}")
    return name


def hint(name, level=1):
    """Print hint ``level`` (1 or 2) for exercise ``name``."""
    hints = HINTS[_exercise_name(name)]
    if level not in range(1, len(hints) + 1):
        raise ValueError(f"level must be 1 or {len(hints)}, got {level!r}")
    more = f"  (hint({name!r}, {level + 1}) for the next)" if level < len(hints) else \
        f"  (solution({name!r}) prints a whole solution)"
    print(f"Hint {level} of {len(hints)} for {name}: {hints[level - 1]}{more}")


def solution(name):
    """Print a reference solution of exercise ``name`` (from rnn_core.answers)."""
    print(inspect.getsource(getattr(answers, _exercise_name(name))).rstrip())


# ------------------------------------------------------------ predict first

LETTERS = "ABCDEFGH"  # the labels of the choices, A) to H)


@dataclass
class Prediction:
    """A "predict first" question: a widget where widgets run, a fold-out answer elsewhere."""

    question: str
    choices: tuple
    answer: int
    why: str
    widget: object = None
    wrong_picks: int = 0

    def choose(self, i):
        """Pick choice ``i`` (0-based) -> the feedback text (shown in the widget too).

        A first wrong pick asks for another try; a second one gives the answer and the why,
        so nobody is left guessing through every choice.
        """
        letter = LETTERS[i]
        if i == self.answer:
            text = f"✓ {letter} is right. {self.why}"
        else:
            self.wrong_picks += 1
            if self.wrong_picks == 1 and len(self.choices) > 2:
                text = f"✗ Not {letter}. Think again, then pick another."
            else:
                right = LETTERS[self.answer]
                text = f"✗ Not {letter}. The answer is {right}) {self.choices[self.answer]}. {self.why}"
        if self.widget is not None:
            colour = "#1a7f37" if i == self.answer else "#b00020"
            self.widget.feedback.value = f'<div style="color: {colour}">{html.escape(text)}</div>'
        return text

    def _text(self):
        lines = [f"Predict first: {self.question}"]
        lines += [f"  {LETTERS[i]}) {c}" for i, c in enumerate(self.choices)]
        lines.append("(pick one before you read on)")
        return "\n".join(lines)

    def _html(self):
        items = "".join(f"<li>{html.escape(c)}</li>" for c in self.choices)
        right = f"{LETTERS[self.answer]}) {self.choices[self.answer]}"
        return (f"<div><b>Predict first:</b> {html.escape(self.question)}"
                f'<ol type="A">{items}</ol>'
                f"<details><summary>show the answer</summary><p><b>{html.escape(right)}</b>. "
                f"{html.escape(self.why)}</p></details></div>")

    def __repr__(self):
        return self._text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_())
        # the same text and HTML every run (nbval compares them); the widget view is ignored by nbval
        bundle.update({"text/plain": self._text(), "text/html": self._html()})
        return bundle


def predict(question, choices, answer, why):
    """A "predict first" question with choices; ``answer`` is the index (0-based) of the right one.

    In a notebook it shows buttons that answer at once, right or wrong, with the why.
    Where widgets do not render (a static view of the notebook) a fold-out
    "show the answer" holds the same answer.
    """
    choices = tuple(choices)
    if not 2 <= len(choices) <= len(LETTERS) or not all(isinstance(c, str) for c in choices):
        raise ValueError(f"choices must be 2 to {len(LETTERS)} strings (lettered A to {LETTERS[-1]})")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or not 0 <= answer < len(choices):
        raise ValueError(f"answer must be the index of the right choice, 0 to {len(choices) - 1}, got {answer!r}")
    p = Prediction(question, choices, int(answer), why)
    try:
        import ipywidgets as W
    except ImportError:
        return p
    feedback = W.HTML(value="")
    buttons = []
    for i, c in enumerate(choices):
        b = W.Button(description=f"{LETTERS[i]}) {c}", layout=W.Layout(width="auto"))
        b.on_click(lambda _, i=i: p.choose(i))
        buttons.append(b)
    box = W.VBox([W.HTML(value=f"<b>Predict first:</b> {html.escape(question)}"), *buttons, feedback])
    box.add_class("rnn-predict")
    box.buttons, box.feedback = buttons, feedback
    p.widget = box
    return p
