"""Saving and restoring a training run in one ``.npz`` file, without pickle.

The file holds the arrays (parameters, Adagrad memory, hidden state) as plain
``.npy`` members plus a JSON header (vocabulary, hyper-parameters, step, data
position, smoothed loss). Loading uses ``allow_pickle=False``: a checkpoint can
never run code. Writing goes to a temporary file that replaces the old one only
once complete, so a crash mid-write leaves the previous checkpoint intact.

A run killed mid-save (SIGKILL, power cut) leaves its temporary file behind. Its
name, ``.NAME.HOST.PID.XXXXXXXX.tmp``, says which process on which machine wrote
it, so the next save of NAME removes the ones whose writer is no longer running
on this machine, and never a file that a live run is still writing.
"""
import glob
import json
import os
import re
import socket
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .encoding import Vocab
from .forward import PARAM_NAMES

FORMAT = "rnn_core-checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """A file that is not a usable checkpoint (missing, truncated, corrupt, wrong version)."""


def check_checkpoint_path(path):
    """Raise a clear error now if a checkpoint could not be written to ``path`` later."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"cannot write the checkpoint to {path}: it is a folder; "
                                "give a file name such as checkpoint.npz")
    folder = path.parent  # Path("c.npz").parent is Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write the checkpoint to {path}: "
                                f"folder {folder} does not exist")
    return path


def save_checkpoint(path, state):
    """Write a training state (the dict ``train`` returns) to ``path`` atomically.

    Refuses a state with NaN or infinite parameters (a diverged run): the file
    at ``path``, if any, stays as it was.
    """
    path = Path(path)
    if isinstance(state, tuple) and len(state) == 2 and isinstance(state[0], dict):
        raise ValueError("state is the (state, history) pair that train returns: "
                         "save its first part, save_checkpoint(path, state)")
    if isinstance(state, dict) and "Wxh" in state:
        raise ValueError("state is a parameter dict, but a checkpoint holds a whole training run "
                         "(parameters, Adagrad memory, hidden state, vocabulary, ...): pass the "
                         "state that train returns")
    missing = [k for k in ("params", "memory", "h", "vocab", "config", "step", "pos",
                           "smooth_loss", "chars_seen") if not isinstance(state, dict) or k not in state]
    if missing:
        raise ValueError("state must be the training state dict that train returns "
                         f"(missing {', '.join(missing)}); parameters alone cannot be resumed")
    if not all(np.isfinite(p).all() for p in state["params"].values()):
        raise FloatingPointError(f"not saving {path}: the parameters hold NaN or infinite values "
                                 "(training diverged; lower the learning rate). "
                                 "Any earlier checkpoint there is unchanged.")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "vocab": state["vocab"].chars,
        "config": state["config"],
        "step": int(state["step"]),
        "pos": int(state["pos"]),
        "smooth_loss": float(state["smooth_loss"]),
        "chars_seen": int(state["chars_seen"]),
    }
    arrays = {"header": np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
              "h": state["h"]}
    for k in PARAM_NAMES:
        arrays["param_" + k] = state["params"][k]
        arrays["mem_" + k] = state["memory"][k]
    folder = check_checkpoint_path(path).parent
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{_host()}.{os.getpid()}.",
                               suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); give it the usual permissions
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _temp_prefix(path):
    return f".{Path(path).name}."


def _host():
    """This machine's name, reduced to letters, digits and '-' (so it holds no '.')."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def _running(pid):
    """True if a process with this id exists on this machine (signal 0 only asks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    return True


def stale_temps(path):
    """Temporary files of earlier saves of ``path`` whose writer is no longer running.

    Only files this module names (``.NAME.HOST.PID.XXXXXXXX.tmp``) from this host
    count; a file from another machine (a shared folder) or of another checkpoint
    name is never stale, since its writer cannot be asked.
    """
    path = Path(path)
    if os.name != "posix":
        return []  # os.kill(pid, 0) would terminate the process on Windows
    prefix, host = _temp_prefix(path), _host()
    stale = []
    for candidate in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        parts = candidate.name[len(prefix):-len(".tmp")].split(".")
        # exactly HOST.PID.XXXXXXXX: a longer name belongs to a checkpoint named NAME.something
        if len(parts) == 3 and parts[0] == host and parts[1].isdigit() \
                and not _running(int(parts[1])):
            stale.append(candidate)
    return sorted(stale)


def remove_stale_temps(path):
    """Delete what ``stale_temps(path)`` finds."""
    for stale in stale_temps(path):
        try:
            stale.unlink()
        except OSError:
            pass  # gone already (another save got there first) or not ours to delete


def load_checkpoint(path):
    """Read a checkpoint written by ``save_checkpoint``; a CheckpointError says what is wrong."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a checkpoint file")
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # every .npz is a zip archive
            raise CheckpointError(f"{path} is not an rnn_core checkpoint (not an .npz file)")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as err:
        raise CheckpointError(f"{path} is not a readable rnn_core checkpoint "
                              f"(truncated or corrupt?): {err}") from None
    if "header" not in arrays:
        raise CheckpointError(f"{path} is an .npz file but not an rnn_core checkpoint (no header)")
    try:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CheckpointError(f"{path} has a corrupt header: {err}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not an rnn_core checkpoint")
    if header.get("version") != VERSION:
        raise CheckpointError(f"{path} is checkpoint format version {header.get('version')!r}; "
                              f"this rnn_core reads version {VERSION} only")
    try:
        vocab = Vocab(header["vocab"])
        params = {k: arrays["param_" + k] for k in PARAM_NAMES}
        memory = {k: arrays["mem_" + k] for k in PARAM_NAMES}
        state = {"params": params, "memory": memory, "h": arrays["h"], "vocab": vocab,
                 "config": dict(header["config"]), "step": int(header["step"]),
                 "pos": int(header["pos"]), "smooth_loss": float(header["smooth_loss"]),
                 "chars_seen": int(header["chars_seen"])}
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{path} is missing or has a malformed part: {err}") from None
    _check_shapes(path, state)
    return state


def _check_shapes(path, state):
    V = state["vocab"].size
    H = int(state["config"].get("hidden", -1))
    B = int(state["config"].get("batch", -1))
    expected = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    dtypes = set()
    for k, shape in expected.items():
        for part in ("params", "memory"):
            a = state[part][k]
            if a.shape != shape:
                raise CheckpointError(f"{path}: {part} {k} has shape {a.shape}, expected {shape}")
            if not np.all(np.isfinite(a)):
                raise CheckpointError(f"{path}: {part} {k} holds NaN or infinite values")
            dtypes.add(a.dtype)
    if state["h"].shape != (B, H):
        raise CheckpointError(f"{path}: hidden state has shape {state['h'].shape}, expected {(B, H)}")
    if len(dtypes) != 1 or dtypes.pop() not in (np.float32, np.float64):
        raise CheckpointError(f"{path}: arrays must all be float32 or all float64")
