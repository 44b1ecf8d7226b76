"""Calling a student's function so that a verdict always comes back.

``call(fn, args)`` runs ``fn(*args)`` and returns a ``Call`` record, whatever ``fn`` does:
returns, raises any exception (``SystemExit``, ``GeneratorExit``, a custom
``BaseException``...), loops forever inside a bare ``except:``, prints 20 MB, or calls
the checker on itself. ``plain(value)`` turns what it returned into built-in and numpy
values without running any of the student's methods. ``Budget`` bounds the time of a
whole check (every call, re-runs for a diagnosis included).

What the sandbox does not do:
- it copies nothing: the checker passes copies of its arguments (``fn`` may change them);
- it cannot stop C code: a signal is handled between two Python bytecodes, so a single
  numpy call (a huge ``@``) is stopped only when it returns to Python;
- it cannot undo what ``fn`` does to the process: ``os._exit``, writing to file
  descriptors 1 and 2 directly, ``display()``, changing global state (its own
  ``signal.signal``, ``sys.settrace``, module globals) are not caught or undone.

Python versions. Written for CPython 3.11+, whose exception table says where raising leaves a
`try`. CPython 3.10 has no such table and, worse, never runs a signal handler (nor lets another
thread take the GIL) right before a `try`: a ``while True: try: ... except: ...`` loop is out
of reach of any alarm or watchdog there. So on 3.10 the tracer runs from the start of every
call: each line of the student's code (and of the Python code it calls) checks the clock, and
the tracer's own bytecode lets pending signal handlers run (a real Ctrl-C); past the limit it
raises at every opcode, which 3.10's block stack unwinds correctly anywhere. The price on 3.10:
the student's Python lines run slower (one trace call each: measured here, a pure-Python
``for`` loop about 20x slower, a loop of 100x100 numpy steps about 1.4x), and
a tracer set by a debugger or coverage tool is replaced for the whole call, not only after the
limit. Every case in tests/test_sandbox.py is stopped on 3.10, 3.11, 3.12 and 3.13.
"""
import dis
import functools
import io
import logging
import signal
import sys
import threading
import time
import types
import warnings
from dataclasses import dataclass, field

import numpy as np

REENTERED = "check() was called from inside the function being checked"
OUTCOMES = ("returned", "raised", "timed out", "not attempted")
REFIRE = 0.1  # seconds between two interruptions once the limit has passed
MAX_CHARS, MAX_LINES = 2000, 20  # what is kept of the printed output


@dataclass
class Budget:
    """A total time for one whole check; every ``call`` given it stops when it runs out.

    Wall-clock time since the budget was made: the checker's own work counts too.
    """
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def left(self):
        """Seconds left (0.0 once spent)."""
        return max(0.0, self.seconds - (time.monotonic() - self.started))


@dataclass
class Call:
    """What happened when the student's function was called.

    outcome: "returned", "raised", "timed out" or "not attempted" (see ``call``).
    value: what it returned (untouched: pass it through ``plain`` before looking at it).
    error: one safe line for "raised" and "timed out" ("ZeroDivisionError: division by zero",
        "did not return within 5 s"); never computed by the student's own methods.
    printed: what it printed to stdout/stderr (and its warnings and log records), capped.
    seconds: wall-clock time of the call.
    exception: the exception for "raised"/"not attempted" (its __traceback__ shows the line);
        do not str() it, use ``describe``.
    stub: the name of the function whose very first statement raised NotImplementedError:
        ``fn``'s own name when the outcome is "not attempted", another function's name when
        ``fn`` did some work and then called a stub (outcome "raised"); "" otherwise.
    """
    outcome: str
    value: object = None
    error: str = ""
    printed: str = ""
    seconds: float = 0.0
    exception: BaseException = None
    stub: str = ""


@dataclass
class Refused:
    """``plain`` could not turn a returned value into plain values; ``message`` says why, to the student."""
    message: str


