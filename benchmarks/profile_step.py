"""Where the time of one training step goes: the readable functions against the workspace.

    python benchmarks/profile_step.py            # B=1 float64 and B=32 float32
    python benchmarks/profile_step.py --repeats 15

"before" is the step as ``train`` made it until issue 18, from the readable
functions the notebooks teach: ``forward.hidden_states``, ``forward.probabilities``,
``loss.nll``, ``bptt.gradients``, ``optim.clip_elementwise`` and
``optim.adagrad_update`` (one call per parameter). "after" is the same step in
``rnn_core.workspace``. Both train the same model on the same Tiny Shakespeare
batch (warmed up by 200 steps first, so the numbers are those of a model that
has started to learn). Each part is timed on its own, many times over; the
parts take turns, repeat after repeat, and each figure is the median over
repeats of the per-call time (perf_counter, one BLAS thread). The sum of the
parts is printed next to a whole step timed the same way.
"""
import argparse
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: see benchmarks/README.md

import numpy as np  # noqa: E402

from rnn_core.bptt import gradients  # noqa: E402
from rnn_core.data import batch_at, load_text, prepare, streams  # noqa: E402
from rnn_core.forward import hidden_states, init_params, probabilities  # noqa: E402
from rnn_core.loss import nll  # noqa: E402
from rnn_core.optim import adagrad_update, clip_elementwise, zeros_like  # noqa: E402
from rnn_core.workspace import Workspace  # noqa: E402

H, T, LR, CLIP = 100, 25, 0.1, 5.0


def readable_parts(params, memory, inputs, targets, h0):
    """{part: fn()} for the step from the readable functions; each fn redoes what its part needs."""
    hs = hidden_states(params, inputs, h0)
    ps = probabilities(params, hs[1:])
    grads = gradients(params, inputs, targets, hs, ps)
    spare = {k: v.copy() for k, v in params.items()}  # Adagrad changes these, not the model
    spare_memory = {k: v.copy() for k, v in memory.items()}
    return {
        "input lookup + recurrence": lambda: hidden_states(params, inputs, h0),
        "output layer + softmax": lambda: probabilities(params, hs[1:]),
        "loss": lambda: nll(ps, targets),
        "BPTT": lambda: gradients(params, inputs, targets, hs, ps),
        "clip": lambda: clip_elementwise(grads, CLIP),
        "Adagrad": lambda: adagrad_update(spare, grads, spare_memory, LR),
    }


def workspace_parts(ws, inputs, targets, h0):
    """The same parts in the workspace. Its BPTT overwrites the probabilities with dy, so
    the BPTT part recomputes them first and the two timings below are subtracted."""
    engine = ws.engine
    ws.hs[0] = h0
    engine.hidden_states(inputs)

    def bptt_with_softmax():
        engine.probabilities()
        engine.loss(targets)
        engine.backward(inputs, targets)
    return {
        "input lookup + recurrence": lambda: engine.hidden_states(inputs),
        "output layer + softmax": engine.probabilities,
        "loss": lambda: engine.loss(targets),
        "BPTT": bptt_with_softmax,
        "clip": lambda: ws.clip(CLIP),
        "Adagrad": lambda: ws.adagrad(0.0),  # lr 0: the same arithmetic, the model stays as it is
    }


def readable_step(params, memory, S, h):
    """One whole step as train made it before issue 18; -> the last hidden state."""
    def step(pos):
        inputs, targets = batch_at(S, pos, T)
        hs = hidden_states(params, inputs, h)
        ps = probabilities(params, hs[1:])
        nll(ps, targets)
        grads = gradients(params, inputs, targets, hs, ps)
        clip_elementwise(grads, CLIP)
        adagrad_update(params, grads, memory, LR)
        return hs[-1]
    return step


def workspace_step(ws, S, h):
    def step(pos):
        inputs, targets = batch_at(S, pos, T)
        ws.gradients(inputs, targets, h)
        ws.clip(CLIP)
        ws.adagrad(LR)
        return ws.hs[-1]
    return step


def per_call(fn, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


def profile(B, dtype, repeats, text):
    vocab, ids, _ = prepare(text, seq=T, val_fraction=0.1)
    S = streams(ids, B)
    h = np.zeros((B, H), dtype)
    models = {}
    for who in ("before", "after"):
        params = init_params(vocab.size, H, seed=0, dtype=dtype)
        memory = zeros_like(params)
        if who == "after":
            ws = Workspace(params, memory, T, B)
            params, memory = ws.params, ws.memory
            step = workspace_step(ws, S, h)
        else:
            step = readable_step(params, memory, S, h)
        for i in range(200):  # a model that has started to learn
            step(T * i)
        inputs, targets = batch_at(S, T * 200, T)
        parts = readable_parts(params, memory, inputs, targets, h) if who == "before" else \
            workspace_parts(ws, inputs, targets, h)
        parts["whole step"] = (lambda step=step: step(T * 200))  # the same batch each time
        models[who] = parts
    calls = 400 if B == 1 else 60
    times = {who: {k: [] for k in parts} for who, parts in models.items()}
    for _ in range(repeats):
        for who, parts in models.items():
            for k, fn in parts.items():
                fn()  # warm
                times[who][k].append(per_call(fn, calls))
    med = {who: {k: statistics.median(v) * 1e6 for k, v in t.items()} for who, t in times.items()}
    after = med["after"]
    after["BPTT"] -= after["output layer + softmax"] + after["loss"]
    return med


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    text = load_text()
    load = os.getloadavg()
    print(f"profile of one step, H={H}, T={T}, 1 BLAS thread, median of {args.repeats} repeats "
          f"(load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f})")
    for B, dtype in ((1, np.float64), (32, np.float32)):
        med = profile(B, dtype, args.repeats, text)
        before, after = med["before"], med["after"]
        parts = [k for k in before if k != "whole step"]
        print(f"\nB={B} {np.dtype(dtype).name}                 before (readable)       after (workspace)")
        total_b, total_a = (sum(m[k] for k in parts) for m in (before, after))
        for k in parts:
            print(f"  {k:26s}{before[k]:9.1f} µs ({before[k] / total_b:4.0%}){after[k]:12.1f} µs "
                  f"({after[k] / total_a:4.0%})")
        print(f"  {'sum of the parts':26s}{total_b:9.1f} µs{total_a:19.1f} µs")
        print(f"  {'whole step':26s}{before['whole step']:9.1f} µs{after['whole step']:19.1f} µs"
              f"   before / after {before['whole step'] / after['whole step']:.2f}x")
        print(f"  chars/s (whole step)    {25 * B / before['whole step'] * 1e6:12,.0f}"
              f"{25 * B / after['whole step'] * 1e6:19,.0f}")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")


if __name__ == "__main__":
    main()
