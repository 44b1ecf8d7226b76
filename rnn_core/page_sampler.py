"""The sampler page: a prime, a way to choose characters, a length and a seed -> a text."""
import html

import ipywidgets as W

from . import models as shelf
from .page_html import SEED_MAX, WIDE, _error, _pre, known_characters, page, parse_seed, warm_state
from .sampling import sample

MODEL_LABELS = {"fresh": "fresh (untrained)", "shipped": "Shakespeare (shipped)",
                "trained": "just trained"}


def sampler_widget(params=None, vocab=None, prime="ROMEO:", temperature=0.8, length=300, seed=0,
                   mode="sample", top_k=5, warm=False, model=None, models=(), shipped=None,
                   output_first=False):
    """-> a VBox with attributes prime, mode, temperature, top_k, length, seed, warm, button,
    output, status, limits, model (the model switch, or None), generate() and settings()
    (the keyword arguments of ``rnn_core.sample`` that the controls show).

    params, vocab: the model; or ``model``, a name for ``rnn_core.models.load`` ("fresh",
    "shipped" with the checkpoint path ``shipped``, "trained"). ``models``: the names a
    switch on the page offers, so a class compares a model before and after training.
    output_first: the text above the controls (where the trainer shows its sampler).

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
    label = ""
    if model is not None:
        params, vocab, label, _ = shelf.load(model, shipped=shipped)
    if params is None or vocab is None:
        raise ValueError("pass a model: params and vocab, or model='shipped' (or 'fresh', 'trained')")
    m = {"params": params, "vocab": vocab}
    wide = dict(style=WIDE)
    box_prime = W.Text(value=prime, description="prime", placeholder="text to continue",
                       continuous_update=False, **wide)
    modes = W.ToggleButtons(options=[("sample", "sample"), ("top-k", "top-k"), ("greedy", "greedy")],
                            value=mode, description="choose", **wide)
    modes.style.button_width = "5em"
    # sliders long enough that a small drag is a small change (0.05 of temperature per ~10 px)
    slider_t = W.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.05, readout_format=".2f",
                             description="temperature (0.10\u20132.00)", continuous_update=False,
                             layout=W.Layout(width="34em"), **wide)
    slider_k = W.IntSlider(value=min(top_k, vocab.size), min=1, max=vocab.size,
                           description=f"k (1\u2013{vocab.size})", continuous_update=False,
                           layout=W.Layout(width="30em"), **wide)
    slider_n = W.IntSlider(value=length, min=10, max=2000, step=10, continuous_update=False,
                           description="length (10\u20132000)", layout=W.Layout(width="34em"), **wide)
    # Enter (or leaving the box) sends the seed and generates, as in the prime box
    box_seed = W.Text(value=str(seed), description=f"seed (0\u2013{SEED_MAX})",
                      continuous_update=False, layout=W.Layout(width="22em"), **wide)
    switch = (W.ToggleButtons(options=[(MODEL_LABELS[n], n) for n in models],
                              value=model if model in models else models[0], description="model",
                              style={"description_width": "initial", "button_width": "auto"})
              if models else None)
    which = W.HTML(f"<small>{html.escape(label)}</small>" if label else "")
    if switch is not None:
        switch.add_class("rnn-sampler-model")
    h_warm = warm_state(params, vocab)
    m["h_warm"] = h_warm
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
                    h0=m["h_warm"] if check_warm.value else None)

    def generate(_=None):
        try:
            text = sample(m["params"], m["vocab"], **settings())
        except ValueError as err:
            output.value = ""  # the old text belongs to other settings
            known = ("" if str(err).startswith("seed") else
                     f"<br>This model knows {m['vocab'].size} characters: "
                     f"<code>{html.escape(known_characters(m['vocab']))}</code>")
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
    def rechoose(change):
        if m.get("reverting"):
            return
        try:
            params_, vocab_, label_, own = shelf.load(change["new"], shipped=shipped)
        except (ValueError, OSError) as err:
            status.value = _error(str(err))
            m["reverting"] = True
            switch.value = change["old"]
            m["reverting"] = False
            return
        m.update(params=params_, vocab=vocab_, h_warm=warm_state(params_, vocab_))
        which.value = f"<small>{html.escape(label_)}</small>"
        slider_k.max = vocab_.size
        slider_k.description = f"k (1\u2013{vocab_.size})"
        check_warm.disabled = m["h_warm"] is None
        if m["h_warm"] is None:
            check_warm.value = False
        if not set(box_prime.value) <= set(vocab_.chars):
            # a prime this model cannot read: the first word of its own text, or its first character
            start = (own or vocab_.chars[0])
            word = start[:12].split(maxsplit=1)[0] if start[:1].strip() else start[:1]
            box_prime.unobserve(generate, "value")
            box_prime.value = word or start[:1]
            box_prime.observe(generate, "value")
        generate()

    for w in (modes, slider_t, slider_k, slider_n, check_warm):
        w.observe(stale, "value")
    for w in (slider_t, slider_k, slider_n):
        w.observe(note_limits, "value")
    box_prime.observe(generate, "value")  # Enter, or leaving the box after a change
    box_seed.observe(generate, "value")
    button.on_click(generate)
    if switch is not None:
        switch.observe(rechoose, "value")
    # rows wrap rather than squeeze: in the trainer's right column two 34em sliders do not fit
    def wrap():
        return W.Layout(flex_flow="row wrap", align_items="center")

    controls = [W.HBox([which]), box_prime, W.HBox([modes, slider_k], layout=wrap()),
                W.HBox([slider_t, slider_n], layout=wrap()),
                W.HBox([box_seed, button], layout=wrap()), W.HBox([check_warm]), warm_note, limits, status, output]
    if output_first:  # under another page's results (the trainer's): the text first, on screen
        controls = [status, output] + controls[:-2]
    if switch is not None:  # a page of its own
        ui = page(controls, "rnn-sampler", header=[switch])
    else:  # inside another page (the trainer's) or a notebook
        ui = W.VBox(controls)
        ui.add_class("rnn-sampler")
    for name, w in parts.items():
        setattr(ui, name, w)
    ui.generate, ui.settings, ui.model = generate, settings, switch
    return ui
