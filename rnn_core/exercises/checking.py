"""The machinery of ``check``: it knows nothing of any one exercise.

An exercise is a module of this package (``softmax.py``, ``bptt.py``, ...) with its
signature, cases, reference, named mistakes and hints side by side; ``Exercise``
reads one. ``check`` calls the student's function on every case (deep copies of the
arguments, in the sandbox), judges each output at once, then looks again at the
outputs it kept (a second call must not change the first one's output) and calls
the first case once more (a function must not keep state between calls).
"""
import copy
import dis
import html
import io
import sys
import textwrap
import time
import tokenize
import warnings
from dataclasses import dataclass, field

import numpy as np

from .running import REENTERED, Budget, again, describe_error, run

KEYS = ("Wxh", "Whh", "Why", "bh", "by")
TIME_LIMIT = 5.0    # seconds a single call of your function may take
TOTAL_TIME = 20.0   # seconds a whole check may take, diagnosis included
DIAGNOSIS_TIME = 2.0  # seconds a diagnosis may spend running the student's function on more cases
TOLERANCE = 1e-6    # largest relative error that counts as right
FLOAT32_TOLERANCE = 1e-4  # the same for work done in float32 (rounding ~1e-7 per operation)


@dataclass
class Case:
    """What the student's function is called with, the right output, and words for messages."""

    args: tuple
    want: object
    about: str
    dims: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def case(args, want, about, **dims):
    if "T" in dims:
        dims["T+1"] = dims["T"] + 1
    return Case(tuple(args), want, about, dims)


class Wrong(Exception):
    """Raised while reading an output that is not even the right kind of thing."""


@dataclass(frozen=True)
class Result:
    """The verdict of ``check``: one line, and on ✗ the diagnosis below it."""

    name: str
    outcome: str  # "right", "wrong" or "not attempted"
    message: str

    @property
    def passed(self):
        return self.outcome == "right"

    def __bool__(self):  # `if check(...)` and `assert check(...)` mean "if it is right"
        return self.passed

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


class Exercise:
    """One exercise, read from its module: the attributes every exercise module defines."""

    def __init__(self, module):
        self.name = module.__name__.rsplit(".", 1)[1]
        self.module = module
        self.notebook = module.NOTEBOOK
        self.signature = module.SIGNATURE
        self.args = module.ARGS
        self.changes = getattr(module, "CHANGES", ())
        self.reference = getattr(module, self.name)
        self.make_cases = module.cases
        self.mistakes = getattr(module, "MISTAKES", [])
        self.hints = module.HINTS
        self.sums_to_one = getattr(module, "SUMS_TO_ONE", ())
        self.read = getattr(module, "parts", None)
        self.explain = getattr(module, "explain", None)
        self.accept = getattr(module, "accept", None)
        self.notes = getattr(module, "notes", None)

    def parts(self, got, args, c=None):
        """What a function produced, as [(label, value)], in the order of the expected output."""
        if self.changes:  # the arrays of the dicts it updates in place, under the keys the case gave them
            out = []
            for arg in self.changes:
                i = self.args.index(arg)
                keys = list(c.args[i]) if c is not None else KEYS
                if not isinstance(args[i], dict) or any(k not in args[i] for k in keys):
                    raise Wrong(f"after the call, {arg} no longer holds the keys {', '.join(map(repr, keys))}")
                out += [(f"{arg}[{k!r}]", args[i][k]) for k in keys]
            return out
        if got is None:
            raise Wrong("your function returned None: did you forget `return`?")
        return self.read(got) if self.read else [(self.module.OUTPUT, got)]

    def expected(self, c):
        if self.changes:
            return [(f"{arg}[{k!r}]", c.want[arg][k]) for arg in self.changes for k in c.want[arg]]
        return self.parts(c.want, None)


def gradient_dict(got, what):
    """[(dWxh, ...), ...] from a dict of gradients keyed like params, or Wrong."""
    if not isinstance(got, dict):
        raise Wrong(f"{what} is {kind(got)}, expected a dict with keys {', '.join(KEYS)}")
    missing = [k for k in KEYS if k not in got]
    if missing and all("d" + k in got for k in missing):
        raise Wrong(f"{what} has the keys {', '.join(repr('d' + k) for k in missing)}: name each gradient "
                    f"after its parameter, {', '.join(repr(k) for k in missing)} (as rnn_core does)")
    if missing:
        raise Wrong(f"{what} has no key {', '.join(repr(k) for k in missing)}: "
                    f"expected the keys {', '.join(KEYS)} (the names of the parameters)")
    return [("d" + k, got[k]) for k in KEYS]


