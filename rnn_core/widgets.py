"""Widgets for notebooks and Voila pages: the sampler, the stepper and the trainer.

The logic lives in plain, tested functions (``sampling.sample``,
``stepper.view``, ``live.advance``); a widget only wires controls to them and
turns their numbers into HTML. Results are written into widgets' values, never
printed, so a widget behaves the same in JupyterLab, in Voila and under nbval,
and a test can drive it headlessly: set the controls' ``.value``, call
``.click()`` on a button, read the HTML.
"""
import asyncio
import base64
import html
import struct
import tempfile
import zlib

import ipywidgets as W
import numpy as np

from . import live, stepper as stepping
from .data import load_text
from .encoding import build_vocab, encode
from .forward import hidden_states, init_params, sizes
from .sampling import sample

WIDE = {"description_width": "initial"}  # so descriptions such as "temperature" are not cut
SEED_MAX = 2**32 - 1  # numpy accepts larger seeds, but a number box in the browser rounds them


def _pre(text, bold=""):
    return ('<pre style="white-space: pre-wrap; font-family: monospace; font-size: 0.9em; '
            f'line-height: 1.3; margin: 0.3em 0">{f"<b>{html.escape(bold)}</b>" if bold else ""}'
            f"{html.escape(text)}</pre>")


def _error(message):
    return f'<span style="color: #b00">{html.escape(message)}</span>'


def _visible(ch):
    """A character as a reader can see it: newline and space get symbols."""
    return {"\n": "\u23ce", " ": "\u2423", "\t": "\u21e5"}.get(ch, ch)


def known_characters(vocab):
    """-> the model's characters as one readable line (newline as \u23ce, space as \u2423)."""
    return "".join(_visible(c) for c in vocab.chars)


def parse_seed(text):
    """The seed box's text -> an int in 0..SEED_MAX, or a ValueError saying what is allowed."""
    s = str(text).strip().replace("_", "")
    if not s.isdigit() or int(s) > SEED_MAX:
        raise ValueError(f"seed must be a whole number from 0 to {SEED_MAX}, got {str(text)!r}")
    return int(s)


def warm_state(params, vocab, warmup="\n\n"):
    """-> h: (H,) after reading ``warmup`` from a zero state, or None if the model lacks its characters.

    Training never starts a line from h = 0: the hidden state always carries the
    text before it. Reading a blank line first puts the model where it is after a
    paragraph ends, which is where a speaker's name or a new line usually starts.
    """
    if not set(warmup) <= set(vocab.chars):
        return None
    _, H = sizes(params)
    ids = encode(warmup, vocab).astype(np.intp)[:, None]
    return hidden_states(params, ids, np.zeros((1, H), dtype=params["Whh"].dtype))[-1, 0].copy()


# --- the sampler ---------------------------------------------------------------------------

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


# --- pictures without matplotlib: tiny PNGs and SVG polylines --------------------------------

def png(rgb):
    """rgb: (rows, cols, 3) uint8 -> the bytes of a PNG image (no compression tricks needed)."""
    rows, cols, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].tobytes() for r in range(rows))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def diverging(values, scale):
    """values: (...) -> (..., 3) uint8: blue for -scale, white for 0, red for +scale."""
    v = np.clip(np.asarray(values, dtype=float) / scale, -1, 1)[..., None]
    white, red, blue = np.array([255, 255, 255]), np.array([200, 30, 30]), np.array([30, 80, 200])
    rgb = np.where(v >= 0, white + v * (red - white), white - v * (blue - white))
    return rgb.round().astype(np.uint8)


def _img(rgb, width, height, title):
    data = base64.b64encode(png(rgb)).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
            f'title="{html.escape(title)}" style="image-rendering: pixelated; '
            f'border: 1px solid #999; vertical-align: middle">')


def strip(values, scale=1.0, title=""):
    """A vector as a row of coloured cells (blue negative, red positive)."""
    values = np.asarray(values)
    return _img(diverging(values[None, :], scale), 4 * len(values), 14, title)


