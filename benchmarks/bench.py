"""How fast is rnn_core? Side by side, in one process, on the bundled Tiny Shakespeare.

    python benchmarks/bench.py            # full run, about 3-4 minutes on 2 cores
    python benchmarks/bench.py --quick    # about 1 minute, rougher numbers
    python benchmarks/bench.py --growth   # only the table of chars/s against H and B

Contenders (H=100, T=25, Adagrad, elementwise clip at 5):
  * the classic per-step loop of tests/classic.py (B=1, float64),
  * rnn_core.train with B=1 float64, B=32 float64 and B=32 float32,
  * PyTorch nn.RNN(tanh) + nn.Linear + torch.optim.Adagrad, B=32 float32 (if torch imports).
Each is also given as a share of one core's limit: a large float32 matrix product's
FLOP/s divided by the flops a character needs (forward and backward).
Then sampling 10,000 characters, the training time to reach a validation loss of
2.0 nats/char, and the peak memory of training on a 1 MB and a 50 MB corpus.
benchmarks/README.md explains every choice; each figure is the median of several
timed repeats after a warm-up, and the contenders take turns so that load from
other programs spreads over all of them.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="short run: fewer, shorter repeats")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed repeats per contender (default 7, quick 3)")
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="threads for numpy's BLAS (default 1, see README; 0 = leave the library default)")
    ap.add_argument("--lr32", type=float, default=0.05,
                    help="Adagrad learning rate of the B=32 run in the validation race (default 0.05)")
    ap.add_argument("--classic-cap", type=float, default=None,
                    help="seconds the classic loop may train in the validation race (default 90, quick 15)")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    ap.add_argument("--no-memory", action="store_true", help="skip the 1 MB / 50 MB memory probes")
    ap.add_argument("--growth", action="store_true",
                    help="only the growth table: chars/s against H and B, rnn_core and torch (float32)")
    ap.add_argument("--memory-probe", type=float, default=None, metavar="MB", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.repeats is None:
        args.repeats = 3 if args.quick else 7
    if args.classic_cap is None:
        args.classic_cap = 15.0 if args.quick else 90.0
    if args.repeats < 1 or args.blas_threads < 0 or args.classic_cap <= 0 or args.lr32 <= 0:
        ap.error("--repeats and --classic-cap must be positive, --blas-threads >= 0, --lr32 > 0")
    return args


ARGS = parse_args()
# The BLAS reads its thread count when numpy is imported, so this comes first.
# Unless the caller chose (env var or --blas-threads 0), numpy's BLAS gets one
# thread: for products this small a second thread costs more than it saves as
# soon as anything else runs on the machine (README: "BLAS threads").
if ARGS.blas_threads and not any(v in os.environ for v in _BLAS_ENV):
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(ARGS.blas_threads)

import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from contextlib import nullcontext  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "tests"))  # the classic reference lives with the tests
from classic import classic_adagrad, classic_loss, classic_sample, classic_train  # noqa: E402

from rnn_core.data import batch_at, load_text, prepare, streams  # noqa: E402
from rnn_core.forward import init_params  # noqa: E402
from rnn_core.sampling import sample  # noqa: E402
from rnn_core.train import evaluate, train  # noqa: E402

H, T, LR, CLIP, SEED = 100, 25, 0.1, 5.0, 0
TARGET_LOSS = 2.0
SAMPLE_LEN = 10_000


# ---------------------------------------------------------------- environment

def try_import_torch():
    if ARGS.no_torch:
        return None
    try:
        import torch
    except ImportError:
        return None
    return torch


def describe_machine(torch):
    """Lines saying what this run used: CPU, load, numpy and its BLAS, threads."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"date      {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
             f"machine   {os.cpu_count()} logical CPUs; load average {load}",
             f"python    {sys.version.split()[0]}; numpy {np.__version__}"]
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append(f"numpy BLAS {blas.get('name')} {blas.get('version')}")
    except Exception:  # show_config's layout differs across numpy versions
        lines.append("numpy BLAS (numpy.show_config() has no machine-readable form here)")
    env = ", ".join(f"{v}={os.environ[v]}" for v in _BLAS_ENV if v in os.environ) or "none set"
    lines.append(f"thread env {env}")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            lines.append(f"threadpool {pool['internal_api']} {pool.get('version') or ''} "
                         f"num_threads={pool['num_threads']} ({os.path.basename(pool['filepath'])})")
    except ImportError:
        lines.append("threadpool (threadpoolctl not installed: the env vars above are all we know)")
    if torch is not None:
        lines.append(f"torch     {torch.__version__}, intra-op threads for the main run: {os.cpu_count()}")
    else:
        lines.append("torch     not importable (or --no-torch): the PyTorch rows are skipped")
    return lines


