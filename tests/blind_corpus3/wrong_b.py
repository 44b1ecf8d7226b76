"""Third blind corpus, wrong functions for notebooks 04-06 (see wrong_a.py for the format)."""
import numpy as np

from .wrong_a import ids, params, ref_softmax, wrong


def fwd(params, inputs, h0):
    hs = [np.asarray(h0, dtype=float)]
    ps = []
    for x in inputs:
        hs.append(np.tanh(params["Wxh"][:, x] + params["Whh"] @ hs[-1] + params["bh"]))
        ps.append(ref_softmax(params["Why"] @ hs[-1] + params["by"]))
    return np.array(hs), np.array(ps)


def bptt_case(V=5, H=3, T=6, seed=0, same_target=False):
    p = params(V, H, seed)
    inputs, targets = ids(T, V, seed), ids(T, V, seed + 1)
    if same_target:
        targets = np.zeros(T, dtype=int)
    hs, ps = fwd(p, inputs, np.full(H, 0.2))
    return (p, inputs, targets, hs, ps)


def step_case(V=5, H=3, seed=0):
    rng = np.random.default_rng(seed)
    p = params(V, H, seed)
    h_prev = np.tanh(rng.normal(size=H))
    h = np.tanh(rng.normal(size=H))
    dy = ref_softmax(rng.normal(size=V))
    dy[1] -= 1
    return (p, 2, h_prev, h, dy, rng.normal(size=H) * 0.3)


def grads(seed=0, scale=3.0):
    rng = np.random.default_rng(seed)
    return {"Wxh": rng.normal(size=(3, 5)) * scale, "Whh": rng.normal(size=(3, 3)) * scale,
            "Why": rng.normal(size=(5, 3)) * scale, "bh": rng.normal(size=3) * scale,
            "by": rng.normal(size=5) * scale}


def opt_case(seed=0, mem_scale=1.0):
    p = params(5, 3, seed)
    g = grads(seed + 1, 1.0)
    m = {k: np.abs(v) * mem_scale for k, v in grads(seed + 2, 1.0).items()}
    return p, g, m


def reorder(d):
    return {k: d[k] for k in reversed(list(d))}


