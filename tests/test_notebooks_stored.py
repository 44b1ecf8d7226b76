"""Notebooks are committed executed: outputs present, counts 1..N in order, no errors.

nbval re-runs them and compares; this check catches a notebook saved half-run
or out of order before nbval's comparison would give a confusing diff.
"""
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_series_exists_in_order():
    names = [p.stem for p in NOTEBOOKS]
    assert len(names) >= 7, names
    assert [n[:3] for n in names] == [f"{i:02d}_" for i in range(1, len(names) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_in_order_without_errors(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: re-run top to bottom in a fresh kernel"
    assert any(c["outputs"] for c in code), f"{path.name}: stored without outputs"
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"{path.name}: stored error {out.get('ename')}"
            assert out.get("name") != "stderr", f"{path.name}: stored stderr output: {''.join(out['text'])[:200]}"
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][-1]["cell_type"] == "markdown"


NBVAL_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_CHECK_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_stand_alone_on_their_line(path):
    """nbval only honours a marker comment that is the whole line: `# NBVAL_SKIP: why` is ignored."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            comment = line.strip().lstrip("#").strip()
            if line.strip().startswith("#") and comment.startswith("NBVAL"):
                assert comment in NBVAL_MARKERS, f"{path.name}: {line.strip()!r} is not a marker nbval reads"
