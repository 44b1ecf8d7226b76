"""pip users and conda users install the same packages."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {}


def _name(requirement):
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pip_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {_name(r) for r in reqs}


def _conda_names():
    names = set()
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:"):].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)", line)  # top-level dependency entries only
        if m and m.group(1) not in ("pip", "python"):
            names.add(CONDA_TO_PYPI.get(m.group(1), m.group(1)).lower().replace("_", "-"))
    return names


def test_pyproject_and_environment_list_the_same_packages():
    assert _pip_names() == _conda_names()
    assert {"numpy", "pytest", "nbval", "jupyterlab", "ipywidgets", "matplotlib"} <= _pip_names()


def test_environment_installs_the_package_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_bundled_corpus_is_package_data():
    assert (ROOT / "rnn_core" / "data" / "tinyshakespeare.txt").stat().st_size > 1_000_000
    assert "data/*.txt" in (ROOT / "pyproject.toml").read_text()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "```bash\npytest\n```" in readme
    assert re.search(r"^pytest\s*$", ci, re.MULTILINE)


def test_importing_rnn_core_needs_only_numpy():
    import subprocess
    import sys
    code = ("import sys, rnn_core; bad = [m for m in ('matplotlib', 'ipywidgets', 'tqdm') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
