"""The training loop: sweep the corpus, BPTT, clip, Adagrad, repeat.

``train`` returns the whole run's state (parameters, optimiser memory, hidden
state, data position, ...) and a history for plots. Passing that state back as
``resume=`` continues the run exactly as if it had never stopped.
"""
import math
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .checkpoint import check_checkpoint_path, save_checkpoint
from .data import batch_at, load_text, prepare, streams, wraps
from .encoding import check_ids, positive_int
from .forward import check_dtype, check_seed, hidden_states, init_params, probabilities, sizes
from .loss import nll, smooth
from .optim import check_lr, clip_global_norm, zeros_like
from .sampling import sample
from .workspace import Workspace

DEFAULTS = {"hidden": 100, "seq": 25, "batch": 1, "lr": 0.1, "seed": 0, "dtype": "float64",
            "clip": 5.0, "clip_norm": 0.0, "optimizer": "adagrad", "val_fraction": 0.1}


@dataclass
class History:
    """What happened during training, for printing and plotting.

    ``loss`` is the smoothed training loss per character (nats) after each
    logged step; ``val_loss`` the mean validation loss per character at
    ``val_step``; ``samples`` holds ``(step, text)`` pairs. ``stopped_early``
    says the callback or Ctrl-C (``interrupted``) ended the run before its limit.
    """

    step: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    chars_seen: list = field(default_factory=list)
    elapsed: list = field(default_factory=list)
    val_step: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    samples: list = field(default_factory=list)
    stopped_early: bool = False
    interrupted: bool = False


def _every(value, name):
    """An interval in steps: None or 0 means never."""
    if value is None or value == 0:
        return 0
    return positive_int(value, name + " (steps; 0 or None for never)")


def _number_or_off(value, name):
    """A positive number, or 0 (also None / False) for 'off'."""
    if value is None or value is False or value == 0:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value < 0:
        raise ValueError(f"{name} must be a positive number, or 0 to turn it off, got {value!r}")
    return float(value)


def make_config(**overrides):
    """Hyper-parameters with defaults filled in (None means "the default"), each checked.

    ``clip`` and ``clip_norm`` are turned off with 0.
    """
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown hyper-parameter(s): {', '.join(sorted(unknown))}")
    cfg = dict(DEFAULTS)
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    for k in ("hidden", "seq", "batch"):
        cfg[k] = positive_int(cfg[k], k)
    cfg["lr"] = check_lr(cfg["lr"])
    cfg["dtype"] = check_dtype(cfg["dtype"]).name
    cfg["clip"] = _number_or_off(cfg["clip"], "clip")
    cfg["clip_norm"] = _number_or_off(cfg["clip_norm"], "clip_norm")
    if cfg["optimizer"] not in ("adagrad", "sgd"):
        raise ValueError(f"optimizer must be 'adagrad' or 'sgd', got {cfg['optimizer']!r}")
    cfg["seed"] = check_seed(cfg["seed"])
    return cfg


def new_state(vocab, config):
    """A fresh run: initial parameters from the seed, zero memory and hidden state."""
    params = init_params(vocab.size, config["hidden"], seed=config["seed"], dtype=config["dtype"])
    return {"params": params, "memory": zeros_like(params),
            "h": np.zeros((config["batch"], config["hidden"]), dtype=config["dtype"]),
            "vocab": vocab, "config": dict(config), "step": 0, "pos": 0,
            "smooth_loss": math.log(vocab.size), "chars_seen": 0}