def step_parts(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    da = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return dh, da, dWxh


# ------------------------------------------------------------------ bptt_step

@wrong("bptt_step", "leaves out dhnext", step_case())
def bs_no_dhnext(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy
    da = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


@wrong("bptt_step", "takes dWhh from h instead of h_prev", step_case())
def bs_whh_from_h(params, x, h_prev, h, dy, dhnext):
    dh, da, dWxh = step_parts(params, x, h_prev, h, dy, dhnext)
    return ({"Wxh": dWxh, "Whh": np.outer(da, h), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


@wrong("bptt_step", "uses the tanh derivative at h_prev", step_case())
def bs_deriv_hprev(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    da = (1 - h_prev * h_prev) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


@wrong("bptt_step", "hands back Whh @ da (no transpose)", step_case())
def bs_no_transpose(params, x, h_prev, h, dy, dhnext):
    dh, da, dWxh = step_parts(params, x, h_prev, h, dy, dhnext)
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"] @ da)


@wrong("bptt_step", "hands back Whh.T @ dh, before the tanh derivative", step_case())
def bs_before_tanh(params, x, h_prev, h, dy, dhnext):
    dh, da, dWxh = step_parts(params, x, h_prev, h, dy, dhnext)
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ dh)


@wrong("bptt_step", "applies tanh again to h in the derivative", step_case())
def bs_double_tanh(params, x, h_prev, h, dy, dhnext):
    dh = params["Why"].T @ dy + dhnext
    da = (1 - np.tanh(h) ** 2) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


@wrong("bptt_step", "adds into dhnext in place", step_case())
def bs_dhnext_inplace(params, x, h_prev, h, dy, dhnext):
    dh = dhnext
    dh += params["Why"].T @ dy
    da = (1 - h * h) * dh
    dWxh = np.zeros_like(params["Wxh"])
    dWxh[:, x] = da
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


@wrong("bptt_step", "returns the gradient at h, not at h_prev", step_case())
def bs_returns_dh(params, x, h_prev, h, dy, dhnext):
    dh, da, dWxh = step_parts(params, x, h_prev, h, dy, dhnext)
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(dy, h), "bh": da,
             "by": dy.copy()}, dh)


@wrong("bptt_step", "puts the outer product the other way round for Why (then transposes)",
       step_case(V=4, H=4))
def bs_why_swapped(params, x, h_prev, h, dy, dhnext):
    dh, da, dWxh = step_parts(params, x, h_prev, h, dy, dhnext)
    return ({"Wxh": dWxh, "Whh": np.outer(da, h_prev), "Why": np.outer(h, dy), "bh": da,
             "by": dy.copy()}, params["Whh"].T @ da)


# ------------------------------------------------------------------ bptt

def bptt_loop(params, inputs, targets, hs, ps, *, carry=True, order=None, hidx=0, whh_from=0,
              scale=1.0, clip=None, last=None, copy_ps=True):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    T = len(inputs)
    steps = list(reversed(range(T))) if order is None else order(T)
    if last is not None:
        steps = steps[:last]
    for t in steps:
        dy = ps[t].copy() if copy_ps else ps[t]
        dy[targets[t]] -= 1
        h, h_prev = hs[t + 1 - hidx], hs[t - hidx] if t - hidx >= 0 else hs[0]
        g["Why"] += np.outer(dy, h)
        g["by"] += dy
        dh = params["Why"].T @ dy + (dhnext if carry else 0)
        da = (1 - h * h) * dh
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t + whh_from])
        dhnext = params["Whh"].T @ da
    for k in g:
        g[k] *= scale
        if clip is not None:
            np.clip(g[k], -clip, clip, out=g[k])
    return g


@wrong("bptt", "leaves out dhnext", bptt_case())
def bp_no_dhnext(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, carry=False)


@wrong("bptt", "changes ps in place (dy = ps[t] without a copy)", bptt_case())
def bp_ps_inplace(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, copy_ps=False)


@wrong("bptt", "walks forwards in time", bptt_case())
def bp_forwards(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, order=lambda T: list(range(T)))


@wrong("bptt", "reads h_t as hs[t], one step early", bptt_case())
def bp_hs_early(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, hidx=1)


@wrong("bptt", "takes dWhh from h_t instead of h_(t-1)", bptt_case())
def bp_whh_from_h(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, whh_from=1)


@wrong("bptt", "clips to [-5, 5] inside bptt", bptt_case(T=40, same_target=True))
def bp_clip_inside(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, clip=5.0)


@wrong("bptt", "divides the gradients by T", bptt_case())
def bp_mean(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, scale=1.0 / len(inputs))


@wrong("bptt", "only backpropagates the last 25 steps", bptt_case(T=30))
def bp_last25(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, last=25)


@wrong("bptt", "accumulates into a module-level dict that is never reset",
       bptt_case(), bptt_case(seed=1), fresh=True)
def bp_global_acc():
    acc = {}

    def bptt(params, inputs, targets, hs, ps):
        g = bptt_loop(params, inputs, targets, hs, ps)
        for k, v in g.items():
            if k in acc and acc[k].shape == v.shape:
                acc[k] += v
            else:
                acc[k] = v.copy()
        return {k: v.copy() for k, v in acc.items()}
    return bptt


@wrong("bptt", "forgets the tanh derivative", bptt_case())
def bp_no_tanh(params, inputs, targets, hs, ps):
    g = {k: np.zeros_like(v) for k, v in params.items()}
    dhnext = np.zeros(hs.shape[1])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["Why"] += np.outer(dy, hs[t + 1])
        g["by"] += dy
        da = params["Why"].T @ dy + dhnext
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = params["Whh"].T @ da
    return g


