"""Wrong student functions, notebooks 04-06: each with the calls that show it wrong."""
import numpy as np

from . import reference as ref
from .wrong_a import wrong, wrong_stateful

# ------------------------------------------------------------------ bptt_step

STEP = ref.step_case(6, 4, 3, x=2)


def _step(params, x, h_prev, h, dy, dhnext, use_dhnext=True, hh_from=None,
          transpose_back=True, deriv=None, skip_deriv_back=False):
    dh = params["Why"].T @ dy + (dhnext if use_dhnext else 0)
    d = (1 - h * h) if deriv is None else deriv
    dhraw = d * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    grads = {"Wxh": dWxh, "Whh": np.outer(dhraw, h_prev if hh_from is None else hh_from),
             "Why": np.outer(dy, h), "bh": dhraw, "by": dy.copy()}
    back = (params["Whh"].T if transpose_back else params["Whh"]) @ (dh if skip_deriv_back else dhraw)
    return grads, back


@wrong("bptt_step", "ignores dhnext", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, use_dhnext=False)


@wrong("bptt_step", "takes dWhh from h instead of h_prev", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, hh_from=h)


@wrong("bptt_step", "sends dh_prev back through Whh, not Whh transposed", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, transpose_back=False)


@wrong("bptt_step", "uses (1 - h) as the tanh derivative", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, deriv=1 - h)


@wrong("bptt_step", "applies tanh again: 1 - tanh(h)**2", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, deriv=1 - np.tanh(h) ** 2)


@wrong("bptt_step", "skips the tanh derivative in dh_prev", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    return _step(params, x, h_prev, h, dy, dhnext, skip_deriv_back=True)


@wrong("bptt_step", "writes dWxh into row x", [ref.step_case(4, 4, 3, x=1)])
def _(params, x, h_prev, h, dy, dhnext):
    grads, back = _step(params, x, h_prev, h, dy, dhnext)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[x, :] = grads["bh"]
    grads["Wxh"] = dWxh
    return grads, back


@wrong("bptt_step", "adds into dhnext in place", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    dh = dhnext
    dh += params["Why"].T @ dy
    grads, back = _step(params, x, h_prev, h, dy, np.zeros_like(dhnext))
    dhraw = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    grads.update(Wxh=dWxh, Whh=np.outer(dhraw, h_prev), bh=dhraw)
    return grads, params["Whh"].T @ dhraw


@wrong("bptt_step", "names the gradients dWxh, dWhh, ...", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    grads, back = _step(params, x, h_prev, h, dy, dhnext)
    return {"d" + k: v for k, v in grads.items()}, back


@wrong("bptt_step", "adds dhnext after the tanh derivative", [STEP])
def _(params, x, h_prev, h, dy, dhnext):
    dhraw = (1 - h * h) * (params["Why"].T @ dy)
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = dhraw
    grads = {"Wxh": dWxh, "Whh": np.outer(dhraw, h_prev), "Why": np.outer(dy, h),
             "bh": dhraw, "by": dy.copy()}
    return grads, params["Whh"].T @ dhraw + dhnext


@wrong_stateful("bptt_step", "keeps a dWxh array between calls and adds into it",
                [STEP, ref.step_case(6, 4, 4, x=5)])
def _():
    store = {}

    def bptt_step(params, x, h_prev, h, dy, dhnext):
        grads, back = _step(params, x, h_prev, h, dy, dhnext)
        if "Wxh" not in store:
            store["Wxh"] = np.zeros_like(params["Wxh"])
        store["Wxh"][:, x] += grads["bh"]
        grads["Wxh"] = store["Wxh"].copy()
        return grads, back
    return bptt_step


# ------------------------------------------------------------------ bptt

SEQ = ref.sequence(6, 4, 12, 4)
LONG = ref.sequence(5, 3, 40, 6, scale=0.9)
BIG = ref.sequence(6, 4, 40, 7, scale=3.0)


def _bptt(params, inputs, targets, hs, ps, order=None, window=None, clip=None, scale=1.0,
          hh_next=False, only_last=False, steps=None):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    T = len(inputs)
    dhnext = np.zeros(hs.shape[1])
    ts = list(reversed(range(T))) if order is None else order(T)
    if steps is not None:
        ts = [t for t in ts if t >= T - steps]
    for n, t in enumerate(ts):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        if only_last and t != T - 1:
            dy[:] = 0
        if window is not None and n % window == 0:
            dhnext = np.zeros_like(dhnext)
        g, dhnext = ref.bptt_step(params, inputs[t], hs[t], hs[t + 1], dy * scale, dhnext)
        if hh_next:
            g["Whh"] = np.outer(g["bh"], hs[t + 1])
        for k in grads:
            grads[k] += g[k]
    if clip is not None:
        for g in grads.values():
            np.clip(g, -clip, clip, out=g)
    return grads


@wrong("bptt", "resets dhnext to zero at every step", [SEQ])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, window=1)


@wrong("bptt", "walks forward in time", [SEQ])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, order=lambda T: range(T))


@wrong("bptt", "clips to [-5, 5] inside", [BIG])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, clip=5)


