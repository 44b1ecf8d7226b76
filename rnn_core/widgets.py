"""An interactive sampler for notebooks: prime, temperature, length, seed, a button, the text.

The button writes the generated text into a widget's value (never ``print``),
so the widget behaves the same in JupyterLab, in Voila and under nbval, and a
test can drive it headlessly: set the controls' ``.value``, call
``.button.click()``, read ``.output.value``.
"""
import html

import ipywidgets as W

from .sampling import sample


def sampler_widget(params, vocab, prime="ROMEO:", temperature=0.8, length=300, seed=0):
    """-> a VBox with attributes prime, temperature, length, seed, button, output, status.

    Each control carries a CSS class (``rnn-sampler-prime``, ``-temperature``,
    ``-length``, ``-seed``, ``-button``, ``-output``) so browser tests can find it.
    """
    wide = {"description_width": "initial"}  # so "temperature" is not cut short
    box_prime = W.Text(value=prime, description="prime", placeholder="text to continue", style=wide)
    slider_t = W.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.05, style=wide,
                             description="temperature", readout_format=".2f", continuous_update=False)
    slider_n = W.IntSlider(value=length, min=10, max=2000, step=10, description="length",
                           continuous_update=False, style=wide)
    box_seed = W.IntText(value=seed, description="seed", style=wide)
    button = W.Button(description="Generate", button_style="primary", icon="play")
    output = W.HTML(value="")
    status = W.HTML(value="")
    for w, name in [(box_prime, "prime"), (slider_t, "temperature"), (slider_n, "length"),
                    (box_seed, "seed"), (button, "button"), (output, "output"), (status, "status")]:
        w.add_class("rnn-sampler-" + name)

    def generate(_=None):
        try:
            text = sample(params, vocab, prime=box_prime.value or None, length=slider_n.value,
                          temperature=slider_t.value, seed=box_seed.value)
        except ValueError as err:
            status.value = f'<span style="color: #b00">{html.escape(str(err))}</span>'
            return
        status.value = ""
        output.value = ('<pre style="white-space: pre-wrap; font-family: monospace; '
                        'font-size: 0.9em; line-height: 1.3">'
                        f"<b>{html.escape(box_prime.value)}</b>{html.escape(text)}</pre>")

    button.on_click(generate)
    ui = W.VBox([box_prime, W.HBox([slider_t, slider_n]), W.HBox([box_seed, button]), status, output])
    ui.add_class("rnn-sampler")
    ui.prime, ui.temperature, ui.length, ui.seed = box_prime, slider_t, slider_n, box_seed
    ui.button, ui.output, ui.status, ui.generate = button, output, status, generate
    return ui
