"""Does the trainer page keep >= 80% of rnn_core.train's speed, and answer while it trains?

    python benchmarks/live_page.py              # 10 s turns, 3 repeats, poem and Shakespeare (~4 min)
    python benchmarks/live_page.py --seconds 3 --repeats 1 --texts poem     # a quick look (~25 s)
    python benchmarks/live_page.py --sweep          # also the chunk-length table

Issue 18 item 3: "The live trainer keeps >= 80% of rnn_core.train's speed at the
same settings while the page stays responsive (measure in the page)."

What runs, taking turns (page, train, page code, page, train, ...):

* **page**: app/train.ipynb served by Voila as app/README.md says
  (``voila app --Voila.config_file_paths=app``), opened in Debian's headless
  Chromium through Playwright, the kernel a real Voila kernel. The script presses
  Train, waits ``--seconds``, presses Stop and reads the step the status line
  stops at. Its rate is that step over the time from the Train click to the
  status line saying "stopped at step", both taken in the page
  (``performance.now()`` in click listeners and MutationObservers), so it pays
  for everything a student waits for: starting the run, every chunk's plots and
  samples, and the chunk still running when Stop was pressed.
* **train**: ``rnn_core.train(corpus=..., seconds=...)`` in this process with
  exactly the page's settings (read from ``page_trainer.trainer``'s and
  ``live.start``'s defaults and checked against the page's dropdowns), the same
  text and the same streams (``live.start`` builds the corpus, as the page does).
  Its rate is the step it reaches over the call's wall time.
* **page code**: the page's own widget (``page_trainer.trainer``) and its own
  training loop, in an asyncio loop in this process, without kernel, server or
  browser. Timers around ``live``'s calls split its time into training steps,
  train()'s setup per chunk, per-chunk work (fit loss, recital, samples,
  validation), the plot and the rest (the 10 ms sleep between chunks). Page code /
  train is what the loop itself costs; page / page code what the kernel, Voila and
  Chromium add.

Where the page's own time goes is measured inside its kernel: the script connects to
the kernel as a second client (jupyter_client, on the connection file Voila writes)
and wraps ``live.advance`` and ``live.train`` in timers that log each call's start and
end; the page's code is unchanged. So each page turn's wall time splits into train()
calls, advance's other work, the gaps between chunks and the time before the first
chunk and after the last, and the steps/s inside the kernel's train() calls can be
set against train's here. These shares come from one run each, so a busy machine
moves them much less than it moves the rates of two runs seconds apart.

While the page trains, the script also measures, in the page, how soon it answers:
Train click -> the status line and the first numbers, Stop click -> "stopped at step",
the presentation switch pressed with the keyboard (Space) -> the page restyled (a
round trip through the kernel, which must handle the key's message between two
chunks), and the gaps between two updates of the numbers.

All three run with OPENBLAS_NUM_THREADS=1 (the Voila kernel inherits it from the
server, the script checks the kernel's environment). CPU seconds of the kernel,
the server and Chromium during each page turn come from /proc. Each page turn
starts a new model (Reset), as train starts from the seed. The script prints every
figure, the median of the per-turn ratios page / train and [met] or [MISSED]
against 80%, and the load average at the start and the end. The server, its
kernel and Chromium are stopped however the script ends. benchmarks/README.md
("Live trainer in the page") says more.
"""
import argparse
import ast
import atexit
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TARGET = 0.80
CHROMIUM = os.environ.get("RNN_CHROMIUM", "/usr/bin/chromium")
# as tests/browser/conftest.py launches it
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="training time per turn (default 10)")
    ap.add_argument("--repeats", type=int, default=3, help="turns per contender and text (default 3)")
    ap.add_argument("--texts", default="poem,shakespeare",
                    help="comma-separated: poem (the page's default text), shakespeare (its "
                         "'Tiny Shakespeare' choice); default both")
    ap.add_argument("--probe-every", type=float, default=1.5,
                    help="seconds between two presses of the presentation switch while training")
    ap.add_argument("--sweep", action="store_true",
                    help="also time the page code headless at several chunk lengths (also done "
                         "when a target is missed)")
    ap.add_argument("--blas-threads", type=int, default=1, help="OPENBLAS_NUM_THREADS for all (default 1)")
    args = ap.parse_args(argv)
    args.texts = [t.strip() for t in args.texts.split(",") if t.strip()]
    if set(args.texts) - {"poem", "shakespeare"} or not args.texts:
        ap.error("--texts takes poem, shakespeare or both")
    if args.seconds < 1 or args.repeats < 1 or args.blas_threads < 1 or args.probe_every <= 0:
        ap.error("--seconds must be at least 1; --repeats, --blas-threads and --probe-every positive")
    return args


