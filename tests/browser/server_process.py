"""Start a server for a browser test and make sure nothing of it outlives the test.

``running_server`` is a context manager: the server runs in a process group of its
own, and the ``finally`` that stops it runs however the ``with`` body ends. It
sends SIGTERM to the group (Jupyter then shuts its kernels down), SIGKILL after a
grace period, SIGKILL to every descendant seen before (kernels run in sessions of
their own, outside the group), then checks that those processes are gone and the
port is closed. On Linux the server also gets SIGTERM if pytest itself dies
(PR_SET_PDEATHSIG). Process bookkeeping reads /proc; elsewhere only the group is
killed.
"""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 90  # seconds for a server to answer; a cold JupyterLab takes ~3 s here
HAVE_PROC = Path("/proc/self/stat").exists()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def die_with_parent():
    """Runs in the child before exec: ask Linux for SIGTERM when pytest dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def process_table():
    """-> {pid: (ppid, start time)} of every live process, from /proc ({} without /proc)."""
    table = {}
    for entry in Path("/proc").glob("[0-9]*") if HAVE_PROC else []:
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields start after the last ')'
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":  # a zombie is already dead; it only waits to be reaped
            table[int(entry.name)] = (int(fields[1]), int(fields[19]))
    return table


def descendants(pid):
    """-> {pid: start time} of every process below ``pid``."""
    table = process_table()
    found, frontier = {}, {pid}
    while frontier:
        frontier = {child for child, (parent, _) in table.items() if parent in frontier} - found.keys()
        found.update({child: table[child][1] for child in frontier})
    return found


def alive(pid, started=None):
    """Is ``pid`` running (and, given ``started``, still the same process, not a reused pid)?"""
    if HAVE_PROC:
        entry = process_table().get(pid)
        return entry is not None and (started is None or entry[1] == started)
    try:  # no /proc (macOS): ask the kernel
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_server(proc, port, grace=10.0):
    """Terminate the server's group and every descendant; -> list of problems (empty when clean)."""
    leftovers = descendants(proc.pid)  # kernels included: their own sessions, outside the group
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)
    for pid, started in leftovers.items():  # whatever the server did not take down with it
        if alive(pid, started):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group outlives its leader only if members remain
    deadline = time.monotonic() + grace

    def still_there():
        return [pid for pid, started in leftovers.items() if alive(pid, started)]

    while time.monotonic() < deadline and (still_there() or port_open(port)):
        time.sleep(0.1)
    problems = [f"process {pid} still alive after teardown" for pid in still_there()]
    if port_open(port):
        problems.append(f"port {port} still open after teardown")
    return problems


def wait_until_ready(proc, url, log_path, timeout=STARTUP_TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}; "
                               f"log:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = err
        time.sleep(0.25)
    raise RuntimeError(f"server did not answer {url} within {timeout} s (last error: {last}); "
                       f"log:\n{log_path.read_text()[-3000:]}")


@contextlib.contextmanager
def running_server(cmd, cwd, env, port, ready_url, log_path, grace=10.0):
    """Start ``cmd`` in its own process group; yield the Popen once ``ready_url`` answers 200;
    always stop it (SIGTERM, then SIGKILL after ``grace`` seconds)."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=die_with_parent)
        body_failed = True
        try:
            wait_until_ready(proc, ready_url, log_path)
            yield proc
            body_failed = False
        finally:
            problems = stop_server(proc, port, grace)
            if problems and body_failed:  # do not hide the test's own error; say it on stderr
                print("unclean server teardown: " + "; ".join(problems), file=sys.stderr)
    if problems:
        pytest.fail("unclean server teardown: " + "; ".join(problems), pytrace=False)
