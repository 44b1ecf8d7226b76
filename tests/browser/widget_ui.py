"""Drive the stepper and the trainer in a real page, as a teacher and a student would.

The numbers the page shows are read back from the ``rnn-num`` tags the widgets
put around them and compared with ``rnn_core.forward`` run here, in the test
process, and with a backward loop written out below.
"""
import time

import numpy as np

import rnn_core

TIMEOUT = 30.0


def shown_numbers(locator):
    """{name: float} of the numbers tagged class="rnn-num" inside ``locator``."""
    return locator.evaluate("""el => Object.fromEntries([...el.querySelectorAll('.rnn-num')]
        .map(s => [s.dataset.name, parseFloat(s.textContent)]))""")


def wait_until(predicate, what, timeout=TIMEOUT, every=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


# --- the stepper ---

def dhnext_norms(params, ids):
    """|dhnext| arriving at h_t for t = 1..T: backpropagation written out step by step."""
    inputs, targets = ids[:-1], ids[1:]
    hs, ps = rnn_core.forward(params, inputs)
    carry, norms = np.zeros(params["Whh"].shape[0]), {}
    for t in range(len(inputs), 0, -1):
        norms[t] = float(np.linalg.norm(carry))
        dy = ps[t - 1].copy()
        dy[targets[t - 1]] -= 1
        dhraw = (1 - hs[t] ** 2) * (params["Why"].T @ dy + carry)
        carry = params["Whh"].T @ dhraw
    return norms


def exercise_stepper(page, root, params, vocab, text, shot):
    """Walk forward three steps and back from T; -> {"forward": [ms], "backward": [ms]}, the time
    from a click to the new numbers on the page."""
    panel = root.locator(".rnn-stepper-panel")
    ids = rnn_core.encode(text, vocab).astype(np.intp)
    hs, ps = rnn_core.forward(params, ids[:-1])
    T = len(ids) - 1
    times = {"forward": [], "backward": []}

    # the page notes when the panel last changed, so the time from click to new numbers is
    # measured inside the browser (not by this process's polling)
    panel.evaluate("""el => { el.__changed = 0; new MutationObserver(() => el.__changed = performance.now())
                              .observe(el, {childList: true, subtree: true, characterData: true}); }""")

    def step(button, t_expected, direction):
        before = panel.inner_text()
        clicked = root.locator(f".rnn-stepper-{button}").evaluate(
            "el => { const t = performance.now(); el.click(); return t; }")
        wait_until(lambda: f"step t = {t_expected} of {T}" in panel.inner_text()
                   and panel.inner_text() != before, f"step t = {t_expected}")
        times[direction].append(round(panel.evaluate("el => el.__changed") - clicked, 1))

    wait_until(lambda: "step t = 1 of" in panel.inner_text(), "the stepper's first view")
    for t in (2, 3, 4):
        step("forward", t, "forward")
        shown = shown_numbers(panel)
        assert shown["x_id"] == ids[t - 1]
        loss = -np.log(ps[t - 1, ids[t]])
        total = -np.log(ps[np.arange(t), ids[1:t + 1]]).sum()
        assert abs(shown["loss"] - loss) < 1e-4, (t, shown["loss"], loss)
        assert abs(shown["loss_sum"] - total) < 1e-4, (t, shown["loss_sum"], total)
    shot("forward")

    root.locator(".rnn-stepper-direction button", has_text="backward").click()
    wait_until(lambda: f"step t = {T} of {T} (backward" in panel.inner_text(), "the backward view at T")
    norms = dhnext_norms(params, ids)
    assert shown_numbers(panel)["dh_next_norm"] == 0.0
    for t in (T - 1, T - 2, T - 3):
        step("forward", t, "backward")  # "step" walks on: backwards in t
        shown = shown_numbers(panel)
        assert abs(shown["dh_next_norm"] - norms[t]) < 1e-4, (t, shown["dh_next_norm"], norms[t])
        assert abs(shown["dy_target"] - (ps[t - 1, ids[t]] - 1)) < 1e-4
    shot("backward")

    # the colour-scale toggle: stretched says which largest value it is stretched to
    root.locator(".rnn-stepper-scale button", has_text="stretched").click()
    wait_until(lambda: "stretched: \u00b1" in panel.inner_text(), "the stretched colour key")
    root.locator(".rnn-stepper-scale button", has_text="fixed").click()
    wait_until(lambda: "fixed \u00b11" in panel.inner_text(), "the fixed colour key")

    # the teacher types another line: a character the model lacks is refused in words, the
    # old text stays; a known line starts a new walk, backward from its last step
    box = root.locator(".rnn-stepper-text textarea")
    status = root.locator(".rnn-stepper-status")
    box.fill("caf\u00e9 au lait")
    box.blur()
    wait_until(lambda: "'\u00e9'" in status.inner_text(), "the unknown-character message")
    assert "still showing the previous text" in status.inner_text()
    assert f"This model knows {vocab.size} characters" in status.inner_text()
    assert f"of {T} (backward" in panel.inner_text()
    box.fill("To be, or not")
    box.blur()
    wait_until(lambda: "step t = 12 of 12 (backward" in panel.inner_text(), "the walk over the new text")
    assert status.inner_text().strip() == ""
    return times


# --- the trainer ---

class TrainerUI:
    def __init__(self, page, root):
        self.page, self.root = page, root

    def part(self, name):
        return self.root.locator(f".rnn-trainer-{name}")

    def status(self):
        return self.part("status").inner_text()

    def set_text(self, text):
        self.part("text").locator("textarea").fill(text)
        self.part("text").locator("textarea").blur()  # the value reaches the kernel on change

    def refused(self, text, message):
        """Enter ``text``, press Train, expect ``message`` in the status line and no training."""
        self.set_text(text)
        self.part("train").click()
        wait_until(lambda: message in self.status(), f"the message {message!r}; status: {self.status()!r}")
        assert self.part("train").is_enabled() and self.part("stop").is_disabled()

    def loss(self):
        return shown_numbers(self.part("stats")).get("loss")


def exercise_trainer(page, root, text, shot, train_seconds=4.0):
    """Bad texts, then train on ``text``, watch the loss fall, Stop, sample, find the download.
    -> {"stop_seconds": ..., "first_loss": ..., "last_loss": ..., "steps_per_s": ...}"""
    ui = TrainerUI(page, root)
    ui.refused("", "empty")
    ui.refused("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "only one distinct character")
    ui.refused("to be or not", "12 characters, fewer than")
    # an upload that is not UTF-8
    with page.expect_file_chooser() as chooser:  # the upload button opens a file dialog
        ui.part("upload").click()
    chooser.value.set_files(
        files=[{"name": "latin1.txt", "mimeType": "text/plain", "buffer": "caf\u00e9".encode("latin-1")}])
    wait_until(lambda: "latin1.txt is not UTF-8 text" in ui.status(), "the not-UTF-8 message")

    ui.set_text(text)
    began = time.monotonic()
    ui.part("train").click()
    wait_until(lambda: ui.loss() is not None, "a first loss on the page")
    first = ui.loss()
    wait_until(lambda: "<polyline" in ui.part("curve").inner_html(), "the loss curve")
    assert "locked while training" in ui.part("lock").inner_text()
    assert f"all {len(text)} characters train: nothing is held out" in ui.part("note").inner_text()
    # the promise of the page: a short poem recited in full by a greedy sample within a minute
    wait_until(lambda: "recited in full" in ui.part("sample").inner_text(), "the poem recited in full",
               timeout=60)
    recited_seconds = time.monotonic() - began
    assert ui.part("sample").locator("pre").text_content() == text
    seen, steps = [first], [shown_numbers(ui.part("stats"))["step"]]
    deadline = time.monotonic() + train_seconds
    while time.monotonic() < deadline:  # the page keeps answering while the kernel trains
        time.sleep(0.5)
        seen.append(ui.loss())
        steps.append(shown_numbers(ui.part("stats"))["step"])
    assert len(set(steps)) >= 0.6 * len(steps), f"the shown step did not advance every second: {steps}"
    last = ui.loss()
    # a short poem is learned within the first chunks: the loss may start low, but it falls
    assert last < first, f"the loss on the page did not fall: {seen}"
    shot("training")

    pressed = time.monotonic()
    ui.part("stop").click()
    wait_until(lambda: "stopped at step" in ui.status(), "the stopped message", every=0.02)
    stop_seconds = time.monotonic() - pressed
    assert stop_seconds < 1.0, f"Stop took {stop_seconds:.2f} s to act"
    steps_per_s = shown_numbers(ui.part("stats"))["steps_per_s"]
    assert ui.part("lock").inner_text().strip() == ""

    # the sampler has written at once: greedily, from the first word, the poem
    sampler = ui.part("after").locator(".rnn-sampler")
    sampler.wait_for(state="visible", timeout=TIMEOUT * 1000)
    pre = sampler.locator(".rnn-sampler-output pre")
    wait_until(lambda: pre.count() and len(pre.text_content()) == len(text), "the recital after Stop")
    assert pre.text_content() == text
    link = ui.part("download").locator("a[download='checkpoint.npz']")
    assert link.count() == 1 and link.get_attribute("href").startswith("data:application/octet-stream;base64,")
    shot("stopped")
    # a refused text clears what belonged to the last one
    ui.refused("to be or not", "12 characters, fewer than")
    wait_until(lambda: "<svg" not in ui.part("curve").inner_html(), "the last curve cleared")
    assert ui.part("after").locator(".rnn-sampler").count() == 0
    return {"recited_seconds": round(recited_seconds, 1), "stop_seconds": stop_seconds,
            "first_loss": first, "last_loss": last, "steps_per_s": steps_per_s}
