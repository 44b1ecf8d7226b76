"""rnn_core.sandbox: whatever a student's function does, `call` gives a verdict and leaves the process usable."""
import logging
import os
import signal
import sys
import threading
import time
import warnings

import numpy as np
import pytest

from rnn_core.sandbox import MAX_CHARS, MAX_LINES, REENTERED, Budget, Refused, call, describe, plain, running

LIMIT = 0.3  # seconds: short, so the whole file stays fast


def elapsed(fn, *args, **kwargs):
    start = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - start


# --------------------------------------------------------------- ordinary outcomes

def test_a_returned_value_comes_back_with_its_time_and_kwargs_reach_the_function():
    r = call(lambda a, b=0: a + b, (2,), kwargs={"b": 3})
    assert (r.outcome, r.value, r.error, r.printed, r.stub) == ("returned", 5, "", "", "")
    assert 0 <= r.seconds < 1


def test_an_ordinary_exception_is_raised_with_its_message():
    r = call(lambda: 1 / 0, ())
    assert r.outcome == "raised" and r.error == "ZeroDivisionError: division by zero"
    assert isinstance(r.exception, ZeroDivisionError)


# --------------------------------------------------------------- "not attempted" and stubs

def stub_with_docstring(x):
    """The student has not started."""
    raise NotImplementedError("your code here")


def bare_stub(x):
    raise NotImplementedError


def partial_work(x):
    y = x + 1
    raise NotImplementedError(f"the rest, after {y}")


def raises_on_some_inputs(x):
    if x > 2:
        raise NotImplementedError
    return x


def calls_a_stub(x):
    y = x * 2
    return bare_stub(y)


@pytest.mark.parametrize("fn", [stub_with_docstring, bare_stub])
def test_a_function_whose_first_statement_raises_not_implemented_is_not_attempted(fn):
    r = call(fn, (1,))
    assert (r.outcome, r.stub) == ("not attempted", fn.__name__)


def test_not_implemented_after_some_work_is_raised_not_not_attempted():
    r = call(partial_work, (1,))
    assert (r.outcome, r.stub) == ("raised", "")
    assert r.error == "NotImplementedError: the rest, after 2"


def test_a_function_that_raises_not_implemented_on_some_inputs_only_is_raised_on_those():
    assert call(raises_on_some_inputs, (1,)).outcome == "returned"
    assert (call(raises_on_some_inputs, (3,)).outcome, call(raises_on_some_inputs, (3,)).stub) == ("raised", "")


def test_a_function_that_works_then_calls_a_stub_is_raised_and_names_the_stub():
    r = call(calls_a_stub, (1,))
    assert (r.outcome, r.stub) == ("raised", "bare_stub")


# --------------------------------------------------------------- time limits

def bare_except_loop():
    x = 0
    while True:
        try:
            x += 1
        except:  # noqa: E722 -- the student's code
            pass


def nested_bare_except_loops_with_sleeps():
    while True:
        try:
            while True:
                try:
                    time.sleep(0.01)
                except:  # noqa: E722
                    pass
        except BaseException:
            pass


def sleeps_in_its_except_too():
    while True:
        try:
            time.sleep(100)
        except BaseException:
            time.sleep(100)


def loops_in_its_finally():
    try:
        time.sleep(100)
    finally:
        while True:
            pass


def catches_the_time_out_and_returns():
    try:
        time.sleep(100)
    except BaseException:
        return 42


@pytest.mark.parametrize("fn", [bare_except_loop, nested_bare_except_loops_with_sleeps, sleeps_in_its_except_too,
                                loops_in_its_finally])
def test_a_function_that_swallows_the_time_out_is_stopped_soon_after_the_limit(fn):
    r, seconds = elapsed(call, fn, (), time_limit=LIMIT)
    assert r.outcome == "timed out" and r.error == f"did not return within {LIMIT:g} s"
    assert LIMIT <= seconds < LIMIT + 1.0


def test_time_sleep_100_is_stopped_within_the_limit_plus_one_second():
    r, seconds = elapsed(call, time.sleep, (100,), time_limit=LIMIT)
    assert r.outcome == "timed out" and seconds < LIMIT + 1.0


def test_a_function_that_catches_the_time_out_and_returns_is_still_timed_out():
    r = call(catches_the_time_out_and_returns, (), time_limit=LIMIT)
    assert r.outcome == "timed out" and r.value is None


