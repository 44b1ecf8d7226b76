"""The models a page can open: a fresh one, the shipped Shakespeare model, the one just trained.

Before and after training, side by side: the stepper and the sampler pages offer the
three by name. The trainer page ``remember``s its model when it stops, in this kernel
and in a file in the system's temporary folder, so a stepper or sampler page running in
another kernel (each Voila page has its own) can open it too. The file is the last model
any trainer page on this machine stopped: one per projector, not per student.
"""
import tempfile
from pathlib import Path

from .checkpoint import load_checkpoint, save_checkpoint
from .data import load_text
from .encoding import build_vocab
from .forward import init_params, sizes

TRAINED = Path(tempfile.gettempdir()) / "rnn_core-just-trained.npz"
SHIPPED = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "shakespeare.npz"
NAMES = ("fresh", "shipped", "trained")
_last = {}  # the state a trainer in this kernel stopped with


def remember(state, text=""):
    """Keep ``state`` (the dict ``train`` returns) as the "trained" model, here and in TRAINED,
    with the start of the ``text`` it learned (a page opening the model walks or primes that)."""
    _last.update(state=state, text=text[:2000])
    save_checkpoint(TRAINED, state)
    TRAINED.with_suffix(".txt").write_text(text[:2000], encoding="utf-8")


def describe(params, vocab):
    V, H = sizes(params)
    return f"{H} hidden units, {V} characters"


def load(name, shipped=None, hidden=100, seed=0):
    """name: "fresh", "shipped" or "trained" -> (params, vocab, words saying which model, the
    start of the text it trained on, or None when it is Tiny Shakespeare).

    fresh: ``init_params`` with ``hidden`` units and ``seed`` over Tiny Shakespeare's
    characters (what the stepper shows by default). shipped: the checkpoint at
    ``shipped`` (default SHIPPED). trained: what a trainer page stopped with last, in this
    kernel if one did, else from TRAINED. A ValueError says what is missing.
    """
    if name == "fresh":
        vocab = build_vocab(load_text())
        params = init_params(vocab.size, hidden, seed=seed)
        return params, vocab, f"a fresh, untrained model (seed {seed}, {describe(params, vocab)})", None
    if name == "shipped":
        path = Path(shipped) if shipped is not None else SHIPPED
        if not path.is_file():
            raise ValueError(f"no shipped model at {path}: make it with the command in "
                             "notebooks/data/README.md")
        st = load_checkpoint(path)
        return (st["params"], st["vocab"],
                f"the shipped Shakespeare model (step {st['step']}, {describe(st['params'], st['vocab'])})",
                None)
    if name == "trained":
        if "state" in _last:
            st, text = _last["state"], _last["text"]
        elif TRAINED.is_file():
            st = load_checkpoint(TRAINED)
            words = TRAINED.with_suffix(".txt")
            text = words.read_text(encoding="utf-8") if words.is_file() else None
        else:
            raise ValueError("nothing trained yet: train a model on the trainer page and press Stop")
        return (st["params"], st["vocab"],
                f"the model just trained (step {st['step']}, {describe(st['params'], st['vocab'])})",
                text or None)
    raise ValueError(f"model must be one of {', '.join(NAMES)}, got {name!r}")
