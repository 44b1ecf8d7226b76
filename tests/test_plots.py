"""Each plotting function, on small data, with the Agg backend: the figure holds what it should."""
import re

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
    text = html.split("white: 0)</div>", 1)[1]  # the coloured text, after the key
    assert text.count("<span") == 4
    assert f"rgb{plots.ACTIVATION_RED}" in text  # +1: the red end
    assert f"rgb{plots.ACTIVATION_BLUE}" in text  # -1: the blue end
    assert "rgb(255, 255, 255)" in text  # 0: white
    assert "&lt;" in html and "<br>" in html and "unit 7" in html


# WCAG 2 written out here, independently of rnn_core.plots (which only picks the colours)
def relative_luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(rgb1, rgb2):
    light, dark = sorted((relative_luminance(rgb1), relative_luminance(rgb2)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_reference_gives_known_wcag_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((255, 255, 255), (119, 119, 119)) == pytest.approx(4.48, abs=0.01)  # #777
    assert contrast_ratio((0, 0, 255), (0, 0, 0)) == pytest.approx(2.44, abs=0.01)  # pure blue: too dark


def test_black_text_is_readable_on_every_colour_the_html_uses():
    values = np.linspace(-1.5, 1.5, 301)  # beyond +-1 too: those are clipped
    html = plots.activation_html("x" * len(values), values)
    colours = {tuple(int(c) for c in m) for m in re.findall(r"rgb\((\d+), (\d+), (\d+)\)", html)}
    assert len(colours) > 100  # the scale is continuous, not a handful of bins
    worst = min(contrast_ratio(c, (0, 0, 0)) for c in colours)
    assert worst >= 4.5, f"black text on the darkest colour has contrast {worst:.2f}, WCAG AA needs 4.5"
    assert "color: #000" in html  # the text colour is fixed, not left to the page's theme


def test_activation_colour_deepens_with_the_size_of_the_activation():
    lum = [relative_luminance(plots.activation_colour(v)) for v in (0, 0.25, 0.5, 1)]
    assert lum == sorted(lum, reverse=True) and lum[0] == pytest.approx(1)
    lum = [relative_luminance(plots.activation_colour(v)) for v in (0, -0.25, -0.5, -1)]
    assert lum == sorted(lum, reverse=True)


def test_activation_html_shows_its_colour_key_from_minus_one_to_plus_one():
    html = plots.activation_html("ab", [0.3, -0.3])
    key = plots.activation_key()
    assert html.index(key) < html.index('title="+0.30"')  # the key comes before the text
    assert "&minus;1" in key and "+1" in key and "white: 0" in key
    assert f"rgb{plots.ACTIVATION_BLUE}" in key and f"rgb{plots.ACTIVATION_RED}" in key
    assert plots.activation_html("ab", [0.3, -0.3]) == html  # deterministic: nbval compares it


def test_activation_html_needs_one_value_per_character():
    with pytest.raises(ValueError, match="shape"):
        plots.activation_html("abc", [0.1, 0.2])


def test_char_frequencies_sorts_bars_by_count():
    ax = plots.char_frequencies("aaab b")
    heights = [p.get_height() for p in ax.patches]
    assert heights == [3, 2, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "\u2423"]
