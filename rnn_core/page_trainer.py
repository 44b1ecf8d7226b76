"""The trainer page: paste a text, train on it in short chunks, watch the loss, sample, download."""
import asyncio
import base64
import html
import tempfile

import ipywidgets as W

from . import live
from .data import load_text
from . import models
from .page_html import WIDE, _error, _num, _pre, known_characters, page, polyline_svg
from .page_sampler import sampler_widget


def what_changed(old, new):
    """Two trainer settings keys (shakespeare, text, hidden, lr, batch) -> the names that differ."""
    if old is None:
        return []
    names = ["source", "text", "hidden size", "learning rate", "batch"]
    changed = [name for name, a, b in zip(names, old, new) if a != b]
    return [n for n in changed if n != "text"] if "source" in changed else changed


CHUNK_SECONDS = 0.25  # training between two looks at the page: Stop waits at most this long
RECITE_EVERY = 0.5  # seconds of training between two recitals of a short text
BEAT_SECONDS = 1.0  # the page's heartbeat: a Play widget in the browser ticks this often
PAGE_TIMEOUT = 5.0  # no heartbeat for this long: the page is gone (closed, reloaded) and training stops
FIRST_BEAT = 15.0  # ... or no heartbeat at all this long after Train: a front-end that cannot tick
LOCKED = ("<small><b>Locked:</b> the text and settings are locked while training: a change would start "
          "a new model. Press <b>Stop</b> first.</small>")


