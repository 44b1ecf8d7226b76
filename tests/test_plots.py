"""Each plotting function, on small data, with the Agg backend: the figure holds what it should."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_core import plots  # noqa: E402
from rnn_core.train import History  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_loss_curves_draw_one_labelled_line_per_run():
    ax = plots.loss_curves({"SGD": ([1, 2, 3], [4.0, 3.5, 3.2]), "Adagrad": ([1, 2, 3], [4.0, 3.0, 2.5])})
    assert [line.get_label() for line in ax.lines] == ["SGD", "Adagrad"]
    assert np.array_equal(ax.lines[1].get_ydata(), [4.0, 3.0, 2.5])
    assert ax.get_title() and ax.get_xlabel() == "step" and "nats" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adagrad"]


def test_train_val_curves_show_both_losses():
    h = History(step=[10, 20, 30], loss=[3.0, 2.5, 2.2], val_step=[15, 30], val_loss=[2.9, 2.4])
    ax = plots.train_val_curves(h)
    assert len(ax.lines) == 2
    assert np.array_equal(ax.lines[1].get_xdata(), [15, 30])
    assert "validation" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_hidden_heatmap_is_units_by_time_with_character_labels():
    hs = np.tanh(np.random.default_rng(0).standard_normal((6, 4)))
    ax = plots.hidden_heatmap(hs, text="ab c\nd")
    image = ax.images[0]
    assert image.get_array().shape == (4, 6)  # units down, time across
    assert image.get_clim() == (-1, 1)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "\u2423", "c", "\\n", "d"]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_hidden_heatmap_refuses_mismatched_text():
    with pytest.raises(ValueError, match="5 characters but hs has 6 steps"):
        plots.hidden_heatmap(np.zeros((6, 3)), text="abcde")


def test_activation_html_colours_each_character_by_sign():
    html = plots.activation_html("a<b\n", [1.0, -1.0, 0.0, 0.5], title="unit 7")
    assert html.count("<span") == 4
    assert "rgb(255, 0, 0)" in html  # +1: red
    assert "rgb(0, 0, 255)" in html  # -1: blue
    assert "&lt;" in html and "<br>" in html and "unit 7" in html


def test_activation_html_needs_one_value_per_character():
    with pytest.raises(ValueError, match="shape"):
        plots.activation_html("abc", [0.1, 0.2])


def test_char_frequencies_sorts_bars_by_count():
    ax = plots.char_frequencies("aaab b")
    heights = [p.get_height() for p in ax.patches]
    assert heights == [3, 2, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "\u2423"]
