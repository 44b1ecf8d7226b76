import os
import subprocess
import sys

import numpy as np
import pytest

from rnn_core.data import prepare
from rnn_core.sampling import sample
from rnn_core.train import evaluate, make_config, train

HELLO = "hello world " * 20
ALPHABET = "abcdefghijklmnopqrstuvwxyz " * 6


@pytest.mark.parametrize("text, prime, expected", [
    (HELLO, "h", "ello world hello world"),
    (ALPHABET, "a", "bcdefghijklmnopqrstuvwxyz abcd"),
])
def test_300_steps_on_a_repetitive_text_learn_it_by_heart(text, prime, expected):
    state, history = train(text, steps=300, seq=25, hidden=50, val_fraction=0.0, eval_every=0,
                           log_every=50)
    assert history.loss[0] > history.loss[-1]
    # the raw loss of a fresh pass over the text, per character, is close to zero
    _, ids, _ = prepare(text, seq=25, val_fraction=0.0)
    assert evaluate(state["params"], ids, streams_max=1) < 0.05
    assert sample(state["params"], state["vocab"], prime=prime, length=len(expected),
                  greedy=True) == expected
    assert sample(state["params"], state["vocab"], prime=prime, length=len(expected),
                  temperature=0.5, seed=1) == expected


def test_batched_training_learns_too():
    state, history = train(HELLO * 4, steps=300, seq=10, hidden=50, batch=4, val_fraction=0.0,
                           eval_every=0, dtype="float32")
    assert state["params"]["Whh"].dtype == np.float32
    assert state["smooth_loss"] < history.loss[0]
    _, ids, _ = prepare(HELLO * 4, seq=10, val_fraction=0.0)
    # one stream from the start, like the training streams (which all begin at an "h")
    assert evaluate(state["params"], ids, streams_max=1) < 0.05
    assert sample(state["params"], state["vocab"], prime="hello w", length=10,
                  greedy=True) == "orld hello"


def test_history_records_validation_and_samples():
    text = "the cat sat on the mat. " * 40
    state, h = train(text, steps=60, seq=8, hidden=16, eval_every=20, log_every=10,
                     sample_every=30, sample_length=15)
    assert h.step == [10, 20, 30, 40, 50, 60]
    assert h.val_step == [20, 40, 60] and all(np.isfinite(h.val_loss))
    assert [s for s, _ in h.samples] == [30, 60] and all(len(t) == 15 for _, t in h.samples)
    assert h.chars_seen[-1] == state["chars_seen"] == 60 * 8
    assert all(b >= a for a, b in zip(h.elapsed, h.elapsed[1:]))


def test_callback_can_stop_training():
    state, h = train(HELLO, steps=100, seq=5, hidden=8, eval_every=0,
                     callback=lambda s, hist: s["step"] >= 7)
    assert state["step"] == 7 and h.stopped_early


def test_seconds_limit_stops_training():
    state, _ = train(HELLO, seconds=0.2, seq=5, hidden=8, eval_every=0)
    assert state["step"] > 0


def test_same_seed_same_run_other_seed_other_run():
    a, _ = train(HELLO, steps=30, seq=5, hidden=8, seed=3, eval_every=0)
    b, _ = train(HELLO, steps=30, seq=5, hidden=8, seed=3, eval_every=0)
    c, _ = train(HELLO, steps=30, seq=5, hidden=8, seed=4, eval_every=0)
    assert all(np.array_equal(a["params"][k], b["params"][k]) for k in a["params"])
    assert not np.array_equal(a["params"]["Whh"], c["params"]["Whh"])


def _run_in_subprocess(hashseed):
    code = ("import hashlib, numpy as np\n"
            "from rnn_core.train import train\n"
            "from rnn_core.data import load_text\n"
            "s, _ = train(load_text()[:20000], steps=40, hidden=20, batch=2, eval_every=0)\n"
            "h = hashlib.sha256(s['vocab'].chars.encode())\n"
            "for k in sorted(s['params']): h.update(s['params'][k].tobytes())\n"
            "print(h.hexdigest())\n")
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_whole_run_is_identical_across_hash_seeds():
    assert len({_run_in_subprocess(seed) for seed in (0, 1, 12345)}) == 1


def test_sgd_option_and_global_norm_clipping_run():
    state, _ = train(HELLO, steps=20, seq=5, hidden=8, optimizer="sgd", lr=0.05, clip=0,
                     clip_norm=1.0, eval_every=0)
    assert not any(m.any() for m in state["memory"].values())  # SGD keeps no memory


@pytest.mark.parametrize("kwargs, match", [
    ({"hidden": 0}, "hidden must be a positive"),
    ({"seq": -1}, "seq must be a positive"),
    ({"batch": 0}, "batch must be a positive"),
    ({"lr": 0}, "learning rate must be a positive"),
    ({"lr": float("nan")}, "learning rate must be a positive"),
    ({"optimizer": "adam"}, "optimizer must be"),
    ({"dtype": "int8"}, "float32 or float64"),
    ({"clip": -5}, "clip must be"),
    ({"seed": -1}, "seed must be a whole number >= 0"),
    ({"eval_every": -1}, "eval_every"),
    ({"val_limit": 0}, "val_limit must be a positive"),
    ({"sample_length": 0}, "sample_length"),
    ({"checkpoint_every": 2.5}, "checkpoint_every"),
])
def test_nonsense_hyperparameters_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train(HELLO, steps=1, **kwargs)


def test_training_needs_a_stopping_rule():
    with pytest.raises(ValueError, match="steps=N or seconds=S"):
        train(HELLO)


