import json
import pickle

import numpy as np
import pytest

import rnn_core.checkpoint as ckpt
from rnn_core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from rnn_core.train import train

TEXT = "to be, or not to be, that is the question. " * 30


def _same_state(a, b):
    assert a["vocab"] == b["vocab"] and a["config"] == b["config"]
    for k in ("step", "pos", "smooth_loss", "chars_seen"):
        assert a[k] == b[k], k
    for part in ("params", "memory"):
        for k in a[part]:
            assert a[part][k].dtype == b[part][k].dtype
            assert np.array_equal(a[part][k], b[part][k]), (part, k)
    assert np.array_equal(a["h"], b["h"])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_save_load_round_trips_exactly(tmp_path, dtype):
    state, _ = train(TEXT, steps=15, seq=10, hidden=12, batch=3, dtype=dtype, eval_every=0)
    save_checkpoint(tmp_path / "c.npz", state)
    _same_state(state, load_checkpoint(tmp_path / "c.npz"))


@pytest.mark.parametrize("batch", [1, 3])
def test_resumed_run_equals_uninterrupted_run(tmp_path, batch):
    kw = dict(seq=10, hidden=12, batch=batch, eval_every=0)
    whole, _ = train(TEXT, steps=60, **kw)
    half, _ = train(TEXT, steps=25, checkpoint=tmp_path / "half.npz", **kw)
    resumed, _ = train(TEXT, steps=35, resume=load_checkpoint(tmp_path / "half.npz"),
                       eval_every=0)
    _same_state(whole, resumed)


def test_periodic_checkpoints_are_written_and_a_crash_keeps_the_last_step(tmp_path):
    path = tmp_path / "run.npz"
    seen = {}

    def crash_at_9(state, history):
        if state["step"] == 9:
            seen["on disk at step 9"] = load_checkpoint(path)["step"]
            raise RuntimeError("power cut (simulated)")

    with pytest.raises(RuntimeError, match="power cut"):
        train(TEXT, steps=10, seq=10, hidden=8, eval_every=0, checkpoint=path, checkpoint_every=4,
              callback=crash_at_9)
    assert seen["on disk at step 9"] == 8  # the periodic save
    assert load_checkpoint(path)["step"] == 9  # and the error saved the last finished step


def test_resuming_on_other_text_is_refused(tmp_path):
    state, _ = train(TEXT, steps=3, seq=10, hidden=8, eval_every=0)
    save_checkpoint(tmp_path / "c.npz", state)
    with pytest.raises(ValueError, match=r"vocabulary \(\d+ characters\) does not match"):
        train("A completely different text, with Capitals and digits 123! " * 5, steps=3,
              resume=load_checkpoint(tmp_path / "c.npz"))


def test_resuming_with_other_model_shape_is_refused(tmp_path):
    state, _ = train(TEXT, steps=3, seq=10, hidden=8, eval_every=0)
    with pytest.raises(ValueError, match="cannot resume with different hidden=9"):
        train(TEXT, steps=3, hidden=9, resume=state)


def test_truncated_checkpoint_is_named(tmp_path):
    state, _ = train(TEXT, steps=3, seq=10, hidden=8, eval_every=0)
    path = save_checkpoint(tmp_path / "c.npz", state)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        load_checkpoint(path)


def test_garbage_file_is_named(tmp_path):
    path = tmp_path / "c.npz"
    path.write_bytes(b"this is not a checkpoint at all" * 10)
    with pytest.raises(CheckpointError, match="not an rnn_core checkpoint"):
        load_checkpoint(path)


def test_a_pickle_is_never_unpickled(tmp_path):
    path = tmp_path / "evil.npz"
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(CheckpointError):
        load_checkpoint(path)
    assert not marker.exists()


def test_other_npz_and_other_versions_are_named(tmp_path):
    np.savez(tmp_path / "plain.npz", a=np.zeros(3))
    with pytest.raises(CheckpointError, match="not an rnn_core checkpoint"):
        load_checkpoint(tmp_path / "plain.npz")
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    monkey = dict(ckpt.__dict__)
    try:
        ckpt.VERSION = 99
        save_checkpoint(tmp_path / "future.npz", state)
    finally:
        ckpt.VERSION = monkey["VERSION"]
    with pytest.raises(CheckpointError, match="version 99"):
        load_checkpoint(tmp_path / "future.npz")


def test_wrong_shapes_inside_are_named(tmp_path):
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    state["params"]["Why"] = np.zeros((8, 8))  # seed 002's mistake, caught on load
    save_checkpoint(tmp_path / "c.npz", state)
    with pytest.raises(CheckpointError, match="Why has shape"):
        load_checkpoint(tmp_path / "c.npz")


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        load_checkpoint(tmp_path / "nope.npz")


