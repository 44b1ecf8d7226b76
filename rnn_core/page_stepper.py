"""The stepper page: walk a model through a text one time step at a time, forward and backward.

What is shown at step t is ``stepper.view(trace, t, direction)``, a plain tested function;
this module turns it into HTML (``render_forward``, ``render_backward``: the numbers with
the equations of notebooks 02 and 04 beside them) and wires the slider, buttons, keys and
the model switch to it.
"""
import html

import ipywidgets as W
import numpy as np

from . import models as shelf
from . import stepper as stepping
from .data import load_text
from .encoding import build_vocab
from .forward import init_params
from .page_html import (WIDE, _error, _img, _num, _visible, cell_px, diverging, known_characters,
                        page, polyline_svg, strip)

TEXT_WINDOW = 160  # characters of a long text shown around step t, so the panel keeps its place


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
    return ('<div class="rnn-stepper-text" style="font-family: monospace; font-size: 1.1em; '
            'word-break: break-all; margin: 0.3em 0; min-height: 2.6em">' + "".join(cells) + "</div>")


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


def _table(rows, label_width="9.5em"):
    """rows: (label, picture, remark) HTML triples -> a table whose columns keep their width
    from step to step, so the pictures line up and nothing moves sideways."""
    def row(a, b, c):
        if c is None:  # a colour key: it spans the picture's and the remark's columns
            return (f'<tr><td></td><td colspan="2" style="padding: 0 6px 4px 6px">{b}</td></tr>')
        return (f'<tr><td style="text-align: right; padding: 2px 6px; white-space: nowrap; '
                f'width: {label_width}">{a}</td><td style="padding: 2px 6px">{b}</td>'
                f'<td style="padding: 2px 6px; white-space: nowrap">{c}</td></tr>')

    cells = "".join(row(a, b, c) for a, b, c in rows)
    return f'<table style="border-collapse: collapse; margin: 0.2em 0">{cells}</table>'


def _eq(text):
    """An equation line, in the notation of notebooks 02 and 04."""
    return (f'<div class="rnn-eq" style="font-family: serif; font-size: 1.1em; margin: 0.25em 0; '
            f'padding: 0.15em 0.5em; background: #f4f6fb; border-left: 3px solid #8aa2d8">{text}</div>')


# the symbols of notebooks 02 and 04, as HTML
X, H_T, H_PREV = "<i>x<sub>t</sub></i>", "<i>h<sub>t</sub></i>", "<i>h</i><sub><i>t</i>\u22121</sub>"
P_T, DY, DH, DA = "<i>p<sub>t</sub></i>", "d<i>y<sub>t</sub></i>", "d<i>h<sub>t</sub></i>", "d<i>a<sub>t</sub></i>"
DHNEXT = "d<i>h</i><sup>next</sup><sub><i>t</i></sub>"
TR = "\u22a4"  # transposed


def W_(ij, T=""):
    return f"<i>W</i><sub>{ij}</sub>" + (f"<sup>{T}</sup>" if T else "")


def _columns(left, right):
    # on a narrow screen (150% zoom) a right column with no room goes below, never off the edge
    return ('<div class="rnn-view" style="display: flex; flex-wrap: wrap; align-items: flex-start; '
            # the left column is as wide as its table (its text line wraps within it)
            f'gap: 0.4em 1.2em"><div style="flex: 0 1 auto; width: min-content">{left}</div>'
            f'<div class="rnn-view-right" style="flex: 1 1 16em; min-width: 0">{right}</div></div>')


def _title(v, words):
    width = len(str(v["T"]))
    return (f'<div style="font-weight: bold">step t = {_num("t", v["t"], "d", width)} of {v["T"]} '
            f"{words}</div>")


