"""The command line, end to end, in subprocesses (as a user would run it)."""
import os
import signal
import subprocess
import sys

import pytest

from rnn_core.checkpoint import load_checkpoint


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "rnn_core", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_train_then_sample_end_to_end(tmp_path):
    r = run("train", "--steps", "30", "--hidden", "32", "--batch", "4", "--print-every", "10",
            "--out", "model.npz", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "step     30" in r.stdout and "saved model.npz" in r.stdout
    state = load_checkpoint(tmp_path / "model.npz")
    assert state["step"] == 30 and state["config"]["batch"] == 4
    assert state["vocab"].size == 65  # the bundled Tiny Shakespeare, no --data needed

    s = run("sample", "model.npz", "--prime", "ROMEO:", "--length", "80", "--seed", "3", cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    assert s.stdout.startswith("ROMEO:") and len(s.stdout.rstrip("\n")) >= 80
    again = run("sample", "model.npz", "--prime", "ROMEO:", "--length", "80", "--seed", "3", cwd=tmp_path)
    assert again.stdout == s.stdout


def test_train_on_own_file_and_resume(tmp_path):
    (tmp_path / "tiny.txt").write_text("abcabcabd " * 50, encoding="utf-8")
    assert run("train", "--data", "tiny.txt", "--steps", "5", "--hidden", "8", "--seq", "10",
               cwd=tmp_path).returncode == 0
    r = run("train", "--data", "tiny.txt", "--steps", "5", "--resume", "checkpoint.npz", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert load_checkpoint(tmp_path / "checkpoint.npz")["step"] == 10


@pytest.mark.parametrize("args, message", [
    (["train", "--hidden", "0"], "must be positive"),
    (["train", "--lr", "-1"], "must be positive"),
    (["train", "--seq", "abc"], "is not a int"),
    (["train", "--steps", "3", "--minutes", "1"], "not allowed with"),
    (["train", "--data", "missing.txt", "--steps", "1"], "no such file: missing.txt"),
    (["sample", "missing.npz"], "no checkpoint at missing.npz"),
    (["sample", "--temperature", "0"], "must be positive"),
    (["sample", "--seed", "-1"], "must be 0 or more"),
])
def test_bad_arguments_give_one_clear_line(tmp_path, args, message):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_files_give_one_clear_line(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1") * 20)
    r = run("train", "--data", "latin1.txt", "--steps", "1", cwd=tmp_path)
    assert r.returncode == 2 and "is not UTF-8" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04 not really a zip")
    r = run("sample", "broken.npz", cwd=tmp_path)
    assert r.returncode == 2 and "truncated or corrupt" in r.stderr and "Traceback" not in r.stderr


def test_prime_outside_vocabulary_is_one_clear_line(tmp_path):
    (tmp_path / "t.txt").write_text("hello world " * 20, encoding="utf-8")
    assert run("train", "--data", "t.txt", "--steps", "2", "--hidden", "8", cwd=tmp_path).returncode == 0
    r = run("sample", "--prime", "HELLO", cwd=tmp_path)
    assert r.returncode == 2 and "not in the 8-character vocabulary" in r.stderr


def test_help_explains_every_flag(tmp_path):
    out = run("train", "--help", cwd=tmp_path).stdout
    for flag in ("--data", "--hidden", "--seq", "--batch", "--lr", "--steps", "--minutes", "--out", "--resume"):
        assert flag in out
    out = run("sample", "--help", cwd=tmp_path).stdout
    for flag in ("--prime", "--length", "--temperature", "--seed", "--top-k"):
        assert flag in out


@pytest.mark.skipif(os.name != "posix", reason="needs SIGINT delivery to a child process")
def test_ctrl_c_saves_the_checkpoint_before_exiting(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "rnn_core", "train", "--minutes", "5",
                             "--hidden", "16", "--print-every", "50", "--save-every", "100000"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # wait until training is really under way
    assert line.startswith("step"), line + proc.stderr.read()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "stopping after this step" in err
    assert load_checkpoint(tmp_path / "checkpoint.npz")["step"] >= 50


def test_existing_checkpoint_is_never_silently_replaced(tmp_path):
    (tmp_path / "t.txt").write_text("hello world " * 20, encoding="utf-8")
    assert run("train", "--data", "t.txt", "--steps", "3", "--hidden", "8", cwd=tmp_path).returncode == 0
    before = (tmp_path / "checkpoint.npz").read_bytes()
    r = run("train", "--data", "t.txt", "--steps", "1", "--hidden", "8", cwd=tmp_path)
    assert r.returncode == 2 and "already exists" in r.stderr and "--resume" in r.stderr
    assert (tmp_path / "checkpoint.npz").read_bytes() == before
    r = run("train", "--data", "t.txt", "--steps", "1", "--hidden", "8", "--overwrite", cwd=tmp_path)
    assert r.returncode == 0 and load_checkpoint(tmp_path / "checkpoint.npz")["step"] == 1


def test_output_problems_are_caught_before_training(tmp_path):
    (tmp_path / "sub").mkdir()
    r = run("train", "--steps", "1", "--out", "sub", cwd=tmp_path)
    assert r.returncode == 2 and "it is a folder" in r.stderr
    r = run("train", "--steps", "1", "--out", "nowhere/c.npz", cwd=tmp_path)
    assert r.returncode == 2 and "does not exist" in r.stderr
    assert "step" not in r.stdout  # refused before any training


def test_impossible_model_size_is_one_clear_line(tmp_path):
    r = run("train", "--steps", "1", "--hidden", "1000000000", cwd=tmp_path)
    assert r.returncode == 2 and "not enough memory" in r.stderr and "Traceback" not in r.stderr


def test_resumed_run_reports_its_own_speed(tmp_path):
    (tmp_path / "t.txt").write_text("hello world " * 200, encoding="utf-8")
    run("train", "--data", "t.txt", "--steps", "400", "--hidden", "8", cwd=tmp_path)
    r = run("train", "--data", "t.txt", "--steps", "1", "--resume", "checkpoint.npz", cwd=tmp_path)
    assert r.returncode == 0
    import re
    rate = int(re.search(r"([\d,]+) chars/s", r.stdout).group(1).replace(",", ""))
    assert rate < 50_000_000  # one step's characters over this run's time, not the whole history's