# ------------------------------------------------------------ comparing outputs

def kind(x):
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"a {type(x).__name__}"


def shape_text(shape, dims):
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


_PLURAL = {"is": "are", "has": "have", "holds": "hold", "contains": "contain", "does": "do"}


def _v(label, verb):
    """The verb agreeing with a label: 'your probabilities are', 'your dWhh is'."""
    plural = label.split(" ")[0].endswith(("ies", "ids"))
    return _PLURAL[verb] if plural else verb


def number(x):
    return f"{x:.6g}"


def _index_text(label, idx):
    return f"{label}[{', '.join(str(int(i)) for i in idx)}]"


def _same_rows(got, want):
    """True when every row of got is the same while want's rows differ: one array appended T times."""
    return (got.ndim >= 2 and got.shape[0] > 1 and got.any() and all(np.array_equal(r, got[0]) for r in got[1:])
            and not all(np.array_equal(r, want[0]) for r in want[1:]))


def where_it_differs(label, got, want, tolerance, sums_to_one=False):
    """Lines saying where an array first differs (float64 arrays of one shape, finite)."""
    lines = []
    if sums_to_one and got.size:
        sums = got.sum(axis=-1)
        off = np.argwhere(np.abs(sums - 1) > 1e-6)
        if len(off):
            i = tuple(off[0])
            at = f" (row {', '.join(map(str, i))})" if i else ""
            lines.append(f"your {label} {_v(label, 'does')} not sum to 1: they sum to {number(sums[i])}{at}")
    if _same_rows(got, want):
        lines.append(f"every row of your {label} {_v(label, 'is')} the same: if you append one array T times, or write "
                     "into one array that you keep, every row shows its last value (append a new array "
                     "each step, or h.copy())")
    scale = max(np.abs(want).max(initial=0), np.abs(got).max(initial=0))
    bad = np.argwhere(np.abs(got - want) > max(tolerance * scale, 1e-300))
    if len(bad) and got.ndim:
        idx = tuple(bad[0])
        lines.append(f"the first difference is at {_index_text(label, idx)}: expected {number(want[idx])}, "
                     f"got {number(got[idx])}" + (f" ({len(bad)} of {got.size} entries differ)" if len(bad) > 1
                                                   else " (the only entry that differs)"))
    return lines


def _string_problem(label, got, want):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    repeated = sorted({c for c in got if got.count(c) > 1})
    lines = [f"your {label} {_v(label, 'is')} {_short(got)}, expected {_short(want)}"]
    if missing:
        lines.append(f"it lacks {_chars(missing)}")
    if extra:
        lines.append(f"it has {_chars(extra)}, which the text does not contain")
    if repeated:
        lines.append(f"it repeats {_chars(repeated)}: each character must appear once")
    if not (missing or extra or repeated):
        first = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
        lines.append(f"the same characters in another order: position {first} holds {got[first]!r}, "
                     f"expected {want[first]!r}")
    return "\n  ".join(lines)


def _short(s, limit=60):
    return repr(s) if len(s) <= limit else repr(s[:limit]) + f"... ({len(s)} characters)"


def _chars(cs, limit=8):
    shown = ", ".join(repr(c) for c in cs[:limit])
    return shown + (f" and {len(cs) - limit} more" if len(cs) > limit else "")


