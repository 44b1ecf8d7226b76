"""Fixtures for the browser tests: a real server (JupyterLab or Voila) and headless Chromium.

Every server runs in its own process group from a throwaway folder, with its own
Jupyter config, runtime and settings folders, on a free localhost port with a
random token. Teardown is the ``finally`` of ``server_process.running_server``, so it
runs however the test ends (pass, failed assert, timeout, Ctrl-C); see that module.

Without Chromium or Playwright the tests skip with a message on a developer's
machine and FAIL where the environment variable CI is set.
"""
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import pytest

from server_process import free_port, running_server

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("RNN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(what, problem):
    """Skip on a developer's machine, fail in CI: browser tests must never be skipped there."""
    message = f"browser test needs {what}: {problem}"
    if in_ci():
        pytest.fail(message + " (CI is set, so a missing browser tool is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """-> a Playwright Browser: Debian's Chromium, headless. Never a browser Playwright downloads."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("Playwright for Python", "`import playwright` failed; run pip install -e '.[dev]'")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        require("Chromium", f"no executable at {CHROMIUM} (Debian: apt-get install chromium; "
                            "or point RNN_CHROMIUM at another Chromium)")
    # launch() gives Chromium a fresh temporary profile (--user-data-dir) and deletes it on close
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)  # lets the page fixture see a failure


@pytest.fixture
def page(chromium, artifacts, request):
    """A fresh browser context and page; on failure the page is saved as FAILED-<test>.png/.html."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("pageerror", lambda err: pg.console_errors.append(str(err)))
    try:
        yield pg
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            name = f"FAILED-{request.node.name}"
            try:
                pg.screenshot(path=artifacts / f"{name}.png", full_page=True)
                (artifacts / f"{name}.html").write_text(pg.content())
            except Exception as err:  # diagnostics only: never hide the test's own failure
                print(f"could not save {name}: {err}", file=sys.stderr)
        context.close()


@pytest.fixture(scope="session")
def artifacts():
    """test-artifacts/ at the repository root (git-ignored): screenshots and server logs."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("FAILED-*"):  # from an earlier run; keep the folder about this one
        old.unlink()
    return ARTIFACTS


# --- servers ---------------------------------------------------------------------------------

def isolated_env(base):
    """Environment for a server whose Jupyter settings live in ``base``, not the developer's."""
    env = dict(os.environ)
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython")]:
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(base / sub)
    env.pop("JUPYTER_TOKEN", None)
    # no news / update-check toasts over the notebook
    labconfig = base / "config" / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    return env


class Server:
    def __init__(self, url, token, root, proc):
        self.url, self.token, self.root, self.proc = url, token, root, proc


@pytest.fixture(scope="module")
def lab(tmp_path_factory, artifacts):
    """JupyterLab serving a throwaway copy of notebooks/ (the repository's outputs stay untouched)."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    shutil.copytree(NOTEBOOKS, root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--allow-root",  # CI runs as root; harmless otherwise
           "--LabApp.extension_manager=readonly",  # never asks PyPI about extensions
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    url = f"http://127.0.0.1:{port}"
    with running_server(cmd, root, isolated_env(base), port, f"{url}/api/status?token={token}",
                        artifacts / "jupyterlab-server.log") as proc:
        yield Server(url, token, root, proc)


@pytest.fixture(scope="module")
def voila(tmp_path_factory, artifacts):
    """Voila serving the app/ folder (``voila app/``, as the README says), on a free port with a
    token; ``voila.page(name)`` is the address of one app page, e.g. ``page("train.ipynb")``."""
    try:
        import voila as _  # noqa: F401
    except ImportError:
        require("Voila", "`import voila` failed; run pip install -e '.[dev]'")
    base = tmp_path_factory.mktemp("voila")
    port, token = free_port(), secrets.token_hex(16)
    # app/voila.json (idle kernels culled) is read as the README's command reads it
    cmd = [sys.executable, "-m", "voila", "app", "--Voila.config_file_paths=app", "--no-browser",
           "--Voila.ip=127.0.0.1",
           f"--port={port}", "--Voila.port_retries=0", f"--token={token}"]
    url = f"http://127.0.0.1:{port}"
    env = isolated_env(base)
    # the trainer page leaves its model in the temporary folder (rnn_core.models): a private one
    (base / "tmp").mkdir()
    env["TMPDIR"] = str(base / "tmp")
    with running_server(cmd, REPO, env, port, f"{url}/login",
                        artifacts / "voila-server.log") as proc:
        server = Server(url, token, REPO, proc)
        server.page = lambda name: f"{url}/voila/render/{name}?token={token}"
        yield server
