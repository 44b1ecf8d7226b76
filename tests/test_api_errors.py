"""The natural mistakes a student makes with the Python API each get a ValueError that names
the argument and says what to do, in Python terms (not command-line flags)."""
import subprocess
import sys

import numpy as np
import pytest

import rnn_core
from rnn_core import (Vocab, adagrad_step, backward, build_vocab, clip_elementwise,
                      clip_global_norm, cross_entropy, decode, encode, evaluate, forward,
                      grad_check, init_params, loss_and_grads, one_hot, perplexity, prepare,
                      sample, save_checkpoint, sgd_step, softmax, train)
from rnn_core.sampling import next_char_probs

TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n"
VOCAB = build_vocab(TEXT)
V = VOCAB.size
IDS = encode(TEXT, VOCAB)


def params(H=8, dtype=np.float64):
    return init_params(V, H, seed=0, dtype=dtype)


# --- the findings of issue 12, one by one ---------------------------------------------------

def test_decode_of_floats_asks_for_integer_ids():
    with pytest.raises(ValueError, match=r"ids must be integer character ids, got dtype float64 "
                                         r"\(e\.g\. 1\.7\)"):
        decode([1.7], VOCAB)


def test_decode_of_whole_floats_says_how_to_convert():
    with pytest.raises(ValueError, match=r"\.astype\(int\)"):
        decode(np.array([1.0, 2.0]), VOCAB)


def test_decode_of_a_string_points_to_encode():
    with pytest.raises(ValueError, match=r"got the text 'abc'.*rnn_core\.encode\(text, vocab\)"):
        decode("abc", VOCAB)


def test_decode_of_a_batch_asks_for_one_stream_at_a_time():
    batch = np.stack([IDS[:10], IDS[10:20]], axis=1)  # (T, B) = (10, 2)
    with pytest.raises(ValueError, match=r"shape \(10, 2\).*decode\(ids\[:, b\], vocab\)"):
        decode(batch, VOCAB)
    assert decode(batch[:, 1], VOCAB) == TEXT[10:20]  # the fix the message gives works


def test_one_hot_of_floats_asks_for_integer_ids():
    with pytest.raises(ValueError, match=r"ids must be integer character ids, got dtype float64"):
        one_hot([1.5], V)


@pytest.mark.parametrize("where", ["cross_entropy", "loss_and_grads", "backward", "evaluate",
                                   "one_hot", "decode"])
def test_a_target_id_of_V_is_refused_wherever_it_can_enter(where):
    p = params()
    inputs = IDS[:6].astype(np.intp)
    bad = inputs.copy()
    bad[3] = V  # one past the last character
    hs, ps = forward(p, inputs[:, None])
    calls = {
        "cross_entropy": lambda: cross_entropy(ps[:, 0], bad),
        "loss_and_grads": lambda: loss_and_grads(p, inputs, bad),
        "backward": lambda: backward(p, inputs[:, None], bad[:, None], hs, ps),
        "evaluate": lambda: evaluate(p, bad),
        "one_hot": lambda: one_hot(bad, V),
        "decode": lambda: decode(bad, VOCAB),
    }
    with pytest.raises(ValueError, match=rf"0\.\.{V - 1}"):
        calls[where]()


def test_cross_entropy_refuses_logits_and_says_so():
    p = params()
    _, ps = forward(p, IDS[:-1])
    logits = np.log(ps) + 3.0  # what a student holds before the softmax
    with pytest.raises(ValueError, match=r"look like logits.*rnn_core\.softmax\(logits\)"):
        cross_entropy(logits, IDS[1:])
    assert cross_entropy(softmax(logits), IDS[1:]) == pytest.approx(cross_entropy(ps, IDS[1:]))


@pytest.mark.parametrize("scale", [0.98, 1.02])
def test_cross_entropy_refuses_rows_that_do_not_sum_to_one(scale):
    _, ps = forward(params(), IDS[:-1])
    with pytest.raises(ValueError, match=r"summing to 1 along the last axis"):
        cross_entropy(ps * scale, IDS[1:])