def evaluate(params, ids, seq=100, streams_max=64, limit=None):
    """Mean loss per character (nats) of predicting each id from the ids before it.

    ids: (N,) int -> float. ``limit`` keeps the first ``limit + 1`` ids (``limit``
    predictions). The ids are cut into B = min(streams_max, (N - 1) // 256)
    contiguous streams (at least one) of N // B ids each, the tail dropped; each
    stream is read from a zero hidden state, ``seq`` characters at a time with the
    state carried, and the mean is over the B * (N // B - 1) predictions inside
    the streams.

    The zero state is where training starts each pass over the text. A model that
    met it only once, at the start of a short run, can score far worse from it than
    from a state carried through the text (it may never recover within the text).
    """
    V, _ = sizes(params)
    seq, streams_max = positive_int(seq, "seq"), positive_int(streams_max, "streams_max")
    ids = check_ids(ids, V)
    if ids.ndim != 1:
        raise ValueError(f"ids must be one stream of shape (N,), got shape {ids.shape}")
    if limit is not None:
        ids = ids[:positive_int(limit, "limit") + 1]
    if len(ids) < 2:
        raise ValueError("need at least 2 characters to evaluate a loss")
    # streams of at least 256 characters, so few predictions are made from a cold start
    B = max(1, min(streams_max, (len(ids) - 1) // 256))
    S = streams(ids, B)
    L = S.shape[1]
    h = np.zeros((B, params["Whh"].shape[0]), dtype=params["Whh"].dtype)
    total, count = 0.0, 0
    for p in range(0, L - 1, seq):
        T = min(seq, L - 1 - p)
        inputs, targets = batch_at(S, p, T)
        hs = hidden_states(params, inputs, h)
        total += nll(probabilities(params, hs[1:]), targets)
        count += targets.size
        h = hs[-1]
    return total / count


def _gradients(ws, state, inputs, targets):
    """BPTT for one batch into the workspace's gradients; changes no parameter, so a
    failure here leaves the run intact.

    ``ws.gradients`` is loss_and_grads without its checks (prepare checked every id
    once, and state["h"] has the model's shape and dtype), computed in preallocated
    buffers: rnn_core/workspace.py says how, and tests/test_workspace.py checks it
    against forward.py and bptt.py.
    """
    # a diverging run overflows; it is stopped with advice rather than warned about
    with np.errstate(over="ignore", invalid="ignore"):
        loss = ws.gradients(inputs, targets, state["h"])
    if not math.isfinite(loss):
        raise FloatingPointError(f"the loss became {loss} at step {state['step']}: "
                                 "lower the learning rate (lr)")
    return loss, ws.hs[-1].copy()


def _update(ws, config):
    """Clip, then one optimiser step, in place, on the workspace's flat arrays."""
    if config["clip"]:
        ws.clip(config["clip"])  # clip_elementwise over all parameters in one call
    if config["clip_norm"]:
        clip_global_norm(ws.grads, config["clip_norm"])
    with np.errstate(over="ignore", invalid="ignore"):  # caught as a non-finite loss next step
        # config was checked once; ws.adagrad / ws.sgd do what optim.adagrad_update /
        # optim.sgd_update do, once over the flat arrays instead of once per parameter
        if config["optimizer"] == "adagrad":
            ws.adagrad(config["lr"])
        else:
            ws.sgd(config["lr"])


@contextmanager
def _ctrl_c_stops_at_step_end():
    """While training, a first Ctrl-C asks to stop after the current step; a second aborts.

    Without this, Ctrl-C could land halfway through an update and leave the
    parameters half-changed. Yields a dict whose "requested" flag the loop checks.
    (Only the main thread can catch signals; elsewhere Ctrl-C behaves as usual.)
    """
    stop = {"requested": False}
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop["requested"]:
            raise KeyboardInterrupt
        stop["requested"] = True
        print("\nstopping after this step (Ctrl-C again to abort)", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _progress_bar(enabled, total):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="step", leave=False)


def train(text=None, *, steps=None, seconds=None, hidden=None, seq=None, batch=None, lr=None,
          seed=None, dtype=None, clip=None, clip_norm=None, optimizer=None, val_fraction=None,
          eval_every=500, val_limit=20000, log_every=100, sample_every=None, sample_length=200,
          callback=None, progress=False, checkpoint=None, checkpoint_every=None, resume=None,
          corpus=None):
    """Train a character-level RNN on ``text`` (default: the bundled Tiny Shakespeare).

    Stops after ``steps`` more steps or ``seconds`` of training, whichever comes
    first (one of them is required), when ``callback(state, history)`` returns
    True, or at the end of the step during which Ctrl-C was pressed. Returns
    ``(state, history)``; ``state`` can be saved with ``save_checkpoint`` and
    passed back as ``resume=``. With ``checkpoint=PATH`` the state is saved
    every ``checkpoint_every`` steps, at the end, and also when an error stops
    the run between steps, so no finished step is ever lost.

    ``corpus`` is ``(vocab, train_ids, val_ids)`` as ``data.prepare`` returns it
    for this text, seq and val_fraction: a caller that trains in many short calls
    (``rnn_core.live``) passes it so the text is not encoded again each time.
    """
    if steps is None and seconds is None:
        raise ValueError("say how long to train: steps=N or seconds=S")
    if steps is not None:
        steps = positive_int(steps, "steps")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                or not seconds > 0):
        raise ValueError(f"seconds must be a positive number, got {seconds!r}")
    eval_every, log_every = _every(eval_every, "eval_every"), _every(log_every, "log_every")
    sample_every = _every(sample_every, "sample_every")
    checkpoint_every = _every(checkpoint_every, "checkpoint_every")
    sample_length = positive_int(sample_length, "sample_length")
    if val_limit is not None:
        val_limit = positive_int(val_limit, "val_limit")
    if checkpoint is not None:
        check_checkpoint_path(checkpoint)  # before training, not after an hour of it
    if text is None and corpus is None:
        text = load_text()
    given = {"hidden": hidden, "seq": seq, "batch": batch, "lr": lr, "seed": seed, "dtype": dtype,
             "clip": clip, "clip_norm": clip_norm, "optimizer": optimizer,
             "val_fraction": val_fraction}
    if resume is not None and not (isinstance(resume, dict) and "config" in resume):
        raise ValueError("resume must be the state dict that train returns or load_checkpoint "
                         "reads; train returns (state, history): pass resume=state")
    if resume is None:
        config = make_config(**given)
    else:
        config = dict(resume["config"])
        fixed = ("hidden", "seq", "batch", "seed", "dtype", "val_fraction")
        clash = [f"{k}={v!r} (checkpoint has {config[k]!r})" for k, v in given.items()
                 if v is not None and k in fixed and v != config[k]]
        if clash:
            raise ValueError("cannot resume with different " + ", ".join(clash))
        config = make_config(**{**config, **{k: v for k, v in given.items() if v is not None}})
    if corpus is None:
        corpus = prepare(text, config["seq"], config["val_fraction"])
    vocab, train_ids, val_ids = corpus
    T, B = config["seq"], config["batch"]
    if len(train_ids) // B < T + 1:
        raise ValueError(f"{len(train_ids)} training characters split into {B} streams give "
                         f"{len(train_ids) // B} per stream, fewer than seq + 1 = {T + 1}: "
                         "use fewer streams (a smaller batch) or a shorter seq")
    S = streams(train_ids, B)
    L = S.shape[1]
    if resume is None:
        state = new_state(vocab, config)
    else:
        if resume["vocab"] != vocab:
            raise ValueError(
                f"the checkpoint's vocabulary ({resume['vocab'].size} characters) does not match "
                f"this text's ({vocab.size} characters): resume on the text it was trained on")
        state = {**resume, "config": config,
                 "params": {k: v.copy() for k, v in resume["params"].items()},
                 "memory": {k: v.copy() for k, v in resume["memory"].items()},
                 "h": resume["h"].copy()}
    # the training step works in one preallocated workspace; the state's parameters and
    # memory become views of its flat arrays (still a dict of arrays each)
    ws = Workspace(state["params"], state["memory"], T, B)
    state["params"], state["memory"] = dict(ws.params), dict(ws.memory)
    history = History()
    bar = _progress_bar(progress, steps)
    start = time.perf_counter()
    done = 0
    mid_update = False  # True only while parameters are being changed
    try:
        with _ctrl_c_stops_at_step_end() as ctrl_c:
            while True:
                if steps is not None and done >= steps:
                    break
                if seconds is not None and time.perf_counter() - start >= seconds:
                    break
                if wraps(state["pos"], T, L):
                    state["pos"] = 0
                    state["h"] = np.zeros_like(state["h"])
                if not ws.owns(state["params"], state["memory"]):
                    # a callback put other arrays in the state: train those from here on
                    ws.load(state["params"], state["memory"])
                    state["params"], state["memory"] = dict(ws.params), dict(ws.memory)
                inputs, targets = batch_at(S, state["pos"], T)
                loss, h = _gradients(ws, state, inputs, targets)
                mid_update = True
                _update(ws, config)
                state["h"] = h
                state["smooth_loss"] = smooth(state["smooth_loss"], loss / targets.size)
                state["pos"] += T
                state["step"] += 1
                state["chars_seen"] += targets.size
                mid_update = False
                done += 1
                if bar is not None:
                    bar.update(1)
                n = state["step"]
                last = steps is not None and done == steps
                if log_every and (n % log_every == 0 or last):
                    history.step.append(n)
                    history.loss.append(state["smooth_loss"])
                    history.chars_seen.append(state["chars_seen"])
                    history.elapsed.append(time.perf_counter() - start)
                    if bar is not None:
                        bar.set_postfix(loss=f"{state['smooth_loss']:.3f}")
                if eval_every and len(val_ids) > 1 and (n % eval_every == 0 or last):
                    history.val_step.append(n)
                    history.val_loss.append(evaluate(state["params"], val_ids, limit=val_limit))
                if sample_every and n % sample_every == 0:
                    said = sample(state["params"], vocab, length=sample_length, seed=n)
                    history.samples.append((n, said))
                if checkpoint is not None and checkpoint_every and n % checkpoint_every == 0:
                    save_checkpoint(checkpoint, state)
                if callback is not None and callback(state, history):
                    history.stopped_early = True
                    break
                if ctrl_c["requested"]:
                    history.stopped_early = history.interrupted = True
                    break
    except BaseException:
        # keep every finished step, unless the error struck halfway through an update
        if checkpoint is not None and done and not mid_update:
            try:
                save_checkpoint(checkpoint, state)
            except Exception:
                pass  # the original error matters more
        raise
    finally:
        if bar is not None:
            bar.close()
    if checkpoint is not None:
        save_checkpoint(checkpoint, state)
    return state, history