def as_array(got):
    """A list or tuple of numbers or arrays as an array (None when it is not one)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(got)
    except Exception:  # noqa: BLE001 -- ragged lists and worse: not an array
        return None
    return arr if arr.dtype != object else None


def compare(label, got, want, dims, tolerance, sums_to_one=False, exact_nan=False):
    """-> (problem text or None, relative error, extra lines saying where)."""
    if isinstance(want, str):
        if not isinstance(got, str) or type(got) is not str:
            return f"your {label} {_v(label, 'is')} {kind(got)}, expected a str", 1.0, []
        return (None if got == want else _string_problem(label, got, want)), float(got != want), []
    if isinstance(want, float):
        if isinstance(got, np.ndarray) and got.shape != ():
            return (f"your {label} {_v(label, 'is')} an array of shape {shape_text(got.shape, dims)}, "
                    "expected one number (a float): sum it"), 1.0, []
        if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating, np.ndarray)):
            return f"your {label} {_v(label, 'is')} {kind(got)}, expected a float", 1.0, []
        got = float(got)
        if exact_nan and (np.isnan(got) and np.isnan(want) or not np.isfinite(got) and got == want):
            return None, 0.0, []
        if got == want and np.isinf(want):  # an infinite loss, rightly infinite
            return None, 0.0, []
        if not np.isfinite(got):
            return f"your {label} {_v(label, 'is')} {got}, expected {number(want)}", 1.0, []
        if not np.isfinite(want):
            return f"your {label} {_v(label, 'is')} {number(got)}, expected {want}", 1.0, []
        return None, relative_error(got, want), []
    # an array
    if isinstance(got, (list, tuple)):
        if len(got) > 1 and all(x is got[0] for x in got[1:]) and isinstance(got[0], np.ndarray):
            return (f"every row of your {label} {_v(label, 'is')} the same array: you appended one array {len(got)} times "
                    "and changed it in place; append a new array each step (or h.copy())"), 1.0, []
        converted = as_array(got)
        if converted is not None and converted.size == 0 and want.size == 0:
            converted = converted.reshape(want.shape)  # [] is every empty shape
        if converted is None:
            return f"your {label} {_v(label, 'is')} {kind(got)}, expected an array of shape {shape_text(want.shape, dims)}", 1.0, []
        got = converted
    if isinstance(got, bool) or not isinstance(got, (np.ndarray, np.generic, int, float)):
        return f"your {label} {_v(label, 'is')} {kind(got)}, expected an array of shape {shape_text(want.shape, dims)}", 1.0, []
    got = np.asarray(got)
    if got.shape != want.shape:
        if got.ndim == 0:
            return (f"your {label} {_v(label, 'is')} a single number, expected an array of shape "
                    f"{shape_text(want.shape, dims)}"), 1.0, []
        text = f"your {label} {_v(label, 'has')} shape {shape_text(got.shape, dims)}, expected {shape_text(want.shape, dims)}"
        if got.shape == want.shape[::-1] and got.ndim == 2:
            text += ": it is transposed"
        elif got.ndim != want.ndim and got.size == want.size and np.squeeze(got).shape == np.squeeze(want).shape:
            text += (f": the right number of entries but an axis of length 1 too "
                     f"{'many' if got.ndim > want.ndim else 'few'} (look for a reshape, [:, None] or np.atleast_2d)")
        return text, 1.0, []
    if not (np.issubdtype(got.dtype, np.floating) or np.issubdtype(got.dtype, np.integer) or got.dtype == bool):
        return f"your {label} {_v(label, 'holds')} {got.dtype} values, expected numbers", 1.0, []
    got = got.astype(np.float64)
    if exact_nan:
        same = (np.isnan(got) & np.isnan(want)) | (~np.isfinite(got) & (got == want))
        if (~np.isfinite(got) & ~same).any() or (np.isnan(want) & ~np.isnan(got)).any():
            return "differs", 1.0, []
        got, want = np.where(same, 0.0, got), np.where(same, 0.0, want)
    bad = ~np.isfinite(got)
    if bad.any():
        what = "NaN" if np.isnan(got).any() else "inf"
        first = tuple(np.argwhere(bad)[0])
        at = f", first at {_index_text(label, first)}" if got.ndim else ""
        return f"your {label} {_v(label, 'contains')} {what} in {int(bad.sum())} of {got.size} entries{at}", 1.0, []
    err = relative_error(got, want)
    return None, err, (where_it_differs(label, got, want, tolerance, sums_to_one) if err > tolerance else [])


def judge(ex, got_parts, want_parts, dims, tolerance):
    """-> (lines saying what is wrong, worst error)."""
    problems, errors, where = [], {}, []
    for (label, got), (_, want) in zip(got_parts, want_parts):
        problem, err, lines = compare(label, got, want, dims, tolerance, label in ex.sums_to_one)
        if problem:
            problems.append(problem)
        errors[label] = err
        where += lines
    worst = max(errors.values())
    if problems:
        return problems, worst
    if worst <= tolerance:
        return [], worst
    if len(errors) == 1:
        (label, err), = errors.items()
        return [f"your {label} {_v(label, 'is')} off by a relative error of {sig(err)}"] + where, worst
    wrong = [f"{k} {sig(e)}" for k, e in errors.items() if e > tolerance]
    right = [k for k, e in errors.items() if e <= tolerance]
    line = "wrong (relative error): " + ", ".join(wrong)
    if len(right) > len(KEYS):  # an optimiser step: ten arrays, name only the wrong ones
        line += f"; the other {len(right)} are right"
    else:
        line += "; right: " + ", ".join(right) if right else "; none is right"
    return [line] + where[:2], worst


def sig(err):
    """A failing relative error with one significant digit (stable across BLAS builds)."""
    return f"{err:.1g}"


def bound(err):
    """A passing relative error as a bound: exact digits would flicker across BLAS builds."""
    for limit in (1e-12, 1e-9, 1e-6, 1e-4):
        if err < limit:
            return f"< {limit:.0e}"
    return f"{err:.1g}"


def same_state(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_state(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and np.array_equal(a, b, equal_nan=True))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same_state(x, y) for x, y in zip(a, b))
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 -- a hostile object is not the same state
        return False


def snapshot(parts):
    """A copy of output parts that later calls cannot change (None when it cannot be copied)."""
    try:
        return [(label, copy.deepcopy(value)) for label, value in parts]
    except Exception:  # noqa: BLE001
        return None


# ------------------------------------------------------------ float32 work

def _names_in(code):
    names = set(code.co_names) | {c for c in code.co_consts if isinstance(c, str)}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            names |= _names_in(const)
    return names


def computed_in_float32(fn, got_parts):
    """Whether the student worked in float32: a float32 output, float32 named in the code, or
    float64 values that are all exactly float32 numbers (cast back at the end)."""
    code = getattr(fn, "__code__", None)
    if code is not None and _names_in(code) & {"float32", "single", "float16", "half", "f4", "f2"}:
        return True
    for _, got in got_parts:
        arr = as_array(got) if isinstance(got, (list, tuple)) else got
        if isinstance(arr, (np.ndarray, np.floating)):
            if arr.dtype in (np.float32, np.float16):
                return True
            if arr.dtype == np.float64 and np.size(arr) >= 4:
                with np.errstate(all="ignore"):
                    if np.array_equal(arr.astype(np.float32).astype(np.float64), arr, equal_nan=True):
                        return True
    return False


# ------------------------------------------------ what the student's code reads

def global_names(code):
    """The names ``code`` (and the functions and comprehensions inside it) reads as globals."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            names |= global_names(const)
    return names


