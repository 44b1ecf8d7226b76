"""The pieces every corpus module shares: how entries are registered and how outputs are compared."""
import copy
from dataclasses import dataclass, field

import numpy as np


class Calls(tuple):
    """Several calls in a row: the function is called on each argument tuple in order and
    every output is compared only after the last call (so outputs overwritten later show)."""

    def __new__(cls, *calls):
        return super().__new__(cls, calls)

    def __getnewargs__(self):  # so that copy.deepcopy rebuilds the same calls
        return tuple(self)


@dataclass
class Entry:
    id: str
    fn: object
    args: object = None
    why: str = ""
    f32: bool = False  # computes in float32 on purpose: compare more loosely

    def __repr__(self):
        return self.id


def registrar(name, kind, into):
    """A decorator factory: ``@wrong("subtracts-mean", args=(...), why="...")`` appends an Entry."""
    def register(tag, args=None, why="", f32=False):
        def deco(fn):
            into.append(Entry(f"{name}-{kind}{len(into) + 1:02d}-{tag}", fn, args, why, f32))
            return fn
        return deco
    return register


def calls_of(args):
    return list(args) if isinstance(args, Calls) else [args]


def fresh(args):
    return copy.deepcopy(args)


def differs(out, ref, rtol=1e-6, atol=1e-9):
    """A sentence saying how ``out`` differs from ``ref``, or "" when it agrees."""
    if isinstance(ref, str):
        if not isinstance(out, str):
            return f"returned {type(out).__name__}, expected str"
        return "" if out == ref else f"{out!r} != {ref!r}"
    if isinstance(ref, dict):
        if not isinstance(out, dict):
            return f"returned {type(out).__name__}, expected dict"
        if set(out) != set(ref):
            return f"keys {sorted(out)} != {sorted(ref)}"
        for k in ref:
            d = differs(out[k], ref[k], rtol, atol)
            if d:
                return f"[{k!r}] {d}"
        return ""
    if isinstance(ref, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(ref):
            return f"returned {type(out).__name__}, expected a tuple of {len(ref)}"
        for i, (o, r) in enumerate(zip(out, ref)):
            d = differs(o, r, rtol, atol)
            if d:
                return f"[{i}] {d}"
        return ""
    if isinstance(ref, float):
        if isinstance(out, (str, bytes)) or np.ndim(out) != 0:
            return f"returned {type(out).__name__} of shape {np.shape(out)}, expected a number"
        try:
            o = float(out)
        except Exception as e:  # noqa: BLE001
            return f"float() raised {e!r}"
        if not np.isfinite(o) and np.isfinite(ref):
            return f"{o} is not finite"
        return "" if abs(o - ref) <= atol + rtol * abs(ref) else f"{o!r} != {ref!r}"
    # an array
    ref = np.asarray(ref)
    try:
        o = np.asarray(out)
    except Exception as e:  # noqa: BLE001
        return f"np.asarray raised {e!r}"
    if o.shape != ref.shape:
        return f"shape {o.shape} != {ref.shape}"
    if ref.dtype.kind == "f" and o.dtype.kind != "f":
        return f"dtype {o.dtype}, expected float"
    if o.dtype.kind not in "fiub":
        return f"dtype {o.dtype}, expected numbers"
    o = o.astype(np.float64)
    if np.isnan(o).any() and not np.isnan(ref).any():
        return "contains NaN"
    bad = ~np.isclose(o, ref, rtol=rtol, atol=atol)
    if bad.any():
        i = np.unravel_index(np.argmax(bad), bad.shape)
        return f"at {tuple(int(j) for j in i)}: {o[i]!r} != {ref[i]!r} ({int(bad.sum())} elements differ)"
    return ""


def run_all(fn, args, inplace):
    """Call fn on each call of ``args`` (deep-copied); return the list of results to compare:
    for in-place exercises the arguments after the call, otherwise (output, arguments after)."""
    results = []
    for a in calls_of(fresh(args)):
        out = fn(*a)
        results.append(a if inplace else (out, a))
    return results


def verdict_of_proof(fn, reference, args, inplace, rtol=1e-6, atol=1e-9):
    """"" when fn agrees with reference on args everywhere, else what differs (a raise counts)."""
    expected = run_all(reference, args, inplace)
    originals = calls_of(fresh(args))
    try:
        got = run_all(fn, args, inplace)
    except Exception as e:  # noqa: BLE001
        return f"raised {type(e).__name__}: {e}"[:300]
    for i, (g, e, orig) in enumerate(zip(got, expected, originals)):
        if inplace:
            d = differs(tuple(g), tuple(e), rtol, atol)
            if d:
                return f"call {i + 1}: state after the call {d}"
        else:
            d = differs(g[0], e[0], rtol, atol)
            if d:
                return f"call {i + 1}: output {d}"
            d = differs(tuple(g[1]), tuple(orig), 0, 0)
            if d:
                return f"call {i + 1}: changed its arguments {d}"
    return ""


def make_params(V, H, seed=0, scale=0.5, why_scale=None, order=("Wxh", "Whh", "Why", "bh", "by")):
    """Random parameters with non-zero biases (a checker with zero biases cannot catch a missing one)."""
    rng = np.random.default_rng(seed)
    shapes = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    p = {k: rng.standard_normal(shapes[k]) * scale for k in ("Wxh", "Whh", "Why", "bh", "by")}
    if why_scale is not None:
        p["Why"] *= why_scale / scale
    return {k: p[k] for k in order}


def state(H, seed=1):
    return np.tanh(np.random.default_rng(seed).standard_normal(H))


def ids(n, V, seed=2, top=None):
    """n ids in 0..V-1 (or 0..top-1 when top is given, so that V-1 is never reached)."""
    return np.random.default_rng(seed).integers(0, V if top is None else top, n)
