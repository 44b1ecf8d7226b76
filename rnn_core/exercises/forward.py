"""Exercise `forward` (notebook 02): the whole sequence, states and predictions."""
import numpy as np

from ..forward import forward as library_forward
from . import data
from .checking import Wrong, case, kind
# the same diagnosis as one step: a NaN state at huge pre-activations means a tanh written with exp()
from .rnn_step import explain, rnn_step_Whh_transposed, rnn_step_without_bias  # noqa: F401 (explain)
from .softmax import softmax as _softmax

NOTEBOOK = "02"
SIGNATURE = ("fn(params, inputs, h0) -> (hs, ps): inputs (T,) int with T >= 1 (an empty sequence is outside the "
             "contract: rnn_core.forward refuses it), h0 (H,), hs (T+1, H) with hs[0] = h0, ps (T, V)")
ARGS = ("params", "inputs", "h0")
SUMS_TO_ONE = ("ps",)


def forward(params, inputs, h0):
    """inputs: (T,) int, h0: (H,) -> hs: (T+1, H) with hs[0] = h0, ps: (T, V)."""
    T, H = len(inputs), len(h0)
    V = params["Why"].shape[0]
    hs = np.zeros((T + 1, H))
    ps = np.zeros((T, V))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(params["Wxh"][:, inputs[t]] + params["Whh"] @ hs[t] + params["bh"])
        y = params["Why"] @ hs[t + 1] + params["by"]
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
    return hs, ps


def cases():
    rng = np.random.default_rng(4)
    out = []
    # (V, H, T, scale of Why): V, H, T, T+1 differ; V = 65; the same sizes twice; one step;
    # a Why so large that the logits span thousands (an unguarded softmax gives NaN)
    for V, H, T, big in [(5, 3, 1, False), (7, 4, 5, False), (7, 4, 5, False), (13, 8, 6, True),
                         (65, 16, 40, False), (6, 11, 3, True), (4, 1, 3, False)]:
        params, inputs, _, h0, hs, ps = data.sequence(rng, V, H, T)
        if big:
            params["Why"] *= 2000.0
            hs, ps = library_forward(params, inputs, h0)
        about = f"V={V}, H={H}, T={T}" + (", logits spanning thousands" if big else "")
        out.append(case((params, inputs.astype(np.int32) if V == 65 else inputs, h0), (hs, ps), about,
                        V=V, H=H, T=T))
    # T = 5000 (recursion over the sequence fails, and so does any preallocated buffer a student might
    # size), an integer h0 of zeros (a buffer of h0's dtype truncates every state), params with its keys
    # in another order
    params, inputs, _, h0, hs, ps = data.sequence(rng, 6, 4, 5000)
    out.append(case((params, inputs, h0), (hs, ps), "V=6, H=4, T=5000", V=6, H=4, T=5000))
    params, inputs, _, _, _, _ = data.sequence(rng, 7, 5, 4)
    h0 = np.zeros(5, dtype=np.int64)
    out.append(case((params, inputs, h0), library_forward(params, inputs, h0.astype(float)),
                    "V=7, H=5, T=4, h0 an integer array of zeros", V=7, H=5, T=4))
    params, inputs, _, h0, hs, ps = data.sequence(rng, 8, 3, 5)
    out.append(case((data.reordered(params), inputs, h0), (hs, ps), "V=8, H=3, T=5, params with its keys "
                    "in another order", V=8, H=3, T=5))
    # pre-activations in the thousands: tanh is +-1 there, a tanh written with exp() overflows to NaN
    params, inputs, _, h0, _, _ = data.sequence(rng, 5, 4, 6)
    params["Wxh"] *= 2000.0
    out.append(case((params, inputs, h0), library_forward(params, inputs, h0), "V=5, H=4, T=6, pre-activations "
                    "in the thousands", V=5, H=4, T=6))
    # V = 300, inputs 256 and up among them: ids cast to uint8 pick the wrong columns of Wxh
    params, inputs, _, h0, hs, ps = data.wide_sequence(41)
    out.append(case((params, inputs, h0), (hs, ps), "V=300, H=5, T=9, inputs above 255", V=300, H=5, T=9))
    return out