def test_no_interruption_reaches_the_caller_after_a_timed_out_call():
    trace = sys.gettrace()
    for fn in (bare_except_loop, nested_bare_except_loops_with_sleeps):
        assert call(fn, (), time_limit=LIMIT).outcome == "timed out"
        # a leftover alarm, tracer or pending exception would raise in this loop, with its calls and jumps
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            time.sleep(0.001)
        assert sys.gettrace() is trace
        assert sys.exc_info() == (None, None, None)  # no half-handled exception left behind
    assert call(lambda: "next", ()).value == "next"


def test_the_old_sigalrm_and_sigint_handlers_and_trace_function_are_restored_whatever_happens():
    def mine(signum, frame):
        pass
    old_alarm = signal.signal(signal.SIGALRM, mine)
    old_trace = sys.gettrace()
    try:
        for fn in (lambda: 1, lambda: 1 / 0, bare_except_loop, lambda: sys.exit(1)):
            before_int = signal.getsignal(signal.SIGINT)
            call(fn, (), time_limit=LIMIT)
            assert signal.getsignal(signal.SIGALRM) is mine
            assert signal.getsignal(signal.SIGINT) is before_int
            assert sys.gettrace() is old_trace
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            assert not running()
    finally:
        signal.signal(signal.SIGALRM, old_alarm)


def test_in_a_thread_the_watchdog_stops_nested_bare_except_loops():
    results = []
    worker = threading.Thread(target=lambda: results.append(
        elapsed(call, nested_bare_except_loops_with_sleeps, (), time_limit=LIMIT)))
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    (r, seconds), = results
    assert r.outcome == "timed out" and seconds < LIMIT + 1.0


def test_a_budget_runs_out_across_several_calls():
    budget = Budget(1.0)
    calls, seconds = elapsed(lambda: [call(time.sleep, (0.4,), budget=budget) for _ in range(4)])
    assert [c.outcome for c in calls] == ["returned", "returned", "timed out", "timed out"]
    assert calls[2].error == "stopped when the check's total time budget of 1 s ran out"
    assert calls[3].error == "not run: the check's time budget of 1 s was used up" and calls[3].seconds == 0
    assert seconds < 1.5 and budget.left() == 0


# --------------------------------------------------------------- every BaseException is a verdict

class Custom(BaseException):
    pass


def raise_generator_exit():
    raise GeneratorExit


def raise_stop_iteration():
    raise StopIteration(7)


@pytest.mark.parametrize("fn, error", [
    (lambda: sys.exit(3), "SystemExit: 3"),
    (lambda: sys.exit(), "SystemExit"),
    (raise_generator_exit, "GeneratorExit"),
    (raise_stop_iteration, "StopIteration: 7"),
    (lambda: (_ for _ in ()).throw(Custom("mine")), "Custom: mine"),
])
def test_system_exit_generator_exit_stop_iteration_and_custom_base_exceptions_are_raised_verdicts(fn, error):
    r = call(fn, ())
    assert (r.outcome, r.error) == ("raised", error)


class Hostile(Exception):
    def __str__(self):
        raise ZeroDivisionError

    def __repr__(self):
        raise ZeroDivisionError

    @property
    def args(self):
        raise ZeroDivisionError


class HostileText(str):
    def __str__(self):
        raise ZeroDivisionError


class Opaque:
    def __repr__(self):
        raise ZeroDivisionError


@pytest.mark.parametrize("err, text", [
    (Hostile("message"), "Hostile: message"),
    (ValueError(HostileText("text")), "ValueError: text"),
    (ValueError(Opaque()), "ValueError: <Opaque object>"),
    (ValueError("x" * 10_000), "ValueError: " + "x" * 300 + "... (9700 more characters)"),
])
def test_exceptions_whose_str_repr_or_args_raise_are_described_without_running_them(err, text):
    def raise_it():
        raise err
    r = call(raise_it, ())
    assert r.outcome == "raised" and r.error == text == describe(err)


def test_a_keyboard_interrupt_the_student_raises_themselves_is_a_verdict():
    def raise_it():
        raise KeyboardInterrupt
    assert call(raise_it, ()).outcome == "raised"


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="SIGINT handling needs POSIX signals")
def test_a_real_ctrl_c_stops_the_call_even_when_the_function_swallows_it():
    def swallows_everything():
        while True:
            try:
                time.sleep(0.05)
            except BaseException:
                pass
    before = signal.getsignal(signal.SIGINT)
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        call(swallows_everything, (), time_limit=5)
    assert time.monotonic() - start < 1.5  # not the 5 s limit
    assert signal.getsignal(signal.SIGINT) is before and not running()


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="SIGINT handling needs POSIX signals")
def test_a_real_ctrl_c_stops_a_bare_except_loop_that_never_calls_anything():
    # CPython 3.10 never runs a signal handler right before a `try`: only the sandbox's tracer reaches this loop
    before = signal.getsignal(signal.SIGINT)
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        call(bare_except_loop, (), time_limit=5)
    assert time.monotonic() - start < 1.5
    assert signal.getsignal(signal.SIGINT) is before and not running()


