"""Exercises with instant checks: you write each step, a checker says what is wrong.

    from rnn_core.exercises import check, hint, solution, predict

    def softmax(y):
        ...
    check("softmax", softmax)     # -> ✓ / ✗ with a diagnosis / ○ not attempted

One exercise, one module: ``rnn_core/exercises/softmax.py`` holds the softmax
exercise's signature, cases, reference answer, named mistakes (as code) and hints
side by side. ``checking.py`` is the machinery, which knows no exercise; ``running.py``
calls your function through ``rnn_core.sandbox``; ``questions.py`` holds the
predict-first questions and their answers.

``check(name, fn)`` runs ``fn`` on cases that span the exercise's inputs (sizes that
differ, V = 65, large logits, exact zeros, ties, long sequences, dicts in another key
order, the same sizes twice), compares with ``rnn_core``, looks again at earlier
outputs after later calls and calls the first case once more (state kept between
calls), and when the answer is wrong says where and, if it matches a known mistake,
names it. Work done in float32 is judged within float32's rounding. In a script the
verdict is printed; in a notebook it shows as the cell's output.

``NAMES`` lists the exercises in the order of the notebooks; ``SIGNATURES`` says what
each takes and returns. ``hint(name)``, ``hint(name, 2)`` give graded hints (the last
still leaves you a step), ``solution(name)`` prints a reference solution,
``predict("key")`` asks a predict-first question.
"""
import importlib
import inspect
import sys

from . import checking
from .checking import Result, relative_error  # noqa: F401 -- part of the API
from .predicting import LETTERS, Prediction, predict  # noqa: F401
from .questions import QUESTIONS  # noqa: F401

NAMES = ("vocabulary", "encode", "one_hot", "softmax", "rnn_step", "forward", "loss", "dlogits", "bptt_step",
         "bptt", "clip", "adagrad_step", "rmsprop_step", "clip_global_norm", "temperature", "top_k")
EXERCISES = {name: checking.Exercise(importlib.import_module(f"{__name__}.{name}")) for name in NAMES}
# exercise -> (notebook, what you write)
SIGNATURES = {name: (ex.notebook, ex.signature) for name, ex in EXERCISES.items()}
TIME_LIMIT = checking.TIME_LIMIT


def _exercise(name):
    if not isinstance(name, str) or name not in EXERCISES:
        raise ValueError(f"there is no exercise called {name!r}; the exercises are: {', '.join(NAMES)}")
    return EXERCISES[name]


def _in_ipython():
    shell = sys.modules.get("IPython")
    try:
        return shell is not None and shell.get_ipython() is not None
    except Exception:  # noqa: BLE001
        return False


def check(name, fn, time_limit=TIME_LIMIT, total_time=checking.TOTAL_TIME):
    """Run your ``fn`` for exercise ``name`` on the checker's own cases -> Result (✓ / ✗ / not attempted).

    ``fn`` gets deep copies of every argument, so nothing outside the check changes. A call that
    takes longer than ``time_limit`` seconds is stopped; the whole check stops after ``total_time``.
    In a plain script the verdict is printed too (in IPython it shows as the cell's output).
    """
    ex = _exercise(name)
    if not callable(fn):
        raise ValueError(f"check({name!r}, fn) needs your function itself, e.g. check({name!r}, {name}), "
                         f"not {checking.kind(fn)} (the result of calling it)")
    result = checking.check(ex, fn, time_limit, total_time)
    if not _in_ipython():
        print(result.message)
    return result


def hint(name, level=1):
    """Print hint ``level`` (1 or 2) for exercise ``name``."""
    hints = _exercise(name).hints
    if level not in range(1, len(hints) + 1):
        raise ValueError(f"level must be 1 or {len(hints)}, got {level!r}")
    more = f"  (hint({name!r}, {level + 1}) for the next)" if level < len(hints) else \
        f"  (still stuck? solution({name!r}) prints a whole solution)"
    print(f"Hint {level} of {len(hints)} for {name}: {hints[level - 1]}{more}")


def solution(name):
    """Print a reference solution of exercise ``name``."""
    print(inspect.getsource(_exercise(name).reference).rstrip())


def mistakes(name):
    """[(what the mistake is, its fix, the wrong function)] that ``check`` names for exercise ``name``."""
    return list(_exercise(name).mistakes)


def cases(name):
    """The cases ``check`` runs for exercise ``name`` (a list of checking.Case)."""
    return _exercise(name).make_cases()
