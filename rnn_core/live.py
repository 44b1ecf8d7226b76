"""Training in short chunks, so a page can show the run while it happens and stop it.

A *run* is a plain dict: the text, the hyper-parameters, the training state
that ``rnn_core.train`` returns, and what a page plots (loss per step,
validation loss, samples). ``advance(run, seconds)`` trains for a fraction of a
second by calling ``rnn_core.train`` with ``resume=`` the run's state: the
engine's own loop, which continues a run exactly as if it had never stopped.
So training in chunks computes the same numbers as one long call.

``start`` encodes the text once (``data.prepare``) and every chunk hands that
corpus to ``train``, so a chunk spends its time training, not re-encoding.

Two things differ from ``train(text)`` on purpose, so that a page learns exactly the
text it is given:

* a text too short to hold out MIN_VAL_CHARS for validation trains on all of
  itself (``held_out`` says in words what is held out, when anything is);
* the streams cover every character (``covering_streams``): ``data.streams``
  drops the tail that does not fill a window, which is a few characters of a
  book but the last lines of a short poem.
"""
import time

import numpy as np

from .checkpoint import save_checkpoint
from .data import prepare
from .sampling import sample
from .train import evaluate, make_config, new_state, train

MIN_VAL_CHARS = 200  # a validation curve from fewer characters would mostly show noise
VAL_FRACTION = 0.1  # the last tenth of a long text is held out, as train() does by default
FIT_LIMIT = 5000  # characters of the training text scored for the shown loss (its start)


def decode_upload(content, name="the file"):
    """bytes of an uploaded file -> str, or a ValueError that says the file is not UTF-8 text."""
    raw = bytes(content)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{name} is not UTF-8 text (byte 0x{raw[err.start]:02x} at position "
                         f"{err.start}); save it as UTF-8 and upload it again") from None
    return text[1:] if text.startswith("\ufeff") else text


