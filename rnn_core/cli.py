"""``python -m rnn_core train|sample``: the engine from a terminal."""
import argparse
import sys
import time
from pathlib import Path

from .checkpoint import CheckpointError, check_checkpoint_path, load_checkpoint
from .data import load_text
from .sampling import sample
from .train import train


def _number(kind, minimum, strict):
    """An argparse type: a ``kind`` above (strict) or at least ``minimum``."""
    def parse(s):
        try:
            v = kind(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{s!r} is not a {kind.__name__}") from None
        if v < minimum or (strict and v == minimum):
            raise argparse.ArgumentTypeError(f"must be positive, got {s}" if strict
                                             else f"must be {minimum} or more, got {s}")
        return v
    return parse


def _positive(kind):
    return _number(kind, 0, strict=True)


_non_negative_int = _number(int, 0, strict=False)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m rnn_core",
        description="Train a character-level vanilla RNN (min-char-rnn) and sample text from it.")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model and save a checkpoint",
                       description="Train on a UTF-8 text file (default: the bundled Tiny "
                                   "Shakespeare) with truncated BPTT and Adagrad.")
    t.add_argument("--data", metavar="FILE", help="UTF-8 text file to learn from "
                   "(default: the bundled Tiny Shakespeare, 1.1 MB)")
    t.add_argument("--hidden", type=_positive(int), default=None, metavar="H",
                   help="number of hidden units (default 100)")
    t.add_argument("--seq", type=_positive(int), default=None, metavar="T",
                   help="characters per BPTT window: gradients flow back this far (default 25)")
    t.add_argument("--batch", type=_positive(int), default=None, metavar="B",
                   help="parallel streams through the text; 1 is the classic loop, "
                        "32 is much faster per character (default 1)")
    t.add_argument("--lr", type=_positive(float), default=None, help="Adagrad learning rate (default 0.1)")
    t.add_argument("--seed", type=_non_negative_int, default=None,
                   help="seed for the initial weights (default 0)")
    t.add_argument("--dtype", choices=["float64", "float32"], default=None,
                   help="float precision; float32 is faster (default float64)")
    how_long = t.add_mutually_exclusive_group()
    how_long.add_argument("--steps", type=_positive(int), help="number of training steps")
    how_long.add_argument("--minutes", type=_positive(float),
                          help="train for this many minutes (default 1 when --steps is not given)")
    t.add_argument("--out", default="checkpoint.npz", metavar="FILE",
                   help="checkpoint to write, also every --save-every steps (default checkpoint.npz)")
    t.add_argument("--save-every", type=_positive(int), default=1000, metavar="N",
                   help="save the checkpoint every N steps (default 1000)")
    t.add_argument("--resume", metavar="FILE",
                   help="continue the run saved in this checkpoint (same data, same hyper-parameters)")
    t.add_argument("--overwrite", action="store_true",
                   help="replace an existing --out file (otherwise training refuses to start)")
    t.add_argument("--print-every", type=_positive(int), default=500, metavar="N",
                   help="print the loss and a short sample every N steps (default 500)")

    s = sub.add_parser("sample", help="generate text from a checkpoint",
                       description="Generate text from a trained checkpoint.")
    s.add_argument("checkpoint", nargs="?", default="checkpoint.npz",
                   help="checkpoint file written by 'train' (default checkpoint.npz)")
    s.add_argument("--prime", default=None,
                   help="text to start from; the model continues it (default: a newline)")
    s.add_argument("--length", type=_positive(int), default=500, help="characters to generate (default 500)")
    s.add_argument("--temperature", type=_positive(float), default=0.8,
                   help="below 1: safer, more repetitive; above 1: wilder (default 0.8)")
    s.add_argument("--top-k", type=_positive(int), default=None, metavar="K",
                   help="draw only among the K most likely characters")
    s.add_argument("--greedy", action="store_true", help="always take the most likely character")
    s.add_argument("--seed", type=_non_negative_int, default=0,
                   help="random seed; same seed, same text (default 0)")
    return parser


def cmd_train(args):
    out = check_checkpoint_path(args.out)
    same_file = args.resume is not None and Path(args.resume).resolve() == out.resolve()
    if out.exists() and not (same_file or args.overwrite):
        raise FileExistsError(f"{out} already exists: continue it with --resume {out}, replace it "
                              "with --overwrite, or choose another --out")
    text = load_text(args.data)
    resume = load_checkpoint(args.resume) if args.resume else None
    chars_before = resume["chars_seen"] if resume else 0
    start = time.perf_counter()

    def rate(state):
        return (state["chars_seen"] - chars_before) / max(time.perf_counter() - start, 1e-9)

    def report(state, history):
        n = state["step"]
        if n % args.print_every == 0:
            val = f"  val {history.val_loss[-1]:.3f}" if history.val_loss else ""
            print(f"step {n:6d}  loss {state['smooth_loss']:.3f} nats/char{val}  "
                  f"({rate(state):,.0f} chars/s)", flush=True)
            snippet = sample(state["params"], state["vocab"], length=120, seed=n, temperature=0.8)
            print("    " + snippet.replace("\n", "\n    "), flush=True)

    # Ctrl-C: train() finishes the current step, returns, and the checkpoint is saved
    state, history = train(
        text, steps=args.steps, seconds=None if args.steps else 60.0 * (args.minutes or 1.0),
        hidden=args.hidden, seq=args.seq, batch=args.batch, lr=args.lr, seed=args.seed,
        dtype=args.dtype, eval_every=args.print_every, callback=report, checkpoint=out,
        checkpoint_every=args.save_every, resume=resume)
    val = f", validation loss {history.val_loss[-1]:.3f}" if history.val_loss else ""
    print(f"trained {state['step']} steps in total ({time.perf_counter() - start:.1f} s this run, "
          f"{rate(state):,.0f} chars/s): loss {state['smooth_loss']:.3f} nats/char{val}; "
          f"saved {out}")
    return 130 if history.interrupted else 0


def cmd_sample(args):
    state = load_checkpoint(args.checkpoint)
    text = sample(state["params"], state["vocab"], prime=args.prime, length=args.length,
                  temperature=args.temperature, top_k=args.top_k, greedy=args.greedy,
                  seed=args.seed)
    print((args.prime or "") + text)
    return 0


# rnn_core's Python errors name keyword arguments; on the command line they are flags
_PYTHON_TO_FLAGS = {"a shorter seq": "a shorter --seq", "a smaller batch": "a smaller --batch",
                    "the learning rate (lr)": "the learning rate (--lr)"}


def in_flags(message):
    """An error message from the Python API, with argument names replaced by this CLI's flags."""
    for python, flag in _PYTHON_TO_FLAGS.items():
        message = message.replace(python, flag)
    return message


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return cmd_train(args) if args.command == "train" else cmd_sample(args)
    except (ValueError, TypeError, OSError, CheckpointError, FloatingPointError) as err:
        print(f"error: {in_flags(str(err))}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: not enough memory for a model this size (try a smaller --hidden or --batch)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