def blas_limiter():
    """A context manager factory limits(n) for numpy's BLAS threads, or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return lambda n: threadpool_limits(limits=n, user_api="blas")


# ---------------------------------------------------------------- contenders
# Each contender is run(steps, limit) -> (seconds, chars, steps timed): it trains
# for `steps` updates and times steps 2..steps between two callbacks, so one-off setup
# (encoding the corpus, copying parameters, building modules) is not counted.
# A run that is still going after `limit` seconds stops early (multi-threaded
# runs can crawl when other programs hold the cores), except the classic loop,
# which has no way to stop and no threads to wait for.

class StepClock:
    """Timestamps taken from a per-step callback; elapsed() covers all but the first step."""

    def __init__(self, limit=None):
        self.first = self.last = None
        self.count = 0
        self.limit = limit

    def tick(self):
        """Record a finished step; True once the run has gone on for longer than its limit."""
        now = time.perf_counter()
        if self.first is None:
            self.first = now
        self.last = now
        self.count += 1
        return self.limit is not None and now - self.first > self.limit

    def elapsed(self):
        return self.last - self.first, self.count - 1


def classic_contender(train_ids, V):
    params = init_params(V, H, seed=SEED, dtype=np.float64)

    def run(steps, limit=None):
        clock = StepClock()
        classic_train(params, train_ids, T, LR, steps, on_step=lambda n, loss: clock.tick())
        seconds, counted = clock.elapsed()
        return seconds, counted * T, counted
    return run


def core_contender(text, B, dtype, lr=LR, hidden=H):
    def run(steps, limit=None):
        clock = StepClock(limit)
        train(text, steps=steps, hidden=hidden, seq=T, batch=B, lr=lr, seed=SEED, dtype=dtype,
              clip=CLIP, eval_every=0, log_every=0,
              callback=lambda state, history: clock.tick())
        seconds, counted = clock.elapsed()
        return seconds, counted * T * B, counted
    return run


def torch_contender(torch, train_ids, V, B, threads, lr=LR, hidden=H):
    """nn.RNN(tanh) + nn.Linear + Adagrad on the same streams as rnn_core, as a torch user writes it.

    Fairness: float32, the same B, T, H; the loss summed over the batch (as
    rnn_core); clip_grad_value_ at 5 (elementwise, as rnn_core); the hidden
    state carried between batches and detached (truncated BPTT, as rnn_core);
    anomaly detection off (the default); Adagrad with torch's CPU default
    (per-tensor loop: measured a little faster here than foreach=True).
    """
    import torch.nn.functional as F

    H = hidden
    torch.manual_seed(SEED)
    S = torch.from_numpy(streams(train_ids, B).astype(np.int64))  # (B, L)
    L = S.shape[1]
    rnn = torch.nn.RNN(V, H, nonlinearity="tanh")
    head = torch.nn.Linear(H, V)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adagrad(params, lr=lr, eps=1e-8)

    def run(steps, limit=None):
        torch.set_num_threads(threads)
        h = torch.zeros(1, B, H)
        p = 0
        clock = StepClock(limit)
        for _ in range(steps):
            if p + T + 1 >= L:  # the same wrap-around as rnn_core and the classic sweep
                p, h = 0, torch.zeros(1, B, H)
            x = F.one_hot(S[:, p:p + T].T, V).float()  # (T, B, V): nn.RNN wants vectors
            y = S[:, p + 1:p + T + 1].T.reshape(-1)
            out, h = rnn(x, h)
            loss = F.cross_entropy(head(out).reshape(T * B, V), y, reduction="sum")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_value_(params, CLIP)
            opt.step()
            h = h.detach()
            p += T
            if clock.tick():
                break
        seconds, counted = clock.elapsed()
        return seconds, counted * T * B, counted
    return run


def matmul_contender(n):
    """The machine's limit: an n x n float32 matrix product, the kind of work BLAS does best.

    run(steps) -> (seconds, flops, products timed), shaped like a contender's result so
    that it takes its turn in ``measure`` with the others (its "chars" are flops).
    """
    rng = np.random.default_rng(SEED)
    a, b = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
    c = np.empty((n, n), np.float32)

    def run(steps, limit=None):
        np.dot(a, b, out=c)  # untimed, as a contender's first step
        t0 = time.perf_counter()
        for _ in range(steps - 1):
            np.dot(a, b, out=c)
        return time.perf_counter() - t0, 2 * n ** 3 * (steps - 1), steps - 1
    return run


def ceiling_contender(B, dtype, V, hidden=H):
    """Not an engine: the part of one training step that no numpy engine can skip.

    Per step it makes the BLAS products ``rnn_core.workspace`` makes at B > 1, at
    the same shapes and layouts (both loops' T products of (B, H) by (H, H), the
    output layer, ``dy Why``, ``dWhy`` and ``dWhh``), and evaluates tanh of every
    hidden state and exp of every logit. Everything else a step needs is left out
    as if it were free: the adds and multiplies inside the loops, the softmax's
    sums and scaling, dy, 1 - h^2, the bias gradients, dWxh, clipping, Adagrad
    and every line of Python. An engine built from these numpy calls runs slower
    than this row, so its chars/s bound what such an engine can reach on this
    core, and its ratio to torch bounds the ratio.
    """
    rng = np.random.default_rng(SEED)
    N = T * B
    hs = np.tanh(rng.standard_normal((T + 1, B, hidden))).astype(dtype)
    h_in, h_out = hs[:-1].reshape(N, hidden), hs[1:].reshape(N, hidden)
    Whh = (rng.standard_normal((hidden, hidden)) * 0.1).astype(dtype)
    WhhT = np.ascontiguousarray(Whh.T)  # the workspace's row-major copy
    Why = (rng.standard_normal((V, hidden)) * 0.1).astype(dtype)
    logits = np.empty((N, V), dtype)
    dy = (rng.standard_normal((N, V)) * 0.1).astype(dtype)
    dh = np.empty((N, hidden), dtype)
    dhraw = (rng.standard_normal((T, B, hidden)) * 0.1).astype(dtype)
    rec = np.empty((B, hidden), dtype)
    gWhy, gWhh = np.empty((V, hidden), dtype), np.empty((hidden, hidden), dtype)
    pre = hs[1:].copy()  # tanh's input: kept apart so that hs stays a tanh output

    def step():
        for h_prev in hs[:-1]:
            np.dot(h_prev, WhhT, out=rec)
        np.tanh(pre, out=hs[1:])
        np.dot(h_out, Why.T, out=logits)
        np.exp(dy, out=logits)
        np.dot(dy.T, h_out, out=gWhy)
        np.dot(dy, Why, out=dh)
        for dhraw_t in dhraw[::-1]:
            np.dot(dhraw_t, Whh, out=rec)
        np.dot(dhraw.reshape(N, hidden).T, h_in, out=gWhh)

    def run(steps, limit=None):
        step()  # untimed, as a contender's first step
        t0 = time.perf_counter()
        for _ in range(steps - 1):
            step()
        return time.perf_counter() - t0, (steps - 1) * N, steps - 1
    return run


def flops_per_char(hidden, V):
    """Floating-point operations per character of one training step (multiply-add = 2).

    Forward: Whh h (2H^2) and Why h (2HV). Backward: dhnext = Whh^T dhraw (2H^2),
    dWhh (2H^2), dh = Why^T dy (2HV), dWhy (2HV). Wxh x is a lookup and dWxh a
    scatter-add (no product is needed), and elementwise work (tanh, exp, Adagrad) is
    left out: a floor that no engine can go below.
    """
    return 6 * hidden * hidden + 6 * hidden * V


def measure(contenders, repeats, seconds_per_repeat):
    """Warm every contender up, size its repeats to ~seconds_per_repeat, then time them in turns.

    Returns {name: [chars/s of each repeat]}.
    """
    steps = {}
    limit = 4 * seconds_per_repeat
    for name, (run, ctx) in contenders.items():
        with ctx():
            run(3, limit)  # warm-up: imports, first allocations, BLAS buffers
            secs, _, counted = run(12, limit)
        per_step = secs / counted
        steps[name] = max(12, int(seconds_per_repeat / per_step))
    rates = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, (run, ctx) in contenders.items():
            with ctx():
                secs, chars, _ = run(steps[name], limit)
            rates[name].append(chars / secs)
    return rates


# ---------------------------------------------------------------- validation race

def classic_sweep(params, data_ids, seq_length, lr, on_step):
    """classic_train's loop, step for step, but it lets on_step(n, params) look at the
    parameters and stop the run (classic_train has no way to do either)."""
    params = {k: v.copy() for k, v in params.items()}
    mems = {k: np.zeros_like(v) for k, v in params.items()}
    hprev = np.zeros((params["Whh"].shape[0], 1))
    n, p = 0, 0
    while True:
        if p + seq_length + 1 >= len(data_ids) or n == 0:
            hprev = np.zeros_like(hprev)
            p = 0
        inputs = [int(i) for i in data_ids[p:p + seq_length]]
        targets = [int(i) for i in data_ids[p + 1:p + seq_length + 1]]
        loss, grads, hprev = classic_loss(params, inputs, targets, hprev)
        classic_adagrad(params, grads, mems, lr)
        p += seq_length
        n += 1
        if on_step(n, params):
            return params


class Race:
    """Training clock that stops while the validation loss is measured.

    Every ``every`` seconds of training the held-out text is scored; ``step``
    returns True (stop) when the loss is <= the target or the cap is reached.
    """

    def __init__(self, val_ids, every, cap):
        self.val_ids, self.every, self.cap = val_ids, every, cap
        self.start = time.perf_counter()
        self.eval_seconds = 0.0
        self.next_eval = every
        self.reached = None
        self.curve = []  # (training seconds, steps, val loss)

    def training_seconds(self, now):
        return now - self.start - self.eval_seconds

    def step(self, params, steps):
        now = time.perf_counter()
        trained = self.training_seconds(now)
        if trained < self.next_eval and trained < self.cap:
            return False
        loss = evaluate(params, self.val_ids, seq=100, streams_max=64)
        self.eval_seconds += time.perf_counter() - now
        self.curve.append((trained, steps, loss))
        self.next_eval += self.every
        if loss <= TARGET_LOSS:
            self.reached = trained
            return True
        return trained >= self.cap


def race_core(text, val_ids, B, dtype, lr, every, cap):
    race = Race(val_ids, every, cap)
    state, _ = train(text, steps=10**9, hidden=H, seq=T, batch=B, lr=lr, seed=SEED, dtype=dtype,
                     clip=CLIP, eval_every=0, log_every=0,
                     callback=lambda state, history: race.step(state["params"], state["step"]))
    return race, state["params"]


def race_classic(train_ids, val_ids, V, every, cap):
    race = Race(val_ids, every, cap)
    params = init_params(V, H, seed=SEED, dtype=np.float64)
    classic_sweep(params, train_ids, T, LR, on_step=lambda n, p: race.step(p, n))
    return race


def check_classic_sweep(train_ids, V):
    """classic_sweep must be classic_train: 30 steps of each give identical parameters."""
    params = init_params(V, H, seed=SEED, dtype=np.float64)
    ref = classic_train(params, train_ids, T, LR, 30)[0]
    ours = classic_sweep(params, train_ids, T, LR, on_step=lambda n, p: n >= 30)
    if not all(np.array_equal(ref[k], ours[k]) for k in ref):
        raise AssertionError("benchmark's classic sweep drifted from tests/classic.py classic_train")


# ---------------------------------------------------------------- memory probe (subprocess)

def memory_probe(mb):
    """Run in a fresh process: train on Tiny Shakespeare repeated to `mb` MB; print a JSON line."""
    rss_start = peak_rss()
    base = load_text()
    n = int(mb * 1e6)
    text = (base * (n // len(base) + 1))[:n]
    del base
    tracemalloc.start()
    vocab, train_ids, val_ids = prepare(text, T, 0.1)
    prepare_peak = tracemalloc.get_traced_memory()[1]
    B = 32
    S = streams(train_ids, B)
    inputs, _ = batch_at(S, 0, T)
    # the ids stay in the narrowest type, streams are a view of them, batches keep the type
    ids_ok = (train_ids.dtype == vocab.id_dtype() and np.shares_memory(S, train_ids)
              and inputs.dtype == train_ids.dtype)
    del S, inputs, train_ids, val_ids
    steady = {}

    def callback(state, history):
        if state["step"] == 5:  # setup done: from here on only the per-step working set
            steady["base"] = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        return False

    tracemalloc.reset_peak()
    train(text, steps=105, hidden=H, seq=T, batch=B, dtype="float32", eval_every=0, log_every=0,
          callback=callback)
    train_peak = tracemalloc.get_traced_memory()[1] - steady["base"]
    print(json.dumps({"chars": len(text), "id_bytes": len(text) * np.dtype(vocab.id_dtype()).itemsize,
                      "dtype": np.dtype(vocab.id_dtype()).name, "ids_ok": bool(ids_ok),
                      "prepare_peak": prepare_peak, "step_peak": train_peak,
                      "rss_start": rss_start, "rss_peak": peak_rss()}))


def peak_rss():
    """Peak resident memory of this process in bytes.

    /proc's VmHWM belongs to this program image; ru_maxrss would also count the
    parent's memory, which a child started with vfork/exec inherits on Linux.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # macOS bytes, Linux KiB