ARGS = parse_args()
# numpy's BLAS reads its thread count when it loads, so this comes before numpy; the
# Voila server (and so its kernels) inherits this environment
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(ARGS.blas_threads)
# A private temporary folder, before rnn_core.models reads it at import: the trainer
# saves its model there on Stop, and the machine's "just trained" model stays untouched.
PRIVATE_TMP = tempfile.mkdtemp(prefix="rnn-live-page-")
os.environ["TMPDIR"] = tempfile.tempdir = PRIVATE_TMP
atexit.register(shutil.rmtree, PRIVATE_TMP, True)  # however the script ends (not SIGKILL)

import asyncio  # noqa: E402
import concurrent.futures  # noqa: E402
import contextlib  # noqa: E402
import inspect  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "tests", "browser"))  # the browser tests' server helpers
from server_process import (descendants, die_with_parent, free_port, stop_server,  # noqa: E402
                            wait_until_ready)

from rnn_core import live, page_trainer  # noqa: E402
from rnn_core.data import load_text  # noqa: E402
from rnn_core.train import train  # noqa: E402

SHAKESPEARE_CHOICE = "Tiny Shakespeare"  # the start of the page's source button


def out(line=""):
    print(line, flush=True)


def load_average():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def median(values):
    return statistics.median(values) if values else float("nan")


# --- what the page trains on ------------------------------------------------------------------

def page_settings():
    """-> the page's defaults: hidden, lr, batch, seed from ``page_trainer.trainer``, seq and
    dtype from ``live.start`` (the page does not pass them)."""
    def defaults(fn, names):
        params = inspect.signature(fn).parameters
        return {n: params[n].default for n in names}
    return {**defaults(page_trainer.trainer, ["hidden", "lr", "batch", "seed"]),
            **defaults(live.start, ["seq", "dtype"])}


def app_poem():
    """-> the POEM that app/train.ipynb gives ``trainer``, read from the notebook's code."""
    nb = json.loads(Path(REPO, "app", "train.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "POEM" for t in node.targets):
                return ast.literal_eval(node.value)
    raise RuntimeError("app/train.ipynb no longer assigns POEM: update app_poem()")


# --- processes and their CPU time ---------------------------------------------------------------

def cpu_seconds(pids):
    """-> user + system CPU seconds of ``pids`` (those still alive), from /proc."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def process_groups(server):
    """-> {"kernel": [pids], "server": [pid], "browser": [pids]}: the Voila kernel(s), the
    server, and the Chromium processes below this script."""
    kernels = [p for p in descendants(server.pid) if "ipykernel" in cmdline(p)]
    chromium = [p for p in descendants(os.getpid()) if "chrom" in cmdline(p).lower()]
    return {"kernel": kernels, "server": [server.pid], "browser": chromium}


def cpu_snapshot(groups):
    return {name: cpu_seconds(pids) for name, pids in groups.items()}


def environ_of(pid, name):
    try:
        pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return "?"
    for pair in pairs:
        key, _, value = pair.partition(b"=")
        if key.decode(errors="replace") == name:
            return value.decode(errors="replace")
    return "(unset)"


# --- the server and the browser -----------------------------------------------------------------

@contextlib.contextmanager
def voila_server(base):
    """Voila serving app/ as app/README.md says; yields (Popen, url of a page by name).
    Stopped, with its kernels, however the body ends (tests/browser/server_process.py)."""
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("IPYTHONDIR", "ipython")]:  # not the developer's Jupyter settings
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(base / sub)
    env.pop("JUPYTER_TOKEN", None)
    cmd = [sys.executable, "-m", "voila", "app", "--Voila.config_file_paths=app", "--no-browser",
           "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0", f"--token={token}"]
    url = f"http://127.0.0.1:{port}"
    log_path = base / "voila-server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=die_with_parent)
    try:
        wait_until_ready(proc, f"{url}/login", log_path)
        yield proc, lambda name: f"{url}/voila/render/{name}?token={token}"
    finally:
        problems = stop_server(proc, port)
        out("teardown: Voila server and its kernel stopped" + (
            "" if not problems else " UNCLEANLY: " + "; ".join(problems)))


@contextlib.contextmanager
def chromium_page():
    """-> a Playwright page in Debian's headless Chromium (never a browser Playwright downloads)."""
    from playwright.sync_api import sync_playwright
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set RNN_CHROMIUM)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda err: page.errors.append(str(err)))
            page.browser_version = browser.version
            yield page
        finally:
            with contextlib.suppress(Exception):  # after Ctrl-C the driver may be gone already
                browser.close()


