"""The pieces the three pages share: HTML helpers, tiny PNG pictures and SVG line plots.

Pictures are drawn without matplotlib (a PNG of coloured cells, an SVG polyline), so a
page redraws in a millisecond and the same HTML shows in JupyterLab, in Voila and in tests.
"""
import base64
import html
import struct
import zlib

import ipywidgets as W
import numpy as np

from .encoding import encode
from .forward import hidden_states, sizes

WIDE = {"description_width": "initial"}  # so descriptions such as "temperature" are not cut
SEED_MAX = 2**32 - 1  # numpy accepts larger seeds, but a number box in the browser rounds them


def _pre(text, bold="", mark=""):
    """Text in a monospace block; ``bold`` before it (a prime), ``mark`` after it struck
    through in red (a recital where it goes wrong)."""
    tail = (f'<span style="color: #b00; text-decoration: line-through">{html.escape(mark)}</span>'
            if mark else "")
    return ('<pre class="rnn-text" style="white-space: pre-wrap; font-family: monospace; '
            f'line-height: 1.3; margin: 0.3em 0">{f"<b>{html.escape(bold)}</b>" if bold else ""}'
            f"{html.escape(text)}{tail}</pre>")


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


def _img(rgb, width, height, title, kind=""):
    data = base64.b64encode(png(rgb)).decode("ascii")
    return (f'<img class="rnn-picture {kind}" src="data:image/png;base64,{data}" width="{width}" '
            f'height="{height}" title="{html.escape(title)}" style="image-rendering: pixelated; '
            f'border: 1px solid #999; vertical-align: middle">')


STRIP_PX = 460  # the width a strip aims for: its cells grow for a small H or V
CELL_PX = (4, 40)  # ... but a cell stays between 4 and 40 px wide
STRIP_HEIGHT = 28


