"""The sampling notebook in real JupyterLab: open it, Run All from the menu, use the sampler."""
import hashlib
import json
import time
import urllib.request
from pathlib import Path

import pytest

import rnn_core
from sampler_ui import exercise_sampler

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = "06_sampling.ipynb"
RUN_ALL_TIMEOUT = 120.0  # seconds; Run All takes about 2 s here (2 cores)

# prompts of every code cell and whether any output is an error or a warning
CELL_STATE_JS = """() => {
  const prompts = [...document.querySelectorAll(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim());
  const errors = [...document.querySelectorAll(
      '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent.slice(0, 2000));
  return {prompts, errors};
}"""


def notebook_kernel(lab, path):
    """-> the server's record of the kernel attached to ``path``, or None."""
    with urllib.request.urlopen(f"{lab.url}/api/sessions?token={lab.token}", timeout=5) as reply:
        sessions = json.load(reply)
    return next((s["kernel"] for s in sessions if s["path"] == path), None)


def wait_for_kernel(page, lab, path, timeout=60.0):
    """Wait until the notebook's kernel is idle with the page connected to it."""
    deadline = time.monotonic() + timeout
    kernel = None
    while time.monotonic() < deadline:
        kernel = notebook_kernel(lab, path)
        indicator = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        if kernel and kernel["execution_state"] == "idle" and kernel["connections"] >= 1 \
                and indicator.count():
            return
        time.sleep(0.25)
    raise AssertionError(f"the kernel of {path} was not idle and connected within {timeout:.0f} s: {kernel}")


def run_all_cells(page):
    """Run > Run All Cells, clicked in the menu bar as a student would."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()


def wait_for_cells(page, timeout=RUN_ALL_TIMEOUT):
    """-> (prompts, errors) once every code cell has a number, or an error stopped the run."""
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(CELL_STATE_JS)
        prompts, errors = state["prompts"], state["errors"]
        running = any("*" in p for p in prompts)
        if prompts and not running and (errors or all(p.strip("[]: ").isdigit() for p in prompts)):
            return prompts, errors
        if time.monotonic() > deadline:
            return prompts, errors
        time.sleep(0.25)


def open_and_run_all(page, lab, path):
    """Open ``path`` (under the server's root) in JupyterLab, wait for its kernel, then Run All
    Cells from the menu; -> (prompts, errors) as wait_for_cells, and the seconds the run took."""
    page.goto(f"{lab.url}/lab/tree/{path}?token={lab.token}&reset")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    wait_for_kernel(page, lab, path)
    started = time.monotonic()
    run_all_cells(page)
    prompts, errors = wait_for_cells(page)
    return prompts, errors, time.monotonic() - started


def test_sampling_notebook_runs_and_its_sampler_answers_in_jupyterlab(lab, page, artifacts):
    original = NOTEBOOKS / NOTEBOOK
    assert original.is_file(), f"{original} is missing: the browser test has no notebook to open"
    digest = hashlib.sha256(original.read_bytes()).hexdigest()

    prompts, errors, run_seconds = open_and_run_all(page, lab, f"notebooks/{NOTEBOOK}")
    page.screenshot(path=artifacts / "jupyterlab-run-all.png")
    assert not errors, "Run All Cells showed errors or warnings:\n" + "\n---\n".join(errors)
    assert prompts and all(p.strip("[]: ").isdigit() for p in prompts), \
        f"not every code cell ran within {RUN_ALL_TIMEOUT:.0f} s: prompts {prompts}"
    print(f"Run All Cells: {len(prompts)} code cells in {run_seconds:.1f} s")

    sampler = page.locator(".rnn-sampler").first
    sampler.scroll_into_view_if_needed()
    sampler.wait_for(state="visible")
    state = rnn_core.load_checkpoint(lab.root / "notebooks" / "data" / "shakespeare.npz")

    def shot(name):
        sampler.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"jupyterlab-sampler-{name}.png")
        sampler.screenshot(path=artifacts / f"jupyterlab-sampler-{name}-widget.png")

    exercise_sampler(page, sampler, state["params"], state["vocab"], shot)
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"
    assert hashlib.sha256(original.read_bytes()).hexdigest() == digest, \
        "the repository's notebook changed: the browser must only see a throwaway copy"


def shut_down_kernel(lab, path):
    """Stop the notebook's kernel through the server's REST API (frees memory for the next one)."""
    with urllib.request.urlopen(f"{lab.url}/api/sessions?token={lab.token}", timeout=5) as reply:
        sessions = [s for s in json.load(reply) if s["path"] == path]
    for s in sessions:
        request = urllib.request.Request(f"{lab.url}/api/sessions/{s['id']}?token={lab.token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


OTHER_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if p.name != NOTEBOOK)


@pytest.mark.parametrize("name", OTHER_NOTEBOOKS)
def test_every_notebook_runs_top_to_bottom_in_jupyterlab(lab, page, artifacts, name):
    """What a newcomer does with each notebook: open it, Run All Cells, see no error or warning."""
    try:
        prompts, errors, _ = open_and_run_all(page, lab, f"notebooks/{name}")
        page.screenshot(path=artifacts / f"jupyterlab-run-all-{Path(name).stem}.png")
        assert not errors, f"{name}: Run All Cells showed errors or warnings:\n" + "\n---\n".join(errors)
        assert prompts and all(p.strip("[]: ").isdigit() for p in prompts), \
            f"{name}: not every code cell ran within {RUN_ALL_TIMEOUT:.0f} s: prompts {prompts}"
        assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"
    finally:
        shut_down_kernel(lab, f"notebooks/{name}")
