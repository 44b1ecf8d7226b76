"""The exercises' answers, right and wrong, as plain numpy functions.

The first half holds one right answer per exercise, written the way a student
would write it (a loop you can read, no call into the rest of ``rnn_core``):
``exercises.solution(name)`` prints these. The second half holds the classic
mistakes, each the right answer with one thing changed; ``exercises.check``
runs them on the case a student's function got wrong, and when the student's
output is the same as a mistake's, it names the mistake and its fix.

Shapes follow ``rnn_core.forward`` for one stream: Wxh (H, V), Whh (H, H),
Why (V, H), bh (H,), by (V,); inputs (T,) int; hs (T+1, H) with hs[0] = h0;
ps (T, V).
"""
import numpy as np


# ---------------------------------------------------------------- right answers

def vocabulary(text):
    """text: str -> str of its distinct characters, sorted."""
    return "".join(sorted(set(text)))


def one_hot(ids, V):
    """ids: (N,) int -> (N, V) float, a single 1 in row n at column ids[n]."""
    x = np.zeros((len(ids), V))
    x[np.arange(len(ids)), ids] = 1.0
    return x


def softmax(y):
    """y: (..., V) logits -> (..., V) probabilities along the last axis."""
    # subtract each row's max: exp() of a large logit overflows to inf
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rnn_step(params, x, h_prev):
    """x: int id, h_prev: (H,) -> h: (H,) = tanh(Wxh x + Whh h_prev + bh)."""
    # Wxh times a one-hot vector is column x of Wxh
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])


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


def loss(ps, targets):
    """ps: (T, V), targets: (T,) int -> summed cross-entropy in nats (float)."""
    T = len(targets)
    return float(-np.log(ps[np.arange(T), targets]).sum())


def dlogits(ps, targets):
    """ps: (T, V), targets: (T,) int -> dy: (T, V) = p - onehot(target), d loss / d logits."""
    dy = ps.copy()  # a copy: the caller's ps must not change
    dy[np.arange(len(targets)), targets] -= 1
    return dy


def bptt_step(params, x, h_prev, h, dy, dhnext):
    """One step of BPTT, from the logits of step t back to h_{t-1}.

    x: int id, h_prev, h: (H,) the states before and after step t, dy: (V,) the
    gradient at the logits y_t, dhnext: (H,) the gradient reaching h_t from step t+1
    -> (grads: dict of this step's contributions, shaped like params; dh_prev: (H,))
    """
    dWhy = np.outer(dy, h)
    dby = dy.copy()
    dh = params["Why"].T @ dy + dhnext  # from this step's prediction and from step t+1
    dhraw = (1 - h * h) * dh            # through tanh: tanh'(a) = 1 - tanh(a)^2 = 1 - h^2
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    dWhh = np.outer(dhraw, h_prev)
    dh_prev = params["Whh"].T @ dhraw
    grads = {"Wxh": dWxh, "Whh": dWhh, "Why": dWhy, "bh": dhraw, "by": dby}
    return grads, dh_prev


def bptt(params, inputs, targets, hs, ps):
    """Gradients of the summed loss: inputs, targets: (T,) int, hs: (T+1, H), ps: (T, V)
    -> dict Wxh, Whh, Why, bh, by, each shaped like the parameter."""
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dWhy_t = np.outer(dy, hs[t + 1])
        dh = params["Why"].T @ dy + dhnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        grads["Why"] += dWhy_t
        grads["by"] += dy
        grads["Wxh"][:, inputs[t]] += dhraw  # +=: a character may occur more than once
        grads["Whh"] += np.outer(dhraw, hs[t])
        grads["bh"] += dhraw
        dhnext = params["Whh"].T @ dhraw
    return grads


def clip(grads, limit):
    """Clip every element of every array in grads to [-limit, limit], in place."""
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)  # out=g: change the array the dict holds


def adagrad_step(params, grads, memory, lr):
    """In place: memory += g^2, then param -= lr * g / sqrt(memory + 1e-8)."""
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_step(params, grads, memory, lr, decay=0.9):
    """Adagrad with one line changed: memory is a decaying average of g^2, not a sum."""
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def temperature(logits, temperature):
    """logits: (V,), temperature > 0 -> probabilities (V,) = softmax(logits / temperature)."""
    z = logits / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