def test_too_many_streams_for_the_text_is_explained():
    with pytest.raises(ValueError, match="fewer streams"):
        train(HELLO, steps=1, seq=25, batch=64)


def test_diverging_training_stops_with_advice():
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        train(HELLO, steps=50, seq=5, hidden=8, optimizer="sgd", lr=1e308, clip=0)


def test_make_config_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown"):
        make_config(hiden=3)


def _one_step_by_hand(text, clip, clip_norm=None):
    from rnn_core.bptt import loss_and_grads
    from rnn_core.forward import init_params
    from rnn_core.optim import adagrad_step, clip_elementwise, clip_global_norm, zeros_like
    vocab, ids, _ = prepare(text, seq=5, val_fraction=0.0)
    params = init_params(vocab.size, 8, seed=0)
    params = {k: v * 300 for k, v in params.items()}  # big weights: gradients well above 5
    _, grads, _ = loss_and_grads(params, ids[:5], ids[1:6])
    if clip:
        clip_elementwise(grads, clip)
    if clip_norm:
        clip_global_norm(grads, clip_norm)
    memory = zeros_like(params)
    start = {k: v.copy() for k, v in params.items()}
    adagrad_step(params, grads, memory, 0.1)
    return start, params, grads


@pytest.mark.parametrize("clip, clip_norm", [(5.0, None), (0, None), (0, 1.0)])
def test_clipping_settings_do_what_they_say(clip, clip_norm):
    from rnn_core.optim import zeros_like
    from rnn_core.train import make_config, new_state
    start, expected, grads = _one_step_by_hand(HELLO, clip, clip_norm)
    if clip == 0 and clip_norm is None:
        assert max(np.abs(g).max() for g in grads.values()) > 5  # so clipping would have mattered
    vocab, _, _ = prepare(HELLO, seq=5, val_fraction=0.0)
    config = make_config(hidden=8, seq=5, val_fraction=0.0, clip=clip, clip_norm=clip_norm)
    begin = {**new_state(vocab, config), "params": start, "memory": zeros_like(start)}
    state, _ = train(HELLO, steps=1, resume=begin, eval_every=0)
    for k in expected:
        assert np.allclose(state["params"][k], expected[k], rtol=0, atol=1e-12)


def test_evaluate_is_the_mean_cross_entropy_of_the_forward_pass():
    from rnn_core.forward import forward, init_params
    from rnn_core.loss import cross_entropy
    text = "the cat sat on the mat. " * 30
    vocab, ids, _ = prepare(text, seq=5, val_fraction=0.0)
    params = {k: v + 0.3 for k, v in init_params(vocab.size, 12, seed=1).items()}
    _, ps = forward(params, ids[:-1])  # one stream, read from a zero hidden state
    expected = cross_entropy(ps, ids[1:]) / (len(ids) - 1)
    assert evaluate(params, ids, streams_max=1) == pytest.approx(expected, rel=1e-12)
    assert evaluate(params, ids, streams_max=1, limit=100) == pytest.approx(
        cross_entropy(ps[:100], ids[1:101]) / 100, rel=1e-12)
    with pytest.raises(ValueError, match="integer"):
        evaluate(params, ids.astype(float))
    with pytest.raises(ValueError, match="ids must be character ids in 0..10"):
        evaluate(params, np.array([0, 1, 99]))


def test_text_must_be_a_string():
    with pytest.raises(TypeError, match="must be a str"):
        train(b"hello world " * 10, steps=1)


def test_ctrl_c_stops_at_the_end_of_a_step_and_keeps_the_work(tmp_path):
    import os
    import signal
    from rnn_core.checkpoint import load_checkpoint

    def press_ctrl_c_at_5(state, history):
        if state["step"] == 5:
            os.kill(os.getpid(), signal.SIGINT)

    state, history = train(HELLO, steps=100, seq=5, hidden=8, eval_every=0,
                           checkpoint=tmp_path / "c.npz", callback=press_ctrl_c_at_5)
    assert history.interrupted and history.stopped_early
    assert state["step"] == 5
    assert load_checkpoint(tmp_path / "c.npz")["step"] == 5
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


def test_a_diverging_run_never_overwrites_a_good_checkpoint(tmp_path):
    from rnn_core.checkpoint import load_checkpoint
    path = tmp_path / "c.npz"
    good, _ = train(HELLO, steps=7, seq=5, hidden=8, eval_every=0, checkpoint=path)
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        train(HELLO, steps=50, optimizer="sgd", lr=1e308, clip=0, eval_every=0, resume=good,
              checkpoint=path, checkpoint_every=1)
    saved = load_checkpoint(path)  # it loads: the loader refuses NaN or infinite values
    assert saved["step"] >= 7


def test_unwritable_checkpoint_is_refused_before_training(tmp_path):
    calls = []
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        train(HELLO, steps=5, checkpoint=tmp_path, callback=lambda s, h: calls.append(1))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        train(HELLO, steps=5, checkpoint=tmp_path / "no" / "c.npz", callback=lambda s, h: calls.append(1))
    assert calls == []


def test_a_prepared_corpus_trains_exactly_as_its_text():
    text = "hello world, hello there. " * 40
    corpus = prepare(text, 8, 0.1)
    a, _ = train(text, steps=30, hidden=12, seq=8, batch=2, lr=0.1, seed=3, eval_every=0, log_every=0)
    b, _ = train(corpus=corpus, steps=30, hidden=12, seq=8, batch=2, lr=0.1, seed=3, eval_every=0,
                 log_every=0)
    assert a["vocab"] == b["vocab"]
    for k in a["params"]:
        np.testing.assert_array_equal(a["params"][k], b["params"][k])
