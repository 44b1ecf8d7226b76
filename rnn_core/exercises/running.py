"""Calling the student's function through ``rnn_core.sandbox`` (time limits that re-fire, any
BaseException but a real interrupt turned into an outcome, hostile return values made plain or
refused, printed output captured and capped, a total budget), and where their code raised."""
import os
import sysconfig
import traceback

from .. import sandbox

Budget = sandbox.Budget
REENTERED = sandbox.REENTERED


def run(fn, args, time_limit, budget):
    """-> (sandbox.Call, args after the call as plain values). A returned value is made plain
    (``call.value``); a value or argument that cannot be is turned into outcome "refused" with
    ``call.error`` saying why."""
    call = sandbox.call(fn, args, time_limit, budget)
    call.raw = call.value  # what the function handed out, to look at again after later calls
    if call.outcome != "returned":
        return call, args
    for what, value in (("value", call.value), ("args", list(args))):
        plain = sandbox.plain(value, budget=budget)
        if isinstance(plain, sandbox.Refused):
            call.outcome, call.error = "refused", plain.message
            return call, args
        if what == "value":
            call.value = plain
        else:
            args = tuple(plain)
    return call, args


_OWN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_LIBRARY_DIRS = tuple({os.path.abspath(sysconfig.get_paths()[k]) + os.sep
                       for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def again(raw):
    """What a value handed out earlier holds now, as plain values (None when it cannot be read)."""
    plain = sandbox.plain(raw)
    return None if isinstance(plain, sandbox.Refused) else plain


def _is_students(filename):
    if filename.startswith("<"):  # <frozen ...>, <__array_function__ internals>; keep <string>, <stdin>
        return filename in ("<string>", "<stdin>") or filename.startswith("<ipython-input")
    path = os.path.abspath(filename)
    return not path.startswith(_OWN_DIR) and not path.startswith(_LIBRARY_DIRS)


def describe_error(err, fn=None):
    """'\\n  at line 3 of softmax: `return e / e.sum()`' for the last line of the student's own code."""
    if err is None:
        return ""
    try:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if _is_students(f.filename)]
    except Exception:  # noqa: BLE001
        return ""
    if not frames:
        return ""
    f = frames[-1]
    line = f" `{f.line.strip()}`" if f.line else ""
    return f"\n  at line {f.lineno} of {f.name}:{line}"