def polyline_svg(series, width=460, height=150, xlabel="step", ylabel="", xmax=None):
    """series: list of (points [(x, y), ...], colour, name) -> an SVG line plot with axes,
    ``width`` wide plus room on the right for the names."""
    pts = [p for s, _, _ in series for p in s]
    if not pts:
        return ""
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    x0, x1 = 0, max(xmax or 0, max(xs), 1)
    y0, y1 = min(ys), max(ys)
    if y1 - y0 < 1e-9:
        y0, y1 = y0 - 0.5, y1 + 0.5
    # the legend sits right of the plot: inside it, it hid the start of a falling curve
    legend = max((len(name) for _, _, name in series), default=0) * 6 + 14
    left, bottom, top, right = 46, 28, 8, 10 + legend
    width += legend

    def sx(x):
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y):
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
           'style="font: 11px sans-serif; background: #fff">',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
           'stroke="#444"/>',
           f'<text x="{left - 4}" y="{sy(y1) + 4:.1f}" text-anchor="end">{y1:.2f}</text>',
           f'<text x="{left - 4}" y="{sy(y0):.1f}" text-anchor="end">{y0:.2f}</text>',
           f'<text x="{left}" y="{height - 14}" text-anchor="middle">{x0}</text>',
           f'<text x="{width - right}" y="{height - 14}" text-anchor="end">{x1}</text>',
           f'<text x="{(left + width) / 2:.0f}" y="{height - 3}" text-anchor="middle">{xlabel}</text>',
           f'<text x="10" y="{(top + height - bottom) / 2:.0f}" text-anchor="middle" '
           f'transform="rotate(-90 10 {(top + height - bottom) / 2:.0f})">{ylabel}</text>']
    for k, (points, colour, name) in enumerate(series):
        if points:
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
            if len(points) < 40:
                out += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{colour}"/>'
                        for x, y in points]
            out.append(f'<text x="{width - right + 8}" y="{top + 10 + 13 * k}" '
                       f'fill="{colour}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


# --- the stepper ---------------------------------------------------------------------------

def _num(name, value, fmt=".4f"):
    """A shown number, tagged so a browser test can read it back."""
    return f'<span class="rnn-num" data-name="{name}">{value:{fmt}}</span>'


TEXT_WINDOW = 240  # characters of a long text shown around step t, so the panel keeps its place


def _text_with_cursor(text, t, direction):
    # a long text is shown as a window around x_t, mostly what was read before it
    lo = max(0, min(t - 1 - 2 * TEXT_WINDOW // 3, len(text) - TEXT_WINDOW))
    hi = min(len(text), lo + TEXT_WINDOW)
    cells = ["\u2026"] if lo > 0 else []
    for i, ch in enumerate(text[lo:hi], start=lo):
        style = ("background: #ffd54f; font-weight: bold; outline: 1px solid #b28704" if i == t - 1
                 else "color: #2e7d32; text-decoration: underline" if i == t
                 # grey: what the walk has not reached yet (later text going forward, earlier going back)
                 else "color: #aaa" if (i > t if direction == "forward" else i < t - 1) else "")
        cells.append(f'<span style="{style}">{html.escape(_visible(ch))}</span>')
    cells += ["\u2026"] if hi < len(text) else []
    return ('<div class="rnn-stepper-text" style="font: 15px monospace; word-break: break-all; '
            'margin: 0.3em 0">' + "".join(cells) + "</div>")


def colour_key(s):
    """The colour key of a strip drawn at scale ±s: the two ends with their values."""
    return (f'<small><span style="background:#1e50c8;color:#fff">&nbsp;\u2212{s:.2g}&nbsp;</span> '
            f'\u2026 white 0 \u2026 <span style="background:#c81e1e;color:#fff">&nbsp;+{s:.2g}&nbsp;</span>'
            '</small>')


def scale_note(mode, what, s, m):
    """Which scale a family of strips is drawn on, in a few words: ``what`` names the values
    (e.g. "|h|"), s is the scale used, m the largest such value over the text."""
    if mode == "stretched":
        return f"<small>stretched: \u00b1{s:.2g} = the largest {what} in this text</small>"
    beyond = "; beyond \u00b11, full colour" if m > 1 else ""
    return f"<small>fixed \u00b11 (the largest {what} in this text: {m:.2g}{beyond})</small>"


def _table(rows):
    """rows: (label, picture, remark) HTML triples -> a table, so the pictures line up."""
    cells = "".join(f'<tr><td style="text-align: right; padding: 2px 6px; white-space: nowrap">{a}</td>'
                    f'<td style="padding: 2px 6px">{b}</td><td style="padding: 2px 6px">{c}</td></tr>'
                    for a, b, c in rows)
    return f'<table style="border-collapse: collapse; margin: 0.2em 0">{cells}</table>'


def render_forward(v, V, scale):
    """HTML of a forward view (see stepper.view); scale: {"mode", "s": {family: s},
    "largest": {family: m}} from stepper.colour_scales and stepper.largest."""
    s, m = scale["s"]["h"], scale["largest"]["h"]
    onehot = np.zeros(V)
    onehot[v["x_id"]] = 1
    bars = []
    for ch, p, is_target in v["top"]:
        colour = "#2e7d32" if is_target else "#6d8fc9"
        bars.append((f'<span style="font: 15px monospace">{html.escape(_visible(ch))}</span>',
                     f'<div style="background: {colour}; height: 12px; width: {max(1, round(240 * p))}px">'
                     "</div>",
                     f"{p:.3f}" + (" <b>\u2714 true next</b>" if is_target else "")))
    missing = ("" if any(m for _, _, m in v["top"]) else
               f"<div>true next {html.escape(repr(v['target_char']))} is not in the top 5: "
               f"p = {_num('p_target', v['p_target'])}, rank {v['target_rank']}</div>")
    return (f"<b>step t = {v['t']} of {v['T']}</b> (forward)"
            + _text_with_cursor(v["read_all"], v["t"], "forward")
            + _table([
                (f"x<sub>t</sub> = {html.escape(repr(v['x_char']))}", strip(onehot, 1, "x_t"),
                 f"one-hot: id {_num('x_id', v['x_id'], 'd')} of {V}"),
                ("h<sub>t\u22121</sub>", strip(v["h_prev"], s, "h_{t-1}"), ""),
                ("h<sub>t</sub>", strip(v["h"], s, "h_t"),
                 "<small>h<sub>t</sub> = tanh(Wxh x<sub>t</sub> + Whh h<sub>t\u22121</sub> + bh), "
                 "from \u22121 to 1</small>"),
                ("", colour_key(s), scale_note(scale["mode"], "|h|", s, m))])
            + "<div>p<sub>t</sub>: the 5 most likely next characters</div>" + _table(bars) + missing
            + f"<div>loss at t: \u2212ln p<sub>t</sub>[{html.escape(repr(v['target_char']))}] = "
              f"{_num('loss', v['loss'])} &nbsp; so far: sum {_num('loss_sum', v['loss_sum'])}, "
              f"mean {_num('loss_mean', v['loss_mean'])} nats/char</div>")


def render_backward(v, V, scale):
    """HTML of a backward view (see stepper.view); scale as for render_forward."""
    mode, s, m = scale["mode"], scale["s"], scale["largest"]
    norms = v["dhnext_norms"]
    plot = polyline_svg([(norms[::-1], "#c62828", "|dhnext|")], width=360, height=130,
                        xlabel="step t (walking back from T)", ylabel="|dhnext|", xmax=v["T"])
    dW = v["dWhh"]
    H = dW.shape[0]
    norm = lambda name, x: f"|\u00b7| = {_num(name, float(np.linalg.norm(x)))}"  # noqa: E731
    target = html.escape(repr(v["target_char"]))
    return (f"<b>step t = {v['t']} of {v['T']}</b> (backward, walking t = T \u2026 1)"
            + _text_with_cursor(v["read_all"], v["t"], "backward")
            + _table([
                (f"dy<sub>t</sub> = p<sub>t</sub> \u2212 onehot({target})", strip(v["dy"], s["dy"], "dy_t"),
                 f"at the true next character: {_num('dy_target', v['dy_target'])}"),
                ("", colour_key(s["dy"]), scale_note(mode, "|dy|", s["dy"], m["dy"])),
                ("dh<sub>t</sub> from this step's prediction, Why<sup>T</sup> dy<sub>t</sub>",
                 strip(v["dh_pred"], s["dh"], "from prediction"), norm("dh_pred_norm", v["dh_pred"])),
                ("+ dhnext, flowing back from h<sub>t+1</sub>", strip(v["dh_next"], s["dh"], "from dhnext"),
                 norm("dh_next_norm", v["dh_next"])),
                ("= dh<sub>t</sub>", strip(v["dh"], s["dh"], "dh_t"), norm("dh_norm", v["dh"])),
                ("", colour_key(s["dh"]), scale_note(mode, "|dh| or part", s["dh"], m["dh"]))])
            + f"<div style='display: flex; gap: 1.5em; align-items: flex-start'><div>{plot}</div>"
              f"<div>this step's share of dWhh = dhraw<sub>t</sub> h<sub>t\u22121</sub><sup>T</sup> "
              f"({H}\u00d7{H}), |\u00b7| = {_num('dWhh_norm', v['dWhh_norm'])}<br>"
              f"{_img(diverging(dW, s['dWhh']), 2 * H, 2 * H, 'dWhh contribution')}<br>"
              + colour_key(s["dWhh"]) + " " + scale_note(mode, "|entry| of a share", s["dWhh"], m["dWhh"])
              + "<br><small>dhraw<sub>t</sub> = (1 \u2212 h<sub>t</sub>\u00b2) "
              "dh<sub>t</sub>, through tanh</small></div></div>")


MAX_STEPPER_CHARS = 2000  # each step redraws the whole text; longer texts make every click slow


def stepper(text=None, params=None, vocab=None, hidden=100, seed=0, direction="forward", h0=None,
            scale="auto"):
    """-> a VBox that walks a model through ``text`` one time step at a time.

    text: default, the first two lines of Tiny Shakespeare (44 characters);
    the page's text box takes another (2 to MAX_STEPPER_CHARS characters the
    model knows; a text it cannot walk gets a message and the old one stays).
    params, vocab: a trained model (e.g. from ``load_checkpoint``); without
    them, a fresh model of ``hidden`` units from ``seed`` over the corpus's
    vocabulary.
    scale: the colour scale of the strips (the "colour scale" buttons, see
    stepper.colour_scales): "fixed" (±1, the range of tanh), "stretched" (each kind of
    strip to its largest |value| over the whole text, so colours still compare across
    steps), or "auto": stretched when every |h| of the text is below 0.5, as in a fresh
    model whose strips would be almost white on ±1, fixed otherwise (a trained model,
    whose saturated units near ±1 are worth seeing as such).
    Attributes: text (box), t (slider), play, back, forward (buttons), direction,
    scale (buttons), status, panel (HTML), trace (the numbers of rnn_core.forward and the
    backward pass, for the text shown), view() (the dict shown now), show().
    """
    if scale not in ("auto",) + stepping.SCALES:
        raise ValueError(f"scale must be 'auto', 'fixed' or 'stretched', got {scale!r}")
    if text is None:
        text = load_text()[:44]
    if (params is None) != (vocab is None):
        raise ValueError("pass params and vocab together (a trained model), or neither "
                         "(a fresh model)")
    if params is None:
        vocab = build_vocab(load_text())
        params = init_params(vocab.size, hidden, seed=seed)
    if len(text) > MAX_STEPPER_CHARS:
        raise ValueError(f"text has {len(text)} characters; the stepper walks at most "
                         f"{MAX_STEPPER_CHARS}: pass a shorter piece, e.g. text[:{MAX_STEPPER_CHARS}]")
    tr = stepping.trace(params, vocab, text, h0=h0)
    T, V = stepping.steps(tr), vocab.size
    maxima = stepping.largest(tr)  # once per text, not at every step
    box = W.Textarea(value=text, description="text", continuous_update=False, style=WIDE,
                     layout=W.Layout(width="95%", height="3.2em"))
    t_slider = W.IntSlider(value=1 if direction == "forward" else T, min=1, max=T,
                           description="step t", continuous_update=True, style=WIDE)
    # Play counts 1, 2, ... along the pass; its value is kept in step with the slider
    play = W.Play(value=1, min=1, max=T, interval=800, description="play")
    back = W.Button(description="\u25c0 step", layout=W.Layout(width="7em"))
    ahead = W.Button(description="step \u25b6", layout=W.Layout(width="7em"))
    dirs = W.ToggleButtons(options=["forward", "backward"], value=direction, description="pass",
                           style=WIDE)
    scales = W.ToggleButtons(options=[("fixed \u00b11", "fixed"), ("stretched to this text", "stretched")],
                             value=stepping.default_scale(maxima) if scale == "auto" else scale,
                             description="colour scale",
                             style={"description_width": "initial", "button_width": "auto"},
                             tooltips=["blue at \u22121, red at +1 for every strip",
                                       "each kind of strip from its largest |value| over the whole text"])
    status, panel = W.HTML(value=""), W.HTML(value="")
    for w, name in [(box, "text"), (t_slider, "t"), (play, "play"), (back, "back"),
                    (ahead, "forward"), (dirs, "direction"), (scales, "scale"), (status, "status"),
                    (panel, "panel")]:
        w.add_class("rnn-stepper-" + name)
    now = {"syncing": False, "largest": maxima}  # the trace shown is ui.trace

    def last():
        return stepping.steps(ui.trace)

    def current():
        v = stepping.view(ui.trace, t_slider.value, dirs.value)
        v["read_all"] = ui.trace["text"]
        return v

    def show(_=None):
        v = current()
        shown = {"mode": scales.value, "largest": now["largest"],
                 "s": stepping.colour_scales(now["largest"], scales.value)}
        panel.value = (render_forward(v, V, shown) if v["direction"] == "forward"
                       else render_backward(v, V, shown))

    def along(t):
        """slider t -> how far along the pass it is (1 at the pass's first step)."""
        return t if dirs.value == "forward" else last() + 1 - t

    def sync_play():
        now["syncing"] = True
        try:
            play.value = along(t_slider.value)
        finally:
            now["syncing"] = False

    def moved(_=None):
        show()
        sync_play()  # so play continues from here, not from where it last stopped

    def walk(delta):
        # "step" moves along the pass: up in t going forward, down in t going backward
        sign = 1 if dirs.value == "forward" else -1
        t_slider.value = int(np.clip(t_slider.value + sign * delta, 1, last()))

    def played(change):
        if not now["syncing"]:
            t_slider.value = along(change["new"])

    def restart():
        """Stop playing and go to the first step of the pass."""
        play.playing = False
        first = 1 if dirs.value == "forward" else last()
        if t_slider.value == first:
            moved()
        else:
            t_slider.value = first

    def retext(change):
        new = change["new"]
        problem = None
        if len(new) > MAX_STEPPER_CHARS:
            problem = (f"the text has {len(new)} characters; the stepper walks at most "
                       f"{MAX_STEPPER_CHARS}: shorten it")
        else:
            try:
                fresh = stepping.trace(params, vocab, new, h0=h0)
            except ValueError as err:
                problem = str(err)
        if problem is not None:
            known = ("" if "vocabulary" not in problem else
                     f"<br><small>This model knows {V} characters: "
                     f"<code>{html.escape(known_characters(vocab))}</code></small>")
            status.value = _error(problem + "; still showing the previous text.") + known
            return
        status.value = ""
        ui.trace, now["largest"] = fresh, stepping.largest(fresh)
        play.playing = False
        now["syncing"] = True
        try:
            play.max = last()
        finally:
            now["syncing"] = False
        t_slider.max = last()  # may clamp t, which redraws from the new trace
        restart()

    t_slider.observe(moved, "value")
    play.observe(played, "value")
    dirs.observe(lambda _: restart(), "value")
    scales.observe(show, "value")
    box.observe(retext, "value")
    back.on_click(lambda _: walk(-1))
    ahead.on_click(lambda _: walk(1))
    ui = W.VBox([box, W.HBox([dirs, scales]), W.HBox([play, back, ahead, t_slider]), status, panel])
    ui.add_class("rnn-stepper")
    ui.text, ui.t, ui.play, ui.back, ui.forward = box, t_slider, play, back, ahead
    ui.direction, ui.scale, ui.status, ui.panel = dirs, scales, status, panel
    ui.trace, ui.view, ui.show = tr, current, show
    show()
    return ui


# --- the trainer ---------------------------------------------------------------------------

def what_changed(old, new):
    """Two trainer settings keys (shakespeare, text, hidden, lr, batch) -> the names that differ."""
    if old is None:
        return []
    names = ["source", "text", "hidden size", "learning rate", "batch"]
    changed = [name for name, a, b in zip(names, old, new) if a != b]
    return [n for n in changed if n != "text"] if "source" in changed else changed


CHUNK_SECONDS = 0.25  # training between two looks at the page: Stop waits at most this long


def trainer(text="", hidden=64, lr=0.05, batch=4, seed=0, chunk_seconds=CHUNK_SECONDS):
    """-> a VBox to train a model on your own text (or Tiny Shakespeare), watch it, sample it.

    Training runs as an asyncio task on the kernel's event loop, a chunk of
    ``chunk_seconds`` at a time (``rnn_core.live.advance``); between chunks the
    kernel handles the page's messages, so **Stop** acts after the current chunk
    and the kernel is never blocked. Attributes: text, upload, source, hidden,
    lr, batch, train, stop, status, stats, curve, sample, download, after (the sampler
    once stopped), controls (a dict: "run", the live run, or None; "task"; "stop"),
    task, and run_chunk() (one chunk, for tests).
    """
    area = W.Textarea(value=text, placeholder="paste a text here (a poem, a few paragraphs...)",
                      layout=W.Layout(width="95%", height="9em"))
    upload = W.FileUpload(accept=".txt,text/plain", multiple=False, description="upload .txt")
    source = W.RadioButtons(options=["the text above", "Tiny Shakespeare (bundled, 1.1 MB)"],
                            value="the text above", description="train on", style=WIDE)
    def choice(options, value, description):
        # the value asked for joins the usual choices, so any valid number can be a default
        return W.Dropdown(options=sorted(set(options) | {value}), value=value,
                          description=description, style=WIDE)

    hidden_w = choice([16, 32, 64, 100, 128], hidden, "hidden units")
    lr_w = choice([0.01, 0.02, 0.05, 0.1, 0.2], lr, "learning rate")
    batch_w = choice([1, 2, 4, 8, 16, 32], batch, "batch (streams)")
    go = W.Button(description="Train", button_style="success", icon="play")
    stop = W.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
    status, stats, curve, sample_box = W.HTML(""), W.HTML(""), W.HTML(""), W.HTML("")
    download = W.HTML("")
    after = W.VBox([])
    parts = {"text": area, "upload": upload, "source": source, "hidden": hidden_w, "lr": lr_w,
             "batch": batch_w, "train": go, "stop": stop, "status": status, "stats": stats,
             "curve": curve, "sample": sample_box, "download": download, "after": after}
    for name, w in parts.items():
        w.add_class("rnn-trainer-" + name)
    ctl = {"run": None, "task": None, "stop": False, "key": None}

    def say(message, error=False):
        status.value = _error(message) if error else html.escape(message)

    def uploaded(change):
        files = change["new"]
        if not files:
            return
        f = files[0]
        try:
            area.value = live.decode_upload(f["content"], f["name"])
        except ValueError as err:
            say(str(err), error=True)
            return
        source.value = "the text above"
        say(f"read {f['name']}: {len(area.value)} characters")

    def refresh():
        run = ctl["run"]
        if run is None or run["state"] is None:
            return
        points = run["loss"]
        if len(points) > 600:  # a long run: every k-th point keeps the message small
            points = points[::len(points) // 600 + 1] + points[-1:]
        series = [(points, "#1565c0", "training (smoothed)")]
        if run["val"]:
            series.append((run["val"], "#ef6c00", "validation"))
        curve.value = polyline_svg(series, ylabel="loss (nats/char)")
        last = run["loss"][-1][1]
        val = (f", validation {_num('val_loss', run['val'][-1][1], '.3f')}" if run["val"] else
               "" if run["has_val"] else " (text too short to hold out a validation part)")
        stats.value = (f"step {_num('step', run['state']['step'], 'd')}, "
                       f"{_num('steps_per_s', live.steps_per_second(run), '.0f')} steps/s, "
                       f"loss {_num('loss', last, '.3f')}{val} nats/char")
        if run["samples"]:
            step, s = run["samples"][-1]
            sample_box.value = (f"<small>sample at step {step} (temperature 0.8, from the "
                                f"text's first character):</small>" + _pre(s))

    def run_chunk():
        live.advance(ctl["run"], seconds=chunk_seconds)
        refresh()

    def finish(message):
        go.disabled, stop.disabled = False, True
        for w in (area, upload, source, hidden_w, lr_w, batch_w):
            w.disabled = False
        run = ctl["run"]
        say(message, error=message.startswith("training stopped:"))
        if run is None or run["state"] is None:
            return
        st = run["state"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                data = live.checkpoint_bytes(run, folder)
        except (ValueError, FloatingPointError, OSError) as err:
            download.value = _error(f"could not save a checkpoint: {err}")
        else:
            b64 = base64.b64encode(data).decode("ascii")
            download.value = (f'<a download="checkpoint.npz" href="data:application/octet-stream;'
                              f'base64,{b64}">\u2b07 download checkpoint.npz</a> <small>({len(data) // 1024} kB,'
                              f' step {st["step"]}; load it with rnn_core.load_checkpoint)</small>')
        after.children = [W.HTML("<b>Sample from this model</b> "
                                 f"<small>(it knows {run['vocab'].size} characters: "
                                 f"<code>{html.escape(known_characters(run['vocab']))}</code>)</small>"),
                          W.HTML("<small>Each pass over the text began from a blank memory "
                                 "(a zero hidden state) at the text's first character, so the "
                                 "prime below is its first word. Another prime starts the model "
                                 "from a state it has not trained on, and a model that learned a "
                                 "short text by heart may then write nonsense.</small>"),
                          sampler_widget(st["params"], run["vocab"], prime=live.opening(run["text"]),
                                         length=300)]

    async def loop():
        try:
            while not ctl["stop"]:
                run_chunk()
                if ctl["run"]["interrupted"]:  # the kernel's interrupt (Ctrl-C) acts as Stop
                    break
                # a few ms, not sleep(0): the kernel needs several turns of the loop to read
                # and handle a message, and Stop is one
                await asyncio.sleep(0.01)
        except FloatingPointError as err:
            finish(f"training stopped: {err}")
            return
        except Exception as err:  # a page must say what happened, not go silent
            finish(f"training stopped: {type(err).__name__}: {err}")
            return
        finish(f"stopped at step {ctl['run']['state']['step']}: sample from the model below, "
               "or press Train to continue (a changed setting or text starts a new model)")

    def start(_=None):
        if ctl["task"] is not None and not ctl["task"].done():
            return
        shakespeare = source.value.startswith("Tiny")
        body = load_text() if shakespeare else area.value
        key = (shakespeare, body if not shakespeare else "", hidden_w.value, lr_w.value, batch_w.value)
        changed = what_changed(ctl["key"], key) if ctl["run"] is not None else []
        if changed or ctl["run"] is None:
            try:
                ctl["run"] = live.start(body, hidden=hidden_w.value, lr=lr_w.value,
                                        batch=batch_w.value, seed=seed)
            except ValueError as err:
                ctl["run"] = None
                say(str(err), error=True)
                return
            ctl["key"] = key
            curve.value = stats.value = sample_box.value = download.value = ""
            after.children = []
            begin = (f"new {' and '.join(changed)}: a new model from scratch (the last one is "
                     "discarded), training" if changed else "training")
        else:
            st = ctl["run"]["state"]
            begin = "training" if st is None else f"continuing the same model from step {st['step']}"
        try:
            loop_ = asyncio.get_running_loop()
        except RuntimeError:
            say("no running event loop (not in a kernel): call run_chunk() to train", error=True)
            return
        ctl["stop"] = False
        go.disabled, stop.disabled = True, False
        for w in (area, upload, source, hidden_w, lr_w, batch_w):
            w.disabled = True
        run = ctl["run"]
        say(f"{begin} on {len(run['text'])} characters ({run['vocab'].size} distinct) ...")
        ctl["task"] = ui.task = loop_.create_task(loop())

    def stop_now(_=None):
        ctl["stop"] = True
        say("stopping ...")

    upload.observe(uploaded, "value")
    go.on_click(start)
    stop.on_click(stop_now)
    ui = W.VBox([area, W.HBox([upload, source]), W.HBox([hidden_w, lr_w, batch_w]),
                 W.HBox([go, stop]), status, stats, curve, sample_box, download, after])
    ui.add_class("rnn-trainer")
    for name, w in parts.items():
        setattr(ui, name, w)
    ui.task = None
    ui.run_chunk = run_chunk
    ui.refresh = refresh
    ui.controls = ctl
    return ui