@wrong("bptt", "stops the backward loop before step 0", bptt_case(T=8))
def bp_skip_first(params, inputs, targets, hs, ps):
    return bptt_loop(params, inputs, targets, hs, ps, order=lambda T: list(range(T - 1, 0, -1)))


# ------------------------------------------------------------------ clip

@wrong("clip", "returns clipped copies and leaves grads as they were", (grads(), 5.0))
def clip_copies(grads, limit):
    return {k: np.clip(v, -limit, limit) for k, v in grads.items()}


@wrong("clip", "rebinds the loop variable, so nothing changes", (grads(), 1.0))
def clip_rebind(grads, limit):
    for g in grads.values():
        g = np.clip(g, -limit, limit)  # noqa: F841


@wrong("clip", "clips at a hard-coded 5", (grads(), 1.0))
def clip_hard5(grads, limit):
    for g in grads.values():
        np.clip(g, -5, 5, out=g)


@wrong("clip", "only clips the positive side", (grads(), 1.0))
def clip_positive(grads, limit):
    for g in grads.values():
        np.minimum(g, limit, out=g)


@wrong("clip", "sets every large element to +limit, whatever its sign", (grads(), 1.0))
def clip_sign(grads, limit):
    for g in grads.values():
        g[np.abs(g) > limit] = limit


@wrong("clip", "replaces the arrays in the dict instead of writing into them", (grads(), 1.0))
def clip_replace(grads, limit):
    for k in grads:
        grads[k] = np.clip(grads[k], -limit, limit)


@wrong("clip", "clips only the weight matrices, not the biases", (grads(), 1.0))
def clip_weights_only(grads, limit):
    for k in ("Wxh", "Whh", "Why"):
        np.clip(grads[k], -limit, limit, out=grads[k])


@wrong("clip", "clips to [0, limit]", (grads(), 1.0))
def clip_zero(grads, limit):
    for g in grads.values():
        np.clip(g, 0, limit, out=g)


# ------------------------------------------------------------------ adagrad_step

@wrong("adagrad_step", "updates params before adding g**2 to memory", opt_case(mem_scale=0.0) + (0.1,))
def ada_order(params, grads, memory, lr):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] += grads[k] ** 2


@wrong("adagrad_step", "zips .values() of dicts whose keys come in another order",
       (lambda c: (c[0], reorder(c[1]), c[2], 0.1))(opt_case()))
def ada_zip(params, grads, memory, lr):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m += g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("adagrad_step", "adds 1e-8 outside the square root",
       (lambda c: (c[0], {k: v * 1e-6 for k, v in c[1].items()}, {k: v * 0 for k, v in c[2].items()},
                   0.1))(opt_case()))
def ada_eps_outside(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("adagrad_step", "rebinds memory[k] to a new array", opt_case() + (0.1,))
def ada_mem_rebind(params, grads, memory, lr):
    for k in params:
        memory[k] = memory[k] + grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "uses a hard-coded learning rate of 0.1", opt_case() + (0.01,))
