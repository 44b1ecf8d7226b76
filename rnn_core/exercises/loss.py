"""Exercise `loss` (notebook 03): the summed cross-entropy of a sequence."""
import numpy as np

from ..forward import softmax
from ..loss import cross_entropy
from . import data
from .checking import case

NOTEBOOK = "03"
SIGNATURE = ("fn(ps, targets) -> summed cross-entropy in nats (float); ps (T, V) with T >= 1, targets (T,) int; "
             "-ln of the probabilities as given, with no floor: a subnormal probability such as 1e-320 gives "
             "736.8, an exact 0 (a softmax of logits thousands apart has them) gives inf (or a ValueError, "
             "as math.log(0) raises)")
ARGS = ("ps", "targets")
OUTPUT = "loss"


def loss(ps, targets):
    """ps: (T, V), targets: (T,) int -> summed cross-entropy in nats (float)."""
    rows = np.arange(len(targets))
    return float(-np.log(ps[rows, targets]).sum())


def ps_cases(seed, reference):
    """Cases for fn(ps, targets): ps (T, V) distributions, want = reference(ps, targets).

    V and T differ; T = 1; T = 1200 (a product of 1200 probabilities underflows); V = 65 and 80
    (np.choose takes at most 32 choices); exact zeros away from the targets; targets that stop
    short of V - 1; the same sizes twice with other values."""
    rng = np.random.default_rng(seed)
    out = []
    for V, T, zeros, top in [(5, 1, False, None), (7, 5, False, None), (7, 5, True, None),
                             (13, 6, False, 9), (65, 1200, False, None), (80, 30, True, 50)]:
        ps = softmax(rng.standard_normal((T, V)) * 2)
        targets = data.ids(rng, V, T, top)
        about = f"V={V}, T={T}"
        if zeros:  # probability exactly 0 away from the target (0 * log 0 is NaN)
            mask = rng.random((T, V)) < 0.4
            mask[np.arange(T), targets] = False
            ps = np.where(mask, 0.0, ps)
            ps /= ps.sum(axis=1, keepdims=True)
            about += ", some probabilities exactly 0"
        if top:
            about += f", targets only up to {targets.max()}"
        out.append(case((ps, targets), reference(ps, targets), about, V=V, T=T))
    # target probabilities of 1e-15 and 1e-300 (clipping p before the log changes the loss)
    ps = np.array([[1e-15, 1 - 1e-15, 0.0], [0.5, 0.25, 0.25], [1e-300, 0.5, 0.5 - 1e-300]])
    targets = np.array([0, 1, 0])
    out.append(case((ps, targets), reference(ps, targets), "V=3, T=3, target probabilities of 1e-15 and 1e-300",
                    V=3, T=3))
    # V = 300 with targets 256 and up (targets cast to uint8 pick the wrong column)
    _, _, targets, _, _, ps = data.wide_sequence(seed + 300)
    out.append(case((ps, targets), reference(ps, targets), "V=300, T=9, targets above 255", V=300, T=9))
    return out


def exact_loss(ps, targets):
    """-ln of each target probability as given: rnn_core's cross_entropy floors them at the smallest
    normal float (for training), which the contract here does not."""
    with np.errstate(divide="ignore"):
        return loss(ps, targets)


def cases():
    out = ps_cases(5, cross_entropy)
    # a subnormal target probability (a floor at the smallest normal float, 2.2e-308, or at 1e-300 shows),
    # then an exact 0: -ln 0 = inf, the loss of a model that was sure the character could not come
    for ps, targets, about in [
            (np.array([[1e-320, 1 - 1e-320, 0.0], [0.25, 0.5, 0.25]]), np.array([0, 1]),
             "V=3, T=2, a target probability of 1e-320 (a subnormal float)"),
            (np.array([[0.2, 0.8, 0.0], [0.0, 1.0, 0.0], [0.5, 0.25, 0.25]]), np.array([1, 0, 2]),
             "V=3, T=3, a target probability of exactly 0 (the loss is inf)")]:
        out.append(case((ps, targets), exact_loss(ps, targets), about, V=3, T=len(targets)))
    out[-1].extra["may_refuse"] = (ValueError,)  # math.log(0) raises: refusing is right, a finite loss is not
    return out


def notes(got_parts, value, c):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return ["your loss is an int: a loss has a fraction, so drop the int() (or //)"]
    return []


def loss_mean(ps, targets):
    return loss(ps, targets) / len(targets)


def loss_in_bits(ps, targets):
    return float(-np.log2(ps[np.arange(len(targets)), targets]).sum())


def loss_without_minus(ps, targets):
    return -loss(ps, targets)


def loss_picking_a_block(ps, targets):
    return float(-np.log(ps[:, targets]).sum())


def loss_skipping_the_first_step(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(1, len(targets))))


def loss_skipping_the_last_step(ps, targets):
    return float(-sum(np.log(ps[t, targets[t]]) for t in range(len(targets) - 1)))


def loss_onehot_times_log(ps, targets):
    onehot = np.zeros_like(ps)
    onehot[np.arange(len(targets)), targets] = 1
    return float(-np.sum(onehot * np.log(ps)))


def loss_log_of_product(ps, targets):
    return float(-np.log(np.prod(ps[np.arange(len(targets)), targets])))


def loss_with_uint8_targets(ps, targets):
    return exact_loss(ps, np.asarray(targets).astype(np.uint8))


def vary(args):
    """The same targets (the same object) with other ps: each row's probabilities moved one column on."""
    ps, targets = args
    return [("ps", (np.roll(ps, 1, axis=-1), targets))]


MISTAKES = [
    ("a mean loss where the sum is asked",
     "the loss is the sum over the steps (as in min-char-rnn and rnn_core). Fix: drop the division by T",
     loss_mean),
    ("the loss in bits (log2)", "the loss is in nats. Fix: np.log, not np.log2", loss_in_bits),
    ("a missing minus sign", "the loss -ln p is positive. Fix: -np.log(...)", loss_without_minus),
    ("a loop that skips the first step (range(1, T))",
     "every one of the T predictions adds to the loss. Fix: for t in range(T)", loss_skipping_the_first_step),
    ("a loop that skips the last step (range(T - 1))",
     "every one of the T predictions adds to the loss. Fix: for t in range(T)", loss_skipping_the_last_step),
    ("ps[:, targets], which picks a T x T block",
     "it takes every target's probability in every row. Fix: ps[np.arange(T), targets]",
     loss_picking_a_block),
    ("-sum(onehot * log(ps)) over every entry",
     "a probability of exactly 0 away from the target gives 0 * log(0) = 0 * -inf = NaN. "
     "Fix: take the log of the target's probability only, ps[np.arange(T), targets]", loss_onehot_times_log),
    ("the log of a product of probabilities",
     "a product of a thousand probabilities underflows to 0 and its log is -inf. "
     "Fix: add the logs, -np.log(...).sum()", loss_log_of_product),
    ("the targets cast to uint8", data.UINT8, loss_with_uint8_targets),
]

HINTS = [
    "The loss at step t is -ln of one number in row t of ps: the probability the model gave to the "
    "character that came next. Which column holds it?",
    "numpy picks one entry per row when you index with two arrays of the same length: one of row numbers, "
    "one of columns. Which array holds the columns? Then take -log, and the total over the steps.",
]