@wrong("bptt", "subtracts 1 from ps[t] in place", [SEQ])
def _(params, inputs, targets, hs, ps):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t]
        dy[targets[t]] -= 1
        g, dhnext = ref.bptt_step(params, inputs[t], hs[t], hs[t + 1], dy, dhnext)
        for k in grads:
            grads[k] += g[k]
    return grads


@wrong("bptt", "reads hs one step too early (hs[t-1], hs[t])", [SEQ])
def _(params, inputs, targets, hs, ps):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g, dhnext = ref.bptt_step(params, inputs[t], hs[t - 1], hs[t], dy, dhnext)
        for k in grads:
            grads[k] += g[k]
    return grads


@wrong("bptt", "divides the gradients by T", [SEQ])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, scale=1 / len(inputs))


@wrong("bptt", "backpropagates only the last step's loss", [SEQ])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, only_last=True)


@wrong_stateful("bptt", "accumulates into one gradient dict kept between calls", [SEQ, SEQ])
def _():
    kept = {}

    def bptt(params, inputs, targets, hs, ps):
        g = _bptt(params, inputs, targets, hs, ps)
        for k, v in g.items():
            kept[k] = kept.get(k, 0) + v
        return {k: v.copy() for k, v in kept.items()}
    return bptt


@wrong("bptt", "takes dWhh from hs[t + 1] (seed 001's mistake)", [SEQ])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, hh_next=True)


@wrong("bptt", "only walks back the last 25 steps (a hard-coded seq_length)", [LONG])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, steps=25)


@wrong("bptt", "truncates dhnext every 20 steps", [LONG])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, window=20)


@wrong("bptt", "uses the sign of p - onehot flipped for by only", [SEQ])
def _(params, inputs, targets, hs, ps):
    g = _bptt(params, inputs, targets, hs, ps)
    g["by"] = -g["by"]
    return g


# ------------------------------------------------------------------ clip

G = ref.grads_like(5, 3, 8, scale=10.0)


@wrong("clip", "returns clipped copies and leaves grads alone", [(G, 2.0)])
def _(grads, limit):
    return {k: np.clip(g, -limit, limit) for k, g in grads.items()}