def memory_rows(sizes_mb):
    rows = []
    for mb in sizes_mb:
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--memory-probe", str(mb)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


# ---------------------------------------------------------------- report

def label(who, config):
    return f"{who:<34s}{config}"


LIMIT_SIZES = (512, 1024)


def limit_contenders(limits):
    """{name: (run, context)} for the float32 products that measure one core's limit."""
    # the limit is one core's: one BLAS thread even if the run gives numpy more
    one = (lambda: limits(1)) if limits is not None else nullcontext
    return {f"limit {n}": (matmul_contender(n), one) for n in LIMIT_SIZES}


def limit_per_repeat(rates):
    """One core's limit in each repeat: the faster of the products measured in that repeat."""
    return [max(x) for x in zip(*(rates[f"limit {n}"] for n in LIMIT_SIZES))]


def section_throughput(torch, text, train_ids, V, out):
    """Training chars/s of every contender; returns [(target, met)]."""
    ncpu = os.cpu_count() or 1
    limits = blas_limiter()
    classic = label("classic loop (tests/classic.py)", "B=1  float64")
    b1, b32d, b32f = (label("rnn_core.train", c) for c in ("B=1  float64", "B=32 float64", "B=32 float32"))
    b32f_threads = label(f"rnn_core.train, {ncpu} BLAS threads", "B=32 float32")
    ceiling = label("ceiling: products, tanh, exp only", "B=32 float32")
    torch_n = label(f"torch nn.RNN, {ncpu} threads", "B=32 float32")
    torch_1 = label("torch nn.RNN, 1 thread", "B=32 float32")
    contenders = {
        classic: (classic_contender(train_ids, V), nullcontext),
        b1: (core_contender(text, 1, "float64"), nullcontext),
        b32d: (core_contender(text, 32, "float64"), nullcontext),
        b32f: (core_contender(text, 32, "float32"), nullcontext),
        ceiling: (ceiling_contender(32, np.float32, V), nullcontext),
    }
    if limits is not None and ncpu > 1 and ARGS.blas_threads == 1:
        contenders[b32f_threads] = (core_contender(text, 32, "float32"), lambda: limits(ncpu))
    if torch is not None:
        contenders[torch_n] = (torch_contender(torch, train_ids, V, 32, ncpu), nullcontext)
        if ncpu > 1:
            contenders[torch_1] = (torch_contender(torch, train_ids, V, 32, 1), nullcontext)
    contenders.update(limit_contenders(limits))
    seconds = 0.4 if ARGS.quick else 0.7
    rates = measure(contenders, ARGS.repeats, seconds)
    limit = limit_per_repeat(rates)
    F = flops_per_char(H, V)

    def ratio(a, b):
        # contenders take turns, so repeat r of a and of b ran under the same load:
        # the median of the per-repeat ratios is steadier than a ratio of medians
        return statistics.median(x / y for x, y in zip(rates[a], rates[b]))

    def of_limit(name):
        return statistics.median(x * F / lim for x, lim in zip(rates[name], limit))

    out(f"One core's limit (float32 matrix products, 1 BLAS thread; median of {ARGS.repeats}, "
        "min..max in brackets)")
    for n in LIMIT_SIZES:
        r = [x / 1e9 for x in rates[f"limit {n}"]]
        out(f"  {f'{n}x{n} by {n}x{n} float32':<47s}{statistics.median(r):>12.1f} GFLOP/s   "
            f"[{min(r):.1f} .. {max(r):.1f}]")
    out(f"  flops per character at H={H}, V={V} (6H^2 + 6HV, forward and backward): {F:,}")
    out(f"  limit = the faster product / flops per character: "
        f"{statistics.median(limit) / F:,.0f} chars/s (median over repeats)")
    out("")
    fastest = None
    if torch is not None:
        med = {name: statistics.median(rates[name]) for name in (torch_n, torch_1) if name in rates}
        fastest = max(med, key=med.get)
    out(f"Training throughput (chars/s; median of {ARGS.repeats} repeats of ~{seconds:.1f} s each, "
        "min..max in brackets;")
    out("  'of limit': share of the limit above, in the same repeat; "
        "'/ torch': ratio to the faster torch row)")
    out(f"  {'':<47s}{'chars/s':>12s}   {'[min .. max]':<24s}{'of limit':>9s}{'/ torch':>9s}")
    for name in contenders:
        if name.startswith("limit "):
            continue
        r = rates[name]
        spread = f"[{min(r):,.0f} .. {max(r):,.0f}]"
        vs_torch = f"{ratio(name, fastest):8.2f}x" if fastest else ""
        out(f"  {name}{statistics.median(r):>12,.0f}   {spread:<24s}{of_limit(name):8.1%}{vs_torch}")

    out("  ratios (median over repeats of the ratio within a repeat)")
    out(f"    rnn_core B=1  float64 / classic             {ratio(b1, classic):6.2f}x   (target >= 4x)")
    out(f"    rnn_core B=32 float64 / classic             {ratio(b32d, classic):6.2f}x")
    out(f"    rnn_core B=32 float32 / classic             {ratio(b32f, classic):6.2f}x   (target >= 12x)")
    out(f"    rnn_core B=32 float32, share of the limit   {of_limit(b32f):6.1%}   (target >= 60%)")
    out(f"    rnn_core B=32 float32 / ceiling             {ratio(b32f, ceiling):6.1%}   "
        f"(ceiling: {of_limit(ceiling):.1%} of the limit)")
    results = [("rnn_core B=1 float64 >= 4x classic", ratio(b1, classic) >= 4),
               ("rnn_core B=32 float32 >= 12x classic", ratio(b32f, classic) >= 12),
               ("rnn_core B=32 float32 >= 60% of one core's limit", of_limit(b32f) >= 0.6)]
    if b32f_threads in rates:
        out(f"    rnn_core B=32 float32, {ncpu} / 1 BLAS threads    {ratio(b32f_threads, b32f):6.2f}x")
    if torch is not None:
        threads = f"{ncpu} threads" if fastest == torch_n else "1 thread"
        out(f"    rnn_core B=32 float32 / torch, {ncpu} threads     {ratio(b32f, torch_n):6.2f}x")
        out(f"    rnn_core B=32 float32 / faster torch ({threads}) {ratio(b32f, fastest):6.2f}x"
            "   (target >= 3x)")
        out(f"    ceiling (products, tanh, exp; no engine) / faster torch {ratio(ceiling, fastest):6.2f}x"
            "   (what an engine of these calls could reach at best)")
        results.append(("rnn_core B=32 float32 >= 3x PyTorch (its faster thread setting)",
                        ratio(b32f, fastest) >= 3))
    return results


