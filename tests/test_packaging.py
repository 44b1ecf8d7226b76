"""pip users and conda users install the same packages."""
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dev dependency there, see pyproject.toml)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {}


def _split(requirement):
    """'numpy>=1.24' -> ('numpy', '>=1.24'): the name (normalised) and the version bound.

    An environment marker (``; python_version < "3.11"``) is dropped: conda has none.
    """
    requirement = requirement.split(";")[0]
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()
    name = CONDA_TO_PYPI.get(name, name).lower().replace("_", "-")
    return name, bound.replace(" ", "")


def _pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])


def _conda_requirements():
    text = (ROOT / "environment.yml").read_text()
    reqs = {}
    for line in text[text.index("dependencies:"):].splitlines():
        m = re.match(r"^  - ([^#]+)", line)  # top-level dependency entries only
        if m and not m.group(1).strip().startswith(("pip", "python")):
            name, bound = _split(m.group(1))
            reqs[name] = bound
    return reqs


def test_pyproject_and_environment_list_the_same_packages_and_versions():
    assert _pip_requirements() == _conda_requirements()
    assert {"numpy", "pytest", "nbval", "jupyterlab", "ipywidgets", "matplotlib"} <= set(_pip_requirements())


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
