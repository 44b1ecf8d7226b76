"""Training in chunks (rnn_core.live): the same numbers as one long run, and clear messages."""
import os
import signal
import threading

import numpy as np
import pytest

from rnn_core import live
from rnn_core.checkpoint import load_checkpoint
from rnn_core.train import train

POEM = ("Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n"
        "Rough winds do shake the darling buds of May,\nAnd summer's lease hath all too short a date;\n")


def test_training_in_chunks_gives_exactly_the_parameters_of_one_run():
    run = live.start(POEM, hidden=16, lr=0.1, batch=2, seq=10, seed=3)
    for _ in range(3):
        live.advance(run, seconds=0.05)
    n = run["state"]["step"]
    assert n > 3 and [s for s, _ in run["loss"]] == sorted({s for s, _ in run["loss"]})
    one, _ = train(corpus=run["corpus"], steps=n, hidden=16, lr=0.1, batch=2, seq=10, seed=3,
                   dtype="float32", val_fraction=0.0, log_every=0, eval_every=0)
    for k, p in one["params"].items():
        assert np.array_equal(p, run["state"]["params"][k]), k
    assert run["loss"][-1] == (n, pytest.approx(one["smooth_loss"]))


def test_the_loss_falls_and_samples_use_only_the_texts_characters():
    run = live.start(POEM * 4, hidden=32, lr=0.1, batch=2, seq=20, seed=0)
    while len(run["loss"]) < 3 or run["state"]["step"] < 500:
        live.advance(run, seconds=0.02, sample_every=0.0)
    assert run["loss"][-1][1] < run["loss"][0][1] - 0.3, run["loss"][::10]
    assert run["samples"] and all(set(text) <= set(POEM) for _, text in run["samples"])
    assert live.steps_per_second(run) > 0


def test_validation_is_tracked_only_when_the_text_leaves_enough_for_it():
    short = live.start(POEM, hidden=8, batch=1)
    live.advance(short, seconds=0.02)
    assert not short["has_val"] and short["val"] == []
    long = live.start(POEM * 20, hidden=8, batch=1)  # 10% held out: ~570 characters
    live.advance(long, seconds=0.02)
    assert long["has_val"] and len(long["val"]) == 1
    step, loss = long["val"][0]
    assert step == long["state"]["step"] and 0 < loss < 10


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "only one distinct character"),
    ("a short line", "12 characters, fewer than"),
])
def test_a_text_that_cannot_train_is_refused_in_words(text, message):
    with pytest.raises(ValueError, match=message):
        live.start(text)


def test_a_short_text_is_refused_without_naming_a_setting_the_page_lacks():
    with pytest.raises(ValueError) as err:
        live.start("x" + "y" * 24)  # 25 characters: one short of a window and its next character
    assert "25 characters, fewer than 26" in str(err.value) and "seq" not in str(err.value)
    live.start("x" + "y" * 25, batch=1)  # 26 characters train, in one stream


def test_a_batch_larger_than_a_short_text_needs_still_trains_each_stream_on_all_of_it():
    run = live.start(POEM, batch=16, seq=25)
    live.advance(run, seconds=0.02)
    assert run["state"]["step"] > 0 and run["held_out"] == 0


