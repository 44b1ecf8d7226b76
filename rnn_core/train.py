"""The training loop: sweep the corpus, BPTT, clip, Adagrad, repeat.

``train`` returns the whole run's state (parameters, optimiser memory, hidden
state, data position, ...) and a history for plots. Passing that state back as
``resume=`` continues the run exactly as if it had never stopped.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .bptt import loss_and_grads
from .checkpoint import save_checkpoint
from .data import batch_at, load_text, prepare, streams, wraps
from .encoding import encode
from .forward import check_dtype, hidden_states, init_params, probabilities
from .loss import cross_entropy, smooth
from .optim import adagrad_step, check_lr, clip_elementwise, clip_global_norm, sgd_step, zeros_like
from .sampling import sample

DEFAULTS = {"hidden": 100, "seq": 25, "batch": 1, "lr": 0.1, "seed": 0, "dtype": "float64",
            "clip": 5.0, "clip_norm": None, "optimizer": "adagrad", "val_fraction": 0.1}


@dataclass
class History:
    """What happened during training, for printing and plotting.

    ``loss`` is the smoothed training loss per character (nats) after each
    logged step; ``val_loss`` the mean validation loss per character at
    ``val_step``; ``samples`` holds ``(step, text)`` pairs.
    """

    step: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    chars_seen: list = field(default_factory=list)
    elapsed: list = field(default_factory=list)
    val_step: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    samples: list = field(default_factory=list)
    stopped_early: bool = False


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def make_config(**overrides):
    """Hyper-parameters with defaults filled in, each checked for nonsense."""
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown hyper-parameter(s): {', '.join(sorted(unknown))}")
    cfg = dict(DEFAULTS)
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    for k in ("hidden", "seq", "batch"):
        cfg[k] = _positive_int(cfg[k], k)
    cfg["lr"] = check_lr(cfg["lr"])
    cfg["dtype"] = check_dtype(cfg["dtype"]).name
    if cfg["clip"] is not None and not (isinstance(cfg["clip"], (int, float)) and cfg["clip"] > 0):
        raise ValueError(f"clip must be a positive number or None, got {cfg['clip']!r}")
    if cfg["clip_norm"] is not None and not (isinstance(cfg["clip_norm"], (int, float))
                                             and cfg["clip_norm"] > 0):
        raise ValueError(f"clip_norm must be a positive number or None, got {cfg['clip_norm']!r}")
    if cfg["optimizer"] not in ("adagrad", "sgd"):
        raise ValueError(f"optimizer must be 'adagrad' or 'sgd', got {cfg['optimizer']!r}")
    if not isinstance(cfg["seed"], (int, np.integer)) or isinstance(cfg["seed"], bool):
        raise ValueError(f"seed must be a whole number, got {cfg['seed']!r}")
    cfg["seed"] = int(cfg["seed"])
    return cfg


def new_state(vocab, config):
    """A fresh run: initial parameters from the seed, zero memory and hidden state."""
    params = init_params(vocab.size, config["hidden"], seed=config["seed"], dtype=config["dtype"])
    return {"params": params, "memory": zeros_like(params),
            "h": np.zeros((config["batch"], config["hidden"]), dtype=config["dtype"]),
            "vocab": vocab, "config": dict(config), "step": 0, "pos": 0,
            "smooth_loss": math.log(vocab.size), "chars_seen": 0}


def evaluate(params, ids, seq=100, streams_max=64, limit=None):
    """Mean loss per character (nats) of predicting ``ids[1:]`` from ``ids[:-1]``.

    The text is cut into up to ``streams_max`` parallel streams (each at least
    256 characters long where the text allows), each read from a zero hidden
    state; ``limit`` keeps only the first ``limit`` ids.
    """
    ids = np.asarray(ids)
    if limit is not None:
        ids = ids[:limit + 1]
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
        total += cross_entropy(probabilities(params, hs[1:]), targets)
        count += targets.size
        h = hs[-1]
    return total / count


def _step(params, memory, state, inputs, targets, config):
    """One training step in place: BPTT, clip, update. Returns the summed loss."""
    # a diverging run overflows; it is stopped with advice below rather than warned about
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grads, h = loss_and_grads(params, inputs, targets, state["h"])
        if not math.isfinite(loss):
            raise FloatingPointError(f"the loss became {loss} at step {state['step']}: "
                                     "lower the learning rate (--lr)")
        if config["clip"] is not None:
            clip_elementwise(grads, config["clip"])
        if config["clip_norm"] is not None:
            clip_global_norm(grads, config["clip_norm"])
        if config["optimizer"] == "adagrad":
            adagrad_step(params, grads, memory, config["lr"])
        else:
            sgd_step(params, grads, config["lr"])
    state["h"] = h
    return loss


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
          callback=None, progress=False, checkpoint=None, checkpoint_every=None, resume=None):
    """Train a character-level RNN on ``text`` (default: the bundled Tiny Shakespeare).

    Stops after ``steps`` more steps or ``seconds`` of training, whichever comes
    first (one of them is required), or when ``callback(state, history)``
    returns True. Returns ``(state, history)``; ``state`` can be saved with
    ``save_checkpoint`` and passed back as ``resume=``.
    """
    if steps is None and seconds is None:
        raise ValueError("say how long to train: steps=N or seconds=S")
    if steps is not None:
        steps = _positive_int(steps, "steps")
    if seconds is not None and not (isinstance(seconds, (int, float)) and seconds > 0):
        raise ValueError(f"seconds must be a positive number, got {seconds!r}")
    if text is None:
        text = load_text()
    given = {"hidden": hidden, "seq": seq, "batch": batch, "lr": lr, "seed": seed, "dtype": dtype,
             "clip": clip, "clip_norm": clip_norm, "optimizer": optimizer,
             "val_fraction": val_fraction}
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
    vocab, train_ids, val_ids = prepare(text, config["seq"], config["val_fraction"])
    T, B = config["seq"], config["batch"]
    if len(train_ids) // B < T + 1:
        raise ValueError(f"{len(train_ids)} training characters split into {B} streams give "
                         f"{len(train_ids) // B} per stream, fewer than seq + 1 = {T + 1}: "
                         "use fewer streams (--batch) or a shorter --seq")
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
    params, memory = state["params"], state["memory"]
    history = History()
    bar = _progress_bar(progress, steps)
    start = time.perf_counter()
    done = 0
    try:
        while True:
            if steps is not None and done >= steps:
                break
            if seconds is not None and time.perf_counter() - start >= seconds:
                break
            if wraps(state["pos"], T, L):
                state["pos"] = 0
                state["h"] = np.zeros_like(state["h"])
            inputs, targets = batch_at(S, state["pos"], T)
            loss = _step(params, memory, state, inputs, targets, config)
            state["smooth_loss"] = smooth(state["smooth_loss"], loss / targets.size)
            state["pos"] += T
            state["step"] += 1
            state["chars_seen"] += targets.size
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
                history.val_loss.append(evaluate(params, val_ids, limit=val_limit))
            if sample_every and n % sample_every == 0:
                history.samples.append((n, sample(params, vocab, length=sample_length, seed=n)))
            if checkpoint is not None and checkpoint_every and n % checkpoint_every == 0:
                save_checkpoint(checkpoint, state)
            if callback is not None and callback(state, history):
                history.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()
    if checkpoint is not None:
        save_checkpoint(checkpoint, state)
    return state, history