# Listeners in the page: each event gets the page's own clock (performance.now(), ms).
INSTRUMENT = """root => {
  const live = window.__live = {events: []};
  const log = (what, detail) => live.events.push([what, performance.now(), detail ?? null]);
  document.addEventListener('click', ev => {
    for (const name of ['train', 'stop', 'reset'])
      if (ev.target.closest('.rnn-trainer-' + name)) log(name + '-click');
  }, true);
  document.addEventListener('keydown', ev => {
    if (ev.target.closest('.rnn-present-switch')) log('switch-key');
  }, true);
  const status = root.querySelector('.rnn-trainer-status');
  new MutationObserver(() => {
    const text = status.textContent;
    log(text.startsWith('stopped at step') ? 'stopped' : text.includes('training') ? 'training'
        : 'status', text);
  }).observe(status, {subtree: true, childList: true, characterData: true});
  const stats = root.querySelector('.rnn-trainer-stats');
  new MutationObserver(() => {
    const step = stats.querySelector('[data-name="step"]');
    const rate = stats.querySelector('[data-name="steps_per_s"]');
    if (step) log('stats', [parseFloat(step.textContent), rate ? parseFloat(rate.textContent) : null]);
  }).observe(stats, {subtree: true, childList: true, characterData: true});
  let present = root.classList.contains('rnn-present');
  new MutationObserver(() => {
    if (root.classList.contains('rnn-present') !== present) {
      present = !present;
      log('present', present);
    }
  }).observe(root, {attributes: true, attributeFilter: ['class']});
}"""


def open_trainer(page, url):
    """Open the trainer page, wait for its widget, install the listeners; -> its root locator."""
    page.goto(url)
    root = page.locator(".rnn-trainer")
    root.wait_for(state="visible", timeout=120_000)
    root.evaluate(INSTRUMENT)
    return root


def part(root, name):
    return root.locator(f".rnn-trainer-{name}")


def shown_settings(root):
    """-> {hidden, lr, batch} as the page's dropdowns show them."""
    def value(name):
        return float(part(root, name).locator("select").evaluate("s => s.selectedOptions[0].textContent"))
    return {"hidden": int(value("hidden")), "lr": value("lr"), "batch": int(value("batch"))}


def events(page, since=0):
    return page.evaluate("n => window.__live.events.slice(n)", since)


def wait_for_event(page, name, since, timeout=60.0):
    """-> the first event ``name`` logged after index ``since``, waiting up to ``timeout`` s."""
    page.wait_for_function("([name, n]) => window.__live.events.slice(n).some(e => e[0] === name)",
                           arg=[name, since], timeout=timeout * 1000)
    return next(e for e in events(page, since) if e[0] == name)


def press_switch(page, root):
    """Space on the focused presentation switch; -> ms until the kernel has restyled the page
    (its answer adds or removes a class on the page), in the page's clock."""
    n = len(events(page))
    root.locator(".rnn-present-switch").focus()
    page.keyboard.press("Space")
    restyled = wait_for_event(page, "present", n, timeout=30)
    key = next(e for e in events(page, n) if e[0] == "switch-key")
    return restyled[1] - key[1]