class _TimeUp(BaseException):
    """Raised inside the student's function when its time is up (BaseException: `except Exception` won't catch it)."""

    def __init__(self, *args):
        super().__init__(*args)
        # In a thread, the watchdog raises this class with PyThreadState_SetAsyncExc: Python
        # creates the instance in the student's thread, the one place that can arm the tracer.
        state = _current
        if state is not None and state.expired and state.thread == threading.get_ident() and not state.main \
                and sys.gettrace() is not state.tracer:
            _arm(state, sys._getframe().f_back)


class _Reentered(BaseException):
    """Raised by a ``call`` made while another is running (from inside the function being checked)."""


class _State:
    """One running call: the flags the signal handlers, the tracer and the watchdog share."""

    def __init__(self, limit, main):
        self.limit, self.main = limit, main
        self.thread = threading.get_ident()
        self.active = False      # True only while the student's function runs
        self.expired = False     # the limit has passed (or Ctrl-C was pressed)
        self.interrupted = False  # a real Ctrl-C (SIGINT) arrived during the call
        self.reentered = False
        self.home = None         # the sandbox's frame that calls fn: frames below it are the student's
        self.lock = threading.Lock()
        self.tracer = _make_tracer(self)
        self.deadline = time.monotonic() + limit  # _limited sets it again just before fn runs


_current = None  # the running call's _State (one at a time per process)


# ------------------------------------------------------------- stopping it

def _make_tracer(state):
    """The global trace function: every new frame of the student's gets its own local tracer."""
    def tracer(frame, event, arg):
        if not state.active or frame.f_code.co_filename == _OWN_FILE:
            return None
        frame.f_trace_opcodes = state.expired  # on 3.10 the tracer runs from the start: opcodes only once expired
        return functools.partial(_local_trace, state, _Rearm(state))
    return tracer


class _Rearm:
    """Owned by one frame's local tracer: when CPython drops that tracer, tracing comes back.

    CPython removes every trace function as soon as one raises, which would leave the handler
    of the *enclosing* `try` (a loop inside a loop, both with bare `except:`) untraced. The
    frame's tracer holds the only reference to this object, so CPython's dropping of it calls
    __del__, which traces the stack again.
    """
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def __del__(self):
        state = getattr(self, "state", None)  # None when a _TimeUp cut __init__ short
        if state is not None and state.active and state.expired:
            _arm(state, sys._getframe().f_back)


def _local_trace(state, rearm, frame, event, arg):
    del rearm  # the exception's traceback keeps this frame: it must not keep the _Rearm alive
    if not state.active:
        return None
    if event == "opcode" and _can_escape(frame.f_code, frame.f_lasti):
        raise _TimeUp
    if _BLOCK_STACK and event == "line":
        if not state.expired:
            _poll(state, frame)
        elif not frame.f_trace_opcodes:  # expired by the watchdog (thread mode): trace the opcodes from now on
            _arm(state, frame)
    return None  # None keeps the frame's tracer


def _poll(state, frame):
    """CPython 3.10: a line of the student's code checks the clock.

    3.10 handles signals (and hands the GIL to other threads) only at some jumps and calls, and never right
    before a `try`: a ``while True: try: ... except: ...`` loop never runs a signal handler, so neither the
    alarm nor the watchdog can reach it. The tracer, which 3.10 runs from the start of the call, does: its
    own calls also let pending signal handlers run (a real Ctrl-C) and other threads take the GIL.
    """
    if time.monotonic() >= state.deadline:
        state.expired = True
        _arm(state, frame)
        raise _TimeUp


_ESCAPE_CACHE = {}
# CPython 3.10 (no exception table) keeps a stack of blocks in each frame: an exception raised at any
# instruction unwinds it correctly (inside an `except`/`finally` block it also restores the exception being
# handled before), so there the tracer raises at every opcode once the limit has passed. Raised inside a
# `try` body it is caught by that `try`; raised again at the next opcode of the handler it escapes that
# `try`: one level per opcode.
_BLOCK_STACK = getattr(dis, "_parse_exception_table", None) is None


