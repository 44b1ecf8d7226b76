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
from blind_corpus._corpus import calls_of, differs, fresh, verdict_of_proof  # noqa: E402
from blind_corpus.known_misses import KNOWN_MISSES  # noqa: E402

MODULES = {name: importlib.import_module(f"blind_corpus.{name}") for name in EXERCISES
           if (HERE / "blind_corpus" / f"{name}.py").exists()}
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
    assert sorted(MODULES) == sorted(EXERCISES), f"exercises without a corpus: {set(EXERCISES) - set(MODULES)}"
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
        ref = m.reference(*fresh(args))
        pub = m.public(*fresh(args))
        d = differs(ref, pub, rtol=1e-9, atol=1e-12) if not m.INPLACE else \
            differs(tuple(ref), tuple(pub), rtol=1e-9, atol=1e-12)
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
import json, sys, time
sys.path.insert(0, sys.argv[1])
import importlib
from blind_corpus import hostile
entry = hostile.HOSTILE[int(sys.argv[2])]
from rnn_core.exercises import check
t0 = time.monotonic()
v = check(entry.exercise, entry.fn)
t1 = time.monotonic()
first = {"outcome": str(getattr(v, "outcome", None)), "has_outcome": hasattr(v, "outcome"),
         "message_chars": len(str(getattr(v, "message", ""))), "seconds": t1 - t0}
ref = importlib.import_module("blind_corpus." + entry.exercise).reference
v2 = check(entry.exercise, ref)
first["after"] = str(getattr(v2, "outcome", None))
sys.stdout.flush()
sys.__stdout__.write("\nRESULT " + json.dumps(first) + "\n")
sys.__stdout__.flush()
"""


def run_hostile(i):
    t0 = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-c", RUNNER, str(HERE), str(i)], capture_output=True,
                           timeout=HOSTILE_LIMIT + 30, env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired:
        return {"error": f"no verdict: still running after {HOSTILE_LIMIT + 30} s (killed)"}
    lines = [ln for ln in p.stdout.decode(errors="replace").splitlines() if ln.startswith("RESULT ")]
    if not lines:
        return {"error": f"process ended (code {p.returncode}) without a verdict after "
                         f"{time.monotonic() - t0:.0f} s; stderr: {p.stderr.decode(errors='replace')[-600:]}"}
    return json.loads(lines[-1][len("RESULT "):])


@pytest.fixture(scope="module")
def hostile_results():
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(run_hostile, range(len(HOSTILE_MODULE.HOSTILE))))


@pytest.mark.parametrize("i", range(len(HOSTILE_MODULE.HOSTILE)),
                         ids=[e.id for e in HOSTILE_MODULE.HOSTILE])
def test_hostile_function_gets_a_verdict_and_leaves_the_process_usable(hostile_results, i):
    entry = HOSTILE_MODULE.HOSTILE[i]
    r = hostile_results[i]
    assert "error" not in r, f"{entry.id} ({entry.why}): {r.get('error')}"
    assert r["has_outcome"] and r["outcome"] in ("right", "wrong", "not attempted"), r
    assert r["seconds"] <= HOSTILE_LIMIT, f"{entry.id}: the verdict took {r['seconds']:.0f} s"
    assert r["message_chars"] <= 100_000, f"{entry.id}: a message of {r['message_chars']} characters"
    assert r["after"] == "right", f"{entry.id}: a correct function checked afterwards got {r['after']!r}"