def test_crash_mid_write_leaves_previous_checkpoint_intact(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    first, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    save_checkpoint(path, first)
    second, _ = train(TEXT, steps=5, seq=10, hidden=8, eval_every=0)

    def crash(f, **arrays):
        f.write(b"half a file")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(ckpt.np, "savez", crash)
    with pytest.raises(OSError, match="simulated"):
        save_checkpoint(path, second)
    monkeypatch.undo()
    _same_state(first, load_checkpoint(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]  # no temp file left behind


def test_header_is_plain_json(tmp_path):
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    save_checkpoint(tmp_path / "c.npz", state)
    with np.load(tmp_path / "c.npz", allow_pickle=False) as z:
        header = json.loads(z["header"].tobytes())
    assert header["config"]["hidden"] == 8 and header["step"] == 2


def test_nan_checkpoint_is_refused_on_load_and_never_written(tmp_path):
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    path = save_checkpoint(tmp_path / "c.npz", state)
    bad = {**state, "params": {**state["params"], "Whh": state["params"]["Whh"] * np.nan}}
    with pytest.raises(FloatingPointError, match="not saving"):
        save_checkpoint(path, bad)
    _same_state(state, load_checkpoint(path))
    with np.load(path, allow_pickle=False) as z:  # write a NaN one by hand: the loader refuses it
        arrays = {k: z[k] for k in z.files}
    arrays["mem_Why"] = arrays["mem_Why"] * np.nan
    np.savez(tmp_path / "nan.npz", **arrays)
    with pytest.raises(CheckpointError, match="NaN or infinite"):
        load_checkpoint(tmp_path / "nan.npz")


def test_text_file_given_as_checkpoint_is_named(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CheckpointError, match=r"not an \.npz file"):
        load_checkpoint(path)


def _temps(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _dead_pid():
    """The id of a process that has finished (and been reaped): nothing runs under it now."""
    import subprocess
    import sys
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_next_save_removes_temp_files_of_dead_writers_and_nothing_else(tmp_path):
    import os
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    host = ckpt._host()
    dead, alive = _dead_pid(), os.getppid()
    stale = tmp_path / f".c.npz.{host}.{dead}.k1k2k3k4.tmp"
    keep = [
        f".c.npz.{host}.{alive}.a1b2c3d4.tmp",         # a live writer (our parent process)
        f".c.npz.otherhost.{dead}.a1b2c3d4.tmp",        # written on another machine: cannot ask it
        f".c.npz.bak.{host}.{dead}.a1b2c3d4.tmp",       # a temp of the checkpoint 'c.npz.bak'
        ".c.npz.oldstyle9.tmp",                         # an older rnn_core's name: writer unknown
        "notes.tmp",
    ]
    for name in [stale.name, *keep]:
        (tmp_path / name).write_bytes(b"half a file")
    assert ckpt.stale_temps(tmp_path / "c.npz") == [stale]
    save_checkpoint(tmp_path / "c.npz", state)
    assert _temps(tmp_path) == sorted(keep)
    _same_state(state, load_checkpoint(tmp_path / "c.npz"))


def test_a_save_killed_with_sigkill_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    """A real SIGKILL in the middle of a save, made deterministic: the child signals when it
    is halfway through writing and then waits to be killed."""
    import os
    import signal
    import subprocess
    import sys
    path = tmp_path / "c.npz"
    child_code = (
        "import sys, time, numpy as np\n"
        "from rnn_core.checkpoint import save_checkpoint\n"
        "from rnn_core.train import train\n"
        f"state, _ = train({TEXT!r}, steps=2, seq=10, hidden=8, eval_every=0)\n"
        "def stall(f, **arrays):\n"
        "    f.write(b'half a file'); f.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(120)\n"
        "np.savez = stall\n"
        "save_checkpoint(sys.argv[1], state)\n")
    child = subprocess.Popen([sys.executable, "-c", child_code, str(path)], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        [live] = _temps(tmp_path)
        assert f".{child.pid}." in live
        # a save by another run while the child is still writing leaves the child's file alone
        mine, _ = train(TEXT, steps=3, seq=10, hidden=8, eval_every=0)
        save_checkpoint(path, mine)
        assert _temps(tmp_path) == [live]
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert _temps(tmp_path) == [live]  # what the issue saw: the killed save's file stays behind
    save_checkpoint(path, mine)
    assert _temps(tmp_path) == []
    _same_state(mine, load_checkpoint(path))


class _Payload:
    """Unpickling this creates the file ``marker``: the proof that a load ran code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("member", ["param_Wxh", "h", "header"])
def test_an_object_array_inside_a_valid_checkpoint_is_refused_and_never_unpickled(tmp_path, member):
    """The guarantee 'loading never unpickles', tested where it matters: a real checkpoint whose
    one member is an object array (saved with allow_pickle=True). A loader that unpickled it
    would run the payload, which creates the marker file."""
    import io
    import zipfile
    good = tmp_path / "good.npz"
    state, _ = train(TEXT, steps=2, seq=10, hidden=8, eval_every=0)
    save_checkpoint(good, state)
    marker = tmp_path / "payload-ran"
    evil_member = io.BytesIO()
    np.save(evil_member, np.array([_Payload(str(marker))], dtype=object), allow_pickle=True)
    evil = tmp_path / "evil.npz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for name in src.namelist():
            data = evil_member.getvalue() if name == member + ".npy" else src.read(name)
            dst.writestr(name, data)
    assert sorted(np.load(evil, allow_pickle=False).files) == sorted(np.load(good).files)
    with pytest.raises(CheckpointError, match="evil.npz"):
        load_checkpoint(evil)
    assert not marker.exists(), "loading the checkpoint unpickled an object array and ran its payload"