def page_turn(page, root, client, text_name, seconds, groups, probe_every):
    """Train in the page for ``seconds`` from a new model; -> its figures (times in s).
    ``client``: a kernel client (kernel_client) to time the kernel's chunks."""
    source = part(root, "source").locator("button", has_text=SHAKESPEARE_CHOICE if
                                          text_name == "shakespeare" else "the text above")
    if "mod-active" not in (source.get_attribute("class") or ""):
        source.click()
    reset = part(root, "reset")
    if reset.is_enabled():  # a new model, as train starts one: the same first steps
        n = len(events(page))
        reset.click()
        page.wait_for_function("n => window.__live.events.slice(n).some(e => e[2] && "
                               "String(e[2]).includes('discarded'))", arg=n)
    in_kernel(client, KERNEL_TIMERS + "\nfor _calls in _live._bench.values(): _calls.clear()")
    n0 = len(events(page))
    cpu0 = cpu_snapshot(groups)
    began = time.monotonic()
    part(root, "train").click()
    deadline = began + seconds
    switch_ms = []
    while deadline - time.monotonic() > 1.0 + 0.2 * probe_every:
        time.sleep(min(probe_every, deadline - time.monotonic() - 1.0))
        switch_ms.append(press_switch(page, root))
    time.sleep(max(0.0, deadline - time.monotonic()))
    part(root, "stop").click()
    stopped = wait_for_event(page, "stopped", n0, timeout=60)
    cpu1 = cpu_snapshot(groups)
    wall = time.monotonic() - began
    calls = in_kernel(client, "", "_live._bench")
    # the model writes after Stop (sampler, checkpoint): let that finish before the next turn
    root.locator(".rnn-trainer-after .rnn-sampler").wait_for(state="visible", timeout=60_000)
    if len(switch_ms) % 2:  # leave the page as it was: presentation off
        press_switch(page, root)
    time.sleep(0.5)  # let the kernel and the browser go quiet
    log = events(page, n0)

    def first(name, after=-math.inf):
        return next((t for what, t, _ in log if what == name and t >= after), None)

    t_train, t_stop = first("train-click"), first("stop-click")
    t_stopped = stopped[1]
    step = int(re.match(r"stopped at step (\d+)", stopped[2]).group(1))
    stats = [(t, d) for what, t, d in log if what == "stats" and t_train <= t <= t_stopped]
    gaps = [b - a for (a, _), (b, _) in zip(stats, stats[1:])]
    elapsed = (t_stopped - t_train) / 1000
    kernel = kernel_split(calls, elapsed)
    return {"steps": step, "seconds": elapsed, "rate": step / elapsed,
            "shown_rate": stats[-1][1][1] if stats else float("nan"),
            "start_ms": first("training", t_train) - t_train,
            "first_numbers_ms": stats[0][0] - t_train if stats else float("nan"),
            "stop_ms": t_stopped - t_stop, "switch_ms": switch_ms,
            "gap_median": median(gaps) / 1000, "gap_max": max(gaps, default=float("nan")) / 1000,
            "cpu": {k: (cpu1[k] - cpu0[k]) / wall for k in cpu0},
            "kernel": kernel, "kernel_train_rate": step / kernel["train"]}


# --- timers inside the page's kernel ---------------------------------------------------------------

# Run in the Voila kernel (as a second client on its connection file, silently): wrap
# live.advance and live.train to log each call's start and end (time.perf_counter, ~1 us per
# call). The page's code is not changed; it looks these functions up on the module each time.
KERNEL_TIMERS = """
import time as _time, rnn_core.live as _live
if not hasattr(_live, "_bench"):
    _live._bench = {"advance": [], "train": []}
    def _timed(fn, calls):
        def timed(*args, **kwargs):
            began = _time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append((began, _time.perf_counter()))
        return timed
    for _name in ("advance", "train"):
        setattr(_live, _name, _timed(getattr(_live, _name), _live._bench[_name]))
"""


