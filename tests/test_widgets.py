"""The sampler widget, driven headlessly: set controls, press the button, read the text."""
import numpy as np

from rnn_core.encoding import build_vocab
from rnn_core.forward import init_params
from rnn_core.sampling import sample
from rnn_core.widgets import sampler_widget

VOCAB = build_vocab("ROMEO: wherefore art thou\n")


def _params():
    p = init_params(VOCAB.size, 16, seed=0)
    rng = np.random.default_rng(1)
    return {k: v + rng.standard_normal(v.shape) * 0.5 for k, v in p.items()}


def _plain(ui):
    import html
    import re
    return html.unescape(re.sub(r"<[^>]+>", "", ui.output.value))


def test_button_writes_the_sample_the_controls_ask_for():
    params = _params()
    ui = sampler_widget(params, VOCAB, prime="ROMEO:", temperature=0.8, length=50, seed=0)
    assert ui.output.value == ""
    ui.prime.value = "thou"
    ui.temperature.value = 1.3
    ui.length.value = 120
    ui.seed.value = 7
    ui.button.click()
    expected = sample(params, VOCAB, prime="thou", length=120, temperature=1.3, seed=7)
    assert _plain(ui) == "thou" + expected


def test_moving_the_temperature_or_seed_changes_the_text():
    ui = sampler_widget(_params(), VOCAB, prime="ROMEO:", length=200)
    ui.button.click()
    first = _plain(ui)
    ui.temperature.value = 1.5
    ui.button.click()
    hotter = _plain(ui)
    ui.seed.value = 1
    ui.button.click()
    assert len({first, hotter, _plain(ui)}) == 3
    ui.temperature.value, ui.seed.value = 0.8, 0
    ui.button.click()
    assert _plain(ui) == first  # same controls, same text


def test_unknown_prime_character_shows_a_message_not_a_traceback():
    ui = sampler_widget(_params(), VOCAB, prime="ROMEO:", length=20)
    ui.button.click()
    before = ui.output.value
    ui.prime.value = "JULIET"
    ui.button.click()
    assert "not in the" in ui.status.value and "vocabulary" in ui.status.value
    assert ui.output.value == before
    ui.prime.value = "ROMEO"
    ui.button.click()
    assert ui.status.value == ""


def test_controls_carry_css_classes_for_browser_tests():
    ui = sampler_widget(_params(), VOCAB)
    assert "rnn-sampler" in ui._dom_classes
    for name in ("prime", "temperature", "length", "seed", "button", "output", "status"):
        assert f"rnn-sampler-{name}" in getattr(ui, name)._dom_classes