def _targets_swept(ids, B, T, steps):
    """The (stream, target) pairs train's sweep visits in ``steps`` steps, by a plain loop
    over the rule train follows (windows of T from 0; restart when the next would reach
    the stream's last id)."""
    S = np.asarray(ids)[: len(ids) // B * B].reshape(B, -1)
    L, p, seen = S.shape[1], 0, []
    for _ in range(steps):
        if p + T + 1 >= L:
            p = 0
        seen += [(b, int(S[b, q])) for b in range(B) for q in range(p + 1, p + T + 1)]
        p += T
    return seen


@pytest.mark.parametrize("N, B, T, whole", [(136, 4, 25, True), (136, 1, 25, True), (61, 2, 25, True),
                                            (3001, 4, 25, False), (2500, 32, 25, False),
                                            (2000, 3, 7, False), (27, 16, 25, True)])
def test_the_streams_predict_every_character_of_the_text(N, B, T, whole):
    positions = np.arange(N)  # each id names its position, so a target says where it is
    swept = _targets_swept(live.covering_streams(positions, B, T, whole=whole), B, T, steps=2000)
    assert {q for _, q in swept} == set(range(N))


def test_a_whole_text_stream_reads_the_text_in_order_from_its_first_character():
    N, T = 136, 25
    swept = _targets_swept(live.covering_streams(np.arange(N), 4, T, whole=True), 4, T, steps=6)
    stream0 = [q for b, q in swept if b == 0]
    # targets 1 .. N-1 in order, then the first character again (after the last line, the first)
    assert stream0[:N] == list(range(1, N)) + [0]


def test_a_short_text_trains_whole_and_a_long_one_holds_out_its_last_tenth_in_words():
    short = live.start(POEM)
    assert short["held_out"] == 0 and len(short["train_ids"]) == len(POEM)
    assert f"all {len(POEM)} characters train: nothing is held out" in short["note"]
    text = (POEM * 20)[:2345]
    long = live.start(text)
    assert long["held_out"] == 234 and len(long["val_ids"]) == 234
    assert "".join(long["vocab"].chars[i] for i in long["val_ids"]) == text[-234:]
    assert "the last 234 characters" in long["note"] and "first 2111 train" in long["note"]
    assert live.held_out("x" * 1999) == 0 and live.held_out("x" * 2000) == 200


def test_the_loss_shown_is_the_current_models_loss_on_the_text_from_its_start():
    run = live.start(POEM, hidden=16, batch=2)
    live.advance(run, seconds=0.05)
    params, ids = run["state"]["params"], np.asarray(run["train_ids"])
    h, total = np.zeros(16, dtype=np.float32), 0.0
    for x, y in zip(ids[:-1], ids[1:]):  # a plain loop from a zero state
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
        z = params["Why"] @ h + params["by"]
        total += np.log(np.exp(z - z.max()).sum()) - (z[y] - z.max())
    assert run["fit"][-1] == (run["state"]["step"], pytest.approx(total / (len(ids) - 1), rel=1e-4))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_short_poem_is_recited_in_full_by_a_greedy_sample_at_the_default_settings(seed):
    run = live.start(POEM, seed=seed)  # the page's defaults: 64 hidden units, lr 0.05, batch 4
    while run["state"] is None or (run["recited"] < len(POEM) and run["state"]["step"] < 3000):
        live.advance(run, seconds=0.05, sample_every=0.0)
    said, n = live.recital(run)
    assert said == POEM and n == len(POEM) and run["samples"][-1][1] == POEM, (run["state"]["step"], said)


def test_an_upload_that_is_not_utf8_is_refused_in_words():
    with pytest.raises(ValueError, match="not UTF-8 text.*0xe9 at position 3"):
        live.decode_upload("caf\u00e9".encode("latin-1"), "poem.txt")
    assert live.decode_upload("\ufeffhello".encode("utf-8")) == "hello"


def test_a_checkpoint_of_the_run_loads_back(tmp_path):
    run = live.start(POEM, hidden=8, batch=1)
    with pytest.raises(ValueError, match="press Train"):
        live.checkpoint_bytes(run, tmp_path)
    live.advance(run, seconds=0.02)
    data = live.checkpoint_bytes(run, tmp_path)
    assert data[:4] == b"PK\x03\x04"
    back = load_checkpoint(tmp_path / "checkpoint.npz")
    assert back["step"] == run["state"]["step"] and back["vocab"] == run["vocab"]


def test_ctrl_c_during_a_chunk_ends_it_and_says_so():
    run = live.start(POEM, hidden=8, batch=1)
    live.advance(run, seconds=0.02)
    assert run["interrupted"] is False
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        live.advance(run, seconds=30)  # rnn_core.train turns the first Ctrl-C into "stop after this step"
    finally:
        timer.cancel()
    assert run["interrupted"] is True


@pytest.mark.parametrize("text, expected", [
    ("Shall I compare", "Shall"), ("Tomorrow, and tomorrow", "Tomorrow,"),
    ("abcdefghijklmnopq rst", "abcdefghijkl"), ("\nWhen", "\n"), (" x y", " ")])
def test_the_opening_is_the_first_word_or_the_first_character(text, expected):
    assert live.opening(text) == expected


def test_samples_while_training_begin_with_the_texts_first_character():
    # a pass over the text starts from a zero state at its first character: samples start there too
    run = live.start("  " + POEM, hidden=8, batch=1)
    live.advance(run, seconds=0.02, sample_every=0.0)
    live.advance(run, seconds=0.02, sample_every=0.0)
    assert len(run["samples"]) == 2
    # a short text: the greedy recital, as long as the text
    assert all(text.startswith(" ") and len(text) == len(POEM) + 2 for _, text in run["samples"])
    long = live.start("  " + POEM * 20, hidden=8, batch=1)
    live.advance(long, seconds=0.02, sample_every=0.0)
    assert all(text.startswith(" ") and len(text) == 161 for _, text in long["samples"])


def test_the_loss_curve_starts_at_step_0_with_the_untrained_models_loss():
    run = live.start(POEM, hidden=16, batch=2)
    live.advance(run, seconds=0.02)
    step, loss = run["fit"][0]
    # a fresh model (weights * 0.01) guesses almost uniformly: ln V nats per character
    assert step == 0 and loss == pytest.approx(np.log(run["vocab"].size), abs=0.02)
    assert run["fit"][1][0] == run["state"]["step"] > 0