@contextlib.contextmanager
def kernel_client(connection_dir):
    """-> a jupyter_client client on the (only) kernel whose connection file is in the folder."""
    from jupyter_client import BlockingKernelClient
    files = sorted(Path(connection_dir).glob("voila_*/kernel-*.json"))
    if len(files) != 1:
        raise RuntimeError(f"expected one kernel connection file, found {[str(f) for f in files]}")
    client = BlockingKernelClient(connection_file=str(files[0]))
    client.load_connection_file()
    client.start_channels()
    try:
        yield client
    finally:
        client.stop_channels()


def in_kernel(client, code, expression=None):
    """Run ``code`` in the kernel (between two chunks, on its event loop); -> the JSON value of
    ``expression`` evaluated after it, or None."""
    expressions = {"r": f"__import__('json').dumps({expression})"} if expression else {}
    msg_id = client.execute(code, silent=True, store_history=False, user_expressions=expressions)
    while True:
        reply = client.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"code in the kernel failed: {content.get('ename')}: {content.get('evalue')}")
    if not expression:
        return None
    value = content["user_expressions"]["r"]
    if value["status"] != "ok":
        raise RuntimeError(f"expression in the kernel failed: {value.get('evalue')}")
    return json.loads(ast.literal_eval(value["data"]["text/plain"]))


def kernel_split(calls, wall):
    """The kernel's calls during one page turn -> how the turn's wall time (s) divides."""
    advance, trains = calls["advance"], calls["train"]
    in_advance = sum(b - a for a, b in advance)
    in_train = sum(b - a for a, b in trains)
    span = advance[-1][1] - advance[0][0]
    between = [b[0] - a[1] for a, b in zip(advance, advance[1:])]
    return {"chunks": len(advance), "train": in_train, "advance_other": in_advance - in_train,
            "between": span - in_advance, "outside": wall - span,
            "between_ms": median(between) * 1e3, "between_max_ms": max(between, default=0) * 1e3}


# --- the same training in this process ----------------------------------------------------------

def train_turn(text, settings, seconds):
    """Plain ``train`` on the page's corpus and settings for ``seconds``; -> steps/s."""
    run = live.start(text, **settings)  # the page's streams and config (outside the clock)
    began = time.perf_counter()
    state, history = train(corpus=run["corpus"], seconds=seconds, log_every=0, eval_every=0,
                           **run["config"])
    if history.interrupted:  # train takes Ctrl-C as "stop after this step"; here it ends the script
        raise KeyboardInterrupt
    return state["step"] / (time.perf_counter() - began)


@contextlib.contextmanager
def timers(totals):
    """Time live's calls that advance makes, in place of them; the time of a call made
    inside another timed call (fit_loss's evaluate, recital's sample) counts for the outer."""
    names = {"advance": "advance", "train": "train", "fit_loss": "fit loss",
             "recital": "recital", "evaluate": "evaluate", "sample": "sample"}
    saved = {name: getattr(live, name) for name in names}
    depth = [0]

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            depth[0] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                # advance wraps all the others: its own total is counted apart
                if depth[0] == 0 or (depth[0] == 1 and name != "advance"):
                    totals[names[name]] = totals.get(names[name], 0.0) + time.perf_counter() - began
                    totals[names[name] + " calls"] = totals.get(names[name] + " calls", 0) + 1
        return wrapper

    for name in names:
        setattr(live, name, timed(name, saved[name]))
    try:
        yield totals
    finally:
        for name, fn in saved.items():
            setattr(live, name, fn)


