"""The sampler page: a prime, a way to choose characters, a length and a seed -> a text."""
import html

import ipywidgets as W

from .page_html import SEED_MAX, WIDE, _error, _pre, known_characters, parse_seed, warm_state
from .sampling import sample


def sampler_widget(params, vocab, prime="ROMEO:", temperature=0.8, length=300, seed=0,
                   mode="sample", top_k=5, warm=False):
    """-> a VBox with attributes prime, mode, temperature, top_k, length, seed, warm, button,
    output, status, limits, generate() and settings() (the keyword arguments of
    ``rnn_core.sample`` that the controls show).

    The seed is a text box parsed here (0 to 2**32 - 1): a number box would
    let the browser round a huge seed to a float and show another number.

    Each control carries a CSS class ``rnn-sampler-<attribute>`` so browser
    tests can find it. Pressing Enter in the prime box (or leaving it after a
    change) generates too. The prime box sends its value only then
    (``continuous_update=False``): while typing, every keystroke would otherwise
    be sent, and the browser holds back a widget's later keystrokes until the
    kernel has answered the first, while a button click is sent at once; a fast
    click could then reach the kernel before the last characters.
    """
    if mode not in ("sample", "top-k", "greedy"):
        raise ValueError(f"mode must be 'sample', 'top-k' or 'greedy', got {mode!r}")
    wide = dict(style=WIDE)
    box_prime = W.Text(value=prime, description="prime", placeholder="text to continue",
                       continuous_update=False, **wide)
    modes = W.ToggleButtons(options=[("sample", "sample"), ("top-k", "top-k"), ("greedy", "greedy")],
                            value=mode, description="choose", **wide)
    modes.style.button_width = "5em"
    slider_t = W.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.05, readout_format=".2f",
                             description="temperature (0.10\u20132.00)", continuous_update=False,
                             **wide)
    slider_k = W.IntSlider(value=min(top_k, vocab.size), min=1, max=vocab.size,
                           description=f"k (1\u2013{vocab.size})", continuous_update=False, **wide)
    slider_n = W.IntSlider(value=length, min=10, max=2000, step=10, continuous_update=False,
                           description="length (10\u20132000)", **wide)
    box_seed = W.Text(value=str(seed), description=f"seed (0\u2013{SEED_MAX})",
                      layout=W.Layout(width="16em"), **wide)
    h_warm = warm_state(params, vocab)
    check_warm = W.Checkbox(value=bool(warm and h_warm is not None), indent=False,
                            description="warm start: read a blank line (\u23ce\u23ce) before the prime",
                            disabled=h_warm is None, layout=W.Layout(width="auto"))
    button = W.Button(description="Generate", button_style="primary", icon="play")
    output, status, limits = W.HTML(value=""), W.HTML(value=""), W.HTML(value="")
    warm_note = W.HTML(value=(
        '<small>In training the model almost always read on from earlier text: its hidden state '
        'started at zero only at the start of each pass over the corpus. A warm start gives it the state it has after a blank line, so the '
        'prime begins as a new paragraph would. The same seed then usually gives a different text.'
        '</small>' if h_warm is not None else
        "<small>Warm start needs a model that knows the newline character.</small>"))
    parts = {"prime": box_prime, "mode": modes, "temperature": slider_t, "top_k": slider_k,
             "length": slider_n, "seed": box_seed, "warm": check_warm, "button": button,
             "output": output, "status": status, "limits": limits}
    for name, w in parts.items():
        w.add_class("rnn-sampler-" + name.replace("_", "-"))

    def show_mode(_=None):
        slider_k.layout.display = "" if modes.value == "top-k" else "none"
        slider_t.disabled = modes.value == "greedy"  # greedy ignores the temperature

    def note_limits(change):
        w = change["owner"]
        name = w.description.split(" (")[0]
        at = "minimum" if w.value == w.min else "maximum" if w.value == w.max else None
        limits.value = (f"<small>{name} is at its {at}, {w.value:{'.2f' if name == 'temperature' else 'd'}}: "
                        "a value typed beyond the range is set to the nearest limit.</small>"
                        if at else "")

    def settings():
        """-> the keyword arguments of rnn_core.sample that the controls show now."""
        return dict(prime=box_prime.value or None, length=slider_n.value,
                    temperature=slider_t.value, seed=parse_seed(box_seed.value),
                    greedy=modes.value == "greedy",
                    top_k=slider_k.value if modes.value == "top-k" else None,
                    h0=h_warm if check_warm.value else None)

    def generate(_=None):
        try:
            text = sample(params, vocab, **settings())
        except ValueError as err:
            output.value = ""  # the old text belongs to other settings
            known = ("" if str(err).startswith("seed") else
                     f"<br>This model knows {vocab.size} characters: "
                     f"<code>{html.escape(known_characters(vocab))}</code>")
            status.value = _error(str(err)) + known
            return
        status.value = ""
        output.value = _pre(text, bold=box_prime.value)

    def stale(change):
        # the text shown was written with the old settings: say so rather than let it pass for new
        if output.value:
            name = "mode" if change["owner"] is modes else (
                change["owner"].description.split(" (")[0].split(":")[0])
            status.value = (f"<small><i>{html.escape(name)} changed: press Generate (or Enter in "
                            "the prime box) for a text with it; the text below was written "
                            "before.</i></small>")

    modes.observe(show_mode, "value")
    show_mode()
    for w in (modes, slider_t, slider_k, slider_n, box_seed, check_warm):
        w.observe(stale, "value")
    for w in (slider_t, slider_k, slider_n):
        w.observe(note_limits, "value")
    box_prime.observe(generate, "value")  # Enter, or leaving the box after a change
    button.on_click(generate)
    ui = W.VBox([box_prime, W.HBox([modes, slider_k]), W.HBox([slider_t, slider_n]),
                 W.HBox([box_seed, button]), W.HBox([check_warm]), warm_note, limits, status,
                 output])
    ui.add_class("rnn-sampler")
    for name, w in parts.items():
        setattr(ui, name, w)
    ui.generate, ui.settings = generate, settings
    return ui