def ada_lr(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] -= 0.1 * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "adds |g| to memory instead of g**2", opt_case() + (0.1,))
def ada_abs(params, grads, memory, lr):
    for k in params:
        memory[k] += np.abs(grads[k])
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("adagrad_step", "divides grads in place on the way", opt_case() + (0.1,))
def ada_grads_inplace(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        grads[k] /= np.sqrt(memory[k] + 1e-8)
        params[k] -= lr * grads[k]


@wrong("adagrad_step", "replaces params[k] rather than writing into it", opt_case() + (0.1,))
def ada_param_rebind(params, grads, memory, lr):
    for k in params:
        memory[k] += grads[k] ** 2
        params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# ------------------------------------------------------------------ rmsprop_step

@wrong("rmsprop_step", "ignores the decay argument (always 0.9)", opt_case() + (0.1, 0.5))
def rms_fixed_decay(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= 0.9
        memory[k] += 0.1 * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "swaps decay and 1 - decay", opt_case() + (0.1, 0.9))
def rms_swapped(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= 1 - decay
        memory[k] += decay * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "forgets the (1 - decay) factor", opt_case() + (0.1, 0.9))
def rms_no_one_minus(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "has 0.99 as its default decay", opt_case() + (0.1,))
def rms_default(params, grads, memory, lr, decay=0.99):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


@wrong("rmsprop_step", "zips .values() of dicts whose keys come in another order",
       (lambda c: (c[0], c[1], reorder(c[2]), 0.1, 0.9))(opt_case()))
def rms_zip(params, grads, memory, lr, decay=0.9):
    for p, g, m in zip(params.values(), grads.values(), memory.values()):
        m *= decay
        m += (1 - decay) * g * g
        p -= lr * g / np.sqrt(m + 1e-8)


@wrong("rmsprop_step", "adds 1e-8 outside the square root",
       (lambda c: (c[0], {k: v * 1e-6 for k, v in c[1].items()}, {k: v * 0 for k, v in c[2].items()},
                   0.1, 0.9))(opt_case()))
def rms_eps_outside(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)


@wrong("rmsprop_step", "updates params with the old memory", opt_case() + (0.1, 0.9))
def rms_old_memory(params, grads, memory, lr, decay=0.9):
    for k in params:
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)
        memory[k] *= decay
        memory[k] += (1 - decay) * grads[k] ** 2


@wrong("rmsprop_step", "rebinds memory[k] to a new array", opt_case() + (0.1, 0.9))
def rms_mem_rebind(params, grads, memory, lr, decay=0.9):
    for k in params:
        memory[k] = decay * memory[k] + (1 - decay) * grads[k] ** 2
        params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)


# ------------------------------------------------------------------ clip_global_norm

@wrong("clip_global_norm", "scales each array by its own norm", (grads(), 5.0))
def gn_per_array(grads, max_norm):
    for g in grads.values():
        n = np.sqrt(np.sum(g * g))
        if n > max_norm:
            g *= max_norm / n


@wrong("clip_global_norm", "always scales, so small gradients grow", (grads(scale=0.01), 5.0))
def gn_always(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    for g in grads.values():
        g *= max_norm / norm


@wrong("clip_global_norm", "adds the arrays' norms instead of their squares", (grads(), 5.0))
def gn_sum_norms(grads, max_norm):
    norm = sum(np.sqrt(np.sum(g * g)) for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "uses the factor norm / max_norm", (grads(), 5.0))
def gn_inverted(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= norm / max_norm


@wrong("clip_global_norm", "rebinds the loop variable, so nothing changes", (grads(), 5.0))
def gn_rebind(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g = g * (max_norm / norm)  # noqa: F841


@wrong("clip_global_norm", "leaves the biases out of the norm", (grads(), 5.0))
def gn_weights_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(grads[k] ** 2) for k in ("Wxh", "Whh", "Why")))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "uses np.linalg.norm(g, 2), the spectral norm of a matrix",
       (grads(), 5.0))