def _can_escape(code, lasti):
    """True at the instructions of ``code`` where raising leaves a `try` instead of landing in its `except`.

    Those are the instructions inside an `except` block (or a `with` / `finally` block being
    run for an exception), where the block's own cleanup passes the exception on, and the
    jumps back of loops outside any `try`. Not the body of a `try` (its `except` catches
    what is raised there), not the first instruction of a handler and not the cleanup code
    between handlers: raising there would leave Python's record of the exception being
    handled out of step.
    """
    if _BLOCK_STACK:
        return True
    points = _ESCAPE_CACHE.get(code)
    if points is None:
        if len(_ESCAPE_CACHE) > 1000:
            _ESCAPE_CACHE.clear()
        points = _ESCAPE_CACHE[code] = _escape_points(code)
    return lasti in points


def _escape_points(code):
    entries = dis._parse_exception_table(code)  # CPython 3.11+
    targets = {e.target for e in entries}
    points = set()
    for ins in dis.get_instructions(code):
        if ins.offset in targets:
            continue
        entry = next((e for e in entries if e.start <= ins.offset < e.end), None)  # 3.11's ranges do not overlap
        if entry is not None and entry.lasti or entry is None and ins.opname.startswith("JUMP_BACKWARD"):
            points.add(ins.offset)
    return frozenset(points)


def _async_raise(thread, exc):
    import ctypes
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else None)


def _arm(state, frame):
    """Trace every opcode of the student's frames on the stack (from ``frame`` up to the sandbox's)."""
    frames = []
    while frame is not None and frame is not state.home:
        frames.append(frame)
        frame = frame.f_back
    if frame is None:
        return  # not below the sandbox's frame: nothing of the student's to trace
    sys.settrace(state.tracer)
    for f in frames:
        if f.f_code.co_filename != _OWN_FILE:
            if not _ours(f.f_trace):
                f.f_trace = functools.partial(_local_trace, state, _Rearm(state))
            f.f_trace_opcodes = True


def _ours(trace):
    return type(trace) is functools.partial and trace.func is _local_trace


def _on_alarm(signum, frame):
    state = _current
    if state is None or not state.active:
        return
    state.expired = True
    _arm(state, frame)
    if frame is state.home or frame is not None and frame.f_code not in _QUIET_CODES:
        raise _TimeUp  # not in the sandbox's tracing machinery: the tracer or the next alarm will do it


def _on_interrupt(signum, frame):
    state = _current
    if state is None:
        raise KeyboardInterrupt
    if not state.active:  # before or after fn: call() raises KeyboardInterrupt once it has cleaned up
        state.interrupted = True
        return
    state.interrupted = state.expired = True
    signal.setitimer(signal.ITIMER_REAL, REFIRE, REFIRE)  # keep interrupting until fn has returned
    _arm(state, frame)
    raise _TimeUp


def _watchdog(state, stop):
    """Thread mode: after the limit, raise _TimeUp in the student's thread every REFIRE s until it returns."""
    if stop.wait(state.limit):
        return
    while True:
        with state.lock:
            if not state.active:
                return
            state.expired = True
            _async_raise(state.thread, _TimeUp)
        if stop.wait(REFIRE):
            return


def _run(fn, args, kwargs, state):
    """-> ("returned", value) or ("raised", exception). Any _TimeUp raised in here is the student's time-out."""
    global _current
    state.home = sys._getframe()
    try:
        try:
            state.active = True
            if state.interrupted:
                raise _TimeUp
            return "returned", fn(*args, **kwargs)
        finally:
            state.active = False
    except BaseException as err:  # noqa: BLE001 -- every exception of the student's is a verdict
        state.active = False
        return "raised", err


def _settle(state, restore):
    """Undo the time limit. A _TimeUp already pending when fn returned may be raised in here or on
    the way in: the caller loops until this returns."""
    with state.lock:
        state.active = False
    restore()
    if not state.main:
        # Let a _TimeUp still pending in this thread arrive now (the caller's loop absorbs it): clearing
        # it with PyThreadState_SetAsyncExc(id, NULL) would leave CPython 3.11's "async exception
        # pending" flag set for the whole interpreter, and every thread would check for it forever.
        for _ in range(2):
            time.sleep(0)