GROWTH_H = (64, 128, 256, 512)
GROWTH_B = (1, 4, 16, 64, 256)


def section_growth(torch, text, train_ids, V, out):
    """chars/s of rnn_core and torch (float32) for every H in GROWTH_H and B in GROWTH_B.

    Each (H, B) is its own small race: rnn_core, torch with 1 and with all threads,
    and the limit take turns as in the throughput section. Prints a markdown table.
    """
    ncpu = os.cpu_count() or 1
    limits = blas_limiter()
    seconds = 0.2 if ARGS.quick else 0.4
    repeats = min(ARGS.repeats, 3)
    out(f"How cost grows (float32, T={T}; chars/s, median of {repeats} repeats of ~{seconds} s; "
        f"torch: the faster of 1 and {ncpu} threads)")
    out("")
    header = "| H | B | rnn_core chars/s | of limit | torch chars/s | rnn_core / torch |"
    out(header)
    out("| --- | --- | --- | --- | --- | --- |")
    for hidden in GROWTH_H:
        F = flops_per_char(hidden, V)
        for B in GROWTH_B:
            contenders = {"core": (core_contender(text, B, "float32", hidden=hidden), nullcontext)}
            if torch is not None:
                contenders["torch 1"] = (torch_contender(torch, train_ids, V, B, 1, hidden=hidden),
                                         nullcontext)
                if ncpu > 1:
                    contenders["torch n"] = (torch_contender(torch, train_ids, V, B, ncpu,
                                                             hidden=hidden), nullcontext)
            contenders.update(limit_contenders(limits))
            rates = measure(contenders, repeats, seconds)
            limit = limit_per_repeat(rates)
            core = statistics.median(rates["core"])
            share = statistics.median(x * F / lim for x, lim in zip(rates["core"], limit))
            row = f"| {hidden} | {B} | {core:,.0f} | {share:.0%} |"
            if torch is not None:
                names = [n for n in ("torch 1", "torch n") if n in rates]
                best = max(names, key=lambda n: statistics.median(rates[n]))
                vs = statistics.median(x / y for x, y in zip(rates["core"], rates[best]))
                row += f" {statistics.median(rates[best]):,.0f} | {vs:.2f}x |"
            else:
                row += " - | - |"
            out(row)