def cell_px(n, total=STRIP_PX, lo=CELL_PX[0], hi=CELL_PX[1]):
    """Width in px of each of n cells so that n cells take about ``total`` px (lo..hi each)."""
    return int(min(hi, max(lo, total // max(n, 1))))


def strip(values, scale=1.0, title="", cell=None, height=STRIP_HEIGHT):
    """A vector as a row of coloured cells (blue negative, red positive), ``cell`` px each
    (default: ``cell_px(len(values))``)."""
    values = np.asarray(values)
    cell = cell or cell_px(len(values))
    return _img(diverging(values[None, :], scale), cell * len(values), height, title, "rnn-strip")


FONT_PX = 16  # the smallest text on a page: read from the back of a room


def polyline_svg(series, width=460, height=150, xlabel="step", ylabel="", xmax=None, y0=None,
                 ymax=None, logx=False):
    """series: list of (points [(x, y), ...], colour, name) -> an SVG line plot with axes,
    ``width`` wide plus room on the right for the names. ``y0`` / ``ymax`` fix the
    y-axis's ends (e.g. 0 for a norm or a loss), so it does not move as points arrive.
    ``logx``: x drawn at log(1 + x), so the first hundred steps, where a short text is
    learned, get as much room as the thousands after them (ticks at 0, 10, 100, ...)."""
    pts = [p for s, _, _ in series for p in s]
    if not pts:
        return ""
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    x0, x1 = 0, max(xmax or 0, max(xs), 1)
    y0 = min(ys) if y0 is None else y0
    y1 = max(max(ys), y0) if ymax is None else ymax
    if y1 - y0 < 1e-9:
        y0, y1 = (y0 - 0.5, y1 + 0.5) if y0 != 0 else (0.0, 1.0)
    # the legend sits right of the plot: inside it, it hid the start of a falling curve
    legend = int(max((len(name) for _, _, name in series), default=0) * FONT_PX * 0.55) + 14
    left, bottom, top, right = 60, 40, 10, 10 + legend
    width += legend

    def sx(x):
        if logx:
            return left + np.log1p(x) / np.log1p(x1) * (width - left - right)
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y):
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
           f'style="font: {FONT_PX}px sans-serif; background: #fff">',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
           'stroke="#444"/>',
           f'<text x="{left - 4}" y="{sy(y1) + 4:.1f}" text-anchor="end">{y1:.2f}</text>',
           f'<text x="{left - 4}" y="{sy(y0):.1f}" text-anchor="end">{y0:.2f}</text>',
           f'<text x="{left}" y="{height - 22}" text-anchor="middle">{x0}</text>',
           f'<text x="{width - right}" y="{height - 22}" text-anchor="end">{x1}</text>',
           f'<text x="{(left + width) / 2:.0f}" y="{height - 3}" text-anchor="middle">'
           f'{xlabel}{" (log scale)" if logx else ""}</text>',
           f'<text x="14" y="{(top + height - bottom) / 2:.0f}" text-anchor="middle" '
           f'transform="rotate(-90 14 {(top + height - bottom) / 2:.0f})">{ylabel}</text>']
    if logx:  # ticks at the powers of ten between the ends
        for power in range(1, int(np.log10(max(x1, 1))) + 1):
            # a tick's label (centred) keeps clear of the end's (right-aligned): 1000 and 4466
            # ran together; a digit is about 0.6 font sizes wide
            room = (len(str(x1)) + len(str(10 ** power)) / 2 + 1) * 0.6 * FONT_PX
            if sx(x1) - sx(10 ** power) >= room:
                out += [f'<line x1="{sx(10 ** power):.1f}" y1="{height - bottom}" '
                        f'x2="{sx(10 ** power):.1f}" y2="{height - bottom + 5}" stroke="#444"/>',
                        f'<text x="{sx(10 ** power):.1f}" y="{height - 22}" '
                        f'text-anchor="middle">{10 ** power}</text>']
    for k, (points, colour, name) in enumerate(series):
        if points:
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
            if len(points) < 40:
                out += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{colour}"/>'
                        for x, y in points]
            out.append(f'<text x="{width - right + 8}" y="{top + 14 + 20 * k}" '
                       f'fill="{colour}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def _num(name, value, fmt=".4f", width=None):
    """A shown number, tagged so a browser test can read it back. ``width`` (in characters,
    default: room for a sign and two digits before the point) is kept free however many
    digits it has, so nothing beside it moves sideways from one step to the next."""
    text = f"{value:{fmt}}"
    width = width or len(f"{0:{fmt}}") + 2
    return (f'<span class="rnn-num" data-name="{name}" style="display: inline-block; '
            f'min-width: {width}ch; text-align: right">{text}</span>')



# --- the page: one stylesheet, a presentation switch, page-wide keys --------------------------

STYLE = f"""<style>
.rnn-page {{ --jp-widgets-font-size: {FONT_PX}px; --jp-widgets-inline-height: 32px;
  --jp-widgets-inline-label-width: auto; font-size: {FONT_PX}px; line-height: 1.35; }}
.rnn-page .widget-html-content, .rnn-page .widget-label, .rnn-page .widget-readout,
.rnn-page button, .rnn-page input, .rnn-page textarea, .rnn-page select {{
  font-size: var(--jp-widgets-font-size); }}
.rnn-page .widget-checkbox, .rnn-page .widget-checkbox label {{ white-space: normal; height: auto;
  line-height: 1.35; }}
.rnn-page small, .rnn-page pre, .rnn-page code {{ font-size: 1em; }}
.rnn-page small {{ color: #444; }}
.rnn-page sub, .rnn-page sup {{ font-size: 1em; }}
.rnn-page .widget-html-content {{ line-height: 1.35; }}
/* a switch's name beside its buttons, not on a line of its own above them */
.rnn-page .widget-toggle-buttons {{ display: flex; flex-direction: row; align-items: center; }}
.rnn-page .widget-toggle-buttons > .widget-label {{ margin-right: 0.3em; }}
.rnn-page.rnn-present {{ --jp-widgets-font-size: 18px; --jp-widgets-inline-height: 36px;
  font-size: 18px; }}
.rnn-page.rnn-present svg {{ font-size: 18px !important; }}
.rnn-page.rnn-present .rnn-trainer-text {{ height: 3.6em !important; }}
/* the page's introduction (the notebook's markdown, outside the widget): 16 px too */
body:has(.rnn-page) .jp-RenderedMarkdown p, body:has(.rnn-page) .jp-RenderedMarkdown li {{
  font-size: {FONT_PX}px; line-height: 1.4; }}
body:has(.rnn-present) .jp-RenderedMarkdown, body:has(.rnn-present) .jp-MarkdownOutput {{
  display: none; }}
/* a narrow screen (1280 px at 150% zoom: 853 CSS px): strips and bars shorter, so the
   stepper's two columns stay side by side and nothing is cut off at the right edge */
@media (max-width: 1000px) {{
  .rnn-page img.rnn-strip {{ width: 300px; }}
  .rnn-page {{ --rnn-bar: 110px; }}
  /* the backward view's strips and its sums do not fit side by side: a switch shows one */
  .rnn-page.rnn-backward:not(.rnn-show-sums) .rnn-view-right,
  .rnn-page.rnn-backward.rnn-show-sums .rnn-strips {{ display: none; }}
  .rnn-page.rnn-backward.rnn-show-sums .rnn-view > div:first-child {{ width: 100% !important; }}
}}
@media (min-width: 1001px) {{ .rnn-page .rnn-narrow-only {{ display: none !important; }} }}
.rnn-page:not(.rnn-backward) .rnn-narrow-only {{ display: none !important; }}
/* a short screen (800 px at 150% zoom: 533 CSS px) in presentation: only the walk's own
   controls stay (the text box, model and colour-scale switches fold away until presentation
   is switched off), and text stays at 16 CSS px, which the zoom already draws 24 px tall */
@media (max-height: 640px) {{
  .rnn-page.rnn-present {{ --jp-widgets-font-size: {FONT_PX}px; --jp-widgets-inline-height: 32px;
    font-size: {FONT_PX}px; }}
  .rnn-page.rnn-present svg {{ font-size: {FONT_PX}px !important; }}
  .rnn-page.rnn-present .rnn-fold-short {{ display: none !important; }}
}}
.rnn-num {{ font-variant-numeric: tabular-nums; font-family: monospace; white-space: pre; }}
</style>"""


def present_switch(ui):
    """A toggle that adds the class rnn-present to ``ui``: bigger text, the intro folded away."""
    button = W.ToggleButton(value=False, description="presentation", icon="expand",
                            tooltip="bigger text; the page's introduction folded away")

    def switched(change):
        (ui.add_class if change["new"] else ui.remove_class)("rnn-present")

    button.observe(switched, "value")
    button.add_class("rnn-present-switch")
    return button


def page(children, name, header=()):
    """-> a VBox of class ``rnn-page`` and ``name`` holding ``children``, topped by the
    stylesheet and a row of ``header`` widgets with the presentation switch at its end.
    Attribute: present (the switch)."""
    ui = W.VBox([])
    style = W.HTML(STYLE, layout=W.Layout(height="0px", margin="0"))
    ui.present = present_switch(ui)
    top = W.HBox(list(header) + [ui.present], layout=W.Layout(flex_flow="row wrap",
                                                               align_items="center"))
    ui.children = [style, top] + list(children)
    ui.add_class("rnn-page")
    ui.add_class(name)
    return ui