def globals_note(ex, fn, c):
    """'your function reads H from the notebook (H = 100 there) ...' for sizes, arrays and dicts it
    takes from the notebook instead of its arguments: the check's cases have other sizes."""
    code, space = getattr(fn, "__code__", None), getattr(fn, "__globals__", None)
    if code is None or not isinstance(space, dict):
        return ""
    found = []
    for n in sorted(global_names(code)):
        value = space.get(n)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating, np.ndarray,
                                                             dict, str, list, tuple)):
            continue  # modules, functions, classes are fine
        if isinstance(value, (int, float, np.integer, np.floating)):
            about = f"{n} = {value}"
        elif isinstance(value, str):
            about = f"{n}, a str of {len(value)} characters"
        else:
            about = f"{n}, {kind(value)}" if not isinstance(value, dict) else f"{n}, a dict"
        ours = f", this case has {n} = {c.dims[n]}" if n in c.dims else ""
        found.append(f"{about} there{ours}")
    if not found:
        return ""
    return ("\n  your function reads from the notebook, not from its arguments: " + "; ".join(found) +
            ". The check calls it with its own cases: take every size and array from the arguments "
            "(e.g. T = len(targets), H = h_prev.shape[0])")


def floor_division_note(fn):
    """'line 3 uses //, ...' for the first line of fn's source that floor-divides (7 // 2 is 3)."""
    import inspect
    try:
        lines, first = inspect.getsourcelines(fn)
        tokens = list(tokenize.generate_tokens(io.StringIO(textwrap.dedent("".join(lines))).readline))
    except Exception:  # noqa: BLE001 -- no source (built in, exec), or a lambda's line
        return ""
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string == "//":
            row = tok.start[0] - 1
            return (f"\n  line {first + row} uses // (floor division: it rounds down, 7 // 2 is 3): "
                    f"`{lines[row].strip()}`: did you mean / ?")
    return ""


# ------------------------------------------------------------------ check

def printed_note(text, limit_lines=6, limit_chars=600):
    text = text or ""
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if not lines:
        return ""
    shown = "\n    ".join(line[:200] + (" ..." if len(line) > 200 else "") for line in lines[:limit_lines])
    shown = shown[:limit_chars]
    more = f"\n    ... ({len(lines) - limit_lines} more lines)" if len(lines) > limit_lines else ""
    return f"\n  your function printed, on this case:\n    {shown}{more}"


def _outputs(ex, fn, c, budget, time_limit):
    """(Call, parts or None, args after the call)."""
    call, args = run(fn, copy.deepcopy(c.args), time_limit, budget)
    parts = None
    if call.outcome == "returned":
        try:
            parts = ex.parts(call.value, args, c)
        except Wrong:
            parts = None
    return call, parts, args


RECURSION_DEPTH = 1000  # frames the student's code may stack above check's own, whatever the caller set


def _depth():
    frame, n = sys._getframe(), 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


