"""The Voila apps (app/*.ipynb): each page shows only its widget, and it answers a student."""
import time

import pytest

import rnn_core
from sampler_ui import SamplerUI, exercise_sampler, type_and_press_at_once
from widget_ui import exercise_stepper, exercise_trainer, wait_until

pytestmark = pytest.mark.browser

POEM = """The woods are lovely, dark and deep,
But I have promises to keep,
And miles to go before I sleep,
And miles to go before I sleep.
"""


def open_app(page, voila, name, selector):
    page.goto(voila.page(name))
    root = page.locator(selector)
    root.wait_for(state="visible", timeout=90_000)
    assert root.count() == 1, f"expected one {selector} on the page, found {root.count()}"
    assert "import" not in page.inner_text("body"), "Voila must not show the notebook's code"
    return root


def test_voila_app_shows_a_working_sampler_and_no_code(voila, page, artifacts):
    sampler = open_app(page, voila, "sampler.ipynb", ".rnn-sampler")
    assert page.locator("h1").first.inner_text().strip() == "Write like Shakespeare"

    state = rnn_core.load_checkpoint(voila.root / "notebooks" / "data" / "shakespeare.npz")
    params, vocab = state["params"], state["vocab"]
    # the app writes a first text at once, from the defaults it sets (ROMEO:, 0.80, 300, seed 0)
    first = SamplerUI(page, sampler)
    s = first.settings()
    assert (s["prime"], s["temperature"], s["length"], s["seed"]) == ("ROMEO:", 0.8, 300, 0)
    page.wait_for_function("el => el.textContent.length > 0",
                           arg=first.part("output").element_handle(), timeout=30_000)
    assert first.output_text() == "ROMEO:" + rnn_core.sample(params, vocab, **s)

    def shot(name):
        page.screenshot(path=artifacts / f"voila-sampler-{name}.png", full_page=True)

    exercise_sampler(page, sampler, params, vocab, shot)
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"


def test_voila_sampler_fixes_race_enter_seed_limits_modes_warm_start(voila, page, artifacts):
    sampler = open_app(page, voila, "sampler.ipynb", ".rnn-sampler")
    state = rnn_core.load_checkpoint(voila.root / "notebooks" / "data" / "shakespeare.npz")
    params, vocab = state["params"], state["vocab"]
    ui = SamplerUI(page, sampler)
    page.wait_for_function("el => el.textContent.length > 0",
                           arg=ui.part("output").element_handle(), timeout=30_000)
    # 1. type and press Generate at once, 20 times: the page shows the prime the box shows
    type_and_press_at_once(page, sampler, params, vocab,
                           [f"{name}: {word}" for name, word in zip(
                               ["ROMEO", "JULIET"] * 10,
                               "ay me the light of day will come and go but we shall stay here "
                               "in love".split())])
    # 2. Enter in the prime box generates
    box = ui.part("prime").locator("input")
    box.fill("KING RICHARD")
    box.press("Enter")
    s = ui.settings()
    ui.wait_for_output(ui.expected(params, vocab, s), s)
    # 3. a huge seed is used exactly and still shows the same number
    ui.type_into("seed", "4294967295")
    s, _ = ui.generate_and_wait(params, vocab)
    assert s["seed"] == 4294967295 and ui.part("seed").locator("input").input_value() == "4294967295"
    ui.type_into("seed", "99999999999999999999")
    ui.part("button").click()
    wait_until(lambda: "seed must be a whole number from 0 to 4294967295" in ui.status_text(),
               "the seed's range in the status line")
    assert ui.output_text() == ""
    ui.type_into("seed", "7")
    # 4. a temperature typed beyond its range is clamped, and the page says so
    readout = ui.part("temperature").locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("50")
    page.keyboard.press("Enter")
    wait_until(lambda: "temperature is at its maximum, 2.00" in ui.part("limits").inner_text(),
               "the clamped-temperature note")
    assert ui.readout("temperature") == "2.00"
    # 5. greedy and top-k
    ui.part("mode").locator("button", has_text="greedy").click()
    wait_until(lambda: ui.mode() == "greedy", "greedy mode")
    s, greedy = ui.generate_and_wait(params, vocab)
    assert s["greedy"] and greedy == s["prime"] + rnn_core.sample(params, vocab, prime=s["prime"],
                                                                 length=s["length"], greedy=True)
    ui.part("mode").locator("button", has_text="top-k").click()
    wait_until(lambda: ui.part("top-k").is_visible(), "the k slider")
    ui.press_slider("top-k", "ArrowLeft", 3)  # k = 2
    assert ui.readout("top-k") == "2"
    s, _ = ui.generate_and_wait(params, vocab)
    assert s["top_k"] == 2
    # 6. warm start changes the text, and the page explains it
    cold = ui.output_text()
    ui.part("warm").locator("input").check()
    s, warm = ui.generate_and_wait(params, vocab)
    assert warm != cold and "blank line" in sampler.inner_text()
    page.screenshot(path=artifacts / "voila-sampler-fixed.png", full_page=True)
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"


def test_voila_trainer_learns_a_poem_stops_within_a_second_and_samples(voila, page, artifacts):
    trainer = open_app(page, voila, "train.ipynb", ".rnn-trainer")

    def shot(name):
        page.screenshot(path=artifacts / f"voila-trainer-{name}.png", full_page=True)

    measured = exercise_trainer(page, trainer, POEM, shot)
    print(f"Voila trainer: {measured}")
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"


def test_voila_stepper_walks_forward_and_back(voila, page, artifacts):
    stepper = open_app(page, voila, "stepper.ipynb", ".rnn-stepper")
    state = rnn_core.load_checkpoint(voila.root / "notebooks" / "data" / "shakespeare.npz")
    text = "ROMEO:\nBut soft, what light through yonder window breaks?"

    def shot(name):
        page.screenshot(path=artifacts / f"voila-stepper-{name}.png", full_page=True)

    times = exercise_stepper(page, stepper, state["params"], state["vocab"], text, shot)
    print(f"Voila stepper, click to new numbers (ms): {times}")
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"