def page_code_turn(text, text_name, settings, seconds, chunk_seconds=page_trainer.CHUNK_SECONDS):
    """The page's widget and training loop in an asyncio loop here (no kernel, no browser):
    Train, ``seconds``, Stop. -> steps/s (click to "stopped at step") and where the time went."""
    async def session():
        ui = page_trainer.trainer(text if text_name == "poem" else "", **settings_of_trainer,
                                  chunk_seconds=chunk_seconds, page_timeout=math.inf,
                                  first_beat=math.inf)
        if text_name == "shakespeare":
            ui.source.value = next(o for o in ui.source.options if o.startswith(SHAKESPEARE_CHOICE))
        stopped = {}
        ui.status.observe(lambda change: stopped.setdefault("t", time.perf_counter())
                          if change["new"].startswith("stopped at step") else None, "value")
        totals = {}
        with timers(totals):
            began = time.perf_counter()
            ui.train.click()
            await asyncio.sleep(seconds)
            ui.stop.click()
            await ui.task
        elapsed = stopped["t"] - began
        refresh = time_refresh(ui)
        return ui.controls["run"], elapsed, totals, refresh

    settings_of_trainer = {k: settings[k] for k in ("hidden", "lr", "batch", "seed")}
    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        run, elapsed, totals, refresh = pool.submit(asyncio.run, session()).result()
    step = run["state"]["step"]
    return {"rate": step / elapsed, "steps": step, "seconds": elapsed, "totals": totals,
            "refresh_s": refresh, "chunks": len(run["loss"])}


def time_refresh(ui, n=20):
    """-> seconds per ``ui.refresh()`` (the plot and the numbers), at the run's final size."""
    began = time.perf_counter()
    for _ in range(n):
        ui.refresh()
    return (time.perf_counter() - began) / n


def train_call_cost(text, settings, repeats=15):
    """-> (seconds of one train() call's setup, seconds per step), both measured: train(steps=1)
    and train(steps=21) resumed from a trained state, the median of ``repeats`` calls each."""
    run = live.start(text, **settings)
    state, _ = train(corpus=run["corpus"], steps=20, log_every=0, eval_every=0, **run["config"])

    def call(steps):
        began = time.perf_counter()
        train(corpus=run["corpus"], steps=steps, resume=state, log_every=0, eval_every=0)
        return time.perf_counter() - began

    one = median([call(1) for _ in range(repeats)])
    per_step = (median([call(21) for _ in range(repeats)]) - one) / 20
    return one - per_step, per_step


def breakdown(turn, setup):
    """-> [(part, seconds)] of a page-code turn's wall time, adding up to it; ``setup`` is
    one train() call's setup in seconds (train_call_cost)."""
    t, wall = turn["totals"], turn["seconds"]
    calls = t.get("train calls", 0)
    per_chunk = {k: t.get(k, 0.0) for k in ("fit loss", "recital", "sample", "evaluate")}
    refresh = turn["refresh_s"] * turn["chunks"]
    rows = [(f"train() calls, steps ({calls} calls)", t.get("train", 0.0) - calls * setup),
            (f"train() calls, setup ({calls} x {setup * 1e3:.2f} ms, timed apart)", calls * setup)]
    rows += [(f"{k} ({t.get(k + ' calls', 0)} calls)", per_chunk[k])
             for k in ("fit loss", "recital", "sample", "evaluate")]
    rows.append(("advance's own bookkeeping", t.get("advance", 0.0) - t.get("train", 0.0)
                 - sum(per_chunk.values())))
    rows.append((f"refresh: plot and numbers ({turn['chunks']} x {turn['refresh_s'] * 1e3:.2f} ms, "
                 "timed after the run)", refresh))
    rows.append(("the rest: sleep(0.01) per chunk, event loop, start, Stop",
                 wall - t.get("advance", 0.0) - refresh))
    return rows


# --- the run --------------------------------------------------------------------------------------

