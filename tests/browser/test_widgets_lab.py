"""The stepper and the trainer in real JupyterLab, in a notebook written for this test.

The notebook goes into the server's throwaway folder, so the repository never
changes. While the trainer trains, the test runs another cell: its answer
proves the kernel is not blocked.
"""
import time

import nbformat
import pytest

import rnn_core
from test_jupyterlab import open_and_run_all, shut_down_kernel
from widget_ui import TrainerUI, exercise_stepper, exercise_trainer, wait_until

pytestmark = pytest.mark.browser

NAME = "widgets_in_lab.ipynb"
POEM = """Tyger Tyger, burning bright,
In the forests of the night;
What immortal hand or eye,
Could frame thy fearful symmetry?
"""
CELLS = [
    "from rnn_core.widgets import stepper, trainer",
    "stepper()  # a fresh model on the first line of Tiny Shakespeare",
    f"trainer({POEM!r})  # the defaults: a short poem is recited within a minute",
    "print('the kernel answered')",
]


def test_stepper_and_trainer_work_in_jupyterlab(lab, page, artifacts):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / "notebooks" / NAME)

    try:
        prompts, errors, _ = open_and_run_all(page, lab, f"notebooks/{NAME}")
        assert not errors, "Run All Cells showed errors or warnings:\n" + "\n---\n".join(errors)

        # the stepper, on a fresh model: the numbers of rnn_core.forward, forward and backward
        vocab = rnn_core.build_vocab(rnn_core.load_text())
        params = rnn_core.init_params(vocab.size, 100, seed=0)
        stepper = page.locator(".rnn-stepper")
        stepper.scroll_into_view_if_needed()

        def shot_stepper(name):
            stepper.screenshot(path=artifacts / f"jupyterlab-stepper-{name}.png")

        times = exercise_stepper(page, stepper, params, vocab, rnn_core.load_text()[:44], shot_stepper)
        print(f"JupyterLab stepper, click to new numbers (ms): {times}")

        # the trainer, and a cell run while it trains
        trainer = page.locator(".rnn-trainer")
        ui = TrainerUI(page, trainer)
        trainer.scroll_into_view_if_needed()
        last_cell = page.locator(".jp-NotebookPanel .jp-CodeCell").nth(len(CELLS) - 1)
        prompt = last_cell.locator(".jp-InputArea-prompt")

        def shot_trainer(name):
            trainer.screenshot(path=artifacts / f"jupyterlab-trainer-{name}.png")
            if name == "training":  # the kernel trains: run the last cell and see it answer
                before = prompt.inner_text()
                last_cell.locator(".jp-InputArea-editor").click()
                started = time.monotonic()
                page.keyboard.press("Control+Enter")
                wait_until(lambda: (p := prompt.inner_text()) != before and "*" not in p,
                           "the last cell to run while training", timeout=10)
                answered = time.monotonic() - started
                assert ui.part("stop").is_enabled(), "training ended before the cell ran"
                print(f"a cell ran while training, in {answered:.2f} s")
                assert answered < 3.0, f"the kernel took {answered:.1f} s to run a cell while training"
                trainer.scroll_into_view_if_needed()

        measured = exercise_trainer(page, trainer, POEM, shot_trainer)
        print(f"JupyterLab trainer: {measured}")
        assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"
    finally:
        shut_down_kernel(lab, f"notebooks/{NAME}")