def gn_spectral(grads, max_norm):
    norm = np.sqrt(sum(np.linalg.norm(g, 2) ** 2 for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "forgets the square root", (grads(), 5.0))
def gn_no_sqrt(grads, max_norm):
    norm = sum(np.sum(g * g) for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


@wrong("clip_global_norm", "uses the largest element as the norm", (grads(), 5.0))
def gn_max(grads, max_norm):
    norm = max(np.max(np.abs(g)) for g in grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm


# ------------------------------------------------------------------ temperature

@wrong("temperature", "multiplies by the temperature", (np.array([1.0, 2.0, 0.5]), 2.0))
def tmp_multiply(logits, temperature):
    return ref_softmax(logits * temperature)


@wrong("temperature", "raises the softmax to 1/T and renormalises, which underflows at 1e-7",
       (np.array([1.0, 1.0 + 1e-9, 0.0]), 1e-7))
def tmp_power(logits, temperature):
    p = ref_softmax(logits) ** (1.0 / temperature)
    return p / p.sum()


@wrong("temperature", "keeps the temperature above 0.01 'for safety'",
       (np.array([1.0, 1.0 + 1e-5, 0.0]), 1e-6))
def tmp_floor(logits, temperature):
    return ref_softmax(logits / max(temperature, 0.01))


@wrong("temperature", "goes greedy below 1e-3, giving one tied maximum all the mass",
       (np.array([2.0, 2.0, 0.0]), 1e-4))
def tmp_greedy(logits, temperature):
    if temperature < 1e-3:
        p = np.zeros(len(logits))
        p[np.argmax(logits)] = 1.0
        return p
    return ref_softmax(logits / temperature)


@wrong("temperature", "divides logits in place", (np.array([1.0, 2.0, 0.5]), 2.0))
def tmp_inplace(logits, temperature):
    logits /= temperature
    return ref_softmax(logits)


@wrong("temperature", "subtracts the max of the unscaled logits, so small T overflows",
       (np.array([1.0, 2.0, 0.5]), 1e-3))
def tmp_wrong_max(logits, temperature):
    e = np.exp(logits / temperature - logits.max())
    return e / e.sum()


@wrong("temperature", "forgets to normalise", (np.array([1.0, 2.0, 0.5]), 2.0))
def tmp_unnormalised(logits, temperature):
    return np.exp(logits / temperature - (logits / temperature).max())


@wrong("temperature", "uses 1 / T as the exponent of exp(y) without the max",
       (np.array([800.0, 799.0]), 1.0))
def tmp_no_max(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


# ------------------------------------------------------------------ top_k

@wrong("top_k", "keeps exactly k by argsort, dropping logits tied with the k-th",
       (np.array([3.0, 1.0, 1.0, 0.0]), 2))
def tk_argsort(logits, k):
    keep = np.argsort(logits)[-k:]
    y = np.full(len(logits), -np.inf)
    y[keep] = logits[keep]
    return ref_softmax(y)


@wrong("top_k", "indexes np.partition at -k, which fails when k > V",
       (np.array([3.0, 1.0, 2.0]), 5))
def tk_partition(logits, k):
    kth = np.partition(logits, -k)[-k]
    return ref_softmax(np.where(logits >= kth, logits, -np.inf))


@wrong("top_k", "sets the other logits to 0 instead of -inf", (np.array([3.0, 1.0, 2.0]), 1))
def tk_zero_logits(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    return ref_softmax(np.where(logits >= kth, logits, 0.0))


@wrong("top_k", "zeroes the tail without renormalising", (np.array([3.0, 1.0, 2.0]), 2))
def tk_no_renorm(logits, k):
    p = ref_softmax(logits)
    kth = np.sort(logits)[-min(k, len(logits))]
    return np.where(logits >= kth, p, 0.0)


@wrong("top_k", "keeps the k smallest", (np.array([3.0, 1.0, 2.0]), 1))
def tk_smallest(logits, k):
    keep = np.argsort(logits)[:k]
    y = np.full(len(logits), -np.inf)
    y[keep] = logits[keep]
    return ref_softmax(y)


@wrong("top_k", "marks the others with -1000, above very negative kept logits",
       (np.array([-2000.0, -1990.0, -1995.0]), 1))
def tk_minus_1000(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    return ref_softmax(np.where(logits >= kth, logits, -1000.0))


@wrong("top_k", "writes -inf into the logits it was given", (np.array([3.0, 1.0, 2.0]), 1))
def tk_inplace(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    logits[logits < kth] = -np.inf
    return ref_softmax(logits)


@wrong("top_k", "keeps k - 1 (uses <= the k-th logit as the cut)", (np.array([3.0, 1.0, 2.0]), 2))
def tk_k_minus_1(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    return ref_softmax(np.where(logits > kth, logits, -np.inf))


@wrong("top_k", "applies min-char-rnn's temperature of 0.8 as well", (np.array([3.0, 1.0, 2.0]), 2))
def tk_temp(logits, k):
    kth = np.sort(logits)[-min(k, len(logits))]
    return ref_softmax(np.where(logits >= kth, logits / 0.8, -np.inf))
