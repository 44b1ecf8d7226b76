"""The stepper page: walk a model through a text one time step at a time, forward and backward.

What is shown at step t is ``stepper.view(trace, t, direction)``, a plain tested function;
this module turns it into HTML and wires the slider, buttons and keys to it.
"""
import html

import ipywidgets as W
import numpy as np

from . import stepper as stepping
from .data import load_text
from .encoding import build_vocab
from .forward import init_params
from .page_html import (WIDE, _error, _img, _num, _visible, diverging, known_characters,
                        polyline_svg, strip)


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
