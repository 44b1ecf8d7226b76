"""The Voila app (app/sampler.ipynb): the page shows only the sampler, and it answers a student."""
import pytest

import rnn_core
from sampler_ui import SamplerUI, exercise_sampler

pytestmark = pytest.mark.browser


def test_voila_app_shows_a_working_sampler_and_no_code(voila, page, artifacts):
    page.goto(f"{voila.url}/?token={voila.token}")
    sampler = page.locator(".rnn-sampler")
    sampler.wait_for(state="visible", timeout=90_000)
    assert sampler.count() == 1, f"expected one sampler on the page, found {sampler.count()}"
    assert page.locator("h1").first.inner_text().strip() == "Write like Shakespeare"
    assert "load_checkpoint" not in page.inner_text("body"), "Voila must not show the notebook's code"

    state = rnn_core.load_checkpoint(voila.root / "notebooks" / "data" / "shakespeare.npz")
    # the app writes a first text at once, from the defaults it sets (ROMEO:, 0.80, 300, seed 0)
    first = SamplerUI(page, sampler)
    s = first.settings()
    assert (s["prime"], s["temperature"], s["length"], s["seed"]) == ("ROMEO:", 0.8, 300, 0)
    page.wait_for_function("el => el.textContent.length > 0",
                           arg=first.part("output").element_handle(), timeout=30_000)
    assert first.output_text() == "ROMEO:" + rnn_core.sample(state["params"], state["vocab"], **s)

    def shot(name):
        page.screenshot(path=artifacts / f"voila-sampler-{name}.png", full_page=True)

    exercise_sampler(page, sampler, state["params"], state["vocab"], shot)
    assert not page.console_errors, f"JavaScript errors in the page: {page.console_errors}"