def check(ex, fn, time_limit=TIME_LIMIT, total_time=TOTAL_TIME):
    # one recursion limit for every check (a test runner or a library may have raised the process's):
    # a verdict must not depend on what ran before; the caller's limit comes back afterwards
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + 50 + RECURSION_DEPTH)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _check(ex, fn, time_limit, Budget(total_time))
    finally:
        sys.setrecursionlimit(limit)


def _verdict(ex, outcome, text):
    return Result(ex.name, outcome, text)


def _check(ex, fn, time_limit, budget):
    name = ex.name
    cases = ex.make_cases()
    kept, worst, notes, printed_lines, float32_shown = [], 0.0, [], 0, False
    for i, c in enumerate(cases, 1):
        where = f"case {i} of {len(cases)} ({c.about})"
        given = copy.deepcopy(c.args)
        held = _held_arrays(ex, given)
        call, args = run(fn, given, time_limit, budget)
        printed = call.printed or ""
        printed_lines += len(printed.splitlines())
        if call.outcome == "raised" and call.exception is not None and \
                isinstance(call.exception, c.extra.get("may_refuse", ())):
            continue  # an argument at the edge of the contract that rnn_core itself refuses: refusing is right
        if call.outcome == "not attempted":  # NotImplementedError as its first statement: none of it ran
            return _verdict(ex, "not attempted",
                            f"○ {name}: not attempted yet (it raises NotImplementedError). Write it, run "
                            f"its cell, then run this check again; hint({name!r}) if you are stuck.")
        if call.outcome == "timed out":
            if budget.left() <= 0:
                return _verdict(ex, "wrong", f"✗ {name}: the whole check may take {budget.seconds:g} s and your "
                                             f"function used it up before the end of {where}: is it much slower "
                                             "than it needs to be (a loop over every element, a sleep)?"
                                             + printed_note(printed))
            return _verdict(ex, "wrong", f"✗ {name}: gave up after {time_limit:g} s on {where}: is it waiting "
                                         "(time.sleep, input) or in a loop that never ends?" + printed_note(printed))
        if call.outcome == "refused":
            return _verdict(ex, "wrong", f"✗ {name}: wrong on {where}:\n  {call.error}" + printed_note(printed))
        if call.outcome == "raised":
            err = call.exception
            if call.error == REENTERED:
                return _verdict(ex, "wrong", f"✗ {name}: your function calls check() on itself: a check runs "
                                             "your function, so it must not run a check")
            if call.stub:
                return _verdict(ex, "wrong", f"✗ {name}: your {name} calls {call.stub}, which still raises "
                                             f"NotImplementedError: write {call.stub} first (and check it), or "
                                             "call rnn_core's version" + printed_note(printed))
            if isinstance(err, NotImplementedError):
                return _verdict(ex, "wrong", f"✗ {name}: unfinished: it raises NotImplementedError on {where}"
                                             + describe_error(err, fn) + printed_note(printed))
            kind_name = call.error.split(":", 1)[0] if call.error else "an exception"
            text = f"✗ {name}: your code raised {kind_name} on {where}:\n  {call.error}" + describe_error(err, fn)
            if isinstance(err, (ValueError, IndexError)):
                text += _shapes_reminder(c)
            if isinstance(err, KeyError):
                text += "".join(f"\n  {a} has the keys {', '.join(repr(k) for k in v)}"
                                for a, v in zip(ex.args, c.args) if isinstance(v, dict))
            if isinstance(err, TypeError) and not describe_error(err, fn):  # the call itself failed
                text += f"\n  the check calls it as {ex.signature}"
            if err is not None:
                text += diagnose(ex, fn, None, c, cases, kept, time_limit, budget, raised=type(err))
            return _verdict(ex, "wrong", text + globals_note(ex, fn, c) + printed_note(printed))
        value = call.value
        lines = []
        for arg_name, before, after in zip(ex.args, c.args, args):
            if arg_name not in ex.changes and not same_state(before, after):
                lines.append(f"your function changed its argument {arg_name}, which belongs to the "
                             f"caller: work on a copy ({arg_name} = {arg_name}.copy() first, or "
                             f"{arg_name} = {arg_name} - ... instead of {arg_name} -= ...)"
                             if isinstance(before, np.ndarray) else
                             f"your function changed its argument {arg_name}, which belongs to the "
                             f"caller: leave it as it is and put your results in new arrays "
                             f"({arg_name}.copy() copies the dict, not the arrays in it)")
        try:
            got_parts = ex.parts(value, args, c)
        except Wrong as err:
            return _verdict(ex, "wrong", f"✗ {name}: wrong on {where}:\n  {err}" + printed_note(printed))
        want_parts = ex.expected(c)
        f32 = computed_in_float32(fn, got_parts)
        tolerance = FLOAT32_TOLERANCE if f32 else TOLERANCE
        problems, err = judge(ex, got_parts, want_parts, c.dims, tolerance)
        if problems and not lines and ex.accept:
            note = ex.accept(got_parts, c, tolerance)
            if note:
                problems, err = [], 0.0
                notes.append(note)
        if ex.notes:  # what the exercise itself refuses even in a right output (a uint8 one-hot, a list)
            problems += ex.notes(got_parts, value, c)
        if ex.changes and value is not None and problems:
            problems.append(f"your function returned {kind(value)}, which the check ignores: this exercise "
                            f"returns None and changes the arrays in {' and '.join(ex.changes)}")
        if ex.changes and all(same_state(c.args[ex.args.index(a)], args[ex.args.index(a)]) for a in ex.changes) \
                and not all(same_state(c.args[ex.args.index(a)], c.want[a]) for a in ex.changes):
            problems.append(f"nothing in {' or '.join(ex.changes)} changed: this exercise updates them "
                            "in place (p -= ..., out=g); p = p - ... makes a new array and the dict "
                            "keeps the old one")
        if not problems and not lines:
            lines += _rebound(ex, given, held, c)
        lines += problems
        if lines:
            text = f"✗ {name}: wrong on {where}:\n  " + "\n  ".join(lines)
            if problems and ex.explain:
                text += "".join(f"\n  {line}" for line in ex.explain(got_parts, c))
            if problems and not (ex.changes and value is not None):
                text += diagnose(ex, fn, snapshot(got_parts), c, cases, kept, time_limit, budget)
            text += _shapes_reminder(c) if problems and "shape" in text else ""
            text += zero_argument_note(ex, c) if problems else ""
            text += globals_note(ex, fn, c) + floor_division_note(fn) if problems else ""
            return _verdict(ex, "wrong", text + printed_note(printed))
        if f32 and err > TOLERANCE and not float32_shown:
            float32_shown = True
            notes.append("your function works in float32: right within float32's rounding "
                         f"(up to {FLOAT32_TOLERANCE:g}); the exercises ask for float64")
        worst = max(worst, err)
        kept.append((i, c, got_parts, snapshot(got_parts), tolerance, call.raw))
    # outputs handed out earlier must not change when the function is called again
    for i, c, got_parts, snap, tolerance, raw in kept:
        now = None
        if not ex.changes and snap is not None:
            try:
                now = ex.parts(again(raw), None)
            except Exception:  # noqa: BLE001 -- unreadable now: nothing to compare
                now = None
        if now is not None and not all(same_state(a, b) for (_, a), (_, b) in zip(now, snap)):
            problems = [f"your {label} changed" for (label, a), (_, b) in zip(now, snap) if not same_state(a, b)]
            return _verdict(ex, "wrong", f"✗ {name}: right on every case, but the output of case {i} "
                                         f"({c.about}) changed when the check called your function again:\n  "
                                         + "\n  ".join(problems) + "\n  return new arrays on every call, not "
                                         "an array kept between calls (a module-level buffer, a default "
                                         "argument, a cache)")
    # the first case once more, after the others: a function must not keep state between calls
    if kept:
        i, c, *_ = kept[0]
        call, parts, _ = _outputs(ex, fn, c, budget, time_limit)
        tolerance = kept[0][4]
        if call.outcome == "returned" and parts is not None:
            problems, _ = judge(ex, parts, ex.expected(c), c.dims, tolerance)
            if problems and ex.accept and ex.accept(parts, c, tolerance):
                problems = []
            if problems:
                return _verdict(ex, "wrong", f"✗ {name}: right on every case, but called on case {i} "
                                             f"({c.about}) again, after the other cases, it answers "
                                             "otherwise:\n  " + "\n  ".join(problems) + "\n  your function "
                                             "keeps state between calls (a cache keyed by shape, a buffer "
                                             "never zeroed, a global it changes): compute everything from the "
                                             "arguments of each call")
        elif call.outcome in ("raised", "timed out"):
            return _verdict(ex, "wrong", f"✗ {name}: right on every case, but called on case {i} again, "
                                         f"after the other cases, it {call.outcome}"
                                         + (f": {call.error}" if call.error else "")
                                         + "\n  your function keeps state between calls: compute everything "
                                         "from the arguments of each call")
        problem = _changed_in_place(ex, fn, c, tolerance, budget, time_limit)
        if problem:
            return _verdict(ex, "wrong", f"✗ {name}: right on every case, but {problem}")
        for i, c, *_, tolerance, _ in kept[:2]:
            problem = _one_argument_changed(ex, fn, c, tolerance, budget, time_limit)
            if problem:
                return _verdict(ex, "wrong", f"✗ {name}: right on every case, but {problem}")
    text = f"✓ {name}: right on all {len(cases)} cases (worst relative error {bound(worst)})"
    if hasattr(ex.module, "after_right"):
        text += ex.module.after_right([(c, parts) for _, c, parts, *_ in kept])
    for note in dict.fromkeys(notes):
        text += f"\n  {note}"
    if printed_lines:
        text += (f"\n  (your function printed {printed_lines} line{'s' if printed_lines > 1 else ''} during "
                 "the check; they are not shown: call it yourself to see them)")
    return _verdict(ex, "right", text)


