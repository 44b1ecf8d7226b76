"""Exercise `rnn_step` (notebook 02): one step of the recurrence."""
import numpy as np

from ..forward import forward
from . import data
from .checking import case

NOTEBOOK = "02"
SIGNATURE = "fn(params, x, h_prev) -> h: (H,), x an int id"
ARGS = ("params", "x", "h_prev")
OUTPUT = "h"


def rnn_step(params, x, h_prev):
    """x: int id, h_prev: (H,) -> h: (H,) = tanh(Wxh x + Whh h_prev + bh)."""
    # Wxh times a one-hot vector is column x of Wxh
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


def cases():
    rng = np.random.default_rng(3)
    out = []
    # (V, H, x, h_prev kind): H, V differ; the same sizes twice with other weights (a cache keyed by
    # shape goes stale); x = 0 and x = V - 1; an exact-zero h_prev; a numpy integer x
    for V, H, x, zero in [(5, 3, 4, False), (7, 4, 0, False), (7, 4, 3, False), (65, 32, 64, False),
                          (13, 8, 6, True), (4, 9, 1, False), (5, 1, 3, False)]:
        params = data.params(rng, V, H)
        h_prev = np.zeros(H) if zero else np.tanh(rng.standard_normal(H))
        xv = np.int64(x) if V == 65 else x
        want = forward(params, np.array([x]), h_prev)[0][1]
        about = f"V={V}, H={H}, x={x}" + (", h_prev all zeros" if zero else "")
        out.append(case((params, xv, h_prev), want, about, V=V, H=H))
    params = data.params(rng, 6, 4)
    params["Wxh"] *= 2000.0  # pre-activations in the thousands: tanh is +-1, exp() of them overflows
    h_prev = np.tanh(rng.standard_normal(4))
    out.append(case((params, 2, h_prev), forward(params, np.array([2]), h_prev)[0][1],
                    "V=6, H=4, x=2, pre-activations in the thousands", V=6, H=4))
    out.append(case((data.reordered(out[1].args[0]), 2, out[1].args[2]),
                    forward(out[1].args[0], np.array([2]), out[1].args[2])[0][1],
                    "V=7, H=4, x=2, params with its keys in another order", V=7, H=4))
    return out


def rnn_step_without_bias(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


def rnn_step_Whh_transposed(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + h_prev @ params["Whh"] + params["bh"])


def rnn_step_without_tanh(params, x, h_prev):
    return params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]


def vary(args):
    """The same params (the same object) with another x, then another h_prev."""
    params, x, h_prev = args
    V = params["Why"].shape[0]
    return [("x", (params, (int(x) + 1) % V, h_prev)), ("h_prev", (params, x, -h_prev * 0.5 + 0.25))]


def explain(got_parts, c):
    """A NaN state where the pre-activations are in the thousands: a tanh written with exp()."""
    state = got_parts[0][1]
    if not isinstance(state, np.ndarray) or not np.issubdtype(state.dtype, np.floating):
        return []
    if "pre-activations in the thousands" in c.about and np.isnan(state).any():
        return ["the pre-activations of this case are in the thousands, where tanh is +-1: a tanh written "
                "with exp() (exp(a) of a > 710 is inf, and inf / inf is NaN) breaks there. Use np.tanh"]
    return []


MISTAKES = [
    ("forgetting the bias bh", "Fix: add params['bh'] inside the tanh", rnn_step_without_bias),
    ("Whh used transposed (h_prev @ Whh)", "Whh is square, so numpy cannot catch it. Fix: Whh @ h_prev",
     rnn_step_Whh_transposed),
    ("forgetting the tanh", "Fix: h = np.tanh(...)", rnn_step_without_tanh),
]

HINTS = [
    "Wxh times the one-hot vector of x picks out part of Wxh: a row or a column? Which one has length H?",
    "Add the three contributions (the input's, the previous state's through Whh, the bias) and squash "
    "the sum; the shapes in the docstring tell you the order of the matrix product.",
]