def _limited(fn, args, kwargs, state):
    """Run fn under the state's limit; restore every handler, timer and tracer whatever happens."""
    previous_trace = sys.gettrace()
    state.deadline = time.monotonic() + state.limit
    if state.main:
        # getsignal is None for a handler not set from Python: put back the default then
        previous = signal.getsignal(signal.SIGALRM)
        previous_int = signal.getsignal(signal.SIGINT)
        ours_int = previous_int is not signal.SIG_IGN

        def restore():
            signal.setitimer(signal.ITIMER_REAL, 0)  # first: a stray SIGALRM under SIG_DFL would end the process
            sys.settrace(previous_trace)
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
            if ours_int:
                signal.signal(signal.SIGINT, signal.SIG_DFL if previous_int is None else previous_int)
        try:
            signal.signal(signal.SIGALRM, _on_alarm)
            if ours_int:
                signal.signal(signal.SIGINT, _on_interrupt)
            signal.setitimer(signal.ITIMER_REAL, max(state.limit, 1e-3), REFIRE)
            if _BLOCK_STACK:
                sys.settrace(state.tracer)
            result = _run(fn, args, kwargs, state)
        finally:
            while True:  # here, not in a function: a pending _TimeUp can be raised as a function starts
                try:
                    _settle(state, restore)
                    break
                except _TimeUp:
                    continue
        return result
    stop = threading.Event()
    watchdog = threading.Thread(target=_watchdog, args=(state, stop), daemon=True)

    def restore():
        stop.set()
        sys.settrace(previous_trace)
    watchdog.start()
    try:
        if _BLOCK_STACK:
            sys.settrace(state.tracer)
        result = _run(fn, args, kwargs, state)
    finally:
        while True:
            try:
                _settle(state, restore)
                break
            except _TimeUp:
                continue
    return result


def _use_signals():
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


# ------------------------------------------------------------- catching its output

class _Capped(io.TextIOBase):
    """A text stream that keeps the first MAX_CHARS characters / MAX_LINES lines and counts the rest."""

    def __init__(self, chars=MAX_CHARS, lines=MAX_LINES):
        super().__init__()
        self.chars, self.lines = chars, lines
        self.kept, self.line_count, self.more = [], 0, 0
        self.size = 0

    def writable(self):
        return True

    def write(self, s):
        if type(s) is not str:
            if not issubclass(type(s), str):
                raise TypeError(f"write() argument must be str, not {_type_name(s)}")
            s = str.__str__(s)  # a plain copy: no method of a str subclass runs
        n = len(s)
        room = self.chars - self.size if self.line_count < self.lines else 0
        head = s[:room]
        cut = _nth_newline(head, self.lines - self.line_count)
        if cut is not None:
            head = head[:cut + 1]
        self.kept.append(head)
        self.size += len(head)
        self.line_count += head.count("\n")
        self.more += n - len(head)
        return n

    def text(self):
        text = "".join(self.kept)
        if self.more:
            text += ("" if text.endswith("\n") or not text else "\n") + f"... ({self.more} more characters)"
        return text


def _nth_newline(s, n):
    """Index of the n-th newline in s (n >= 1), None when there are fewer; n <= 0 -> -1 (keep nothing)."""
    if n <= 0:
        return -1
    at = -1
    for _ in range(n):
        at = s.find("\n", at + 1)
        if at < 0:
            return None
    return at


class _Capturing:
    """stdout, stderr, warnings and the root logger's stream handlers go to one _Capped stream."""

    def __init__(self, capture):
        self.capture = capture

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.capture
        self.handlers = [h for h in logging.getLogger().handlers
                         if type(h) is logging.StreamHandler and h.stream in self.saved]
        self.streams = [h.setStream(self.capture) for h in self.handlers]
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("always")  # every call shows its own warnings: the same text each time

        def show(message, category, filename, lineno, file=None, line=None):
            self.capture.write(f"{_type_name_of_class(category)}: {message}\n")
        warnings.showwarning = show
        return self

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)
        for h, s in zip(self.handlers, self.streams):
            h.setStream(s)
        sys.stdout, sys.stderr = self.saved
        return False


# ------------------------------------------------------------- calling

def running():
    """True while a ``call`` is running (the checker refuses to start one inside it)."""
    return _current is not None


