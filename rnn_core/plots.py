"""The pictures the notebooks draw, kept here so they are tested and notebooks stay short.

Each function draws onto a new (or given) matplotlib Axes and returns it; the
caller decides when to ``plt.show()``. Imported only by code that plots, so
``import rnn_core`` does not need matplotlib.
"""
import html

import numpy as np
import matplotlib.pyplot as plt


def _axes(ax, figsize=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def loss_curves(curves, ax=None, title="Training loss", xlabel="step",
                ylabel="loss per character (nats)"):
    """curves: {label: (steps, losses)} -> Axes with one line per label."""
    ax = _axes(ax)
    for label, (x, y) in curves.items():
        ax.plot(x, y, label=label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(curves) > 1:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax


def train_val_curves(history, ax=None, title="Training and validation loss"):
    """A ``History`` -> Axes with the smoothed training loss and the validation loss."""
    curves = {"training (smoothed)": (history.step, history.loss)}
    if history.val_step:
        curves["validation"] = (history.val_step, history.val_loss)
    ax = loss_curves(curves, ax=ax, title=title)
    if history.val_step:
        ax.lines[-1].set_marker("o")
    ax.legend()
    return ax


def hidden_heatmap(hs, text=None, ax=None, title="Hidden state over the sequence"):
    """hs: (T, H) hidden states -> Axes with a units x time heatmap (tanh range -1..1).

    With ``text`` (length T), each column is labelled with the character read.
    """
    hs = np.asarray(hs)
    if hs.ndim != 2:
        raise ValueError(f"hs must have shape (T, H), got {hs.shape}")
    ax = _axes(ax, figsize=(min(14, 2 + 0.25 * hs.shape[0]), 5))
    im = ax.imshow(hs.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.figure.colorbar(im, ax=ax, label="activation")
    ax.set_title(title)
    ax.set_xlabel("time step (character read)")
    ax.set_ylabel("hidden unit")
    if text is not None:
        if len(text) != hs.shape[0]:
            raise ValueError(f"text has {len(text)} characters but hs has {hs.shape[0]} steps")
        ax.set_xticks(range(len(text)))
        ax.set_xticklabels([_visible(ch) for ch in text], fontsize=7, family="monospace")
    return ax


def _visible(ch):
    return {"\n": "\\n", " ": "\u2423", "\t": "\\t"}.get(ch, ch)


# The ends of the activation scale: a red and a blue light enough that black text on
# them keeps a WCAG contrast ratio above 4.5 (white, at 0, is the lightest of all).
ACTIVATION_RED = (230, 97, 80)
ACTIVATION_BLUE = (90, 140, 225)


def activation_colour(v):
    """v in [-1, 1] -> (r, g, b) ints: white at 0, towards red for +1 and blue for -1.

    A straight line from white to the end colour, so every colour of the scale is at
    least as light as its end and black text stays readable on all of them.
    """
    v = float(np.clip(v, -1, 1))
    end = ACTIVATION_RED if v >= 0 else ACTIVATION_BLUE
    return tuple(int(round(255 + abs(v) * (c - 255))) for c in end)


def _swatch(v, shown):
    return f'<span style="background: rgb{activation_colour(v)}" title="{v:+.2f}">{shown}</span>'


def activation_key():
    """The colour key of ``activation_html``: an HTML strip from -1 through 0 to +1."""
    steps = np.linspace(-1, 1, 9)
    strip = "".join(_swatch(v, "&nbsp;&nbsp;") for v in steps)
    return ('<div style="font-family: monospace; font-size: 85%; color: #000; background: #fff; '
            'display: inline-block; padding: 2px 4px">'
            f"activation &minus;1 {strip} +1 (white: 0)</div>")


def activation_html(text, values, title=None):
    """Colour each character of ``text`` by one unit's activation in [-1, 1] (red +, blue -).

    text: str of length T, values: (T,) -> an HTML string (display it with
    ``IPython.display.HTML``), in the style of "The Unreasonable Effectiveness of RNNs",
    with the colour key above the text. Black text on light colours, so every
    character stays readable (WCAG contrast above 4.5 across the whole scale).
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),):
        raise ValueError(f"values must have shape ({len(text)},) to match the text, got {values.shape}")
    spans = []
    for ch, v in zip(text, np.clip(values, -1, 1)):
        shown = "\u21b5<br>" if ch == "\n" else html.escape(ch).replace(" ", "&nbsp;")
        spans.append(_swatch(v, shown))
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    # the text colour is set, not inherited: a dark theme's light text would vanish on light colours
    return (f"{head}{activation_key()}"
            '<div style="font-family: monospace; line-height: 1.6; white-space: normal; '
            'color: #000; background: #fff">' + "".join(spans) + "</div>")


def char_frequencies(text, ax=None, top=None, title="Character frequencies"):
    """Bar chart of how often each character occurs, most frequent first."""
    chars, counts = np.unique(np.array(list(text)), return_counts=True)
    order = np.argsort(-counts, kind="stable")[:top]
    ax = _axes(ax, figsize=(12, 4))
    ax.bar(range(len(order)), counts[order])
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels([_visible(c) for c in chars[order]], family="monospace")
    ax.set_title(title)
    ax.set_xlabel("character")
    ax.set_ylabel("count")
    return ax


def unit_traces(hs, text, units, title="Hidden units over the text"):
    """hs: (T, H), text: str of length T, units: indices -> one line plot per unit, stacked.

    The plots share both axes (tanh range -1..1); each x tick is the character
    just read. Returns the array of Axes, top to bottom in the order of ``units``.
    """
    hs = np.asarray(hs)
    if hs.ndim != 2:
        raise ValueError(f"hs must have shape (T, H), got {hs.shape}")
    T, H = hs.shape
    if len(text) != T:
        raise ValueError(f"text has {len(text)} characters but hs has {T} steps")
    units = [int(u) for u in units]
    if not units:
        raise ValueError("units is empty: give at least one hidden unit to plot")
    bad = [u for u in units if not 0 <= u < H]
    if bad:
        raise ValueError(f"unit {bad[0]} does not exist: hs has {H} units, numbered 0..{H - 1}")
    fig, axes = plt.subplots(len(units), 1, figsize=(min(14, 2 + 0.3 * T), 1 + 1.1 * len(units)),
                             sharex=True, sharey=True, squeeze=False)
    axes = axes[:, 0]
    for ax, u in zip(axes, units):
        ax.plot(hs[:, u], marker="o", ms=3)
        ax.set_ylabel(f"unit {u}")
        ax.set_ylim(-1.15, 1.15)
        ax.grid(alpha=0.3)
    axes[-1].set_xticks(range(T))
    axes[-1].set_xticklabels([_visible(ch) for ch in text], family="monospace")
    axes[-1].set_xlabel("character just read")
    fig.supylabel("activation")
    fig.suptitle(title)
    fig.tight_layout()
    return axes