KEEP_AS_GIVEN = ("ps", "hs")  # arrays that must stay what they are (distributions, states of the model)


def _nudge(value):
    """Change every float array in ``value`` (a dict's arrays too) in place, as a training step changes
    the parameters between two calls; True if something changed."""
    arrays = value.values() if isinstance(value, dict) else [value]
    changed = False
    for a in arrays:
        if isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating) and a.size:
            a *= 1.25  # exact in binary: memories stay >= 0, and the same values in float32
            a += 0.125
            changed = True
    return changed


def _changed_in_place(ex, fn, c, tolerance, budget, time_limit):
    """Call fn on one set of argument objects, change those objects in place (as training changes
    params between steps), call it again on the same objects: the second answer must follow the change.
    -> a sentence saying what went wrong, or ""."""
    given = copy.deepcopy(c.args)
    call, _ = run(fn, given, time_limit, budget)
    if call.outcome != "returned":
        return ""
    if not any(_nudge(v) for a, v in zip(ex.args, given) if a not in KEEP_AS_GIVEN):
        return ""
    if hasattr(ex.module, "consistent"):  # arguments that follow from the others (h from params, h_prev)
        ex.module.consistent(given)
    try:
        expected_args = copy.deepcopy(given)
        value = ex.reference(*expected_args)
        want = ex.parts(value, expected_args, c)
    except Exception:  # noqa: BLE001 -- the changed arguments are outside the reference's domain
        return ""
    call, after = run(fn, given, time_limit, budget)
    if call.outcome != "returned":
        return ""
    try:
        got = ex.parts(call.value, after, c)
    except Wrong:
        return ""
    problems, _ = judge(ex, got, want, c.dims, tolerance)
    if not problems:
        return ""
    changed = ", ".join(a for a, v in zip(ex.args, c.args) if a not in KEEP_AS_GIVEN and
                        (isinstance(v, dict) or isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.floating)))
    return (f"called twice on the same {changed}, changed in place in between (as a training step changes "
            f"the parameters), it answers the second call as if nothing had changed:\n  " + "\n  ".join(problems) +
            "\n  does it keep something from the first call (a cache keyed by id() or shape, a copy made once)? "
            "compute everything from the arguments of each call")