def call(fn, args=(), time_limit=5.0, budget=None, kwargs=None):
    """Call ``fn(*args, **kwargs)``; always returns a ``Call``, unless the user presses Ctrl-C.

    Outcomes:
    - "returned": ``value`` is what it returned (run it through ``plain``).
    - "not attempted": it raised NotImplementedError as the very first statement of its body
      (after an optional docstring: ``raise NotImplementedError(...)`` with nothing before it),
      so none of the student's code ran. A NotImplementedError raised after any other statement,
      or inside a function it called, is "raised"; ``stub`` then names the function when that
      function's first statement raised it (the student's own softmax still a stub, say).
    - "raised": any BaseException (SystemExit, GeneratorExit, StopIteration, KeyboardInterrupt
      raised by the student's own code, custom subclasses, exceptions whose __str__ raises);
      ``error`` is a safe one-line description. A nested ``call`` (the function checks itself)
      is refused inside and reported here with ``error == REENTERED``, even if the student's
      code caught the refusal.
    - "timed out": it ran past min(time_limit, budget.left()) (it may have caught the
      interruption and returned afterwards: still "timed out"). With an exhausted budget
      ``fn`` is not called at all.

    The time limit. In the main thread (where a notebook runs its cells) SIGALRM fires at the
    limit and raises an exception inside ``fn`` (cutting a ``time.sleep`` short), then re-fires
    every REFIRE s until ``fn`` has returned. From the first alarm on, a tracer watches every
    opcode of the student's frames and raises again wherever that leaves a ``try`` (inside the
    ``except`` block that just caught the last one, at a loop's jump outside any ``try``), so
    a bare ``except:`` or ``except BaseException:`` loop, nested loops of them, a loop in a
    ``finally`` all end within about one REFIRE. Signals are handled between bytecodes only: a
    single long C call (a 2500x2500 ``@``, 1.5-2 s here) runs to its end before ``fn`` stops.
    In another thread (or when an interval timer is already set, or there is no SIGALRM) a
    watchdog thread raises the exception in ``fn``'s thread with PyThreadState_SetAsyncExc every
    REFIRE s after the limit, and the same tracer takes over; a blocking call (``time.sleep(100)``)
    cannot be cut short there: it is stopped when it returns. Anything that changes the process
    itself (``signal.signal``, ``sys.settrace``, ``os._exit``) is out of reach.

    Ctrl-C. A SIGINT during the call stops ``fn`` the same way and ``call`` then raises
    KeyboardInterrupt, even if ``fn`` caught it and returned. A KeyboardInterrupt the student's
    code raises itself (no SIGINT arrived) is "raised". The SIGINT handler is ours only during
    the call and only in the main thread.

    Output printed to sys.stdout / sys.stderr, warnings (one line each, "RuntimeWarning: ...")
    and records sent to the root logger's stream handlers are captured, not shown: ``printed``
    keeps the first MAX_CHARS characters and MAX_LINES lines, then "... (N more characters)".

    Arguments are passed as given: copy them first if ``fn`` must not change yours.
    """
    global _current
    if _current is not None:
        _current.reentered = True
        raise _Reentered(REENTERED)
    limit = time_limit if budget is None else min(time_limit, budget.left())
    if limit <= 0:
        return Call("timed out", error=f"not run: the check's time budget of {budget.seconds:g} s was used up")
    state = _State(limit, main=_use_signals())
    capture = _Capped()
    start = time.monotonic()
    _current = state
    try:
        with _Capturing(capture):
            what, value = _limited(fn, args, kwargs or {}, state)
    finally:
        _current = None
    seconds = time.monotonic() - start
    if state.interrupted:
        raise KeyboardInterrupt
    printed = capture.text()
    if state.reentered:
        return Call("raised", error=REENTERED, printed=printed, seconds=seconds,
                    exception=value if what == "raised" else None)
    if state.expired:
        if budget is not None and limit < time_limit:
            error = f"stopped when the check's total time budget of {budget.seconds:g} s ran out"
        else:
            error = f"did not return within {limit:g} s"
        return Call("timed out", error=error, printed=printed, seconds=seconds)
    if what == "returned":
        return Call("returned", value=value, printed=printed, seconds=seconds)
    outcome, stub = "raised", ""
    if issubclass(type(value), NotImplementedError):
        outcome, stub = _stub(value)
    return Call(outcome, error=describe(value), printed=printed, seconds=seconds, exception=value, stub=stub)