def report_text(name, text, settings, page_turns, train_rates, code_turns):
    ratios = [p["rate"] / r for p, r in zip(page_turns, train_rates)]
    out(f"\n{name}")
    out("  turn   page steps/s  (page shows)   train steps/s   page code steps/s   page/train"
        "   CPU: kernel  server  browser")
    for i, (p, r, c) in enumerate(zip(page_turns, train_rates, code_turns), 1):
        cpu = p["cpu"]
        out(f"  {i:>4}   {p['rate']:>12,.0f}  ({p['shown_rate']:>9,.0f})   {r:>13,.0f}   "
            f"{c['rate']:>17,.0f}   {p['rate'] / r:>9.1%}   {cpu['kernel']:>11.0%}  "
            f"{cpu['server']:>6.0%}  {cpu['browser']:>7.0%}")
    ratio = median(ratios)
    out(f"  median {median([p['rate'] for p in page_turns]):>12,.0f}  "
        f"({median([p['shown_rate'] for p in page_turns]):>9,.0f})   {median(train_rates):>13,.0f}   "
        f"{median([c['rate'] for c in code_turns]):>17,.0f}")
    out(f"  page / train (median of the per-turn ratios): {ratio:.1%}  "
        f"{'[met]' if ratio >= TARGET else '[MISSED]'} (target >= {TARGET:.0%}); "
        f"per turn {', '.join(f'{x:.1%}' for x in ratios)}")
    out(f"  page code / train {median([c['rate'] / r for c, r in zip(code_turns, train_rates)]):.1%}, "
        f"page / page code {median([p['rate'] / c['rate'] for p, c in zip(page_turns, code_turns)]):.1%}")
    out("  (page: the step at Stop over Train click -> 'stopped at step', in the page's clock; 'page "
        "shows':\n   its own steps/s, steps over the time inside live.advance; CPU: share of one core "
        "during the turn)")

    switch = [ms for p in page_turns for ms in p["switch_ms"]]
    stops = [p["stop_ms"] for p in page_turns]
    out("  The page while it trains (the page's clock, all turns):")
    out(f"    Train click -> status 'training ...' {median([p['start_ms'] for p in page_turns]):.0f} ms, "
        f"-> first numbers {median([p['first_numbers_ms'] for p in page_turns]):.0f} ms (medians)")
    out(f"    Stop click -> 'stopped at step': median {median(stops):.0f} ms, max {max(stops):.0f} ms "
        f"({len(stops)} stops)")
    if switch:
        out(f"    presentation switch, Space -> page restyled by the kernel: median {median(switch):.0f} ms, "
            f"max {max(switch):.0f} ms ({len(switch)} presses)")
    out(f"    new numbers every {median([p['gap_median'] for p in page_turns]):.2f} s (median), "
        f"longest gap {max(p['gap_max'] for p in page_turns):.2f} s")

    ks = [p["kernel"] for p in page_turns]
    walls = [p["seconds"] for p in page_turns]
    out("  Where the page's time goes (timers on live.advance and live.train inside its kernel; "
        "median over turns):")
    rows = [("train() calls", "train"),
            ("advance's other work (fit loss, recital or sample, validation)", "advance_other"),
            (f"between chunks: refresh, messages, sleep(0.01), event loop "
             f"(median gap {median([k['between_ms'] for k in ks]):.1f} ms, "
             f"max {max(k['between_max_ms'] for k in ks):.0f} ms)", "between"),
            ("before the first chunk and after the last (click -> kernel, start, Stop -> page)", "outside")]
    for label, key in rows:
        out(f"    {label:<92} {median([k[key] for k in ks]):6.3f} s "
            f"{median([k[key] / w for k, w in zip(ks, walls)]):6.1%}")
    inside = [p["kernel_train_rate"] for p in page_turns]
    out(f"    steps/s inside the kernel's train() calls {median(inside):,.0f} "
        f"({median([k / r for k, r in zip(inside, train_rates)]):.1%} of train's here), "
        f"{median([k['chunks'] for k in ks]):.0f} chunks")

    out("  Where the page code's time goes (headless, median over turns):")
    setup, per_step = train_call_cost(text, settings)
    rows = [breakdown(c, setup) for c in code_turns]
    for i, (label, _) in enumerate(rows[0]):
        out(f"    {label:<92} {median([row[i][1] for row in rows]):6.3f} s "
            f"{median([row[i][1] / c['seconds'] for row, c in zip(rows, code_turns)]):6.1%}")
    out(f"    (one step alone, timed apart: {per_step * 1e3:.3f} ms, {1 / per_step:,.0f} steps/s)")
    return ratio


