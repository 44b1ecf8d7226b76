"""Training in short chunks, so a page can show the run while it happens and stop it.

A *run* is a plain dict: the text, the hyper-parameters, the training state
that ``rnn_core.train`` returns, and what a page plots (loss per step,
validation loss, samples). ``advance(run, seconds)`` trains for a fraction of a
second by calling ``rnn_core.train`` with ``resume=`` the run's state: the
engine's own loop, which continues a run exactly as if it had never stopped.
So training in chunks computes the same numbers as one long call.

``start`` encodes the text once (``data.prepare``) and every chunk hands that
corpus to ``train``, so a chunk spends its time training, not re-encoding.
"""
import time

import numpy as np

from .checkpoint import save_checkpoint
from .data import prepare
from .sampling import sample
from .train import evaluate, make_config, train

MIN_VAL_CHARS = 200  # a validation curve from fewer characters would mostly show noise


def decode_upload(content, name="the file"):
    """bytes of an uploaded file -> str, or a ValueError that says the file is not UTF-8 text."""
    raw = bytes(content)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{name} is not UTF-8 text (byte 0x{raw[err.start]:02x} at position "
                         f"{err.start}); save it as UTF-8 and upload it again") from None
    return text[1:] if text.startswith("\ufeff") else text


def start(text, hidden=64, lr=0.05, batch=4, seq=25, seed=0, dtype="float32"):
    """-> a run dict, ready to ``advance``; a ValueError in plain words if ``text`` cannot train.

    Nothing is trained yet. The text is checked here (empty, one distinct
    character, too short for ``seq`` and ``batch``) so the page can say so at once.
    """
    config = make_config(hidden=hidden, lr=lr, batch=batch, seq=seq, seed=seed, dtype=dtype)
    if not isinstance(text, str):
        raise ValueError("the text must be a str")
    text = text.replace("\r\n", "\n")  # a pasted text should not teach the model Windows line ends
    if text == "":
        raise ValueError("the text is empty: paste or upload a text to learn from")
    seq = config["seq"]
    if len(text) < seq + 1 and len(set(text)) > 1:
        # said here, not by prepare(): its fix ("a shorter seq") is not a control on the page
        raise ValueError(f"the text has {len(text)} characters, fewer than {seq + 1}: the network "
                         f"learns from windows of {seq} characters and the character after each; "
                         "paste a longer text")
    vocab, train_ids, val_ids = prepare(text, seq, config["val_fraction"])
    per_stream = len(train_ids) // config["batch"]
    if per_stream < config["seq"] + 1:
        raise ValueError(f"the text is too short for batch {config['batch']}: its "
                         f"{len(train_ids)} training characters give {per_stream} per stream, "
                         f"fewer than {config['seq'] + 1}; use a smaller batch or a longer text")
    return {"text": text, "config": config, "corpus": (vocab, train_ids, val_ids),
            "vocab": vocab, "val_ids": val_ids,
            "has_val": len(val_ids) >= MIN_VAL_CHARS, "state": None,
            "loss": [], "val": [], "samples": [], "seconds": 0.0, "interrupted": False,
            "last_val": -np.inf, "last_sample": -np.inf}


def advance(run, seconds=0.25, val_every=2.0, sample_every=3.0, sample_length=160, val_limit=5000):
    """Train ``run`` for about ``seconds``, in place; -> run.

    Appends ``(step, smoothed loss)`` to run["loss"] after every chunk,
    ``(step, validation loss)`` every ``val_every`` seconds of training (when
    the text leaves at least MIN_VAL_CHARS for validation) and
    ``(step, text)`` to run["samples"] every ``sample_every`` seconds (a
    sample begins with the text's first character, read from a zero state, as
    each pass over the text begins).
    Raises FloatingPointError when training diverges. run["interrupted"] says
    that Ctrl-C (in a notebook: interrupting the kernel) ended the chunk early.
    """
    began = time.perf_counter()
    # the first chunk starts from the config; later ones resume with the same config, which
    # train accepts as it changes nothing
    state, history = train(corpus=run["corpus"], seconds=seconds, resume=run["state"],
                           log_every=0, eval_every=0, **run["config"])
    run["state"] = state
    run["interrupted"] = history.interrupted  # Ctrl-C / the kernel's interrupt, during this chunk
    run["seconds"] += time.perf_counter() - began
    step = state["step"]
    run["loss"].append((step, float(state["smooth_loss"])))
    if run["has_val"] and run["seconds"] - run["last_val"] >= val_every:
        run["val"].append((step, evaluate(state["params"], run["val_ids"], limit=val_limit)))
        run["last_val"] = run["seconds"]
    if run["seconds"] - run["last_sample"] >= sample_every:
        first = opening(run["text"], 1)
        run["samples"].append((step, first + sample(state["params"], run["vocab"], prime=first,
                                                    length=sample_length, temperature=0.8,
                                                    seed=step)))
        run["last_sample"] = run["seconds"]
    return run


def opening(text, longest=12):
    """The text's first word (at most ``longest`` characters, at least its first character).

    Each pass over the text starts from a zero hidden state at the text's first
    character, so a model that learned a short text by heart finds its way from
    this prime; from another prime it starts in a state it has never been in.
    """
    word = text[:longest].split(maxsplit=1)[0] if text[:1].strip() else ""
    return word or text[:1]


def steps_per_second(run):
    """Training steps per second of training time so far (0 before the first chunk)."""
    if run["state"] is None or run["seconds"] <= 0:
        return 0.0
    return run["state"]["step"] / run["seconds"]


def checkpoint_bytes(run, folder):
    """The run saved with ``save_checkpoint`` into ``folder``; -> the file's bytes."""
    if run["state"] is None:
        raise ValueError("nothing to save yet: press Train first")
    path = save_checkpoint(f"{folder}/checkpoint.npz", run["state"])
    return path.read_bytes()