# --------------------------------------------------------------- re-entrancy

def checks_itself_and_catches_exception():
    try:
        return call(checks_itself_and_catches_exception, ())
    except Exception:
        return "caught"


def checks_itself_and_catches_everything():
    try:
        return call(checks_itself_and_catches_everything, ())
    except BaseException:
        return "caught"


@pytest.mark.parametrize("fn", [checks_itself_and_catches_exception, checks_itself_and_catches_everything])
def test_a_function_that_calls_call_on_itself_is_raised_with_the_reentry_message(fn):
    r = call(fn, ())
    assert (r.outcome, r.error) == ("raised", REENTERED)
    assert call(lambda: 1, ()).value == 1  # the outer call left everything usable


# --------------------------------------------------------------- output

def test_a_20_mb_print_comes_back_capped_and_fast():
    line = "x" * 20_000_000
    r, seconds = elapsed(call, print, (line,))
    assert r.outcome == "returned" and seconds < 1.0
    assert r.printed == "x" * MAX_CHARS + f"\n... ({20_000_001 - MAX_CHARS} more characters)"


def test_many_short_lines_are_capped_by_lines_too(capsys):
    def many():
        for i in range(1000):
            print(i)
    r = call(many, ())
    shown = r.printed.split("\n")
    assert shown[:MAX_LINES] == [str(i) for i in range(MAX_LINES)]
    assert shown[MAX_LINES].startswith("... (") and len(shown) == MAX_LINES + 1
    assert capsys.readouterr() == ("", "")


def test_stdout_stderr_warnings_and_log_records_are_captured_not_shown(capsys):
    handler = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(handler)
    try:
        def noisy():
            print("out")
            print("err", file=sys.stderr)
            warnings.warn("careful")
            logging.getLogger().warning("logged")
            with np.errstate(over="warn"):
                np.exp(np.float64(1000))
            return 1
        r = call(noisy, ())
    finally:
        logging.getLogger().removeHandler(handler)
    assert r.printed == "out\nerr\nUserWarning: careful\nlogged\nRuntimeWarning: overflow encountered in exp\n"
    assert capsys.readouterr() == ("", "")
    assert sys.stdout is not None and handler.stream is sys.stderr


# --------------------------------------------------------------- plain(): returned values

class BadStr(str):
    def __eq__(self, other):
        raise ZeroDivisionError

    __hash__ = str.__hash__

    def __str__(self):
        raise ZeroDivisionError


class BadFloat(float):
    def __float__(self):
        raise ZeroDivisionError

    def __eq__(self, other):
        raise ZeroDivisionError


class BadInt(int):
    def __int__(self):
        raise ZeroDivisionError

    def __index__(self):
        raise ZeroDivisionError


class BadTuple(tuple):
    def __len__(self):
        raise ZeroDivisionError

    def __iter__(self):
        raise ZeroDivisionError

    def __getitem__(self, i):
        raise ZeroDivisionError


class BadList(list):
    def __iter__(self):
        raise ZeroDivisionError

    def __len__(self):
        raise ZeroDivisionError


class BadDict(dict):
    def __getitem__(self, key):
        raise ZeroDivisionError

    def items(self):
        raise ZeroDivisionError

    def keys(self):
        raise ZeroDivisionError

    def __iter__(self):
        raise ZeroDivisionError


class BadArray(np.ndarray):
    def __array__(self, *args, **kwargs):
        raise ZeroDivisionError

    def __eq__(self, other):
        raise ZeroDivisionError

    def __getitem__(self, i):
        raise ZeroDivisionError


