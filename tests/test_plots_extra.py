"""unit_traces (rnn_core.plots), on small data with the Agg backend."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_core import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def hidden(T=5, H=4):
    return np.tanh(np.random.default_rng(0).standard_normal((T, H)))


def test_unit_traces_draw_each_requested_unit_in_order():
    hs = hidden()
    axes = plots.unit_traces(hs, "ab c\n", units=[3, 0], title="two units")
    assert len(axes) == 2
    assert np.array_equal(axes[0].lines[0].get_ydata(), hs[:, 3])
    assert np.array_equal(axes[1].lines[0].get_ydata(), hs[:, 0])
    assert [ax.get_ylabel() for ax in axes] == ["unit 3", "unit 0"]
    assert axes[0].figure._suptitle.get_text() == "two units"


def test_unit_traces_label_time_with_visible_characters():
    axes = plots.unit_traces(hidden(), "ab c\n", units=np.array([1]))
    labels = [t.get_text() for t in axes[-1].get_xticklabels()]
    assert labels == ["a", "b", "\u2423", "c", "\\n"]
    assert axes[-1].get_xlabel() == "character just read"


@pytest.mark.parametrize("text, units, message", [
    ("abc", [0], "text has 3 characters but hs has 5 steps"),
    ("abcde", [4], "unit 4 does not exist: hs has 4 units"),
    ("abcde", [-1], "unit -1 does not exist"),
    ("abcde", [], "units is empty"),
])
def test_unit_traces_reject_bad_input_with_a_clear_message(text, units, message):
    with pytest.raises(ValueError, match=message):
        plots.unit_traces(hidden(), text, units)


def test_unit_traces_reject_hidden_states_that_are_not_2d():
    with pytest.raises(ValueError, match=r"hs must have shape \(T, H\)"):
        plots.unit_traces(np.zeros(5), "abcde", [0])