_FIRST_STATEMENT_OPS = {"NOP", "CACHE", "EXTENDED_ARG", "LOAD_GLOBAL", "LOAD_NAME", "LOAD_CONST", "LOAD_FAST",
                        "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_ATTR", "LOAD_METHOD", "PUSH_NULL", "PRECALL", "CALL",
                        "KW_NAMES", "FORMAT_VALUE", "BUILD_STRING", "CALL_FUNCTION", "CALL_METHOD", "CALL_KW"}
_PROLOGUE_OPS = {"RESUME", "NOP", "CACHE", "MAKE_CELL", "COPY_FREE_VARS", "RETURN_GENERATOR", "POP_TOP"}


def _raised_first(code, lasti):
    """True when the instruction at byte ``lasti`` is a `raise` that is the first statement of ``code``."""
    prologue = True
    for ins in dis.get_instructions(code):
        if ins.offset >= lasti:
            return ins.offset == lasti and ins.opname == "RAISE_VARARGS"
        if prologue and ins.opname in _PROLOGUE_OPS:
            prologue = ins.opname != "RESUME"
            continue
        prologue = False
        if ins.opname not in _FIRST_STATEMENT_OPS:
            return False
    return False


def _stub(err):
    """-> (outcome, stub name) for a NotImplementedError raised out of the student's function."""
    tb = BaseException.__dict__["__traceback__"].__get__(err).tb_next  # skip _run's frame: the first frame is the student's function
    if tb is None:
        return "raised", ""
    first = tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if not _raised_first(code, tb.tb_lasti):
        return "raised", ""
    return ("not attempted" if tb is first else "raised"), code.co_name


# ------------------------------------------------------------- describing without trusting

def _type_name_of_class(cls):
    try:
        name = type.__dict__["__qualname__"].__get__(cls)
    except Exception:  # noqa: BLE001 -- not a class after all
        return "object"
    return name if type(name) is str else "object"


def _type_name(value):
    return _type_name_of_class(type(value))


def _short(text, limit=300):
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more characters)"


def describe(err):
    """'ZeroDivisionError: division by zero', computed without running any method of the exception's class.

    The message is shown only when the exception's arguments are plain strings or numbers.
    """
    name = _type_name(err)
    try:
        args = BaseException.__dict__["args"].__get__(err)
    except Exception:  # noqa: BLE001 -- not an exception at all
        return name
    if type(args) is not tuple:
        return name
    shown = []
    for a in args:
        if issubclass(type(a), str):
            shown.append(str.__str__(a))  # a plain copy: a str subclass's own __str__ does not run
        elif type(a) in (int, float, bool) or a is None:
            shown.append(repr(a))
        else:
            shown.append(f"<{_type_name(a)} object>")
    if not shown or shown == [""]:
        return name
    text = shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"
    return f"{name}: {_short(text)}"


_NUMPY_SCALARS = frozenset(t for t in np.sctypeDict.values() if isinstance(t, type))
_PLAIN_TYPES = (bool, int, float, complex, str, bytes, type(None))


def plain(value, time_limit=1.0, budget=None):
    """``value`` as plain built-in and numpy values, or a ``Refused`` saying why it cannot be.

    Never runs a method of the student's classes: arrays (any ndarray subclass) become
    ndarray copies; str/int/float/complex/bytes subclasses become their base type through
    the base type's own methods (``str.__str__``, ``float.__float__``...); tuples, lists,
    dicts, sets and their subclasses become new tuples, lists, dicts, sets of plain values,
    read through the base type's own iteration. Numpy scalars are kept. Objects with an
    ``__array__`` method go through ``np.asarray`` inside ``call`` (so within ``time_limit``),
    everything else (generators, other objects, arrays of Python objects) is refused.
    """
    try:
        return _plain(value, time_limit, budget, _Seen(), 0)
    except _Refusal as refusal:
        return Refused(refusal.args[0])


