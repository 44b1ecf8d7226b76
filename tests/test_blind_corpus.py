"""The exercise checker against a blind corpus of student functions (issue 16, item 5).

tests/blind_corpus/ was written from the notebooks and rnn_core's public library only, without
reading the checker or its answers. Three things are tested:

1. the corpus proves itself: every wrong function differs from an independent reference on its
   own input, the references agree with rnn_core, and every right function agrees with the
   reference on seeded random inputs (edges included);
2. the checker says "wrong" for every wrong function and "right" for every right one;
3. every hostile function still gets a verdict within 60 s, in a subprocess, and a correct
   function checked afterwards in the same process gets "right".

Entry ids name the exercise, the entry and its mistake (softmax-W02-subtracts-mean), so a
failure reads as a sentence. Ids listed in blind_corpus/known_misses.py become strict xfails.
"""
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

# wrong functions overflow and divide by zero on purpose
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from blind_corpus import EXERCISES  # noqa: E402
from blind_corpus._corpus import differs, run_all, verdict_of_proof  # noqa: E402
from blind_corpus.known_misses import KNOWN_MISSES  # noqa: E402

MODULES = {name: importlib.import_module(f"blind_corpus.{name}") for name in EXERCISES}
HOSTILE_MODULE = importlib.import_module("blind_corpus.hostile")


def entries(kind):
    return [(m, e) for m in MODULES.values() for e in getattr(m, kind)]


def params(kind, known=False):
    out = []
    for m, e in entries(kind):
        marks = [pytest.mark.xfail(strict=True, reason="listed in known_misses.py")] \
            if known and e.id in KNOWN_MISSES else []
        out.append(pytest.param(m, e, id=e.id, marks=marks))
    return out


# ---------------------------------------------------------------- 1. the corpus proves itself

def test_corpus_has_the_promised_size():
    n_wrong = {name: len(m.WRONG) for name, m in MODULES.items()}
    assert sum(n_wrong.values()) >= 200, n_wrong
    assert min(n_wrong.values()) >= 10, n_wrong
    assert sum(len(m.RIGHT) for m in MODULES.values()) >= 60
    assert len(HOSTILE_MODULE.HOSTILE) >= 14
    ids = [e.id for kind in ("WRONG", "RIGHT") for _, e in entries(kind)] + \
          [e.id for e in HOSTILE_MODULE.HOSTILE]
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    assert KNOWN_MISSES <= set(ids), f"known_misses.py names unknown ids: {KNOWN_MISSES - set(ids)}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_reference_agrees_with_rnn_core(name):
    m = MODULES[name]
    rng = np.random.default_rng(20261206)
    checked = 0
    for args in m.random_args(rng):
        if not hasattr(m, "public"):
            pytest.skip(f"rnn_core has no public function for {name}")
        ref = run_all(m.reference, args, m.INPLACE)[0]
        pub = run_all(m.public, args, m.INPLACE)[0]
        d = differs(tuple(ref), tuple(pub), rtol=1e-9, atol=1e-12) if m.INPLACE else \
            differs(ref[0], pub[0], rtol=1e-9, atol=1e-12)
        assert not d, f"reference and rnn_core disagree on {name}: {d}"
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("module,entry", params("WRONG"))
def test_wrong_entry_is_shown_wrong_by_its_input(module, entry):
    why = verdict_of_proof(entry.fn, module.reference, entry.args, module.INPLACE, rtol=1e-5, atol=1e-8)
    assert why, f"{entry.id} agrees with the reference on its own input; it claims: {entry.why}"


@pytest.mark.parametrize("module,entry", params("RIGHT"))
def test_right_entry_agrees_with_reference(module, entry):
    rng = np.random.default_rng(7)
    rtol, atol = (2e-5, 2e-5) if entry.f32 else (1e-9, 1e-12)
    for args in module.random_args(rng):
        why = verdict_of_proof(entry.fn, module.reference, args, module.INPLACE, rtol=rtol, atol=atol)
        assert not why, f"{entry.id} disagrees with the reference: {why}"


