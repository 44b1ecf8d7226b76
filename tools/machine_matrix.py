"""Run every notebook (solutions included) under several CPU settings: the machine matrix.

A training run is chaotic: a difference in the last bit of a tanh, an exp or a matrix
product grows until the run ends somewhere else. numpy picks its tanh/exp code by the CPU's
SIMD features and OpenBLAS picks its matrix kernels by the CPU model, so a student's laptop
computes other last bits than ours. This script imitates other machines on this one and runs
the notebook suite (strict nbval, as `pytest` does) under each setting:

    python tools/machine_matrix.py                     # every setting this CPU can run
    python tools/machine_matrix.py --list              # the settings, and which this CPU can run
    python tools/machine_matrix.py --settings numpy-x86-v3+sandybridge,blas-nehalem,blas-2-threads

It prints one table: settings x notebooks, pass/fail and seconds, and exits 1 if any failed.
Settings this CPU cannot run (an OpenBLAS kernel needs the instructions it uses; disabling a
numpy feature group needs the CPU to have it) are listed as skipped, with the reason.

`oldest-numpy` and `newest-numpy` run in their own virtual environments under
~/.cache/rnn_core-matrix (made on first use: `pip install -e ".[dev]"` plus the numpy pin).
"""
import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENVS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rnn_core-matrix"

