"""The trainer page: paste a text, train on it in short chunks, watch the loss, sample, download."""
import asyncio
import base64
import html
import tempfile

import ipywidgets as W

from . import live
from .data import load_text
from .page_html import WIDE, _error, _num, _pre, known_characters, polyline_svg
from .page_sampler import sampler_widget


def what_changed(old, new):
    """Two trainer settings keys (shakespeare, text, hidden, lr, batch) -> the names that differ."""
    if old is None:
        return []
    names = ["source", "text", "hidden size", "learning rate", "batch"]
    changed = [name for name, a, b in zip(names, old, new) if a != b]
    return [n for n in changed if n != "text"] if "source" in changed else changed


CHUNK_SECONDS = 0.25  # training between two looks at the page: Stop waits at most this long


def trainer(text="", hidden=64, lr=0.05, batch=4, seed=0, chunk_seconds=CHUNK_SECONDS):
    """-> a VBox to train a model on your own text (or Tiny Shakespeare), watch it, sample it.

    Training runs as an asyncio task on the kernel's event loop, a chunk of
    ``chunk_seconds`` at a time (``rnn_core.live.advance``); between chunks the
    kernel handles the page's messages, so **Stop** acts after the current chunk
    and the kernel is never blocked. Attributes: text, upload, source, hidden,
    lr, batch, train, stop, status, stats, curve, sample, download, after (the sampler
    once stopped), controls (a dict: "run", the live run, or None; "task"; "stop"),
    task, and run_chunk() (one chunk, for tests).
    """
    area = W.Textarea(value=text, placeholder="paste a text here (a poem, a few paragraphs...)",
                      layout=W.Layout(width="95%", height="9em"))
    upload = W.FileUpload(accept=".txt,text/plain", multiple=False, description="upload .txt")
    source = W.RadioButtons(options=["the text above", "Tiny Shakespeare (bundled, 1.1 MB)"],
                            value="the text above", description="train on", style=WIDE)
    def choice(options, value, description):
        # the value asked for joins the usual choices, so any valid number can be a default
        return W.Dropdown(options=sorted(set(options) | {value}), value=value,
                          description=description, style=WIDE)

    hidden_w = choice([16, 32, 64, 100, 128], hidden, "hidden units")
    lr_w = choice([0.01, 0.02, 0.05, 0.1, 0.2], lr, "learning rate")
    batch_w = choice([1, 2, 4, 8, 16, 32], batch, "batch (streams)")
    go = W.Button(description="Train", button_style="success", icon="play")
    stop = W.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
    status, stats, curve, sample_box = W.HTML(""), W.HTML(""), W.HTML(""), W.HTML("")
    download = W.HTML("")
    after = W.VBox([])
    parts = {"text": area, "upload": upload, "source": source, "hidden": hidden_w, "lr": lr_w,
             "batch": batch_w, "train": go, "stop": stop, "status": status, "stats": stats,
             "curve": curve, "sample": sample_box, "download": download, "after": after}
    for name, w in parts.items():
        w.add_class("rnn-trainer-" + name)
    ctl = {"run": None, "task": None, "stop": False, "key": None}

    def say(message, error=False):
        status.value = _error(message) if error else html.escape(message)

    def uploaded(change):
        files = change["new"]
        if not files:
            return
        f = files[0]
        try:
            area.value = live.decode_upload(f["content"], f["name"])
        except ValueError as err:
            say(str(err), error=True)
            return
        source.value = "the text above"
        say(f"read {f['name']}: {len(area.value)} characters")

    def refresh():
        run = ctl["run"]
        if run is None or run["state"] is None:
            return
        points = run["loss"]
        if len(points) > 600:  # a long run: every k-th point keeps the message small
            points = points[::len(points) // 600 + 1] + points[-1:]
        series = [(points, "#1565c0", "training (smoothed)")]
        if run["val"]:
            series.append((run["val"], "#ef6c00", "validation"))
        curve.value = polyline_svg(series, ylabel="loss (nats/char)")
        last = run["loss"][-1][1]
        val = (f", validation {_num('val_loss', run['val'][-1][1], '.3f')}" if run["val"] else
               "" if run["has_val"] else " (text too short to hold out a validation part)")
        stats.value = (f"step {_num('step', run['state']['step'], 'd')}, "
                       f"{_num('steps_per_s', live.steps_per_second(run), '.0f')} steps/s, "
                       f"loss {_num('loss', last, '.3f')}{val} nats/char")
        if run["samples"]:
            step, s = run["samples"][-1]
            sample_box.value = (f"<small>sample at step {step} (temperature 0.8, from the "
                                f"text's first character):</small>" + _pre(s))

    def run_chunk():
        live.advance(ctl["run"], seconds=chunk_seconds)
        refresh()

    def finish(message):
        go.disabled, stop.disabled = False, True
        for w in (area, upload, source, hidden_w, lr_w, batch_w):
            w.disabled = False
        run = ctl["run"]
        say(message, error=message.startswith("training stopped:"))
        if run is None or run["state"] is None:
            return
        st = run["state"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                data = live.checkpoint_bytes(run, folder)
        except (ValueError, FloatingPointError, OSError) as err:
            download.value = _error(f"could not save a checkpoint: {err}")
        else:
            b64 = base64.b64encode(data).decode("ascii")
            download.value = (f'<a download="checkpoint.npz" href="data:application/octet-stream;'
                              f'base64,{b64}">\u2b07 download checkpoint.npz</a> <small>({len(data) // 1024} kB,'
                              f' step {st["step"]}; load it with rnn_core.load_checkpoint)</small>')
        after.children = [W.HTML("<b>Sample from this model</b> "
                                 f"<small>(it knows {run['vocab'].size} characters: "
                                 f"<code>{html.escape(known_characters(run['vocab']))}</code>)</small>"),
                          W.HTML("<small>Each pass over the text began from a blank memory "
                                 "(a zero hidden state) at the text's first character, so the "
                                 "prime below is its first word. Another prime starts the model "
                                 "from a state it has not trained on, and a model that learned a "
                                 "short text by heart may then write nonsense.</small>"),
                          sampler_widget(st["params"], run["vocab"], prime=live.opening(run["text"]),
                                         length=300)]

    async def loop():
        try:
            while not ctl["stop"]:
                run_chunk()
                if ctl["run"]["interrupted"]:  # the kernel's interrupt (Ctrl-C) acts as Stop
                    break
                # a few ms, not sleep(0): the kernel needs several turns of the loop to read
                # and handle a message, and Stop is one
                await asyncio.sleep(0.01)
        except FloatingPointError as err:
            finish(f"training stopped: {err}")
            return
        except Exception as err:  # a page must say what happened, not go silent
            finish(f"training stopped: {type(err).__name__}: {err}")
            return
        finish(f"stopped at step {ctl['run']['state']['step']}: sample from the model below, "
               "or press Train to continue (a changed setting or text starts a new model)")

    def start(_=None):
        if ctl["task"] is not None and not ctl["task"].done():
            return
        shakespeare = source.value.startswith("Tiny")
        body = load_text() if shakespeare else area.value
        key = (shakespeare, body if not shakespeare else "", hidden_w.value, lr_w.value, batch_w.value)
        changed = what_changed(ctl["key"], key) if ctl["run"] is not None else []
        if changed or ctl["run"] is None:
            try:
                ctl["run"] = live.start(body, hidden=hidden_w.value, lr=lr_w.value,
                                        batch=batch_w.value, seed=seed)
            except ValueError as err:
                ctl["run"] = None
                say(str(err), error=True)
                return
            ctl["key"] = key
            curve.value = stats.value = sample_box.value = download.value = ""
            after.children = []
            begin = (f"new {' and '.join(changed)}: a new model from scratch (the last one is "
                     "discarded), training" if changed else "training")
        else:
            st = ctl["run"]["state"]
            begin = "training" if st is None else f"continuing the same model from step {st['step']}"
        try:
            loop_ = asyncio.get_running_loop()
        except RuntimeError:
            say("no running event loop (not in a kernel): call run_chunk() to train", error=True)
            return
        ctl["stop"] = False
        go.disabled, stop.disabled = True, False
        for w in (area, upload, source, hidden_w, lr_w, batch_w):
            w.disabled = True
        run = ctl["run"]
        say(f"{begin} on {len(run['text'])} characters ({run['vocab'].size} distinct) ...")
        ctl["task"] = ui.task = loop_.create_task(loop())

    def stop_now(_=None):
        ctl["stop"] = True
        say("stopping ...")

    upload.observe(uploaded, "value")
    go.on_click(start)
    stop.on_click(stop_now)
    ui = W.VBox([area, W.HBox([upload, source]), W.HBox([hidden_w, lr_w, batch_w]),
                 W.HBox([go, stop]), status, stats, curve, sample_box, download, after])
    ui.add_class("rnn-trainer")
    for name, w in parts.items():
        setattr(ui, name, w)
    ui.task = None
    ui.run_chunk = run_chunk
    ui.refresh = refresh
    ui.controls = ctl
    return ui
