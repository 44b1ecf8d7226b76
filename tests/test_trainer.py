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
    one, _ = train(POEM, steps=n, hidden=16, lr=0.1, batch=2, seq=10, seed=3, dtype="float32",
                   log_every=0, eval_every=0)
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


def test_a_batch_too_large_for_the_text_names_the_fix():
    with pytest.raises(ValueError, match="smaller batch or a longer text"):
        live.start(POEM, batch=16, seq=25)


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
    assert all(text.startswith(" ") and len(text) == 161 for _, text in run["samples"])