# ---------------------------------------------------------------- 2. the checker

def checked(name, fn):
    from rnn_core.exercises import check
    v = check(name, fn)
    assert hasattr(v, "outcome"), f"check returned {type(v).__name__}, not a verdict"
    return v


@pytest.mark.parametrize("module,entry", params("WRONG", known=True))
def test_checker_says_wrong(module, entry):
    v = checked(module.NAME, entry.fn)
    assert v.outcome == "wrong", (f"false pass: {entry.id} ({entry.why}) got {v.outcome!r}: "
                                  f"{str(v.message)[:300]}")


@pytest.mark.parametrize("module,entry", params("RIGHT", known=True))
def test_checker_says_right(module, entry):
    v = checked(module.NAME, entry.fn)
    assert v.outcome == "right", f"false failure: {entry.id} got {v.outcome!r}: {str(v.message)[:300]}"


# ---------------------------------------------------------------- 3. hostile functions

HOSTILE_LIMIT = 60  # seconds to a verdict
RUNNER = r"""
import importlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from blind_corpus import hostile
entry = hostile.HOSTILE[int(sys.argv[2])]
out = sys.argv[3]
from rnn_core.exercises import check
t0 = time.monotonic()
v = check(entry.exercise, entry.fn)
result = {"seconds": time.monotonic() - t0, "has_outcome": hasattr(v, "outcome")}
try:
    result["outcome"] = str(v.outcome)
    result["message_chars"] = len(str(v.message))
except BaseException as e:  # a verdict whose fields cannot be read is no verdict
    result["outcome"] = f"unreadable verdict: {type(e).__name__}"
    result["message_chars"] = -1
ref = importlib.import_module("blind_corpus." + entry.exercise).reference
try:
    result["after"] = str(check(entry.exercise, ref).outcome)
except BaseException as e:
    result["after"] = f"check raised {type(e).__name__}: {e}"
with open(out, "w") as f:
    json.dump(result, f)
"""


def run_hostile(i, tmp):
    out = tmp / f"hostile_{i}.json"
    t0 = time.monotonic()
    # a session of its own, so that a time-out also ends whatever the checker started inside it
    p = subprocess.Popen([sys.executable, "-c", RUNNER, str(HERE), str(i), str(out)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = p.communicate(timeout=HOSTILE_LIMIT + 5)  # + starting Python and importing numpy
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return {"error": f"no verdict: still running after {HOSTILE_LIMIT + 5} s (killed)"}
    if not out.exists():
        return {"error": f"the process ended (exit code {p.returncode}) without a verdict after "
                         f"{time.monotonic() - t0:.0f} s; stderr: {stderr.decode(errors='replace')[-600:]}"}
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda i: run_hostile(i, tmp), range(len(HOSTILE_MODULE.HOSTILE))))


@pytest.mark.parametrize("i", [
    pytest.param(i, id=e.id, marks=[pytest.mark.xfail(strict=True, reason="listed in known_misses.py")]
                 if e.id in KNOWN_MISSES else [])
    for i, e in enumerate(HOSTILE_MODULE.HOSTILE)])
def test_hostile_function_gets_a_verdict_and_leaves_the_process_usable(hostile_results, i):
    entry = HOSTILE_MODULE.HOSTILE[i]
    r = hostile_results[i]
    assert "error" not in r, f"{entry.id} ({entry.why}): {r.get('error')}"
    assert r["has_outcome"] and r["outcome"] in ("right", "wrong", "not attempted"), r
    assert r["seconds"] <= HOSTILE_LIMIT, f"{entry.id}: the verdict took {r['seconds']:.0f} s"
    assert r["message_chars"] <= 100_000, f"{entry.id}: a message of {r['message_chars']} characters"
    assert r["after"] == "right", f"{entry.id}: a correct function checked afterwards got {r['after']!r}"
