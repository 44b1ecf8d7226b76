"""Settings for everything `pytest` runs, notebook kernels and CLI subprocesses included.

One BLAS thread: the matrices here are small, so a second thread gains little on
an idle machine and costs 10-50x on a busy one (see benchmarks/README.md); and
float results can depend on the thread count, so pinning it keeps the notebooks'
stored outputs independent of the machine's core count. Child processes (nbval's
kernels, subprocess tests) inherit these variables. A value you set yourself wins.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