def section_race(text, train_ids, val_ids, V, out):
    """Training seconds to the target validation loss; returns ([(target, met)], trained params)."""
    every, cap_core = 1.0, 30.0
    out(f"Time to a validation loss of {TARGET_LOSS} nats/char (full held-out 10%, {len(val_ids):,} chars,")
    out(f"  scored every {every:.0f} s of training; scoring time is excluded from both clocks)")
    race32, trained = race_core(text, val_ids, 32, "float32", ARGS.lr32, every, cap_core)
    racec = race_classic(train_ids, val_ids, V, every, ARGS.classic_cap)
    for name, race, cap in ((f"rnn_core B=32 float32, lr {ARGS.lr32}", race32, cap_core),
                            (f"classic loop B=1 float64, lr {LR}", racec, ARGS.classic_cap)):
        last = race.curve[-1]
        got = (f"reached in {race.reached:6.1f} s" if race.reached is not None
               else f"not reached in {cap:.0f} s")
        out(f"  {name:<34s} {got}  (last: {last[2]:.3f} after {last[1]:,} steps; "
            f"{len(race.curve)} scorings took {race.eval_seconds:.1f} s)")
    if race32.reached is not None and racec.reached is not None:
        out(f"  ratio classic / rnn_core           {racec.reached / race32.reached:6.1f}x")
    elif race32.reached is not None:
        out(f"  ratio classic / rnn_core           > {ARGS.classic_cap / race32.reached:.1f}x "
            f"(the classic loop is not there after {ARGS.classic_cap:.0f} s)")
    met = race32.reached is not None and race32.reached <= cap_core
    return [(f"validation loss <= {TARGET_LOSS} within {cap_core:.0f} s (B=32 float32)", met)], trained