def render_forward(v, V, scale):
    """HTML of a forward view (see stepper.view); scale: {"mode", "s": {family: s},
    "largest": {family: m}} from stepper.colour_scales and stepper.largest."""
    s, m = scale["s"]["h"], scale["largest"]["h"]
    H = len(v["h"])
    onehot = np.zeros(V)
    onehot[v["x_id"]] = 1
    bars = []
    for ch, p, is_target in v["top"]:
        colour = "#2e7d32" if is_target else "#6d8fc9"
        bars.append((f'<span style="font-family: monospace; font-size: 1.2em">{html.escape(_visible(ch))}</span>',
                     # --rnn-bar: the bar of p = 1, shorter on a narrow screen (page_html.STYLE)
                     f'<div style="background: {colour}; height: 22px; '
                     f'width: max(1px, calc(var(--rnn-bar, 260px) * {p:.4f}))">'
                     "</div>",
                     _num("p", p, ".3f", 5) + (" <b>\u2714 true next</b>" if is_target else "")))
    missing = (f"<div>true next {html.escape(repr(v['target_char']))} is not in the top 5: "
               f"p = {_num('p_target', v['p_target'])}, rank {v['target_rank']}</div>"
               if not any(m for _, _, m in v["top"]) else "<div>&nbsp;</div>")
    target = html.escape(repr(v["target_char"]))
    left = (_title(v, "(forward)") + _text_with_cursor(v["read_all"], v["t"], "forward")
            + _table([
                (f"{X} = {html.escape(repr(v['x_char']))} <small>id {_num('x_id', v['x_id'], 'd', 3)}</small>",
                 strip(onehot, 1, "x_t (one-hot)"), ""),
                (H_PREV, strip(v["h_prev"], s, "h_{t-1}", cell=cell_px(H)), ""),
                (H_T, strip(v["h"], s, "h_t", cell=cell_px(H)), ""),
                ("", colour_key(s) + " " + scale_note(scale["mode"], "|h|", s, m), None)])
            + _eq(f"{H_T} = tanh({W_('xh')} {X} + {W_('hh')} {H_PREV} + <i>b<sub>h</sub></i>)"
                  "&emsp;<small>(each entry between \u22121 and 1)</small>"))
    right = (_eq(f"{P_T} = softmax({W_('hy')} {H_T} + <i>b<sub>y</sub></i>)")
             + "<div>the 5 likeliest next characters</div>" + _table(bars, "1.5em") + missing
             + _eq(f"<i>L<sub>t</sub></i> = \u2212ln {P_T}[{target}] = {_num('loss', v['loss'])}")
             + f"<div>so far: sum {_num('loss_sum', v['loss_sum'])}, "
               f"mean {_num('loss_mean', v['loss_mean'])} nats/char</div>")
    return _columns(left, right)