def trainer(text="", hidden=64, lr=0.05, batch=4, seed=0, chunk_seconds=CHUNK_SECONDS,
            page_timeout=PAGE_TIMEOUT, first_beat=FIRST_BEAT):
    """-> a VBox to train a model on your own text (or Tiny Shakespeare), watch it, sample it.

    Training runs as an asyncio task on the kernel's event loop, a chunk of
    ``chunk_seconds`` at a time (``rnn_core.live.advance``); between chunks the
    kernel handles the page's messages, so **Stop** acts after the current chunk
    and the kernel is never blocked.

    Work stops when nobody is watching. While training, a hidden Play widget in the
    browser ticks every BEAT_SECONDS (the *heartbeat*); when no tick has come for
    ``page_timeout`` seconds (the tab was closed or reloaded, the connection lost) the
    run stops as if Stop were pressed, so the kernel goes idle and the server can cull
    it. A front-end that never ticks stops the run after ``first_beat`` seconds.

    A text too short to hold out a validation part trains on all of itself, and the
    page says what is held out (``live.start``); the loss shown is ``live.fit_loss``,
    the current model's loss on the text read from its start, where the samples start.
    Attributes: text, upload, source, hidden, lr, batch, train, stop, reset, lock,
    heartbeat, status, note, stats, curve, sample, download, after (the sampler once
    stopped), controls (a dict: "run", the live run, or None; "task"; "stop"), task,
    run_chunk() (one chunk, for tests) and refresh().
    """
    area = W.Textarea(value=text, placeholder="paste a text here (a poem, a few paragraphs...)",
                      layout=W.Layout(width="98%", height="6em"))
    upload = W.FileUpload(accept=".txt,text/plain", multiple=False, description="upload .txt")
    source = W.ToggleButtons(options=["the text above", "Tiny Shakespeare (bundled, 1.1 MB)"],
                             value="the text above", description="train on",
                             style={"description_width": "initial", "button_width": "auto"})

    def choice(options, value, description):
        # the value asked for joins the usual choices, so any valid number can be a default
        return W.Dropdown(options=sorted(set(options) | {value}), value=value,
                          description=description, style=WIDE, layout=W.Layout(width="auto"))

    hidden_w = choice([16, 32, 64, 100, 128], hidden, "hidden units")
    lr_w = choice([0.01, 0.02, 0.05, 0.1, 0.2], lr, "learning rate")
    batch_w = choice([1, 2, 4, 8, 16, 32], batch, "batch (streams)")
    go = W.Button(description="Train", button_style="success", icon="play")
    stop = W.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
    reset = W.Button(description="Reset", icon="undo", disabled=True,
                     tooltip="discard the model: the next Train starts from scratch")
    lock = W.HTML("")
    beat = W.Play(value=0, min=0, max=10**9, interval=int(BEAT_SECONDS * 1000), playing=False,
                  layout=W.Layout(display="none"))
    status, note, stats, curve, sample_box = W.HTML(""), W.HTML(""), W.HTML(""), W.HTML(""), W.HTML("")
    download = W.HTML("")
    after = W.VBox([])
    parts = {"text": area, "upload": upload, "source": source, "hidden": hidden_w, "lr": lr_w,
             "batch": batch_w, "train": go, "stop": stop, "reset": reset, "lock": lock,
             "heartbeat": beat, "status": status, "note": note, "stats": stats, "curve": curve,
             "sample": sample_box, "download": download, "after": after}
    for name, w in parts.items():
        w.add_class("rnn-trainer-" + name)
    inputs = (area, upload, source, hidden_w, lr_w, batch_w)
    ctl = {"run": None, "task": None, "stop": False, "key": None, "beat": None, "why": None}

    def say(message, error=False):
        status.value = _error(message) if error else html.escape(message)

    def clear():
        """Forget what the last run showed: a curve or sample must not pass for a new text's."""
        note.value = stats.value = curve.value = sample_box.value = download.value = ""
        after.children = []

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
        points = run["fit"] or run["loss"]
        if len(points) > 600:  # a long run: every k-th point keeps the message small
            points = points[::len(points) // 600 + 1] + points[-1:]
        series = [(points, "#1565c0", "on the text, now")]
        if run["val"]:
            series.append((run["val"], "#ef6c00", "validation"))
        # the names under the plot, not beside it: in a half-width column (JupyterLab, 150%
        # zoom) a legend on the right was cut off
        key = " &emsp; ".join(f'<span style="color: {c}">\u2014 {html.escape(n)}</span>'
                              for _, c, n in series)
        curve.value = (polyline_svg([(pts, c, "") for pts, c, _ in series], ylabel="loss (nats/char)",
                                    y0=0.0, width=400, height=200, logx=True)
                       + f'<div class="rnn-curve-key">{key}</div>')
        fit = run["fit"][-1][1] if run["fit"] else run["loss"][-1][1]
        val = (f", validation {_num('val_loss', run['val'][-1][1], '.3f')}" if run["val"] else "")
        stats.value = ('<div class="rnn-stats">'
                       f"step {_num('step', run['state']['step'], 'd')}, "
                       f"{_num('steps_per_s', live.steps_per_second(run), '.0f')} steps/s<br>"
                       f"loss on the text {_num('loss', fit, '.3f')}{val} nats/char"
                       "<br><small>the current model reading the text from its first character, "
                       "as the sample does</small></div>")
        if run["samples"]:
            step, s = run["samples"][-1]
            if run["has_val"]:
                sample_box.value = (f"<small>sample at step {step} (temperature 0.8, from the "
                                    f"text's first character):</small>" + _pre(s))
            else:
                n, N = run["recited"], len(run["train_ids"])
                head = (f"<b>recited in full</b> ({N} of {N} characters)" if n == N else
                        f"right for the first {_num('recited', n, 'd')} of {N} characters")
                sample_box.value = (f'<div class="rnn-recital">greedy recital at step {step}, from '
                                    f"the first character: {head}</div>"
                                    + _pre(s[:n], mark=s[n:]))

    def run_chunk():
        # short chunks first (0.01, 0.02, 0.04 s, ...): the curve gets points while a short
        # text is being learned, in its first few hundred steps
        seconds = min(chunk_seconds, 0.01 * 2 ** len(ctl["run"]["loss"]))
        # a short text's greedy recital costs milliseconds: check it every half second
        live.advance(ctl["run"], seconds=seconds,
                     sample_every=3.0 if ctl["run"]["has_val"] else RECITE_EVERY)
        refresh()

    def locked(on):
        for w in inputs:
            w.disabled = on
        go.disabled, stop.disabled = on, not on
        reset.disabled = on or ctl["run"] is None
        lock.value = LOCKED if on else ""
        beat.playing = False  # the browser starts ticking when playing turns True, below
        if on:
            beat.playing = True

    def finish(message, error=False):
        locked(False)
        run = ctl["run"]
        say(message, error=error)
        if run is None or run["state"] is None:
            return
        st = run["state"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                data = live.checkpoint_bytes(run, folder)
            models.remember(st, run["text"])
        except (ValueError, FloatingPointError, OSError) as err:
            download.value = _error(f"could not save a checkpoint: {err}")
        else:
            b64 = base64.b64encode(data).decode("ascii")
            download.value = (f'<a download="checkpoint.npz" href="data:application/octet-stream;'
                              f'base64,{b64}">\u2b07 download checkpoint.npz</a> <small>({len(data) // 1024} kB,'
                              f' step {st["step"]}; load it with rnn_core.load_checkpoint; the '
                              "stepper and sampler pages can open it as \"just trained\")</small>")
        prime = live.opening(run["text"])
        # a short text: a greedy sample as long as the text, the recital; a long one: a sample
        sampler = sampler_widget(st["params"], run["vocab"], prime=prime,
                                 length=300 if run["has_val"] else
                                 min(2000, max(10, len(run["text"]) - len(prime))),
                                 mode="sample" if run["has_val"] else "greedy", output_first=True)
        sampler.generate()
        sample_box.value = ""  # the sampler below writes it now, and more
        how = "a sample" if run["has_val"] else "greedily: always the likeliest next character"
        # the text first, where the live recital was: on screen after Stop
        after.children = [W.HTML(f"<b>The model writes</b> ({how}; change and Generate below)"),
                          sampler,
                          W.HTML(f"<small>It knows {run['vocab'].size} characters: "
                                 f"<code>{html.escape(known_characters(run['vocab']))}</code>. "
                                 "Primed with the text's first word, where every pass over it "
                                 "began (from a zero hidden state); another prime starts the "
                                 "model where it never trained, and it may write nonsense.</small>")]

    def page_gone(now):
        if ctl["beat"] is None:
            return now - ctl["began"] > first_beat
        return now - ctl["beat"] > page_timeout

    async def loop():
        clock = asyncio.get_running_loop().time
        try:
            while not ctl["stop"]:
                run_chunk()
                if ctl["run"]["interrupted"]:  # the kernel's interrupt (Ctrl-C) acts as Stop
                    break
                if page_gone(clock()):
                    ctl["why"] = "page"
                    break
                # a few ms, not sleep(0): the kernel needs several turns of the loop to read
                # and handle a message, and Stop is one
                await asyncio.sleep(0.01)
        except FloatingPointError as err:
            finish(f"training stopped: {err}", error=True)
            return
        except Exception as err:  # a page must say what happened, not go silent
            finish(f"training stopped: {type(err).__name__}: {err}", error=True)
            return
        step = ctl["run"]["state"]["step"]
        if ctl["why"] == "page":
            finish(f"stopped at step {step}: the page stopped answering (closed, reloaded or "
                   "hidden for minutes), so training stopped; press Train to continue")
        else:
            finish(f"stopped at step {step}: sample from the model below, or press Train to "
                   "continue (a changed setting or text starts a new model; Reset discards it)")

    def start(_=None):
        if ctl["task"] is not None and not ctl["task"].done():
            return
        shakespeare = source.value.startswith("Tiny")
        body = load_text() if shakespeare else area.value
        key = (shakespeare, body if not shakespeare else "", hidden_w.value, lr_w.value, batch_w.value)
        changed = what_changed(ctl["key"], key) if ctl["run"] is not None else []
        if changed or ctl["run"] is None:
            try:
                fresh = live.start(body, hidden=hidden_w.value, lr=lr_w.value,
                                   batch=batch_w.value, seed=seed)
            except ValueError as err:
                ctl["run"], ctl["key"] = None, None
                clear()  # the last run's curve and sample do not belong to this text
                reset.disabled = True
                say(str(err), error=True)
                return
            ctl["run"], ctl["key"] = fresh, key
            clear()
            begin = (f"new {' and '.join(changed)}: a new model from scratch (the last one is "
                     "discarded), training" if changed else "training")
        else:
            st = ctl["run"]["state"]
            begin = "training" if st is None else f"continuing the same model from step {st['step']}"
        run = ctl["run"]
        note.value = f'<div class="rnn-trainer-held">{html.escape(run["note"])}</div>'
        try:
            loop_ = asyncio.get_running_loop()
        except RuntimeError:
            say("no running event loop (not in a kernel): call run_chunk() to train", error=True)
            return
        ctl["stop"], ctl["why"], ctl["beat"] = False, None, None
        ctl["began"] = loop_.time()
        locked(True)
        say(f"{begin} on {len(run['text'])} characters ({run['vocab'].size} distinct) ...")
        ctl["task"] = ui.task = loop_.create_task(loop())

    def stop_now(_=None):
        ctl["stop"] = True
        say("stopping ...")

    def reset_now(_=None):
        if ctl["task"] is not None and not ctl["task"].done():
            return
        ctl["run"], ctl["key"] = None, None
        clear()
        reset.disabled = True
        say("the model is discarded: Train starts a new one from scratch")

    def heard(change):
        try:
            ctl["beat"] = asyncio.get_running_loop().time()
        except RuntimeError:
            pass

    upload.observe(uploaded, "value")
    beat.observe(heard, "value")
    go.on_click(start)
    stop.on_click(stop_now)
    reset.on_click(reset_now)
    left = W.VBox([stats, curve], layout=W.Layout(flex="1 1 50%", min_width="0"))
    right = W.VBox([sample_box, after], layout=W.Layout(flex="1 1 50%", min_width="0", margin="0 0 0 1em"))
    # settings and buttons share a row, upload and source the presentation switch's: after
    # Stop the curve and the recital are on a 1280x800 screen, introduction included
    ui = page([area, W.HBox([hidden_w, lr_w, batch_w, go, stop, reset, beat],
                            layout=W.Layout(flex_flow="row wrap", align_items="center")),
               lock, status, note,
               W.HBox([left, right], layout=W.Layout(width="100%", justify_content="space-between")), download],
              "rnn-trainer", header=[upload, source])
    for name, w in parts.items():
        setattr(ui, name, w)
    ui.task = None
    ui.run_chunk = run_chunk
    ui.refresh = refresh
    ui.controls = ctl
    return ui