def zero_argument_note(ex, c):
    """'this case has x = 0: ...' when a number argument of the failing case is 0, which a test like
    `if x:` (meant as 'if x was given') treats as missing."""
    zeros = [a for a, v in zip(ex.args, c.args)
             if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and v == 0]
    if not zeros:
        return ""
    a = zeros[0]
    return (f"\n  this case has {a} = 0: if your code tests `if {a}:` or writes `{a} or ...`, 0 counts as "
            f"missing there, though it is a value like any other (`if {a} is not None:` tests for missing)")


def _held_arrays(ex, given):
    """{(argument, key): the array object} of the dicts the exercise changes in place."""
    held = {}
    for a in ex.changes if getattr(ex.module, "SAME_ARRAYS", False) else ():
        d = given[ex.args.index(a)]
        if isinstance(d, dict):
            held.update({(a, k): v for k, v in d.items() if isinstance(v, np.ndarray)})
    return held


def _rebound(ex, given, held, c):
    """Lines for arrays the function replaced in the dict while the caller's own arrays stayed wrong."""
    swapped = []
    for (a, k), arr in held.items():
        d = given[ex.args.index(a)]
        want = c.want.get(a, {}).get(k) if isinstance(c.want, dict) else None
        if isinstance(d, dict) and d.get(k) is not arr and want is not None and \
                not (arr.shape == np.shape(want) and np.allclose(arr, want, rtol=TOLERANCE, atol=0)):
            swapped.append(f"{a}[{k!r}]")
    if not swapped:
        return []
    return [f"your function put new arrays into {', '.join(swapped)}: the dict now holds the right values, but the "
            "arrays the caller had are unchanged. Training code holds those arrays themselves (min-char-rnn's "
            "loop zips them, an optimiser keeps them), so change each array where it is (np.clip(g, ..., out=g), "
            "g *= ..., p -= ...) instead of putting a new one under its key"]


