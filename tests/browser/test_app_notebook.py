"""The app notebooks (app/*.ipynb) are stored clean: Voila runs it fresh, so stored outputs would only go stale.

(pytest's testpaths are tests/ and notebooks/, so nbval never runs app/; the Voila
browser test executes it instead.)
"""
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["sampler.ipynb", "train.ipynb", "stepper.ipynb"])
def test_app_notebook_is_valid_and_stored_without_outputs(name):
    nb = nbformat.read(REPO / "app" / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the app notebook has no code cell"
    assert all(c.outputs == [] and c.execution_count is None for c in code), \
        f"store app/{name} without outputs (Voila executes it on every visit)"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "the app needs a title"
    assert "widgets" not in nb.metadata, "stored widget state would be stale: clear it"