# name -> (environment variables, CPU flags it needs, what it imitates)
SETTINGS = {
    "default": ({}, (), "this machine as it is"),
    "numpy-x86-v4-off": ({"NPY_DISABLE_CPU_FEATURES": "X86_V4"}, ("avx512f",),
                         "numpy without its AVX-512 paths (an AVX2 laptop's tanh and exp)"),
    "numpy-x86-v3+sandybridge": ({"NPY_DISABLE_CPU_FEATURES": "X86_V3", "OPENBLAS_CORETYPE": "Sandybridge"},
                                 ("avx2",), "an older CPU: numpy's baseline SIMD, OpenBLAS's AVX kernel"),
    "blas-haswell": ({"OPENBLAS_CORETYPE": "Haswell"}, ("avx2",), "OpenBLAS's AVX2 kernel (AMD Zen 1-3, Intel 2013-)"),
    "blas-skylakex": ({"OPENBLAS_CORETYPE": "SkylakeX"}, ("avx512f",), "OpenBLAS's AVX-512 kernel"),
    "blas-sandybridge": ({"OPENBLAS_CORETYPE": "Sandybridge"}, ("avx",), "OpenBLAS's AVX kernel"),
    "blas-nehalem": ({"OPENBLAS_CORETYPE": "Nehalem"}, (), "OpenBLAS's SSE kernel (no AVX)"),
    "blas-2-threads": ({"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}, (),
                       "two BLAS threads (a product split in two sums in another order)"),
    "oldest-numpy": ({}, (), "numpy 1.24, the oldest pyproject.toml allows, on Python 3.10"),
    "newest-numpy": ({}, (), "the newest numpy release on PyPI"),
}
VENV_SETTINGS = {"oldest-numpy": ("3.10", "numpy==1.24.*"), "newest-numpy": (None, "--upgrade numpy")}


def cpu_flags():
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None  # not Linux: assume every setting can run, and let it fail loudly if not
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def why_not(name, flags):
    """None if this machine can run the setting, else the reason it cannot."""
    _, needs, _ = SETTINGS[name]
    missing = [f for f in needs if flags is not None and f not in flags]
    if missing:
        return f"this CPU lacks {', '.join(missing)}"
    if name in VENV_SETTINGS and VENV_SETTINGS[name][0] and not find_python(VENV_SETTINGS[name][0]):
        return f"no python{VENV_SETTINGS[name][0]} on this machine (PATH or pyenv)"
    return None


def find_python(version):
    candidates = [f"python{version}"] + sorted(
        Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")).glob(f"versions/{version}.*/bin/python{version}"),
        reverse=True)
    for candidate in candidates:
        try:
            out = subprocess.run([str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return str(candidate)
    return None


def python_for(name):
    """The interpreter that runs this setting (a virtual environment of its own for the numpy ones)."""
    if name not in VENV_SETTINGS:
        return sys.executable
    version, pin = VENV_SETTINGS[name]
    venv = VENVS / name
    python = venv / "bin" / "python"
    if not python.exists():
        base = find_python(version) if version else sys.executable
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]", *pin.split()],
                   check=True, cwd=ROOT)
    return str(python)


PROBE = """
import os, numpy as np
try:
    from numpy._core._multiarray_umath import __cpu_features__ as f
except ImportError:
    from numpy.core._multiarray_umath import __cpu_features__ as f
# numpy 2.4 names its dispatch groups X86_V3/X86_V4; older numpy names single features
off = [k for k in ("X86_V4", "X86_V3", "AVX512_ICL", "AVX512_SKX", "AVX512F", "AVX2", "FMA3", "AVX") if f.get(k) is False]
print(f"numpy {np.__version__}; numpy SIMD off or absent: {' '.join(off) or 'none'}")
np.ones((64, 64)) @ np.ones((64, 64))
"""


def probe(python, env):
    """What the setting really gave: numpy's version and SIMD, OpenBLAS's kernel (it prints 'Core: X')."""
    out = subprocess.run([python, "-c", PROBE], env={**env, "OPENBLAS_VERBOSE": "2"}, capture_output=True,
                         text=True, cwd=ROOT)
    text = (out.stdout + out.stderr).strip().replace("\n", "; ")
    return text if out.returncode == 0 else f"probe failed: {text[-300:]}"


def run(name, paths):
    """Run nbval on paths under setting name -> (ok, seconds, {notebook: (ok, seconds)}, config)."""
    variables, _, _ = SETTINGS[name]
    python = python_for(name)
    env = {k: v for k, v in os.environ.items() if k not in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE")}
    env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", **variables})
    config = probe(python, env)
    report = VENVS / f"junit-{name}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    start = time.time()
    done = subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-header", "-rf",
                           f"--junitxml={report}", *paths], env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.time() - start
    failures = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    per_notebook = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            notebook = (case.get("file") or case.get("classname", "?")).removeprefix("notebooks.")
            if notebook.startswith("solutions."):
                notebook = "solutions/" + notebook.removeprefix("solutions.")
            ok = case.find("failure") is None and case.find("error") is None
            was_ok, was_s = per_notebook.get(notebook, (True, 0.0))
            per_notebook[notebook] = (was_ok and ok, was_s + float(case.get("time", 0)))
    if done.returncode not in (0, 1) and not per_notebook:
        failures.append(done.stdout[-2000:] + done.stderr[-2000:])
    return done.returncode == 0, seconds, per_notebook, config, failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settings", help="comma-separated names (default: every setting this CPU can run)")
    parser.add_argument("--list", action="store_true", help="list the settings and exit")
    parser.add_argument("paths", nargs="*", default=["notebooks"], help="what to run (default: notebooks)")
    args = parser.parse_args(argv)
    flags = cpu_flags()
    if args.list:
        for name, (variables, _, about) in SETTINGS.items():
            reason = why_not(name, flags)
            env = " ".join(f"{k}={v}" for k, v in variables.items()) or "-"
            print(f"{name:26s} {env:62s} {about}{'   [SKIPPED here: ' + reason + ']' if reason else ''}")
        return 0
    names = args.settings.split(",") if args.settings else list(SETTINGS)
    unknown = [n for n in names if n not in SETTINGS]
    if unknown:
        parser.error(f"unknown setting(s) {', '.join(unknown)}; --list shows them")
    results, skipped = {}, {}
    for name in names:
        reason = why_not(name, flags)
        if reason:
            skipped[name] = reason
            print(f"=== {name}: SKIPPED ({reason})", flush=True)
            continue
        print(f"=== {name}: running {' '.join(args.paths)} ...", flush=True)
        results[name] = run(name, args.paths)
        ok, seconds, _, config, failures = results[name]
        print(f"=== {name}: {'passed' if ok else 'FAILED'} in {seconds:.0f} s   [{config}]", flush=True)
        for line in failures:
            print("    " + line, flush=True)
    # one row a notebook, one column a setting: "ok 12s" or "FAIL 12s" (seconds of nbval's cells)
    notebooks = sorted({nb for r in results.values() for nb in r[2]})
    width = max([len(n) for n in results] + [12])
    print("\n" + "notebook".ljust(44) + "".join(f"{n:>{width + 2}s}" for n in results))
    for nb in notebooks:
        cells = ""
        for name, (_, _, per_notebook, _, _) in results.items():
            ok, seconds = per_notebook.get(nb, (None, 0.0))
            cells += f"{'-' if ok is None else ('ok' if ok else 'FAIL') + f' {seconds:.0f}s':>{width + 2}s}"
        print(f"{nb[:43]:44s}{cells}")
    print("total".ljust(44) + "".join(f"{('ok' if r[0] else 'FAIL') + f' {r[1]:.0f}s':>{width + 2}s}"
                                      for r in results.values()))
    for name, reason in skipped.items():
        print(f"{name:27s}  skipped: {reason}")
    return 0 if all(r[0] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