def sweep(text, text_name, settings, seconds, chunks=(0.05, 0.1, 0.25, 0.5, 1.0)):
    """The page code at several chunk lengths: the share of its wall time spent training.

    Shares within one run, so a busy machine moves them far less than a rate."""
    setup, _ = train_call_cost(text, settings)
    out(f"\n  Chunk length sweep, {text_name} (page code headless, {seconds:g} s each; share of wall time):")
    out("    chunk s   chunks   train() steps   train() setup   fit/recital/sample/val   refresh   the rest")
    for chunk in chunks:
        code = page_code_turn(text, text_name, settings, seconds, chunk_seconds=chunk)
        parts = [v / code["seconds"] for _, v in breakdown(code, setup)]
        steps, setup_share, per_chunk, refresh, rest = (parts[0], parts[1], sum(parts[2:7]),
                                                         parts[7], parts[8])
        out(f"    {chunk:>7.2f}   {code['chunks']:>6}   {steps:>13.1%}   {setup_share:>13.1%}   "
            f"{per_chunk:>22.1%}   {refresh:>7.1%}   {rest:>8.1%}")


def main():
    settings = page_settings()
    texts = {"poem": app_poem(), "shakespeare": load_text()}
    out("The live trainer in the page against rnn_core.train (issue 18 item 3)")
    out(f"  date      {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    out(f"  machine   {os.cpu_count()} logical CPUs; load average at the start {load_average()}")
    out(f"  python    {platform.python_version()}; numpy {np.__version__}")
    out(f"  settings  the page's defaults (page_trainer.trainer, live.start): "
        + ", ".join(f"{k} {v}" for k, v in settings.items()))
    out(f"  turns     {ARGS.repeats} x (page, train, page code) per text, {ARGS.seconds:g} s of training each")
    base = Path(PRIVATE_TMP)
    ratios = {}
    try:
        with contextlib.ExitStack() as stack:
            server, url = stack.enter_context(voila_server(base / "server"))
            page = stack.enter_context(chromium_page())
            root = open_trainer(page, url("train.ipynb"))
            client = stack.enter_context(kernel_client(base))  # Voila keeps them in TMPDIR
            groups = process_groups(server)
            kernel = groups["kernel"]
            blas = environ_of(kernel[0], "OPENBLAS_NUM_THREADS") if kernel else "?"
            out(f"  page      Voila {version('voila')}, ipywidgets {version('ipywidgets')}, Chromium "
                f"{page.browser_version}; kernel pid {kernel}, its OPENBLAS_NUM_THREADS={blas} "
                f"(here {os.environ['OPENBLAS_NUM_THREADS']})")
            shown = shown_settings(root)
            out(f"  the page's dropdowns: {shown}")
            if any(shown[k] != settings[k] for k in shown):
                raise SystemExit(f"the page shows {shown}, not the defaults read from the code {settings}")
            idle_switch = [press_switch(page, root) for _ in range(4)]
            out(f"  presentation switch, Space -> page restyled, kernel idle: median "
                f"{median(idle_switch):.0f} ms, max {max(idle_switch):.0f} ms (4 presses)")
            for name in ARGS.texts:
                text = texts[name]
                label = (f"Text: the page's poem (app/train.ipynb, {len(text)} characters, trains whole)"
                         if name == "poem" else f"Text: Tiny Shakespeare (the page's choice, {len(text):,} "
                                                "characters, the last tenth held out)")
                page_turns, train_rates, code_turns = [], [], []
                for _ in range(ARGS.repeats):
                    page_turns.append(page_turn(page, root, client, name, ARGS.seconds, groups,
                                                ARGS.probe_every))
                    train_rates.append(train_turn(text, settings, ARGS.seconds))
                    code_turns.append(page_code_turn(text, name, settings, ARGS.seconds))
                ratios[name] = report_text(label, text, settings, page_turns, train_rates, code_turns)
            out(f"\nJavaScript errors in the page: {page.errors or 'none'}")
        for name in ARGS.texts:
            if ARGS.sweep or ratios[name] < TARGET:
                sweep(texts[name], name, settings, min(ARGS.seconds, 4.0))
    finally:
        out(f"\nload average at the end: {load_average()}")
    out("Targets")
    for name, ratio in ratios.items():
        out(f"  page / train, {name:<12} {ratio:6.1%}   {'[met]' if ratio >= TARGET else '[MISSED]'} "
            f"(target >= {TARGET:.0%})")


if __name__ == "__main__":
    main()