class _Refusal(Exception):
    pass


MAX_ITEMS = 1_000_000  # values in lists, tuples, dicts and sets together: about 0.2 s to convert


class _Seen(set):
    """The ids of the containers being converted (a list that holds itself) and a count of their items."""
    items = 0


def _mro(cls):
    try:
        return type.__dict__["__mro__"].__get__(cls)
    except Exception:  # noqa: BLE001
        return (cls,)


def _defines(cls, name):
    return any(name in type.__dict__["__dict__"].__get__(k) for k in _mro(cls))


def _plain(v, time_limit, budget, seen, depth):
    t = type(v)
    if t in _PLAIN_TYPES or t in _NUMPY_SCALARS:
        return v
    if depth > 100:
        raise _Refusal("your function returned values nested more than 100 levels deep")
    if issubclass(t, np.ndarray):
        a = np.array(v, subok=False, copy=True)
        if a.dtype.hasobject:
            raise _Refusal(f"your function returned an array of Python objects (dtype=object, shape {a.shape}), "
                           "not an array of numbers")
        return a
    if issubclass(t, np.generic):
        raise _Refusal(f"your function returned a {_type_name(v)}, a subclass of a numpy scalar type")
    for base, convert in _SCALAR_BASES:
        if issubclass(t, base):
            return convert(v)
    kind = next((k for k in (tuple, list, dict, set, frozenset) if issubclass(t, k)), None)
    if kind is not None:
        if id(v) in seen:
            raise _Refusal(f"your function returned a {kind.__name__} that contains itself")
        seen.add(id(v))
        seen.items += kind.__len__(v)
        if seen.items > MAX_ITEMS:
            raise _Refusal(f"your function returned more than {MAX_ITEMS:,} values in lists, tuples or dicts: "
                           "the exercises expect numpy arrays for anything that large")
        try:
            if kind is dict:
                out = {}
                for k, x in dict.items(v):
                    k = _plain(k, time_limit, budget, seen, depth + 1)
                    out[k] = _plain(x, time_limit, budget, seen, depth + 1)
                return out
            items = [_plain(x, time_limit, budget, seen, depth + 1) for x in kind.__iter__(v)]
            return kind(items) if kind is not list else items
        except TypeError as err:  # an unhashable key or set member (a list, an array)
            raise _Refusal(f"your function returned a {kind.__name__} with a key or member that cannot be "
                           f"one ({describe(err)})") from None
        finally:
            seen.discard(id(v))
    if _defines(t, "__array__"):
        result = call(np.asarray, (v,), time_limit=time_limit, budget=budget)
        if result.outcome == "returned" and isinstance(result.value, np.ndarray):
            return _plain(result.value, time_limit, budget, seen, depth + 1)
        what = (f"raised {result.error}" if result.outcome == "raised"
                else "did not finish" if result.outcome == "timed out" else "did not return an array")
        raise _Refusal(f"your function returned an object of type {_type_name(v)} whose conversion to an array "
                       f"(np.asarray) {what}")
    if issubclass(t, types.GeneratorType) or _defines(t, "__next__"):
        raise _Refusal(f"your function returned an iterator ({_type_name(v)}) that has not run yet: "
                       "return a list or an array, e.g. list(...) around it")
    raise _Refusal(f"your function returned an object of type {_type_name(v)}, not numbers, text, an array or a "
                   "list/tuple/dict of them")


_SCALAR_BASES = (
    (bool, bool),  # cannot be subclassed, listed for completeness
    (str, str.__str__),
    (int, int.__int__),
    (float, float.__float__),
    (complex, lambda v: complex(complex.__dict__["real"].__get__(v), complex.__dict__["imag"].__get__(v))),
    (bytes, lambda v: bytes.__getitem__(v, slice(None))),
)


_OWN_FILE = __file__
_QUIET_CODES = frozenset(f.__code__ for f in (_Rearm.__init__, _Rearm.__del__, _arm, _ours, _local_trace, _can_escape,
                                             _escape_points, _TimeUp.__init__, _poll))