def covering_streams(ids, batch, seq, whole=False):
    """ids: (N,) -> (batch * L,) ids that ``data.streams(., batch)`` cuts into ``batch`` streams
    of L = k * seq + 2 ids each, whose windows of ``seq`` (as ``train`` sweeps them) predict
    every id of ``ids`` at least once.

    Stream b reads ``ids`` as a ring from offset b * N // batch. It spans N // batch ids
    rounded up (``whole=False``: the streams share the text out, as ``data.streams`` does),
    or all N (``whole=True``: every stream reads the whole text, stream 0 from its first
    character, so the states a reader carries through the text are the ones trained;
    a short text is learned by heart this way). Where a stream runs past the end it goes
    on from the start: after the last line comes the first.
    """
    ids = np.asarray(ids)
    N = len(ids)
    span = N if whole else -(-N // batch)
    k = -(-span // seq)
    # train's sweep stops before a window would reach the stream's last id, so + 2, not + 1
    L = k * seq + 2
    offsets = [b * N // batch for b in range(batch)]
    ring = np.concatenate([ids] * (-(-(max(offsets) + L) // N)))
    return np.concatenate([ring[o:o + L] for o in offsets])


def held_out(text, val_fraction=VAL_FRACTION):
    """-> how many of the text's last characters are held out for validation: 0 when that
    part would be shorter than MIN_VAL_CHARS (then the whole text trains)."""
    n_val = int(len(text) * val_fraction)
    return n_val if n_val >= MIN_VAL_CHARS else 0


def start(text, hidden=64, lr=0.05, batch=4, seq=25, seed=0, dtype="float32"):
    """-> a run dict, ready to ``advance``; a ValueError in plain words if ``text`` cannot train.

    Nothing is trained yet. The text is checked here (empty, one distinct
    character, shorter than ``seq + 1``) so the page can say so at once. A text of
    at least MIN_VAL_CHARS / VAL_FRACTION characters keeps its last tenth for
    validation; a shorter one trains on all of itself, every stream reading it whole.
    run["held_out"] is the number of characters held out, run["note"] says it in words.
    """
    config = make_config(hidden=hidden, lr=lr, batch=batch, seq=seq, seed=seed, dtype=dtype,
                         val_fraction=0.0)
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
    vocab, ids, _ = prepare(text, seq, 0.0)
    n_val = held_out(text)
    train_ids, val_ids = ids[:len(ids) - n_val], ids[len(ids) - n_val:]
    corpus = (vocab, covering_streams(train_ids, config["batch"], seq, whole=n_val == 0), val_ids)
    if n_val:
        note = (f"the last {n_val} characters (the last tenth, from "
                f"{text[len(text) - n_val:][:20]!r}) are held out for validation, never trained "
                f"on; the first {len(text) - n_val} train")
    else:
        note = (f"all {len(text)} characters train: nothing is held out (a validation part "
                f"needs a text of at least {int(MIN_VAL_CHARS / VAL_FRACTION)} characters)")
    return {"text": text, "config": config, "corpus": corpus, "vocab": vocab,
            "train_ids": train_ids, "val_ids": val_ids, "held_out": n_val, "note": note,
            "has_val": n_val > 0, "state": None,
            "loss": [], "fit": [], "val": [], "samples": [], "recited": 0,
            "seconds": 0.0, "interrupted": False,
            "last_val": -np.inf, "last_sample": -np.inf}


def fit_loss(run, limit=FIT_LIMIT):
    """The current model's mean loss (nats/char) on the training text read from its first
    character, from a zero state (at most its first ``limit`` predictions): the state a
    sample from the text's opening starts in, so this is the loss of what the samples
    come from (the smoothed loss lags: it averages the losses of older parameters)."""
    # one stream: evaluate would cut a longer text into several, each from a zero state
    return evaluate(run["state"]["params"], run["train_ids"], streams_max=1, limit=limit)


def recital(run):
    """-> (text, n): a greedy sample from the text's first character, as long as the
    training text, and how many of its first characters it gets right."""
    target = run["text"][:len(run["train_ids"])]
    first = target[0]
    said = first + sample(run["state"]["params"], run["vocab"], prime=first,
                          length=len(target) - 1, greedy=True)
    same = next((i for i, (a, b) in enumerate(zip(said, target)) if a != b), len(target))
    return said, same


def advance(run, seconds=0.25, val_every=2.0, sample_every=3.0, sample_length=160, val_limit=5000):
    """Train ``run`` for about ``seconds``, in place; -> run.

    Appends ``(step, smoothed loss)`` to run["loss"] after every chunk and
    ``(step, fit_loss)`` to run["fit"] (after every chunk for a text of up to 2000
    training characters, else every ``val_every`` seconds), ``(step, validation
    loss)`` every ``val_every`` seconds of training when the text holds a part out,
    and ``(step, text)`` to run["samples"] every ``sample_every`` seconds: for a
    text that trains whole, the greedy ``recital`` (run["recited"]: how many of its
    first characters are right), else a sample at temperature 0.8 of
    ``sample_length`` characters. Both begin with the text's first character, read
    from a zero state, as each pass over the text begins.
    Raises FloatingPointError when training diverges. run["interrupted"] says
    that Ctrl-C (in a notebook: interrupting the kernel) ended the chunk early.
    """
    if run["state"] is None:  # the curve starts at the untrained model's loss
        start = new_state(run["vocab"], run["config"])
        run["fit"].append((0, evaluate(start["params"], run["train_ids"], streams_max=1,
                                       limit=FIT_LIMIT)))
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
    look = run["seconds"] - run["last_val"] >= val_every
    if len(run["train_ids"]) <= 2000 or look:
        run["fit"].append((step, fit_loss(run)))
    if run["has_val"] and look:
        run["val"].append((step, evaluate(state["params"], run["val_ids"], limit=val_limit)))
    if look:
        run["last_val"] = run["seconds"]
    if run["seconds"] - run["last_sample"] >= sample_every:
        if run["has_val"]:
            first = opening(run["text"], 1)
            said = first + sample(state["params"], run["vocab"], prime=first,
                                  length=sample_length, temperature=0.8, seed=step)
        else:
            said, run["recited"] = recital(run)
        run["samples"].append((step, said))
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