def parts(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Wrong(f"your function returned {kind(got)}, expected two things: (hs, ps)")
    return [("hs", got[0]), ("ps", got[1])]


def notes(got_parts, value, c):
    hs, ps = (np.shape(v) if isinstance(v, np.ndarray) else None for _, v in got_parts)
    T, H, V = c.dims["T"], c.dims["H"], c.dims["V"]
    if hs == (T, V) and ps == (T + 1, H):
        return ["your hs and ps look swapped: return hs, ps in that order"]
    if hs == (T, H):
        return ["hs[0] is h0, so hs has T+1 rows"]
    return []


def _variant(params, inputs, h0, step=None, logits_from_previous=False, no_softmax=False, zero_h0=False,
             first=0, always_from_h0=False, naive_softmax=False):
    step = step or (lambda p, x, h: np.tanh(p["Wxh"][:, x] + p["Whh"] @ h + p["bh"]))
    hs = np.zeros((len(inputs) + 1, len(h0)))
    hs[0] = 0 if zero_h0 else h0
    ps = np.zeros((len(inputs), params["Why"].shape[0]))
    for t in range(first, len(inputs)):
        hs[t + 1] = step(params, inputs[t], hs[0] if always_from_h0 else hs[t])
        y = params["Why"] @ hs[t if logits_from_previous else t + 1] + params["by"]
        ps[t] = y if no_softmax else np.exp(y) / np.exp(y).sum() if naive_softmax else _softmax(y)
    return hs, ps


def forward_ignoring_h0(params, inputs, h0):
    return _variant(params, inputs, h0, zero_h0=True)


def forward_predicting_from_previous_state(params, inputs, h0):
    return _variant(params, inputs, h0, logits_from_previous=True)


def forward_returning_logits(params, inputs, h0):
    return _variant(params, inputs, h0, no_softmax=True)


def forward_without_bias(params, inputs, h0):
    return _variant(params, inputs, h0, step=rnn_step_without_bias)


def forward_Whh_transposed(params, inputs, h0):
    return _variant(params, inputs, h0, step=rnn_step_Whh_transposed)


def forward_always_from_h0(params, inputs, h0):
    return _variant(params, inputs, h0, always_from_h0=True)


def forward_skipping_the_first_step(params, inputs, h0):
    return _variant(params, inputs, h0, first=1)


def forward_naive_softmax(params, inputs, h0):
    return _variant(params, inputs, h0, naive_softmax=True)


def forward_with_uint8_inputs(params, inputs, h0):
    return library_forward(params, np.asarray(inputs).astype(np.uint8), h0)


def vary(args):
    """The same params (the same object) with other inputs, then another h0."""
    params, inputs, h0 = args
    V = params["Why"].shape[0]
    return [("inputs", (params, (np.asarray(inputs)[::-1] + 1) % V, h0)),
            ("h0", (params, inputs, -np.asarray(h0, dtype=float) * 0.5 + 0.25))]


MISTAKES = [
    ("ignoring h0 (starting from zeros)",
     "the state carried over from the previous chunk of text is thrown away. Fix: hs[0] = h0",
     forward_ignoring_h0),
    ("predicting from h_{t-1} instead of h_t",
     "the prediction after reading inputs[t] comes from the new state. Fix: y = Why @ hs[t + 1] + by",
     forward_predicting_from_previous_state),
    ("returning the logits instead of probabilities",
     "the probabilities are softmax(Why h + by): each row sums to 1", forward_returning_logits),
    ("forgetting the bias bh", "Fix: add params['bh'] inside the tanh", forward_without_bias),
    ("Whh used transposed (h @ Whh)", "Whh is square, so numpy cannot catch it. Fix: Whh @ hs[t]",
     forward_Whh_transposed),
    ("every step starting from h0",
     "each state is built from the one just before it. Fix: Whh @ hs[t], not Whh @ h0", forward_always_from_h0),
    ("a loop that skips the first character",
     "the first character, inputs[0], is read at step t = 0. Fix: for t in range(T)",
     forward_skipping_the_first_step),
    ("a softmax without subtracting the max",
     "logits that span thousands overflow exp() to inf, and inf / inf is NaN. Fix: subtract y.max() first",
     forward_naive_softmax),
    ("the inputs cast to uint8", data.UINT8, forward_with_uint8_inputs),
]

HINTS = [
    "How many states are there after reading T characters, counting h0? How many predictions? "
    "Make one array for each, then fill them in a loop over t.",
    "At step t your rnn_step turns inputs[t] and the state before it into the next state; the prediction "
    "after reading inputs[t] is a softmax of logits computed from that new state (Why and by).",
]
