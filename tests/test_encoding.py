import os
import subprocess
import sys

import numpy as np
import pytest

from rnn_core.encoding import Vocab, build_vocab, decode, encode, one_hot


def test_vocabulary_is_sorted_and_round_trips_text():
    text = "hello world"
    vocab = build_vocab(text)
    assert vocab.chars == " dehlorw"
    ids = encode(text, vocab)
    assert ids.tolist() == [vocab.chars.index(c) for c in text]
    assert decode(ids, vocab) == text


def test_ids_use_the_smallest_integer_type():
    assert encode("abc", build_vocab("abc")).dtype == np.uint8
    wide = "".join(chr(0x4E00 + i) for i in range(300))
    assert encode(wide, build_vocab(wide)).dtype == np.uint16


def test_encode_handles_characters_beyond_the_basic_plane():
    text = "a🙂b🙂"
    vocab = build_vocab(text)
    assert decode(encode(text, vocab), vocab) == text


def test_one_hot_has_a_single_one_at_each_id():
    x = one_hot([2, 0, 1], 4)
    assert x.shape == (3, 4)
    assert (x.sum(axis=1) == 1).all()
    assert x.argmax(axis=1).tolist() == [2, 0, 1]
    assert one_hot(np.zeros((5, 3), dtype=int), 7).shape == (5, 3, 7)


def test_unknown_character_gets_a_clear_error():
    vocab = build_vocab("abc")
    with pytest.raises(ValueError, match=r"'z'.*not in the 3-character vocabulary"):
        encode("abz", vocab)


def test_empty_text_has_no_vocabulary():
    with pytest.raises(ValueError, match="empty"):
        build_vocab("")


def test_vocab_rejects_unsorted_or_repeated_characters():
    with pytest.raises(ValueError):
        Vocab("ba")
    with pytest.raises(ValueError):
        Vocab("aab")


def test_out_of_range_ids_are_refused():
    vocab = build_vocab("ab")
    with pytest.raises(ValueError, match="0..1"):
        decode([0, 2], vocab)
    with pytest.raises(ValueError):
        one_hot([3], 3)


def _vocab_in_subprocess(hashseed):
    code = ("from rnn_core.encoding import build_vocab; from rnn_core.data import load_text;"
            "print(repr(build_vocab(load_text()).chars)); print(repr(''.join(set(load_text()[:5000]))))")
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_vocabulary_is_identical_across_hash_seeds_while_set_order_is_not():
    runs = [_vocab_in_subprocess(seed) for seed in (1, 2, 3)]
    assert len({r[0] for r in runs}) == 1  # ours: same vocabulary every time
    assert len({r[1] for r in runs}) > 1  # list(set(text)): the trap the seeds fell into


def test_chunked_encoding_equals_one_pass_and_finds_unknowns_in_any_chunk():
    text = "the quick brown fox jumps over the lazy dog " * 5
    vocab = build_vocab(text)
    assert np.array_equal(encode(text, vocab, chunk=7), encode(text, vocab))
    with pytest.raises(ValueError, match="'Q'"):
        encode(text + "Q", vocab, chunk=7)
    with pytest.raises(ValueError, match="\U0001F600"):
        encode(text + "\U0001F600", vocab, chunk=7)  # beyond every known code point
    with pytest.raises(ValueError, match="U\\+0007"):
        encode(text + "\a", vocab)  # invisible characters are named by code point