def section_sampling(vocab, trained, out):
    """Seconds to sample SAMPLE_LEN characters, classic vs rnn_core; returns [(target, met)]."""
    out(f"Sampling {SAMPLE_LEN:,} characters (the model from the race above; median of {ARGS.repeats})")
    p64 = {k: v.astype(np.float64) for k, v in trained.items()}
    seed_ix = vocab.chars.index("\n")

    runs = {
        "classic": lambda: classic_sample(p64, np.zeros((H, 1)), seed_ix, SAMPLE_LEN,
                                          np.random.default_rng(SEED)),
        "float64": lambda: sample(p64, vocab, prime="\n", length=SAMPLE_LEN, seed=SEED),
        "float32": lambda: sample(trained, vocab, prime="\n", length=SAMPLE_LEN, seed=SEED),
    }
    times = {k: [] for k in runs}
    for f in runs.values():
        f()  # warm-up
    for _ in range(ARGS.repeats):  # in turns, as for training
        for k, f in runs.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    speedup = {k: statistics.median(c / x for c, x in zip(times["classic"], times[k])) for k in runs}
    out(f"  classic_sample float64 (one-hot x, rng.choice) {med['classic']:7.3f} s "
        f"{SAMPLE_LEN / med['classic']:>10,.0f} chars/s")
    out(f"  rnn_core.sample float64                        {med['float64']:7.3f} s "
        f"{SAMPLE_LEN / med['float64']:>10,.0f} chars/s  {speedup['float64']:5.1f}x   (target >= 10x)")
    out(f"  rnn_core.sample float32                        {med['float32']:7.3f} s "
        f"{SAMPLE_LEN / med['float32']:>10,.0f} chars/s  {speedup['float32']:5.1f}x")
    return [("sampling >= 10x the classic sampler (float64)", speedup["float64"] >= 10)]