@wrong("clip", "rebinds the loop variable", [(G, 2.0)])
def _(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841


@wrong("clip", "clips only from above", [(G, 2.0)])
def _(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


@wrong("clip", "clips at a hard-coded 5", [(G, 2.0)])
def _(grads, limit):
    for g in grads.values():
        np.clip(g, -5, 5, out=g)


@wrong("clip", "scales an array down when its largest element exceeds the limit", [(G, 2.0)])
def _(grads, limit):
    for g in grads.values():
        m = np.abs(g).max()
        if m > limit:
            g *= limit / m


@wrong("clip", "puts new arrays in the dict instead of changing the arrays", [(G, 2.0)])
def _(grads, limit):
    for k in grads:
        grads[k] = np.clip(grads[k], -limit, limit)


@wrong("clip", "clips min-char-rnn's names dWxh ... which are not the keys", [(G, 2.0)])
def _(grads, limit):
    for k in ("dWxh", "dWhh", "dWhy", "dbh", "dby"):
        if k in grads:
            np.clip(grads[k], -limit, limit, out=grads[k])


@wrong("clip", "forgets the biases", [(G, 2.0)])
def _(grads, limit):
    for k in ("Wxh", "Whh", "Why"):
        np.clip(grads[k], -limit, limit, out=grads[k])


@wrong("clip", "clips to [0, limit]", [(G, 2.0)])
def _(grads, limit):
    for g in grads.values():
        np.clip(g, 0, limit, out=g)


@wrong("clip", "uses abs and loses the sign of clipped elements",
       [({"a": np.array([-10.0, 1.0, 10.0])}, 3.0)])
def _(grads, limit):
    for g in grads.values():
        big = np.abs(g) > limit
        g[big] = limit


# ------------------------------------------------------------------ adagrad_step

PA = ref.params(5, 3, 9)
GA = ref.grads_like(5, 3, 9)
MA = {k: np.abs(v) + 0.5 for k, v in ref.grads_like(5, 3, 10).items()}
TINYG = {k: np.full_like(v, 1e-6) for k, v in GA.items()}
ZERO_M = {k: np.zeros_like(v) for k, v in GA.items()}


def _rev(d):
    return dict(reversed(list(d.items())))


@wrong("adagrad_step", "sets memory to g**2 instead of adding", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k][...] = grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "adds 1e-8 after the square root", [(PA, TINYG, ZERO_M, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("adagrad_step", "updates the parameter before the memory", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] ** 2


@wrong("adagrad_step", "zips .values() of dicts whose keys come in another order",
       [(PA, _rev(GA), MA, 0.1)])
def _(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        if p.shape == g.shape:
            m += g * g
            p -= lr * g / np.sqrt(m + 1e-8)


@wrong("adagrad_step", "rebinds p instead of changing it", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        p = params[k]
        memory[k] += grads[k] ** 2
        p = p - lr * grads[k] / np.sqrt(memory[k] + 1e-8)  # noqa: F841


@wrong("adagrad_step", "puts new arrays in params and memory", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] = memory[k] + grads[k] ** 2
        params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "squares the gradient in place", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        g = grads[k]
        step = lr * g / np.sqrt(memory[k] + g * g + 1e-8)
        g **= 2
        memory[k] += g
        params[k] -= step


@wrong("adagrad_step", "uses a hard-coded learning rate of 0.1", [(PA, GA, MA, 0.02)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= 0.1 * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "uses epsilon 1e-6", [(PA, {k: np.full_like(v, 1e-5) for k, v in GA.items()}, ZERO_M, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-6)


@wrong("adagrad_step", "adds the step instead of subtracting it", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] += lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# ------------------------------------------------------------------ rmsprop_step

@wrong("rmsprop_step", "swaps decay and 1 - decay", [(PA, GA, MA, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = (1 - decay) * memory[k] + decay * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "ignores decay and always uses 0.9", [(PA, GA, MA, 0.1, 0.99)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = 0.9 * memory[k] + 0.1 * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "forgets (1 - decay) on g**2", [(PA, GA, MA, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "rebinds the local name mem", [(PA, GA, MA, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        mem = memory[k]
        mem = decay * mem + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(mem + 1e-8)


@wrong("rmsprop_step", "adds 1e-8 after the square root", [(PA, TINYG, ZERO_M, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("rmsprop_step", "has a default decay of 0.99, not 0.9", [(PA, GA, MA, 0.1)])
def _(params, grads, memory, lr, decay=0.99):
    for k in params:
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "steps with the old memory", [(PA, GA, MA, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k][...] = decay * memory[k] + (1 - decay) * grads[k] ** 2


@wrong("rmsprop_step", "zips .values() of dicts whose keys come in another order",
       [(PA, _rev(GA), _rev(MA), 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        if p.shape == g.shape == m.shape:
            m[...] = decay * m + (1 - decay) * g * g
            p -= lr * g / np.sqrt(m + 1e-8)


@wrong("rmsprop_step", "adds the Adagrad sum on top of the decay", [(PA, GA, MA, 0.1, 0.9)])
def _(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] += grads[k] ** 2
        memory[k] *= decay
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# ------------------------------------------------------------------ clip_global_norm

GN = ref.grads_like(5, 3, 11, scale=3.0)


@wrong("clip_global_norm", "clips each array's own norm", [(GN, 4.0)])
def _(grads, max_norm):
    for g in grads.values():
        n = np.linalg.norm(g)
        if n > max_norm:
            g *= max_norm / n


@wrong("clip_global_norm", "always rescales, even below max_norm", [(GN, 1000.0)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    for g in grads.values():
        g *= max_norm / norm


@wrong("clip_global_norm", "adds the arrays' norms instead of their squares", [(GN, 4.0)])
def _(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "puts new arrays in the dict", [(GN, 4.0)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for k in grads:
            grads[k] = grads[k] * (max_norm / norm)


@wrong("clip_global_norm", "recomputes the norm after each array is scaled", [(GN, 4.0)])
def _(grads, max_norm):
    for g in grads.values():
        norm = np.sqrt(sum((x ** 2).sum() for x in grads.values()))
        if norm > max_norm:
            g *= max_norm / norm


@wrong("clip_global_norm", "uses the largest absolute element as the norm", [(GN, 4.0)])
def _(grads, max_norm):
    norm = max(np.abs(g).max() for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "adds 1e-6 to the norm, as PyTorch does", [({"a": np.array([3e-6, 4e-6])}, 1e-6)])
def _(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / (norm + 1e-6)


@wrong("clip_global_norm", "forgets the square root", [(GN, 4.0)])
def _(grads, max_norm):
    norm = sum((g ** 2).sum() for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "only looks at the weight matrices for the norm", [(GN, 4.0)])
def _(grads, max_norm):
    norm = np.sqrt(sum((grads[k] ** 2).sum() for k in ("Wxh", "Whh", "Why")))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


# ------------------------------------------------------------------ temperature

Y = np.array([2.0, -1.0, 0.5, 3.0, 0.0])


@wrong("temperature", "multiplies by the temperature", [(Y, 0.5)])
def _(logits, temperature):
    return ref.softmax(logits * temperature)


@wrong("temperature", "does not subtract the max, overflowing at tiny temperatures", [(Y, 1e-3)])
def _(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


@wrong("temperature", "raises softmax probabilities to 1/T without the max", [(Y * 100, 0.1)])
def _(logits, temperature):
    e = np.exp(logits) ** (1 / temperature)
    return e / e.sum()


@wrong("temperature", "floors the temperature at 0.01", [(np.array([0.0, 1e-5]), 1e-7)])
def _(logits, temperature):
    return ref.softmax(logits / max(temperature, 0.01))


@wrong("temperature", "returns a greedy one-hot below 0.01, breaking ties", [(np.array([1.0, 1.0, 0.0]), 1e-3)])
def _(logits, temperature):
    if temperature < 0.01:
        p = np.zeros(len(logits))
        p[np.argmax(logits)] = 1.0
        return p
    return ref.softmax(logits / temperature)


@wrong("temperature", "divides the logits in place", [(Y, 2.0)])
def _(logits, temperature):
    logits /= temperature
    return ref.softmax(logits)


@wrong_stateful("temperature", "remembers the first temperature", [(Y, 1.0), (Y, 4.0)])
def _():
    seen = []

    def temperature(logits, temperature):
        if not seen:
            seen.append(temperature)
        return ref.softmax(logits / seen[0])
    return temperature


@wrong("temperature", "divides the probabilities, not the logits", [(Y, 2.0)])
def _(logits, temperature):
    p = ref.softmax(logits) / temperature
    return p / p.sum()


@wrong("temperature", "returns log-probabilities", [(Y, 1.0)])
def _(logits, temperature):
    z = logits / temperature
    return z - z.max() - np.log(np.exp(z - z.max()).sum())


# ------------------------------------------------------------------ top_k

YK = np.array([0.3, 2.0, -1.0, 1.5, 0.9, -0.2])


def _keep(logits, idx):
    y = np.full(len(logits), -np.inf)
    y[idx] = logits[idx]
    return ref.softmax(y)


@wrong("top_k", "keeps the k smallest logits", [(YK, 2)])
def _(logits, k):
    return _keep(logits, np.argsort(logits)[:k])


@wrong("top_k", "uses argpartition, which fails when k > V", [(YK, 10)])
def _(logits, k):
    return _keep(logits, np.argpartition(logits, -k)[-k:])


@wrong("top_k", "sets the others' logits to 0 instead of -inf", [(YK, 2)])
def _(logits, k):
    y = np.zeros(len(logits))
    idx = np.argsort(logits)[-k:]
    y[idx] = logits[idx]
    return ref.softmax(y)


@wrong("top_k", "zeroes the others without renormalising", [(YK, 2)])
def _(logits, k):
    p = ref.softmax(logits)
    p[np.argsort(logits)[:-k]] = 0
    return p


@wrong("top_k", "keeps k + 1 logits", [(YK, 2)])
def _(logits, k):
    return _keep(logits, np.argsort(logits)[-k - 1:])


@wrong("top_k", "writes -inf into the logits in place", [(YK, 2)])
def _(logits, k):
    logits[np.argsort(logits)[:-k]] = -np.inf
    return ref.softmax(logits)


@wrong("top_k", "does not subtract the max before exp", [(YK * 500, 2)])
def _(logits, k):
    y = np.full(len(logits), -np.inf)
    idx = np.argsort(logits)[-k:]
    y[idx] = logits[idx]
    e = np.exp(y)
    return e / e.sum()


@wrong("top_k", "keeps exactly k even when the k-th logit is tied",
       [(np.array([1.0, 3.0, 1.0, 0.0]), 2)])
def _(logits, k):
    return _keep(logits, np.argsort(logits, kind="stable")[-k:])


@wrong("top_k", "uses the k-th largest as a strict threshold, keeping k - 1", [(YK, 3)])
def _(logits, k):
    if k >= len(logits):
        return ref.softmax(logits)
    kth = np.sort(logits)[-k]
    return ref.softmax(np.where(logits > kth, logits, -np.inf))


@wrong("top_k", "slices argsort()[-k:] with k = 0 meaning all, then off by one for k = V",
       [(YK, 6), (YK, 1)])
def _(logits, k):
    idx = np.argsort(logits)[-k:] if k < len(logits) else np.argsort(logits)[1:]
    return _keep(logits, idx)


# ------------------------------------------------------------------ added after a first run
# (probes the first 161 entries did not reach)

def _one_target(V, H, T, seed):
    """A long sequence that always asks for character 0: dby[0] sums T terms near -1."""
    p, inputs, targets, hs, ps = ref.sequence(V, H, T, seed)
    return p, inputs, np.zeros_like(targets), hs, ps


@wrong("bptt", "clips to [-100, 100] inside, which only shows on long sequences",
       [_one_target(5, 3, 200, 3)])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, clip=100)


@wrong("bptt", "walks back at most 400 steps (a truncation meant for speed)",
       [ref.sequence(5, 3, 450, 12)])
def _(params, inputs, targets, hs, ps):
    return _bptt(params, inputs, targets, hs, ps, steps=400)


@wrong("temperature", "floors the temperature at 1e-8 to avoid dividing by zero",
       [(np.array([0.0, 1e-13]), 1e-12)])
def _(logits, temperature):
    return ref.softmax(np.asarray(logits, dtype=float) / max(temperature, 1e-8))


@wrong("clip_global_norm", "treats a max_norm of 0 as no clipping", [(ref.grads_like(4, 3, 14), 0.0)])
def _(grads, max_norm):
    if not max_norm:
        return
    ref.clip_global_norm(grads, max_norm)