def render_backward(v, V, scale):
    """HTML of a backward view (see stepper.view); scale as for render_forward. Also uses
    v["dhnext_largest"], the largest |dhnext| over the whole text (the plot's fixed y-axis)."""
    mode, s, m = scale["mode"], scale["s"], scale["largest"]
    norms = v["dhnext_norms"]
    top = max(v.get("dhnext_largest", 0.0), max(n for _, n in norms), 1e-12)
    plot = polyline_svg([(norms[::-1], "#c62828", "")], width=300, height=170,
                        xlabel="step t (walking back from T)", ylabel="|dh next|", xmax=v["T"],
                        y0=0.0, ymax=float(f"{top * 1.05:.2g}"))
    dW = v["dWhh"]
    H = dW.shape[0]
    c = cell_px(H)
    norm = lambda name, x: f"|\u00b7| = {_num(name, float(np.linalg.norm(x)))}"  # noqa: E731
    target = html.escape(repr(v["target_char"]))
    pic = cell_px(H, total=240, lo=2, hi=28)
    left = (_title(v, "(backward, walking t = T \u2026 1)")
            + _text_with_cursor(v["read_all"], v["t"], "backward")
            + '<div class="rnn-strips">' + _table([
                (f"{DY} = {P_T} \u2212 onehot({target})", strip(v["dy"], s["dy"], "dy_t"),
                 f"at {target}: {_num('dy_target', v['dy_target'])}"),
                ("", colour_key(s["dy"]) + " " + scale_note(mode, "|dy|", s["dy"], m["dy"]), None),
                (f"{W_('hy', TR)} {DY}", strip(v["dh_pred"], s["dh"], "from prediction", cell=c),
                 norm("dh_pred_norm", v["dh_pred"])),
                (f"+ {DHNEXT}", strip(v["dh_next"], s["dh"], "from dhnext", cell=c),
                 norm("dh_next_norm", v["dh_next"])),
                (f"= {DH}", strip(v["dh"], s["dh"], "dh_t", cell=c), norm("dh_norm", v["dh"])),
                (f"{DA} = (1 \u2212 {H_T}\u00b2) \u2299 {DH}", strip(v["dhraw"], s["dh"], "da_t", cell=c),
                 norm("da_norm", v["dhraw"])),
                ("", colour_key(s["dh"]) + " " + scale_note(mode, "|dh| or part", s["dh"], m["dh"]), None)])
            + _eq(f"passed back to step <i>t</i>\u22121: d<i>h</i><sup>next</sup><sub><i>t</i>\u22121</sub>"
                  f" = {W_('hh', TR)} {DA}, &ensp;|\u00b7| = {_num('passed_back_norm', float(np.linalg.norm(v['passed_back'])))}")
            + "</div>")
    # plot and share stack in a column beside the strips, or sit side by side below them
    right = ('<div style="display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: flex-start">'
             f'<div class="rnn-dhnext-plot">{plot}</div><div style="flex: 1 1 22em; min-width: 0">'
             + _eq(f"d{W_('hh')} += {DA} {H_PREV}<sup>\u22a4</sup>")
             + '<div style="display: flex; gap: 0.8em; align-items: flex-start">'
             + _img(diverging(dW, s["dWhh"]), pic * H, pic * H, "dWhh contribution")
             + f"<div>this step's share ({H}\u00d7{H}),<br>|\u00b7| = {_num('dWhh_norm', v['dWhh_norm'])}"
             + f"<br>{colour_key(s['dWhh'])}<br>"
             + scale_note(mode, "|entry| of a share", s["dWhh"], m["dWhh"]) + "</div></div></div></div>")
    return _columns(left, right)


# page-wide keys: an <img> that fails to load runs this once (a widget's HTML runs no <script>)
KEYS_JS = """(function () {
  if (window.__rnnStepperKeys) return;
  window.__rnnStepperKeys = true;
  var names = {ArrowRight: 'forward', ArrowLeft: 'back', ' ': 'playpause', Home: 'first', End: 'last'};
  document.addEventListener('keydown', function (e) {
    var el = e.target;
    if (e.key === 'Enter' && !e.shiftKey && el.closest && el.closest('.rnn-enter-sends textarea')) {
      e.preventDefault(); el.blur(); return;  /* a text box's value is sent when it loses focus */
    }
    if (e.ctrlKey || e.altKey || e.metaKey || !names[e.key]) return;
    if (el.closest && el.closest('input, textarea, select, [contenteditable], .widget-slider')) return;
    var steppers = document.querySelectorAll('.rnn-stepper');
    if (steppers.length !== 1) return;  /* several on a page: which one is meant is unclear */
    /* in JupyterLab (not Voila) the keys also move between cells: act only inside the stepper */
    if (document.querySelector('.jp-NotebookPanel') && !steppers[0].contains(el)) return;
    var button = steppers[0].querySelector('.rnn-stepper-' + names[e.key]);
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  }, true);  /* capture: a widget's text box stops keydown from bubbling */
})();"""


def keys_html():
    return (f'<img src="x:" alt="" style="display: none" onerror="{html.escape(KEYS_JS, quote=True)}">'
            '<span class="rnn-keys-note"><small>keys: \u2190 \u2192 step, space play/pause, '
            "Home / End first / last step; Enter in the text box walks it (Shift+Enter: a new "
            "line)</small></span>")