def section_memory(out):
    sizes = (1, 10) if ARGS.quick else (1, 50)
    out("Memory of training B=32 float32 on Tiny Shakespeare repeated to N MB (a fresh process each;")
    out("  tracemalloc counts numpy's arrays)")
    out(f"  {'corpus':>8s} {'ids':>8s} {'type':>6s} {'streams a view':>15s} {'prepare peak':>13s} "
        f"{'step peak':>10s} {'RSS at start':>13s} {'peak RSS':>9s}")
    for r in memory_rows(sizes):
        out(f"  {r['chars'] / 1e6:6.1f}MB {r['id_bytes'] / 1e6:6.1f}MB {r['dtype']:>6s} "
            f"{'yes' if r['ids_ok'] else 'NO':>15s} {r['prepare_peak'] / 1e6:11.1f}MB "
            f"{r['step_peak'] / 1e6:8.2f}MB {r['rss_start'] / 1e6:11.0f}MB {r['rss_peak'] / 1e6:7.0f}MB")
    out("  prepare peak: allocations while encoding the text (transient); step peak: working memory")
    out("  of a training step on top of what existed before it (the same for any corpus length)")


def main():
    torch = try_import_torch()
    out = print
    out("rnn_core benchmark" + (" (--quick)" if ARGS.quick else ""))
    for line in describe_machine(torch):
        out("  " + line)
    text = load_text()
    vocab, train_ids, val_ids = prepare(text, T, 0.1)
    out(f"  corpus    Tiny Shakespeare: {len(text):,} chars, V={vocab.size}, train {len(train_ids):,}, "
        f"held-out {len(val_ids):,} (the last 10%)")
    out(f"  settings  H={H}, T={T}, Adagrad lr={LR}, clip {CLIP} elementwise, seed {SEED}")
    if ARGS.growth:
        out("")
        section_growth(torch, text, train_ids, vocab.size, out)
        out(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    check_classic_sweep(train_ids, vocab.size)

    out("")
    results = section_throughput(torch, text, train_ids, vocab.size, out)
    out("")
    race_results, trained = section_race(text, train_ids, val_ids, vocab.size, out)
    out("")
    results += race_results + section_sampling(vocab, trained, out)
    if not ARGS.no_memory:
        out("")
        section_memory(out)
    out("")
    out("Targets")
    for what, ok in results:
        out(f"  [{'met' if ok else 'MISSED'}] {what}")
    out(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    if ARGS.memory_probe is not None:
        memory_probe(ARGS.memory_probe)
    else:
        main()
