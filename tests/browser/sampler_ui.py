"""Drive the sampler widget in a real page the way a student does: type, press keys, click.

Each generated text is checked against ``rnn_core.sample`` run here, in the test
process, with the settings the page shows. So a control whose new value never
reached the kernel (a slider that moved on screen only) fails the test.
"""
import time

from rnn_core import sample
from rnn_core.widgets import warm_state

TIMEOUT = 30.0  # seconds for the kernel to answer a click


class SamplerUI:
    def __init__(self, page, root):
        self.page, self.root = page, root

    def part(self, name):
        return self.root.locator(f".rnn-sampler-{name}")

    def output_text(self):
        pre = self.part("output").locator("pre")
        return pre.text_content() if pre.count() else ""

    def status_text(self):
        return self.part("status").text_content() or ""

    def type_into(self, name, text):
        box = self.part(name).locator("input")
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        box.press_sequentially(str(text), delay=10)
        box.press("Tab")  # leaving the box sends the value, as for a person who moves on

    def readout(self, name):
        return self.part(name).locator(".widget-readout").inner_text().strip()

    def press_slider(self, name, key, times):
        """Focus the slider's handle and press an arrow key: the keyboard path, no value setting."""
        handle = self.part(name).locator(".noUi-handle")
        handle.focus()
        for _ in range(times):
            handle.press(key)
        handle.blur()

    def mode(self):
        return self.part("mode").locator("button.mod-active").inner_text().strip()

    def settings(self):
        """The settings the page shows, as rnn_core.sample's keyword arguments (without h0)."""
        mode = self.mode()
        return dict(prime=self.part("prime").locator("input").input_value(),
                    temperature=float(self.readout("temperature")),
                    length=int(self.readout("length")),
                    seed=int(self.part("seed").locator("input").input_value()),
                    greedy=mode == "greedy",
                    top_k=int(self.readout("top-k")) if mode == "top-k" else None)

    def warm(self):
        return self.part("warm").locator("input").is_checked()

    def expected(self, params, vocab, s):
        h0 = warm_state(params, vocab) if self.warm() else None
        return s["prime"] + sample(params, vocab, **s, h0=h0)

    def wait_for_output(self, want, s, after=""):
        """Wait until the page shows ``want``; -> the text shown. Fails with both texts when they
        never agree (``after`` says what was done, e.g. "pressing Generate")."""
        deadline = time.monotonic() + TIMEOUT
        got = self.output_text()
        while got != want and time.monotonic() < deadline:
            time.sleep(0.05)
            got = self.output_text()
        assert got == want, (f"{f'after {after} ' if after else ''}with {s} the page shows\n{got!r}\n"
                             f"but rnn_core.sample gives\n{want!r}\nstatus: {self.status_text()!r}")
        return got

    def generate_and_wait(self, params, vocab):
        """Click the button; wait until the page shows what rnn_core.sample gives for the shown
        settings; -> (settings, text)."""
        s = self.settings()
        want = self.expected(params, vocab, s)
        self.part("button").click()
        # ipywidgets holds a slider's later moves back until the kernel has answered the first,
        # while a click goes at once: under load the click can arrive first. The page then
        # says "... changed: press Generate", and a teacher would press it again, as here.
        deadline = time.monotonic() + TIMEOUT
        while self.output_text() != want and time.monotonic() < deadline:
            if "changed: press Generate" in self.status_text():
                self.part("button").click()
                break
            time.sleep(0.05)
        return s, self.wait_for_output(want, s, after="pressing Generate")


def exercise_sampler(page, root, params, vocab, shot):
    """The student's session; -> {step: text}. ``shot(name)`` saves a screenshot."""
    ui = SamplerUI(page, root)
    texts = {}
    ui.type_into("prime", "JULIET:")
    ui.type_into("seed", 1)
    s, texts["seed 1"] = ui.generate_and_wait(params, vocab)
    assert texts["seed 1"].startswith("JULIET:") and len(texts["seed 1"]) == 7 + s["length"]

    ui.type_into("seed", 2)
    s2, texts["seed 2"] = ui.generate_and_wait(params, vocab)
    assert s2["seed"] == 2 and texts["seed 2"] != texts["seed 1"], "a new seed must give a new text"

    before = ui.readout("temperature")
    key = "ArrowLeft" if float(before) > 1.0 else "ArrowRight"  # towards the middle of 0.1 .. 2.0
    ui.press_slider("temperature", key, 8)  # 8 steps of 0.05
    after = ui.readout("temperature")
    assert abs(float(after) - float(before)) > 0.3, \
        f"the temperature slider did not follow {key} x 8 ({before} -> {after})"
    s3, texts["new temperature"] = ui.generate_and_wait(params, vocab)
    assert s3["temperature"] == float(after) and s3["seed"] == 2
    assert texts["new temperature"] != texts["seed 2"], "a new temperature must give a new text"
    assert texts["new temperature"].startswith("JULIET:")
    shot("after-generate")

    # a character the model never saw: the status line says so and lists the known ones;
    # the old text goes, as it belongs to another prime
    ui.type_into("prime", "ROMEO: \u00e9")
    ui.part("button").click()
    page.wait_for_function("el => el.textContent.includes('vocabulary')",
                           arg=ui.part("status").element_handle(), timeout=TIMEOUT * 1000)
    assert "'\u00e9'" in ui.status_text(), ui.status_text()
    assert f"This model knows {vocab.size} characters" in ui.status_text()
    assert ui.output_text() == ""
    return texts


WATCH_JS = """el => {
  el.__seen = [];
  new MutationObserver(() => el.__seen.push(el.querySelector('pre') ? el.querySelector('pre').textContent : ''))
    .observe(el, {childList: true, subtree: true, characterData: true});
}"""


def type_and_press_at_once(page, root, params, vocab, primes):
    """The race a new user hit: type a prime and click Generate at once, no pause, no Tab.
    Each time the page must end up showing the text of the prime the box shows."""
    ui = SamplerUI(page, root)
    box = ui.part("prime").locator("input")
    for prime in primes:
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        box.press_sequentially(prime, delay=0)
        ui.part("output").evaluate(WATCH_JS)  # from now on, record every text the page shows
        ui.part("button").click()
        s = ui.settings()
        assert s["prime"] == prime
        want = ui.wait_for_output(ui.expected(params, vocab, s), s)
        seen = [t for t in ui.part("output").evaluate("el => el.__seen") if t]
        assert set(seen) == {want}, (f"after typing {prime!r} and pressing Generate at once the "
                                     f"page showed other texts first: {seen!r}")