def _one_argument_changed(ex, fn, c, tolerance, budget, time_limit):
    """Call fn on a case, then on the same argument objects with ONE other argument changed (the
    exercise's ``vary``): a function that remembers its answer by one argument (its id or its
    content) answers the second call as the first. -> a sentence, or ""."""
    vary = getattr(ex.module, "vary", None)
    if vary is None:
        return ""
    given = copy.deepcopy(c.args)
    call, _ = run(fn, given, time_limit, budget)
    if call.outcome != "returned":
        return ""
    for changed, args in vary(given):
        try:
            expected_args = copy.deepcopy(args)
            want = ex.parts(ex.reference(*expected_args), expected_args, c)
        except Exception:  # noqa: BLE001 -- outside the reference's domain
            continue
        call, after = run(fn, args, time_limit, budget)
        if call.outcome != "returned":
            continue
        try:
            got = ex.parts(call.value, after, c)
        except Wrong:
            continue
        problems, _ = judge(ex, got, want, {}, tolerance)
        if problems:
            kept = [a for a in ex.args if a != changed]
            return (f"called twice on {c.about}, the second time with the same {' and '.join(kept)} (the same "
                    f"object{'s' if len(kept) > 1 else ''}) and another {changed}, it answers wrong:\n  "
                    + "\n  ".join(problems) + f"\n  does it remember an answer by its {kept[0]}"
                    f"{' alone' if len(kept) == 1 else ' (or another of the arguments kept)'} (a cache keyed by "
                    f"{kept[0]} or its id)? every argument changes the answer: compute it from all of them on "
                    "each call")
    return ""


def _shapes_reminder(c):
    params = c.args[0] if c.args and isinstance(c.args[0], dict) else None
    if not params or "Wxh" not in params:
        return ""
    listed = ", ".join(f"{k} {shape_text(params[k].shape, c.dims)}" for k in KEYS)
    return f"\n  the shapes in this case: {listed}"


def matches(ex, got_parts, other_parts, dims, tolerance):
    for (label, got), (_, want) in zip(got_parts, other_parts):
        if isinstance(want, np.ndarray) or isinstance(want, float):
            problem, err, _ = compare(label, got, want, dims, tolerance, exact_nan=True)
        else:
            problem, err, _ = compare(label, got, want, dims, tolerance)
        if problem is not None or err > tolerance:
            return False
    return True


def diagnose(ex, fn, got_parts, c, cases, kept, time_limit, budget, raised=None):
    """Name the classic mistake that does what the student's function does on every case where it
    gave an output (or raised: ``raised`` is the type of exception it raised on case ``c``)."""
    if got_parts is None and raised is None:
        return ""
    tol = FLOAT32_TOLERANCE if got_parts is not None and computed_in_float32(fn, got_parts) else TOLERANCE
    outputs = [(c, got_parts if raised is None else raised)]
    outputs += [(kc, snap) for _, kc, _, snap, *_ in kept if snap is not None]
    seen = {id(kc) for kc, _ in outputs}
    stop = time.monotonic() + DIAGNOSIS_TIME
    for other in cases:  # the cases not yet run, once each, within the budget
        if id(other) in seen or budget.left() < time_limit / 5 or time.monotonic() > stop:
            continue
        call, parts, _ = _outputs(ex, fn, other, budget, time_limit)
        if call.outcome == "returned" and parts is not None:
            outputs.append((other, snapshot(parts)))
        elif call.outcome == "raised" and call.exception is not None:
            outputs.append((other, type(call.exception)))
    for mistake, fix, wrong_fn in ex.mistakes:
        if all(_does_the_same(ex, wrong_fn, oc, parts, tol) for oc, parts in outputs if parts is not None):
            return f"\n  This matches a known mistake: {mistake}. {fix[0].upper()}{fix[1:]}."
    return ""


def _does_the_same(ex, wrong_fn, c, parts, tol):
    """Whether the mistake ``wrong_fn`` gives ``parts`` on case ``c`` (or raises it, when it is a type)."""
    args = copy.deepcopy(c.args)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = wrong_fn(*args)
        theirs = ex.parts(value, args, c)
    except Exception as err:  # noqa: BLE001 -- a mistake that raises on a case
        return isinstance(parts, type) and isinstance(err, parts)
    return not isinstance(parts, type) and matches(ex, parts, theirs, c.dims, tol)