def top_k(logits, k):
    """logits: (V,), k >= 1 -> probabilities (V,): softmax over the k largest logits, 0 elsewhere."""
    kth = np.sort(logits)[-k]  # the k-th largest logit
    z = np.where(logits >= kth, logits, -np.inf)  # exp(-inf) = 0
    e = np.exp(z - z.max())
    return e / e.sum()


# ------------------------------------------------------------ classic mistakes
# Each: the right answer with one thing changed. MISTAKES below names them.

def vocabulary_from_set(text):
    return "".join(set(text))


def vocabulary_in_order_of_appearance(text):
    return "".join(dict.fromkeys(text))


def vocabulary_sorted_with_repeats(text):
    return "".join(sorted(text))


def one_hot_columns_only(ids, V):
    x = np.zeros((len(ids), V))
    x[:, ids] = 1.0
    return x


def softmax_without_max(y):
    e = np.exp(y)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_global_max(y):
    e = np.exp(y - y.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_over_everything(y):
    e = np.exp(y - y.max())
    return e / e.sum()


def softmax_over_everything_after_row_max(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum()


def softmax_first_axis(y):
    e = np.exp(y - y.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def rnn_step_without_bias(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev)


def rnn_step_Whh_transposed(params, x, h_prev):
    return np.tanh(params["Wxh"][:, x] + h_prev @ params["Whh"] + params["bh"])


def rnn_step_without_tanh(params, x, h_prev):
    return params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"]


def _forward_variant(params, inputs, h0, step=rnn_step, logits_from_previous=False,
                     no_softmax=False, zero_h0=False, first=0, always_from_h0=False):
    hs = np.zeros((len(inputs) + 1, len(h0)))
    hs[0] = 0 if zero_h0 else h0
    ps = np.zeros((len(inputs), params["Why"].shape[0]))
    for t in range(first, len(inputs)):
        hs[t + 1] = step(params, inputs[t], hs[0] if always_from_h0 else hs[t])
        y = params["Why"] @ hs[t if logits_from_previous else t + 1] + params["by"]
        ps[t] = y if no_softmax else softmax(y)
    return hs, ps


def forward_ignoring_h0(params, inputs, h0):
    return _forward_variant(params, inputs, h0, zero_h0=True)


def forward_predicting_from_previous_state(params, inputs, h0):
    return _forward_variant(params, inputs, h0, logits_from_previous=True)


def forward_returning_logits(params, inputs, h0):
    return _forward_variant(params, inputs, h0, no_softmax=True)


def forward_without_bias(params, inputs, h0):
    return _forward_variant(params, inputs, h0, step=rnn_step_without_bias)


def forward_Whh_transposed(params, inputs, h0):
    return _forward_variant(params, inputs, h0, step=rnn_step_Whh_transposed)


def forward_always_from_h0(params, inputs, h0):
    return _forward_variant(params, inputs, h0, always_from_h0=True)


def forward_skipping_the_first_step(params, inputs, h0):
    return _forward_variant(params, inputs, h0, first=1)


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


def dlogits_sign_flipped(ps, targets):
    return -dlogits(ps, targets)


def dlogits_mean(ps, targets):
    return dlogits(ps, targets) / len(targets)


def dlogits_columns_only(ps, targets):
    dy = ps.copy()
    dy[:, targets] -= 1
    return dy


def _bptt_step_variant(params, x, h_prev, h, dy, dhnext, use_dhnext=True, tanh_grad="right",
                       dWhh_from="h_prev", dh_prev_with="Whh.T", dhnext_after_tanh=False):
    dh = params["Why"].T @ dy + (dhnext if use_dhnext and not dhnext_after_tanh else 0)
    if dhnext_after_tanh:
        dhraw = (1 - h * h) * dh + dhnext
    elif tanh_grad == "right":
        dhraw = (1 - h * h) * dh
    elif tanh_grad == "missing":
        dhraw = dh
    else:  # "tanh twice": h is already tanh(a)
        dhraw = (1 - np.tanh(h) ** 2) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    dWhh = np.outer(dhraw, h_prev if dWhh_from == "h_prev" else h)
    # dh_prev_with: "Whh.T" (right), "Whh" (not transposed) or "dh" (Whh.T @ dh, skipping tanh')
    dh_prev = {"Whh.T": params["Whh"].T @ dhraw, "Whh": params["Whh"] @ dhraw, "dh": params["Whh"].T @ dh}[dh_prev_with]
    grads = {"Wxh": dWxh, "Whh": dWhh, "Why": np.outer(dy, h), "bh": dhraw, "by": dy.copy()}
    return grads, dh_prev


def bptt_step_without_dhnext(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, use_dhnext=False)


def bptt_step_without_tanh_derivative(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, tanh_grad="missing")


def bptt_step_dhnext_after_tanh(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, dhnext_after_tanh=True)


def bptt_step_dhnext_from_dh(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, dh_prev_with="dh")


def bptt_step_tanh_twice(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, tanh_grad="twice")


def bptt_step_dWhh_from_h(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, dWhh_from="h")


def bptt_step_Whh_not_transposed(params, x, h_prev, h, dy, dhnext):
    return _bptt_step_variant(params, x, h_prev, h, dy, dhnext, dh_prev_with="Whh")


def _bptt_variant(params, inputs, targets, hs, ps, shift_hs=False, overwrite_dWxh=False,
                  mean=False, last=0, **step_changes):
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in range(len(inputs) - 1, last - 1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        # shift_hs: reads hs[t] as h_t, forgetting that hs[0] is h0 (and hs[-1] wraps around)
        h, h_prev = (hs[t], hs[t - 1]) if shift_hs else (hs[t + 1], hs[t])
        g, dhnext = _bptt_step_variant(params, inputs[t], h_prev, h, dy, dhnext, **step_changes)
        for k in grads:
            if k == "Wxh" and overwrite_dWxh:
                grads[k][:, inputs[t]] = g[k][:, inputs[t]]
            else:
                grads[k] += g[k]
    if mean:
        grads = {k: g / len(inputs) for k, g in grads.items()}
    return grads


def bptt_without_dhnext(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, use_dhnext=False)


def bptt_without_tanh_derivative(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, tanh_grad="missing")


def bptt_dhnext_after_tanh(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, dhnext_after_tanh=True)


def bptt_skipping_t0(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, last=1)


def bptt_dhnext_from_dh(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, dh_prev_with="dh")


def bptt_tanh_twice(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, tanh_grad="twice")


def bptt_dWhh_from_h(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, dWhh_from="h")


def bptt_Whh_not_transposed(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, dh_prev_with="Whh")


def bptt_hs_off_by_one(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, shift_hs=True)


def bptt_overwriting_dWxh(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, overwrite_dWxh=True)


def bptt_of_the_mean_loss(params, inputs, targets, hs, ps):
    return _bptt_variant(params, inputs, targets, hs, ps, mean=True)


def clip_by_global_norm(grads, limit):
    norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
    if norm > limit:
        for g in grads.values():
            g *= limit / norm


def clip_upper_side_only(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


def clip_rebinding(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841 -- the mistake: a new array, the dict keeps the old one


def adagrad_without_sqrt(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / (memory[k] + 1e-8)


def adagrad_without_memory(params, grads, memory, lr):
    for k in params:
        memory[k][...] = grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def adagrad_memory_added_after(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] * grads[k]


def adagrad_without_epsilon(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / np.sqrt(memory[k])


def adagrad_uphill(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] += lr * grads[k] / np.sqrt(memory[k] + 1e-8)


def rmsprop_accumulating(params, grads, memory, lr, decay=0.9):
    adagrad_step(params, grads, memory, lr)


def rmsprop_decay_swapped(params, grads, memory, lr, decay=0.9):
    rmsprop_step(params, grads, memory, lr, 1 - decay)


def rmsprop_fixed_decay(params, grads, memory, lr, decay=0.9):
    rmsprop_step(params, grads, memory, lr, 0.9)


def rmsprop_without_sqrt(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / (memory[k] + 1e-8)


def temperature_on_probabilities(logits, temperature):
    return softmax(softmax(logits) / temperature)


def temperature_on_probabilities_renormalised(logits, temperature):
    p = softmax(logits) / temperature
    return p / p.sum()


def temperature_multiplied(logits, temperature):
    return softmax(logits * temperature)


def temperature_without_max(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


def top_k_unnormalised(logits, k):
    p = softmax(logits)
    return np.where(logits >= np.sort(logits)[-k], p, 0.0)


def top_k_plus_one(logits, k):
    return top_k(logits, min(k + 1, len(logits)))


def top_k_strictly_greater(logits, k):
    z = np.where(logits > np.sort(logits)[-k], logits, -np.inf)
    e = np.exp(z - z.max())
    return e / e.sum()


def top_k_minus_one(logits, k):
    return top_k(logits, max(k - 1, 1))


def top_k_smallest(logits, k):
    z = np.where(logits <= np.sort(logits)[k - 1], logits, -np.inf)
    return softmax(z)


def top_k_zero_logits(logits, k):
    return softmax(np.where(logits >= np.sort(logits)[-k], logits, 0.0))


_OVER_EVERYTHING = "each row (the last axis) must sum to 1. Fix: e.sum(axis=-1, keepdims=True)"
_NO_DHNEXT = ("the gradient from later steps is missing: h_t also feeds h_{t+1}, so add dhnext "
              "to dh (dh = Why.T @ dy + dhnext) and pass dhnext = Whh.T @ dhraw to the step before")
_NO_TANH = ("the tanh derivative is missing: multiply dh by 1 - h_t**2 before it reaches "
            "Wxh, Whh and bh (dhraw = (1 - h * h) * dh)")
_DHNEXT_AFTER = ("both Why.T @ dy and dhnext are gradients with respect to h_t, so both go "
                 "through tanh'. Fix: dh = Why.T @ dy + dhnext, then dhraw = (1 - h * h) * dh")
_DHNEXT_FROM_DH = ("the gradient handed to the step before is taken from dh, before the tanh derivative, "
                   "but the path to h_{t-1} goes through tanh too. Fix: dhnext = Whh.T @ dhraw")
_TANH_TWICE = ("tanh is applied twice: h_t is already tanh(a_t), so tanh'(a_t) = 1 - h_t**2, "
               "not 1 - tanh(h_t)**2")
_DWHH_FROM_H = ("Whh multiplies the previous state, so its gradient is built from h_{t-1}, not h_t. "
                "Fix: dWhh += outer(dhraw, h_prev)")
_WHH_NOT_T = ("the gradient to h_{t-1} uses Whh instead of its transpose: "
              "dhnext = Whh.T @ dhraw")

# exercise -> [(name of the mistake, what it means and the one-line fix, the wrong function)]
MISTAKES = {
    "vocabulary": [
        ("an unsorted vocabulary (''.join(set(text)) or list(set(text)))",
         "a set's order follows Python's string hash, which changes from one process to the "
         "next (PYTHONHASHSEED): the same text would get other ids tomorrow and a saved model "
         "would decode to gibberish. Fix: sorted(set(text))", vocabulary_from_set),
        ("characters in order of first appearance",
         "deterministic, but not the sorted order the series and rnn_core use. "
         "Fix: sorted(set(text))", vocabulary_in_order_of_appearance),
        ("sorted(text) keeps every occurrence",
         "each character must appear once. Fix: sort the set, sorted(set(text))",
         vocabulary_sorted_with_repeats),
    ],
    "one_hot": [
        ("x[:, ids] = 1 puts every id in every row",
         "index rows and columns together: x[np.arange(len(ids)), ids] = 1", one_hot_columns_only),
    ],
    "softmax": [
        ("softmax without subtracting the max",
         "a large logit overflows exp() to inf, and inf / inf is NaN. "
         "Fix: e = np.exp(y - y.max(axis=-1, keepdims=True))", softmax_without_max),
        ("subtracting the max of the whole array instead of each row's",
         "a row far below the overall max underflows to all zeros and 0 / 0 is NaN. "
         "Fix: y.max(axis=-1, keepdims=True)", softmax_global_max),
        ("normalising over the whole array instead of each row", _OVER_EVERYTHING, softmax_over_everything),
        ("normalising over the whole array instead of each row", _OVER_EVERYTHING,
         softmax_over_everything_after_row_max),
        ("softmax along the first axis",
         "the characters are the last axis. Fix: axis=-1 in max and sum", softmax_first_axis),
    ],
    "rnn_step": [
        ("forgetting the bias bh", "Fix: add params['bh'] inside the tanh", rnn_step_without_bias),
        ("Whh used transposed (h_prev @ Whh)",
         "Whh is square, so numpy cannot catch it. Fix: Whh @ h_prev", rnn_step_Whh_transposed),
        ("forgetting the tanh", "Fix: h = np.tanh(...)", rnn_step_without_tanh),
    ],
    "forward": [
        ("ignoring h0 (starting from zeros)",
         "the state carried over from the previous chunk of text is thrown away. Fix: hs[0] = h0",
         forward_ignoring_h0),
        ("predicting from h_{t-1} instead of h_t",
         "the prediction after reading inputs[t] comes from the new state. "
         "Fix: y = Why @ hs[t + 1] + by", forward_predicting_from_previous_state),
        ("returning the logits instead of probabilities",
         "the probabilities are softmax(Why h + by): each row sums to 1", forward_returning_logits),
        ("forgetting the bias bh", "Fix: add params['bh'] inside the tanh", forward_without_bias),
        ("Whh used transposed (h @ Whh)",
         "Whh is square, so numpy cannot catch it. Fix: Whh @ hs[t]", forward_Whh_transposed),
        ("every step starting from h0",
         "each state is built from the one just before it. Fix: Whh @ hs[t], not Whh @ h0",
         forward_always_from_h0),
        ("a loop that skips the first character",
         "the first character, inputs[0], is read at step t = 0. Fix: for t in range(T)",
         forward_skipping_the_first_step),
    ],
    "loss": [
        ("a mean loss where the sum is asked",
         "the loss is the sum over the steps (as in min-char-rnn and rnn_core). "
         "Fix: drop the division by T",
         loss_mean),
        ("the loss in bits (log2)", "the loss is in nats. Fix: np.log, not np.log2", loss_in_bits),
        ("a missing minus sign", "the loss -ln p is positive. Fix: -np.log(...)",
         loss_without_minus),
        ("a loop that skips the first step (range(1, T))",
         "every one of the T predictions adds to the loss. Fix: for t in range(T)",
         loss_skipping_the_first_step),
        ("a loop that skips the last step (range(T - 1))",
         "every one of the T predictions adds to the loss. Fix: for t in range(T)",
         loss_skipping_the_last_step),
        ("ps[:, targets] picks a T x T block",
         "it takes every target's probability in every row. Fix: ps[np.arange(T), targets]",
         loss_picking_a_block),
    ],
    "dlogits": [
        ("the sign flipped (onehot - p)", "the gradient is p - onehot(target)", dlogits_sign_flipped),
        ("the gradient of the mean loss", "the loss is summed. Fix: drop the division by T",
         dlogits_mean),
        ("dy[:, targets] -= 1 subtracts in every row",
         "index rows and columns together: dy[np.arange(T), targets] -= 1", dlogits_columns_only),
    ],
    "bptt_step": [
        ("BPTT without dhnext", _NO_DHNEXT, bptt_step_without_dhnext),
        ("BPTT without the tanh derivative", _NO_TANH, bptt_step_without_tanh_derivative),
        ("dhnext added after the tanh derivative", _DHNEXT_AFTER, bptt_step_dhnext_after_tanh),
        ("dhnext = Whh.T @ dh instead of Whh.T @ dhraw", _DHNEXT_FROM_DH, bptt_step_dhnext_from_dh),
        ("tanh applied twice", _TANH_TWICE, bptt_step_tanh_twice),
        ("dWhh from h_t instead of h_{t-1}", _DWHH_FROM_H, bptt_step_dWhh_from_h),
        ("Whh not transposed on the way back", _WHH_NOT_T, bptt_step_Whh_not_transposed),
    ],
    "bptt": [
        ("BPTT without dhnext", _NO_DHNEXT, bptt_without_dhnext),
        ("BPTT without the tanh derivative", _NO_TANH, bptt_without_tanh_derivative),
        ("dhnext added after the tanh derivative", _DHNEXT_AFTER, bptt_dhnext_after_tanh),
        ("dhnext = Whh.T @ dh instead of Whh.T @ dhraw", _DHNEXT_FROM_DH, bptt_dhnext_from_dh),
        ("a loop that stops before t = 0",
         "the first character's step is missing. Fix: for t in reversed(range(T)), "
         "or range(T - 1, -1, -1)", bptt_skipping_t0),
        ("tanh applied twice", _TANH_TWICE, bptt_tanh_twice),
        ("dWhh from h_t instead of h_{t-1}", _DWHH_FROM_H, bptt_dWhh_from_h),
        ("Whh not transposed on the way back", _WHH_NOT_T, bptt_Whh_not_transposed),
        ("hs indexed off by one",
         "since hs[0] is h0, the state after reading inputs[t] is hs[t + 1] and the one before it hs[t]", bptt_hs_off_by_one),
        ("dWxh overwritten instead of accumulated",
         "a character that occurs twice adds to its column twice. "
         "Fix: dWxh[:, inputs[t]] += dhraw", bptt_overwriting_dWxh),
        ("the gradient of the mean loss", "the loss is summed over steps. "
         "Fix: drop the division by T", bptt_of_the_mean_loss),
    ],
    "clip": [
        ("clipping by the global norm instead of elementwise",
         "that scales every gradient together; this exercise clips each element on its own. "
         "Fix: np.clip(g, -limit, limit, out=g)", clip_by_global_norm),
        ("clipping only the positive side",
         "large negative gradients must be clipped too. Fix: np.clip(g, -limit, limit, out=g)",
         clip_upper_side_only),
        ("g = np.clip(...) makes a new array",
         "the dict still holds the old one. Fix: np.clip(g, -limit, limit, out=g)",
         clip_rebinding),
    ],
    "adagrad_step": [
        ("Adagrad without the square root",
         "the step is lr * g / sqrt(memory + 1e-8): dividing by memory itself shrinks it with "
         "the square of the gradients", adagrad_without_sqrt),
        ("Adagrad without accumulating the memory",
         "memory is the running *sum* of g**2 over all steps so far. Fix: memory[k] += g * g",
         adagrad_without_memory),
        ("adding g**2 to the memory after the step",
         "this step's gradient belongs in the divisor. Fix: update memory first",
         adagrad_memory_added_after),
        ("Adagrad without the 1e-8",
         "an element whose gradient has always been 0 divides 0 by 0. "
         "Fix: np.sqrt(memory[k] + 1e-8)", adagrad_without_epsilon),
        ("stepping uphill", "descend: params[k] -= ...", adagrad_uphill),
    ],
    "rmsprop_step": [
        ("RMSProp still accumulating like Adagrad",
         "the one line to change: memory = decay * memory + (1 - decay) * g**2, "
         "a decaying average instead of a sum", rmsprop_accumulating),
        ("decay and 1 - decay swapped",
         "the old memory keeps the weight decay. Fix: decay * memory + (1 - decay) * g * g",
         rmsprop_decay_swapped),
        ("RMSProp with a fixed 0.9 instead of decay",
         "the check passes other values of decay. Fix: use the argument decay", rmsprop_fixed_decay),
        ("RMSProp without the square root", "divide by np.sqrt(memory + 1e-8)",
         rmsprop_without_sqrt),
    ],
    "temperature": [
        ("temperature applied to probabilities instead of logits",
         "temperature divides the logits: softmax(logits / temperature)",
         temperature_on_probabilities),
        ("temperature applied to probabilities instead of logits (then renormalised)",
         "dividing probabilities by a number and renormalising changes nothing. "
         "Fix: softmax(logits / temperature)", temperature_on_probabilities_renormalised),
        ("multiplying by the temperature", "divide: logits / temperature",
         temperature_multiplied),
        ("softmax without subtracting the max",
         "a small temperature makes logits / temperature overflow exp(). "
         "Fix: subtract z.max() before np.exp", temperature_without_max),
    ],
    "top_k": [
        ("top-k probabilities not renormalised",
         "after zeroing the others, the k kept probabilities must sum to 1 again",
         top_k_unnormalised),
        ("keeping k + 1 characters", "the k-th largest logit is np.sort(logits)[-k]: keep the logits >= it", top_k_plus_one),
        ("logits > the k-th largest instead of >=",
         "that drops the k-th largest itself and keeps k - 1 (none when k = 1). "
         "Fix: logits >= np.sort(logits)[-k]", top_k_strictly_greater),
        ("keeping k - 1 characters", "keep the logits >= the k-th largest, np.sort(logits)[-k]",
         top_k_minus_one),
        ("keeping the k smallest logits", "sorting is ascending: the k largest are at the end of np.sort(logits)",
         top_k_smallest),
        ("setting the dropped logits to 0 instead of -inf",
         "a logit of 0 still gets probability; exp(-inf) = 0", top_k_zero_logits),
    ],
}


# --------------------------------------------------- right, but written otherwise
# Answers that differ from the reference above by more than rounding, yet are right:
# check() accepts an output equal to one of them and says so in the ✓ line.

def adagrad_epsilon_outside_sqrt(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] * grads[k]
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


def rmsprop_epsilon_outside_sqrt(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] * grads[k]
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


_EPSILON_OUTSIDE = ("1e-8 outside the square root (as PyTorch writes it) is fine too; "
                    "min-char-rnn writes np.sqrt(memory + 1e-8)")

# exercise -> [(what the ✓ line adds, the right answer written otherwise)]
VARIANTS = {
    "adagrad_step": [(_EPSILON_OUTSIDE, adagrad_epsilon_outside_sqrt)],
    "rmsprop_step": [(_EPSILON_OUTSIDE, rmsprop_epsilon_outside_sqrt)],
}
