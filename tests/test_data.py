import numpy as np
import pytest

from rnn_core.data import batch_at, check_trainable, corpus_path, load_text, prepare, streams, wraps


def test_bundled_corpus_loads_without_download():
    text = load_text()
    assert corpus_path().exists()
    assert len(text) > 1_000_000
    assert text.startswith("First Citizen:")


def test_split_keeps_the_last_tenth_for_validation():
    text = "abcdefghij" * 100
    vocab, train_ids, val_ids = prepare(text, seq=5, val_fraction=0.1)
    assert len(train_ids) == 900 and len(val_ids) == 100
    assert vocab.chars == "abcdefghij"
    assert np.array_equal(np.concatenate([train_ids, val_ids]), np.arange(1000) % 10)


def test_streams_are_views_of_the_corpus_in_its_own_small_type():
    ids = np.arange(103, dtype=np.uint8)
    S = streams(ids, 4)
    assert S.shape == (4, 25) and S.dtype == np.uint8
    assert np.shares_memory(S, ids)
    assert S[1, 0] == 25


def test_batches_are_time_major_and_targets_are_shifted_inputs():
    S = streams(np.arange(40), 2)
    x, y = batch_at(S, 3, 5)
    assert x.shape == (5, 2)
    assert x[:, 0].tolist() == [3, 4, 5, 6, 7]
    assert x[:, 1].tolist() == [23, 24, 25, 26, 27]
    assert np.array_equal(y, x + 1)


def test_consecutive_batches_continue_each_stream():
    S = streams(np.arange(100), 2)
    x1, _ = batch_at(S, 0, 5)
    x2, _ = batch_at(S, 5, 5)
    assert np.array_equal(x2, x1 + 5)


def test_sweep_wraps_exactly_like_the_classic_condition():
    L, T = 60, 25
    assert not wraps(0, T, L) and not wraps(25, T, L)
    assert wraps(50, T, L)  # classic: p + seq_length + 1 >= len(data)
    assert wraps(34, T, L) and not wraps(33, T, L)


@pytest.mark.parametrize("text, match", [
    ("", "empty"),
    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "only one distinct character"),
    ("abcab", "fewer than seq"),
])
def test_untrainable_texts_get_clear_errors(text, match):
    with pytest.raises(ValueError, match=match):
        check_trainable(text, seq=25)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_text(tmp_path / "nope.txt")


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.txt is not UTF-8.*0xe9 at position 3"):
        load_text(path)


def test_empty_file_is_named(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    with pytest.raises(ValueError, match="empty"):
        load_text(path)


def test_folder_is_not_a_text_file(tmp_path):
    with pytest.raises(IsADirectoryError):
        load_text(tmp_path)


def test_nonsense_batch_is_refused():
    with pytest.raises(ValueError, match="positive"):
        streams(np.arange(10), 0)