def test_cross_entropy_accepts_float32_softmax_of_a_large_vocabulary():
    # float32 rounding puts each row's sum a few 1e-7 away from 1 (more with V large):
    # the tolerance must let every honest float32 softmax through
    rng = np.random.default_rng(0)
    ps = softmax((rng.standard_normal((50, 4, 5000)) * 4).astype(np.float32))
    assert ps.dtype == np.float32
    targets = rng.integers(0, 5000, size=(50, 4))
    picked = np.take_along_axis(ps.astype(np.float64), targets[..., None], -1)
    assert cross_entropy(ps, targets) == pytest.approx(-np.log(picked).sum(), rel=1e-5)
    # the same float32 numbers cast to float64 keep their float32 rounding: still accepted
    assert cross_entropy(ps.astype(np.float64), targets) == pytest.approx(-np.log(picked).sum())


def test_cross_entropy_refuses_negative_probabilities_even_if_rows_sum_to_one():
    ps = np.array([[1.5, -0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"smallest entry is -0\.5"):
        cross_entropy(ps, np.array([0, 1]))


def test_empty_vocab_is_refused_like_empty_text():
    with pytest.raises(ValueError, match="empty"):
        build_vocab("")
    with pytest.raises(ValueError, match=r"chars is empty.*rnn_core\.build_vocab\(text\)"):
        Vocab("")


def test_forward_on_text_says_to_encode_first():
    with pytest.raises(ValueError, match=r"got the text 'First'; encode it first: "
                                         r"rnn_core\.encode\('First', vocab\)"):
        forward(params(), "First")


def test_python_messages_name_arguments_not_command_line_flags():
    with pytest.raises(ValueError) as too_many:
        train(TEXT * 3, steps=1, seq=25, batch=64)
    with pytest.raises(ValueError) as too_long:
        prepare("abcab", seq=25)
    for err in (too_many, too_long):
        assert "--" not in str(err.value), str(err.value)
    assert "a smaller batch" in str(too_many.value) and "a shorter seq" in str(too_long.value)


def test_a_diverging_run_names_lr_not_the_flag_and_the_command_line_adds_the_flag():
    from rnn_core.cli import in_flags
    with pytest.raises(FloatingPointError) as err:
        train(TEXT, steps=50, seq=5, hidden=8, lr=1e308, optimizer="sgd", clip=0, eval_every=0)
    assert "(lr)" in str(err.value) and "--lr" not in str(err.value)
    assert "(--lr)" in in_flags(str(err.value))


def test_the_command_line_translates_the_same_error_into_its_flags(tmp_path):
    (tmp_path / "short.txt").write_text(TEXT * 3, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "rnn_core", "train", "--data", "short.txt",
                        "--steps", "1", "--batch", "64"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "a smaller --batch" in r.stderr and "a shorter --seq" in r.stderr, r.stderr


# --- further natural mistakes, across the public functions ----------------------------------

def _state():
    return {"params": params(), "step": 0}


MISTAKES = {
    # name: (call, what the message must say)
    "encode ids instead of text": (lambda: encode([1, 2], VOCAB), r"text must be a str.*decode"),
    "encode bytes": (lambda: encode(b"First", VOCAB), r"data\.decode\('utf-8'\)"),
    "encode with a string as vocab": (lambda: encode("ab", "ab"), r"rnn_core\.build_vocab\(text\)"),
    "decode with the characters as vocab": (lambda: decode([0, 1], VOCAB.chars),
                                            r"vocab must be an rnn_core\.Vocab"),
    "decode of a boolean mask": (lambda: decode(IDS > 3, VOCAB), r"got dtype bool"),
    "build_vocab of bytes": (lambda: build_vocab(b"abc"), r"text must be a str.*decode"),
    "Vocab of a list": (lambda: Vocab(["a", "b"]), r"chars must be a str"),
    "one_hot with V=0": (lambda: one_hot([0], 0), r"V must be a positive integer"),
    "one_hot of strings": (lambda: one_hot(["a"], 3), r"encode text first"),
    "forward with float ids": (lambda: forward(params(), IDS.astype(float)),
                               r"inputs must be integer character ids.*astype\(int\)"),
    "forward with a list of characters": (lambda: forward(params(), list("First")),
                                          r"inputs must be integer character ids, got strings"),
    "forward with the training state": (lambda: forward(_state(), IDS), r"state\['params'\]"),
    "forward with arguments swapped": (lambda: forward(IDS, params()),
                                       r"params must be the dict.*got ndarray"),
    "forward with a 3-D batch": (lambda: forward(params(), IDS[:8].reshape(2, 2, 2)),
                                 r"inputs must have shape \(T,\) or \(T, B\)"),
    "loss_and_grads with text targets": (lambda: loss_and_grads(params(), IDS[:5], TEXT[1:6]),
                                         r"targets .*encode it first"),
    "loss_and_grads with float targets": (lambda: loss_and_grads(params(), IDS[:5], IDS[1:6] * 1.0),
                                          r"targets must be integer character ids"),
    "backward with unbatched hs": (lambda: backward(params(), IDS[:5, None], IDS[1:6, None],
                                                    *forward(params(), IDS[:5])),
                                   r"hs has shape \(6, 8\), expected \(6, 1, 8\)"),
    "softmax of strings": (lambda: softmax(np.array(["a"])), r"y must be an array of numbers"),
    "cross_entropy of integer ps": (lambda: cross_entropy(np.eye(3, dtype=int), [0, 1, 2]),
                                    r"ps must be an array of probabilities"),
    "cross_entropy with mismatched shapes": (lambda: cross_entropy(np.full((4, 3), 1 / 3), [0, 1]),
                                             r"targets of shape \(2,\) do not match"),
    "perplexity of a summed loss": (lambda: perplexity(2500.0), r"divided by the number of characters"),
    "perplexity of NaN": (lambda: perplexity(float("nan")), r"loss_per_char must be"),
    "negative lr": (lambda: sgd_step(params(), params(), lr=-0.1), r"lr: the learning rate must be positive|lr: .*positive"),
    "NaN lr": (lambda: adagrad_step(params(), params(), params(), lr=float("nan")), r"lr: .*got nan"),
    "lr as a string": (lambda: sgd_step(params(), params(), lr="0.1"), r"lr: .*got '0\.1'"),
    "clip the loss_and_grads tuple": (lambda: clip_elementwise(loss_and_grads(params(), IDS[:5], IDS[1:6])),
                                      r"unpack it first: loss, grads, h"),
    "clip at zero": (lambda: clip_elementwise(params(), 0), r"limit must be a positive number"),
    "clip_global_norm at NaN": (lambda: clip_global_norm(params(), float("nan")), r"max_norm must be"),
    "adagrad memory of another model": (lambda: adagrad_step(params(8), params(8), params(4)),
                                        r"memory\['Wxh'\] has shape \(4, \d+\), but the parameter has shape \(8, \d+\)"),
    "sgd grads missing a key": (lambda: sgd_step(params(), {"Wxh": params()["Wxh"]}),
                                r"grads has no 'Whh'"),
    "temperature 0": (lambda: sample(params(), VOCAB, temperature=0), r"temperature must be a positive.*greedy=True"),
    "negative length": (lambda: sample(params(), VOCAB, length=-1), r"length must be a whole number"),
    "top_k 0": (lambda: sample(params(), VOCAB, top_k=0), r"top_k must be a positive integer"),
    "prime as ids": (lambda: sample(params(), VOCAB, prime=IDS[:3]), r"prime must be a str.*rnn_core\.decode"),
    "prime with an unknown character": (lambda: sample(params(), VOCAB, prime="Zoë"), r"'ë'.*not in the"),
    "sample with another model's vocabulary": (lambda: sample(params(), build_vocab("abc")),
                                                r"predicts \d+ characters but the vocabulary has 3"),
    "sample with a string as vocab": (lambda: sample(params(), VOCAB.chars), r"vocab must be an rnn_core\.Vocab"),
    "sample with a wrong h0": (lambda: sample(params(), VOCAB, h0=np.zeros(5)), r"h0 has shape \(5,\), expected \(8,\)"),
    "negative seed": (lambda: sample(params(), VOCAB, seed=-1), r"seed must be a whole number >= 0"),
    "next_char_probs after nothing": (lambda: next_char_probs(params(), VOCAB, ""), r"prime is empty"),
    "grad_check in float32": (lambda: grad_check(params(dtype=np.float32), IDS[:5], IDS[1:6]),
                              r"float64.*astype\(np\.float64\)"),
    "grad_check with eps 0": (lambda: grad_check(params(), IDS[:5], IDS[1:6], eps=0), r"eps must be a small positive step"),
    "evaluate with seq 0": (lambda: evaluate(params(), IDS, seq=0), r"seq must be a positive integer"),
    "evaluate a batch": (lambda: evaluate(params(), np.stack([IDS, IDS], 1)), r"one stream of shape \(N,\)"),
    "prepare with seq 0": (lambda: prepare(TEXT, seq=0), r"seq must be a positive integer"),
    "prepare with val_fraction NaN": (lambda: prepare(TEXT, val_fraction=float("nan")), r"val_fraction must be"),
    "init_params with H=0": (lambda: init_params(V, 0), r"hidden size H must be a positive integer"),
    "init_params with float16": (lambda: init_params(V, 8, dtype=np.float16), r"dtype must be float32 or float64"),
    "train with a negative lr": (lambda: train(TEXT, steps=1, lr=-1.0), r"lr: .*positive"),
    "train without a length": (lambda: train(TEXT), r"steps=N or seconds=S"),
    "train on a file name": (lambda: train(__file__, steps=1), r"rnn_core\.load_text\("),
    "resume from train's pair": (lambda: train(TEXT, steps=1, resume=train(TEXT, steps=1)),
                                 r"pass resume=state"),
    "init_params with the Vocab": (lambda: init_params(VOCAB), r"pass vocab\.size"),
    "save_checkpoint of train's pair": (lambda: save_checkpoint("c.npz", train(TEXT, steps=1)),
                                        r"save its first part"),
    "save_checkpoint of the parameters": (lambda: save_checkpoint("c.npz", params()),
                                          r"parameter dict.*pass the state that train returns"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_natural_mistake_gets_a_value_error_naming_the_fix(mistake):
    call, message = MISTAKES[mistake]
    with pytest.raises(ValueError, match=message) as err:
        call()
    assert "--" not in str(err.value)  # Python calls never hear about command-line flags


def test_every_public_function_is_covered_by_a_mistake_above():
    import inspect
    public = {name for name, obj in vars(rnn_core).items()
              if inspect.isfunction(obj) and not name.startswith("_")}
    called = " ".join(inspect.getsource(call) for call, _ in MISTAKES.values())
    # corpus_path takes nothing; load_text and load_checkpoint raise OSError/CheckpointError
    # with their own tests (test_data.py, test_checkpoint.py)
    exempt = {"corpus_path", "load_text", "load_checkpoint"}
    missing = sorted(name for name in public - exempt if f"{name}(" not in called)
    assert not missing, f"no natural-mistake test calls {missing}"


def test_valid_calls_still_work_after_all_the_checks():
    p = params()
    assert decode([], VOCAB) == "" and one_hot([], 3).shape == (0, 3)
    assert decode(np.uint8(3), VOCAB) == VOCAB.chars[3]  # a single id, as before
    loss, grads, h = loss_and_grads(p, IDS[:-1], IDS[1:])
    _, ps = forward(p, IDS[:-1])
    assert loss == pytest.approx(cross_entropy(ps, IDS[1:]), rel=1e-12)
    assert loss == pytest.approx(-np.log(ps[np.arange(len(ps)), IDS[1:]]).sum(), rel=1e-12)
    hs_b, ps_b = forward(p, IDS[:-1, None])
    assert backward(p, IDS[:-1, None], IDS[1:, None], hs_b, ps_b)["Why"] == pytest.approx(grads["Why"])