@pytest.mark.parametrize("value, want", [
    (BadStr("abc"), "abc"),
    (BadFloat(2.5), 2.5),
    (BadInt(7), 7),
    (BadTuple((1, BadFloat(3.0))), (1, 3.0)),
    (BadList([BadStr("a"), BadInt(2)]), ["a", 2]),
    (BadDict({BadStr("k"): BadTuple((1, 2))}), {"k": (1, 2)}),
])
def test_plain_turns_hostile_subclasses_into_their_base_types_without_running_their_methods(value, want):
    got = plain(value)
    assert got == want

    def exact(a, b):
        assert type(a) is type(b)
        if isinstance(a, (tuple, list)):
            for x, y in zip(a, b):
                exact(x, y)
        if isinstance(a, dict):
            for (k1, v1), (k2, v2) in zip(a.items(), b.items()):
                exact(k1, k2)
                exact(v1, v2)
    exact(got, want)


def test_plain_copies_an_ndarray_subclass_into_a_plain_array():
    source = np.arange(3.0)
    value = source.view(BadArray)
    got = plain(value)
    assert type(got) is np.ndarray and np.array_equal(got, [0.0, 1.0, 2.0])
    source[0] = 99  # a module-level buffer the student overwrites later does not change what was kept
    assert got[0] == 0.0


def test_plain_keeps_numpy_scalars_and_plain_values():
    for value in (np.float32(1.5), np.int64(3), 2, 2.0, "s", None, True):
        got = plain(value)
        assert got is value


class ArrayRaises:
    def __array__(self, *args, **kwargs):
        raise ValueError("nope")


class ArrayLoops:
    def __array__(self, *args, **kwargs):
        while True:
            try:
                pass
            except:  # noqa: E722
                pass


class ClassRaises:
    @property
    def __class__(self):
        raise ZeroDivisionError


class HashableTuple(tuple):
    def __hash__(self):
        return 1


def generator():
    yield 1


def contains_itself():
    items = []
    items.append(items)
    return items


@pytest.mark.parametrize("make, message", [
    (lambda: ArrayRaises(), "your function returned an object of type ArrayRaises whose conversion to an array "
                    "(np.asarray) raised ValueError: nope"),
    (lambda: ArrayLoops(), "your function returned an object of type ArrayLoops whose conversion to an array "
                   "(np.asarray) did not finish"),
    (lambda: generator(), "your function returned an iterator (generator) that has not run yet: "
                  "return a list or an array, e.g. list(...) around it"),
    (lambda: ClassRaises(), "your function returned an object of type ClassRaises, not numbers, text, an array or a "
                    "list/tuple/dict of them"),
    (lambda: np.array([1, None]), "your function returned an array of Python objects (dtype=object, shape (2,)), "
                          "not an array of numbers"),
    (lambda: contains_itself(), "your function returned a list that contains itself"),
    (lambda: {HashableTuple((1, [2])): 3}, "your function returned a dict with a key or member that cannot be one "
                    "(TypeError: unhashable type: 'list')"),
])
def test_plain_refuses_what_it_cannot_convert_and_says_why(make, message):
    # made in the test: pytest itself would trip over some of these values while collecting
    got, seconds = elapsed(plain, make(), time_limit=LIMIT)
    assert got == Refused(message)
    assert seconds < LIMIT + 1.0


# --------------------------------------------------------------- more ways to hold on

class Swallow:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True  # suppresses everything, the time-out included


def swallows_in_a_with_block():
    while True:
        with Swallow():
            time.sleep(0.01)


def catches_by_name_and_retries_in_a_helper():
    def helper():
        try:
            time.sleep(0.01)
        except BaseException as err:
            return err
    while True:
        try:
            helper()
        except BaseException as err:
            del err


def recursion_that_catches_everything(depth=0):
    try:
        return recursion_that_catches_everything(depth + 1) if depth < 50 else time.sleep(100)
    except BaseException:
        return recursion_that_catches_everything(depth)


@pytest.mark.parametrize("fn", [swallows_in_a_with_block, catches_by_name_and_retries_in_a_helper,
                                recursion_that_catches_everything])
def test_other_ways_of_holding_on_are_stopped_too(fn):
    r, seconds = elapsed(call, fn, (), time_limit=LIMIT)
    assert r.outcome == "timed out" and seconds < LIMIT + 1.0
    assert sys.exc_info() == (None, None, None) and not running()


def test_plain_refuses_more_than_a_million_values_in_containers_quickly():
    got, seconds = elapsed(plain, [[0.0] * 1000 for _ in range(1001)])
    assert got == Refused("your function returned more than 1,000,000 values in lists, tuples or dicts: "
                          "the exercises expect numpy arrays for anything that large")
    assert seconds < 1.0
    assert plain([[0.0] * 1000 for _ in range(999)])[998] == [0.0] * 1000  # just under: converted
