"""The server fixtures' teardown, proven on a stand-in server (no browser needed, about 3 s).

The stand-in is as awkward as a real one can get: it ignores SIGTERM and starts a child
in a session of its own, as Jupyter starts its kernels.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from server_process import alive, descendants, free_port, port_open, running_server

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="teardown checks read /proc (Linux only)")

STUBBORN = textwrap.dedent("""
    import http.server, signal, subprocess, sys
    # a child in its own session, like a Jupyter kernel: killing our group misses it
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
""")


def stubborn(tmp_path):
    port = free_port()
    cmd = [sys.executable, "-c", STUBBORN, str(port)]
    return port, running_server(cmd, tmp_path, dict(os.environ), port, f"http://127.0.0.1:{port}/",
                                tmp_path / "server.log", grace=1.0)


def wait_for_child(pid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not descendants(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return descendants(pid)


def test_teardown_kills_a_server_that_ignores_sigterm_and_its_detached_child(tmp_path):
    port, server = stubborn(tmp_path)
    with server as proc:
        family = set(wait_for_child(proc.pid)) | {proc.pid}
        assert len(family) == 2 and port_open(port)
    assert not any(alive(p) for p in family), "a process outlived the teardown"
    assert not port_open(port)


def test_teardown_runs_when_the_test_body_fails(tmp_path):
    port, server = stubborn(tmp_path)
    with pytest.raises(ZeroDivisionError):
        with server as proc:
            family = set(wait_for_child(proc.pid)) | {proc.pid}
            1 / 0
    assert not any(alive(p) for p in family)
    assert not port_open(port)


def test_a_server_that_dies_at_start_is_reported_with_its_log(tmp_path):
    port = free_port()
    cmd = [sys.executable, "-c", "import sys; print('no notebook here'); sys.exit(3)"]
    with pytest.raises(RuntimeError, match=r"(?s)exited with code 3.*no notebook here"):
        with running_server(cmd, tmp_path, dict(os.environ), port, f"http://127.0.0.1:{port}/",
                            tmp_path / "server.log"):
            pass


def test_the_server_gets_sigterm_when_pytest_itself_is_killed(tmp_path):
    # a stand-in for pytest starts a server the way the fixtures do, then dies by SIGKILL
    port = free_port()
    fake_pytest = textwrap.dedent(f"""
        import subprocess, sys, time
        sys.path.insert(0, {str(os.path.dirname(__file__))!r})
        from server_process import die_with_parent
        server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
                                  start_new_session=True, preexec_fn=die_with_parent,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(server.pid, flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", fake_pytest], stdout=subprocess.PIPE, text=True)
    server_pid = int(parent.stdout.readline())
    try:
        deadline = time.monotonic() + 10
        while not port_open(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert port_open(port), "the stand-in server never listened"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        # http.server is threaded: its main thread can show as a zombie while another
        # thread still holds the socket, so wait for the port as well as the process
        deadline = time.monotonic() + 10
        while (alive(server_pid) or port_open(port)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(server_pid), "the server outlived the process that started it"
        assert not port_open(port), "the server's port stayed open after it was told to stop"
    finally:
        for pid in (server_pid, parent.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