MAX_STEPPER_CHARS = 2000  # each step redraws the whole text; longer texts make every click slow
MODEL_LABELS = {"fresh": "fresh (untrained)", "shipped": "Shakespeare (shipped)",
                "trained": "just trained"}


def stepper(text=None, params=None, vocab=None, hidden=100, seed=0, direction="forward", h0=None,
            scale="auto", model=None, models=(), shipped=None):
    """-> a VBox that walks a model through ``text`` one time step at a time.

    text: default, the first two lines of Tiny Shakespeare (44 characters);
    the page's text box takes another (2 to MAX_STEPPER_CHARS characters the
    model knows; a text it cannot walk gets a message and the old one stays).
    params, vocab: a trained model (e.g. from ``load_checkpoint``); without
    them, a fresh model of ``hidden`` units from ``seed`` over the corpus's
    vocabulary, or the model named by ``model`` ("fresh", "shipped" or "trained",
    see ``rnn_core.models.load``; ``shipped``: the shipped checkpoint's path).
    models: the names the page's model switch offers (none: no switch).
    scale: the colour scale of the strips (the "colour scale" buttons, see
    stepper.colour_scales): "fixed" (±1, the range of tanh), "stretched" (each kind of
    strip to its largest |value| over the whole text, so colours still compare across
    steps), or "auto": stretched when every |h| of the text is below 0.5, as in a fresh
    model whose strips would be almost white on ±1, fixed otherwise (a trained model,
    whose saturated units near ±1 are worth seeing as such).
    Keys (anywhere on a page holding one stepper, outside text boxes): left / right
    step, space play / pause, Home / End the first / last step of the pass.
    Attributes: text (box), t (slider), play (the Play widget that ticks), playpause,
    first, back, forward, last (buttons), direction, scale, model (switch or None),
    part (on a narrow screen, e.g. 150% zoom: the backward view's strips or its sums, the
    |dh next| plot and dW_hh's share), status, panel (HTML), trace (the numbers of rnn_core.forward and the backward pass,
    for the text shown), view() (the dict shown now), show().
    """
    if scale not in ("auto",) + stepping.SCALES:
        raise ValueError(f"scale must be 'auto', 'fixed' or 'stretched', got {scale!r}")
    if text is None:
        text = load_text()[:44]
    if (params is None) != (vocab is None):
        raise ValueError("pass params and vocab together (a trained model), or neither "
                         "(a fresh model)")
    if params is not None and model is not None:
        raise ValueError("pass a model's params and vocab, or its name as model=, not both")
    label = ""
    if model is not None:
        params, vocab, label, _ = shelf.load(model, shipped=shipped, hidden=hidden, seed=seed)
    elif params is None:
        vocab = build_vocab(load_text())
        params = init_params(vocab.size, hidden, seed=seed)
    if len(text) > MAX_STEPPER_CHARS:
        raise ValueError(f"text has {len(text)} characters; the stepper walks at most "
                         f"{MAX_STEPPER_CHARS}: pass a shorter piece, e.g. text[:{MAX_STEPPER_CHARS}]")
    now = {"params": params, "vocab": vocab, "syncing": False}
    tr = stepping.trace(params, vocab, text, h0=h0)
    T = stepping.steps(tr)
    box = W.Textarea(value=text, description="text", continuous_update=False, style=WIDE,
                     layout=W.Layout(width="98%", height="3.4em"))
    box.add_class("rnn-enter-sends")
    t_slider = W.IntSlider(value=1 if direction == "forward" else T, min=1, max=T,
                           description="step t", continuous_update=True, style=WIDE,
                           layout=W.Layout(width="20em"))
    # Play counts 1, 2, ... along the pass; its value is kept in step with the slider. Its own
    # buttons stay hidden: its square one jumps back to the start instead of pausing
    play = W.Play(value=1, min=1, max=T, interval=800, layout=W.Layout(display="none"))
    playpause = W.Button(description="play", icon="play", layout=W.Layout(width="6.5em"),
                         tooltip="play / pause (space)")
    first = W.Button(description="", icon="step-backward", layout=W.Layout(width="3em"),
                     tooltip="first step of the pass (Home)")
    back = W.Button(description="\u25c0 step", layout=W.Layout(width="5.5em"), tooltip="\u2190")
    ahead = W.Button(description="step \u25b6", layout=W.Layout(width="5.5em"), tooltip="\u2192")
    last_b = W.Button(description="", icon="step-forward", layout=W.Layout(width="3em"),
                      tooltip="last step of the pass (End)")
    dirs = W.ToggleButtons(options=["forward", "backward"], value=direction, description="pass",
                           style={"description_width": "initial", "button_width": "6.5em"})
    scales = W.ToggleButtons(options=[("fixed \u00b11", "fixed"), ("stretched", "stretched")],
                             value="fixed", description="colour scale",
                             style={"description_width": "initial", "button_width": "auto"},
                             tooltips=["blue at \u22121, red at +1 for every strip",
                                       "each kind of strip from its largest |value| over the whole text"])
    switch = (W.ToggleButtons(options=[(MODEL_LABELS[n], n) for n in models],
                              value=model if model in models else models[0], description="model",
                              style={"description_width": "initial", "button_width": "auto"})
              if models else None)
    # on a narrow screen (150% zoom) the backward view shows its strips or its sums (the
    # |dh next| plot and dW_hh's share), each on one screen; on a wide one, both (page_html.STYLE)
    part = W.ToggleButtons(options=[("strips", "strips"), ("|dh next| plot, dW share", "sums")], value="strips",
                           description="show", style={"description_width": "initial",
                                                      "button_width": "auto"},
                           tooltips=["dy_t and the parts of dh_t", "the plot of |dh next| and this "
                                     "step's share of dW_hh"])
    part.add_class("rnn-narrow-only")
    which = W.HTML(f"<small>{html.escape(label)}</small>" if label else "")
    status, panel = W.HTML(value=""), W.HTML(value="")
    keys = W.HTML(keys_html())
    named = [(box, "text"), (t_slider, "t"), (play, "play"), (playpause, "playpause"),
             (first, "first"), (back, "back"), (ahead, "forward"), (last_b, "last"),
             (dirs, "direction"), (scales, "scale"), (status, "status"), (panel, "panel"),
             (which, "which"), (part, "part")] + ([(switch, "model")] if switch else [])
    for w, name in named:
        w.add_class("rnn-stepper-" + name)
    for w in [box, scales] + ([switch] if switch else []):
        w.add_class("rnn-fold-short")  # folded in presentation on a short screen (page_html.STYLE)

    def last():
        return stepping.steps(ui.trace)

    def current():
        v = stepping.view(ui.trace, t_slider.value, dirs.value)
        v["read_all"] = ui.trace["text"]
        v["dhnext_largest"] = now["dhnext_largest"]
        return v

    def show(_=None):
        v = current()
        shown = {"mode": scales.value, "largest": now["largest"],
                 "s": stepping.colour_scales(now["largest"], scales.value)}
        panel.value = (render_forward(v, now["vocab"].size, shown) if v["direction"] == "forward"
                       else render_backward(v, now["vocab"].size, shown))

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

    def to_end(which_end):
        play.playing = False
        at_start = (which_end == "first") == (dirs.value == "forward")
        t_slider.value = 1 if at_start else last()

    def played(change):
        if not now["syncing"]:
            t_slider.value = along(change["new"])

    def playing(change):
        playpause.description, playpause.icon = ("pause", "pause") if change["new"] else ("play", "play")

    def toggle(_=None):
        if not play.playing and along(t_slider.value) >= last():
            to_end("first")  # at the end of the pass: play it again from its start
        play.playing = not play.playing

    def restart():
        """Stop playing and go to the first step of the pass."""
        play.playing = False
        first_t = 1 if dirs.value == "forward" else last()
        if t_slider.value == first_t:
            moved()
        else:
            t_slider.value = first_t

    def walk_text(new_trace):
        ui.trace = new_trace
        now["largest"] = stepping.largest(new_trace)
        now["dhnext_largest"] = float(np.linalg.norm(new_trace["dh_next"], axis=1).max())
        if not now.get("scale_chosen"):
            scales.value = stepping.default_scale(now["largest"]) if scale == "auto" else scale
        play.playing = False
        now["syncing"] = True
        try:
            play.max = last()
        finally:
            now["syncing"] = False
        t_slider.max = last()  # may clamp t, which redraws from the new trace
        restart()

    def refuse(problem, vocab_):
        known = ("" if "vocabulary" not in problem else
                 f"<br><small>This model knows {vocab_.size} characters: "
                 f"<code>{html.escape(known_characters(vocab_))}</code></small>")
        status.value = _error(problem + "; still showing the previous text.") + known

    def retext(change):
        new = change["new"]
        if len(new) > MAX_STEPPER_CHARS:
            refuse(f"the text has {len(new)} characters; the stepper walks at most "
                   f"{MAX_STEPPER_CHARS}: shorten it", now["vocab"])
            return
        try:
            fresh = stepping.trace(now["params"], now["vocab"], new, h0=h0)
        except ValueError as err:
            refuse(str(err), now["vocab"])
            return
        status.value = ""
        walk_text(fresh)

    def rechoose(change):
        if now.get("reverting"):
            return
        try:
            params_, vocab_, label_, own = shelf.load(change["new"], shipped=shipped, hidden=hidden,
                                                      seed=seed)
        except (ValueError, OSError) as err:
            status.value = _error(str(err))
            now["reverting"] = True
            switch.value = change["old"]
            now["reverting"] = False
            return
        text_ = box.value
        try:
            fresh = stepping.trace(params_, vocab_, text_, h0=None)
        except ValueError:
            # the text holds characters this model lacks: walk the start of its own text
            text_ = (own or "".join(vocab_.chars))[:60]
            fresh = stepping.trace(params_, vocab_, text_, h0=None)
        now["params"], now["vocab"] = params_, vocab_
        which.value = f"<small>{html.escape(label_)}</small>"
        status.value = ""
        if text_ != box.value:
            box.unobserve(retext, "value")
            box.value = text_
            box.observe(retext, "value")
        walk_text(fresh)

    def chose_scale(_=None):
        now["scale_chosen"] = True
        show()

    t_slider.observe(moved, "value")
    play.observe(played, "value")
    play.observe(playing, "playing")
    dirs.observe(lambda _: restart(), "value")
    dirs.observe(lambda c: (ui.add_class if c["new"] == "backward" else ui.remove_class)("rnn-backward"),
                 "value")
    part.observe(lambda c: (ui.add_class if c["new"] == "sums" else ui.remove_class)("rnn-show-sums"),
                 "value")
    box.observe(retext, "value")
    back.on_click(lambda _: walk(-1))
    ahead.on_click(lambda _: walk(1))
    first.on_click(lambda _: to_end("first"))
    last_b.on_click(lambda _: to_end("last"))
    playpause.on_click(toggle)
    if switch is not None:
        switch.observe(rechoose, "value")
    header = [dirs, part, scales] + ([switch] if switch else [])
    about = W.HBox([which, keys], layout=W.Layout(justify_content="space-between"))
    about.add_class("rnn-fold-short")
    ui = page([about, box,
               W.HBox([first, back, playpause, ahead, last_b, t_slider, play],
                      layout=W.Layout(flex_flow="row wrap", align_items="center")),
               status, panel], "rnn-stepper", header=header)
    ui.text, ui.t, ui.play, ui.playpause, ui.back, ui.forward = box, t_slider, play, playpause, back, ahead
    ui.first, ui.last, ui.model, ui.which = first, last_b, switch, which
    ui.direction, ui.scale, ui.status, ui.panel, ui.part = dirs, scales, status, panel, part
    if direction == "backward":
        ui.add_class("rnn-backward")
    ui.view, ui.show = current, show
    ui.trace = tr
    walk_text(tr)
    scales.observe(chose_scale, "value")
    return ui
