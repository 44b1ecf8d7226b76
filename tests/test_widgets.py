"""The widgets, driven headlessly: set controls' .value, press buttons, read what they show."""
import asyncio
import concurrent.futures
import base64
import datetime
import html
import re
import zlib

import numpy as np
import pytest

from rnn_core import live
from rnn_core.encoding import build_vocab, encode
from rnn_core.forward import forward, init_params
from rnn_core.sampling import sample
from rnn_core.stepper import trace, view
from rnn_core.widgets import (SEED_MAX, TEXT_WINDOW, diverging, parse_seed, png, polyline_svg, sampler_widget,
                              stepper, trainer, warm_state)

VOCAB = build_vocab("ROMEO: wherefore art thou\n")


def _params(vocab=VOCAB, H=16):
    p = init_params(vocab.size, H, seed=0)
    rng = np.random.default_rng(1)
    return {k: v + rng.standard_normal(v.shape) * 0.5 for k, v in p.items()}


def _plain(value):
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def _numbers(panel):
    """{name: float} of the numbers a widget tags with class rnn-num."""
    return {m[0]: float(m[1]) for m in
            re.findall(r'class="rnn-num" data-name="([A-Za-z_]+)"[^>]*>([-0-9.e]+)<', panel)}


# --- the sampler ---

def test_button_writes_the_sample_the_controls_ask_for():
    params = _params()
    ui = sampler_widget(params, VOCAB, prime="ROMEO:", temperature=0.8, length=50, seed=0)
    assert ui.output.value == ""
    ui.prime.value = "thou"  # also generates: Enter or leaving the box
    ui.temperature.value = 1.3
    ui.length.value = 120
    ui.seed.value = "7"
    ui.button.click()
    expected = sample(params, VOCAB, prime="thou", length=120, temperature=1.3, seed=7)
    assert _plain(ui.output.value) == "thou" + expected


def test_enter_in_the_prime_box_generates_for_the_new_prime():
    params = _params()
    ui = sampler_widget(params, VOCAB, prime="ROMEO:", length=40)
    ui.prime.value = "art "  # what the browser sends on Enter (continuous_update=False)
    assert ui.prime.continuous_update is False
    assert _plain(ui.output.value) == "art " + sample(params, VOCAB, prime="art ", length=40,
                                                      temperature=0.8, seed=0)


def test_moving_the_temperature_or_seed_changes_the_text():
    ui = sampler_widget(_params(), VOCAB, prime="ROMEO:", length=200)
    ui.button.click()
    first = _plain(ui.output.value)
    ui.temperature.value = 1.5
    ui.button.click()
    hotter = _plain(ui.output.value)
    ui.seed.value = "1"
    ui.button.click()
    assert len({first, hotter, _plain(ui.output.value)}) == 3
    ui.temperature.value, ui.seed.value = 0.8, "0"
    ui.button.click()
    assert _plain(ui.output.value) == first  # same controls, same text


def test_greedy_and_top_k_are_the_samplers_options():
    params = _params()
    ui = sampler_widget(params, VOCAB, prime="ROMEO:", length=60, seed=3)
    ui.mode.value = "greedy"
    assert ui.temperature.disabled and ui.top_k.layout.display == "none"
    ui.button.click()
    assert _plain(ui.output.value) == "ROMEO:" + sample(params, VOCAB, prime="ROMEO:", length=60,
                                                        greedy=True)
    ui.mode.value = "top-k"
    ui.top_k.value = 2
    assert not ui.temperature.disabled and ui.top_k.layout.display == ""
    ui.button.click()
    top2 = sample(params, VOCAB, prime="ROMEO:", length=60, temperature=0.8, top_k=2, seed=3)
    assert _plain(ui.output.value) == "ROMEO:" + top2
    assert top2 != sample(params, VOCAB, prime="ROMEO:", length=60, temperature=0.8, seed=3)
    with pytest.raises(ValueError, match="'sample', 'top-k' or 'greedy'"):
        sampler_widget(params, VOCAB, mode="beam")


def test_a_huge_seed_is_used_exactly_and_a_bad_one_is_refused():
    params = _params()
    ui = sampler_widget(params, VOCAB, length=30)
    ui.seed.value = str(SEED_MAX)  # beyond 2**31, and exact: a text box, not a float
    ui.button.click()
    assert _plain(ui.output.value) == "ROMEO:" + sample(params, VOCAB, prime="ROMEO:", length=30,
                                                        temperature=0.8, seed=SEED_MAX)
    for bad in ("-1", "1.5", str(SEED_MAX + 1), "lots"):
        ui.seed.value = bad
        ui.button.click()
        assert f"from 0 to {SEED_MAX}" in ui.status.value and ui.output.value == ""
    assert parse_seed(" 12_345 ") == 12345


def test_a_slider_at_its_limit_says_so():
    ui = sampler_widget(_params(), VOCAB)
    ui.temperature.value = 50  # what a typed 50 becomes
    assert ui.temperature.value == 2.0
    assert "temperature is at its maximum, 2.00" in ui.limits.value
    ui.temperature.value = 1.0
    assert ui.limits.value == ""
    ui.length.value = 10**6
    assert "length is at its maximum, 2000" in ui.limits.value
    assert "0.10\u20132.00" in ui.temperature.description  # the range is on the page


def test_unknown_prime_character_clears_the_text_and_lists_the_known_ones():
    ui = sampler_widget(_params(), VOCAB, prime="ROMEO:", length=20)
    ui.button.click()
    assert ui.output.value != ""
    ui.prime.value = "JULIET"
    assert "'J'" in _plain(ui.status.value) and "not in the" in ui.status.value
    assert ui.output.value == "", "the old text must not stay under a message about a new prime"
    assert "knows 16 characters" in ui.status.value
    assert "\u23ce\u2423:EMORaefhortuw" in _plain(ui.status.value)  # newline, space, then the rest
    ui.prime.value = "ROMEO"
    assert ui.status.value == "" and ui.output.value != ""


def test_warm_start_reads_a_blank_line_first():
    params = _params()
    h = warm_state(params, VOCAB)
    hs, _ = forward(params, encode("\n\n", VOCAB).astype(np.intp))
    assert np.allclose(h, hs[-1])
    ui = sampler_widget(params, VOCAB, prime="ROMEO:", length=80, seed=4)
    ui.button.click()
    cold = _plain(ui.output.value)
    ui.warm.value = True
    ui.button.click()
    warm = _plain(ui.output.value)
    assert warm == "ROMEO:" + sample(params, VOCAB, prime="ROMEO:", length=80, temperature=0.8,
                                     seed=4, h0=h)
    assert warm != cold
    no_newline = build_vocab("abc")
    assert warm_state(_params(no_newline), no_newline) is None
    assert sampler_widget(_params(no_newline), no_newline, prime="a").warm.disabled


def test_controls_carry_css_classes_for_browser_tests():
    ui = sampler_widget(_params(), VOCAB)
    assert "rnn-sampler" in ui._dom_classes
    for name in ("prime", "mode", "temperature", "top_k", "length", "seed", "warm", "button",
                 "output", "status", "limits"):
        assert f"rnn-sampler-{name.replace('_', '-')}" in getattr(ui, name)._dom_classes


# --- pictures ---

def test_png_holds_the_pixels_it_was_given():
    rgb = diverging(np.array([[-1.0, 0.0, 0.5, 3.0]]), scale=1.0)
    assert rgb.tolist() == [[[30, 80, 200], [255, 255, 255], [228, 142, 142], [200, 30, 30]]]
    data = png(rgb)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    idat = data.index(b"IDAT")
    n = int.from_bytes(data[idat - 4:idat], "big")
    assert zlib.decompress(data[idat + 4:idat + 4 + n]) == b"\x00" + rgb.tobytes()


def test_loss_plot_draws_each_series_as_a_polyline():
    svg = polyline_svg([([(0, 3.0), (10, 2.0)], "#00f", "train"), ([(10, 2.5)], "#f80", "val")])
    assert svg.count("<polyline") == 2 and ">train<" in svg and ">3.00<" in svg and ">2.00<" in svg
    assert polyline_svg([([], "#00f", "train")]) == ""


def test_loss_plot_names_sit_right_of_every_point_so_they_hide_no_curve():
    svg = polyline_svg([([(0, 3.0), (50, 1.0)], "#00f", "training (smoothed)"),
                        ([(50, 2.0)], "#f80", "validation")], width=300)
    xs = [float(x) for pts in re.findall(r'points="([^"]+)"', svg) for x in re.findall(r"([\d.]+),", pts)]
    name_xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*fill="#', svg)]
    assert len(name_xs) == 2 and min(name_xs) > max(xs)
    assert int(re.search(r'<svg width="(\d+)"', svg)[1]) > 300  # the names get room of their own


# --- the stepper ---

TEXT = "ROMEO: wherefore art thou ROMEO"


def test_stepper_forward_shows_the_numbers_of_rnn_core_forward():
    params = _params()
    ui = stepper(TEXT, params=params, vocab=VOCAB)
    ids = encode(TEXT, VOCAB).astype(np.intp)
    hs, ps = forward(params, ids[:-1])
    for t in (1, 7, len(TEXT) - 1):
        ui.t.value = t
        shown = _numbers(ui.panel.value)
        loss = -np.log(ps[t - 1, ids[t]])
        assert shown["x_id"] == ids[t - 1]
        assert shown["loss"] == pytest.approx(loss, abs=1e-4)
        total = -np.log(ps[np.arange(t), ids[1:t + 1]]).sum()
        assert shown["loss_sum"] == pytest.approx(total, abs=1e-4)
        assert f"step t = {t} of {len(TEXT) - 1}" in _plain(ui.panel.value)
        assert np.allclose(ui.view()["h"], hs[t])


def test_stepper_step_buttons_walk_forward_then_backward_from_T():
    ui = stepper(TEXT, params=_params(), vocab=VOCAB)
    T = len(TEXT) - 1
    assert ui.t.value == 1
    ui.forward.click()
    ui.forward.click()
    assert ui.t.value == 3
    ui.back.click()
    assert ui.t.value == 2
    ui.direction.value = "backward"
    assert ui.t.value == T and "(backward" in _plain(ui.panel.value)
    ui.forward.click()  # the next step of the backward walk is t - 1
    assert ui.t.value == T - 1
    ui.play.value = 5  # play counts steps walked: 5 steps back from T is T - 4
    assert ui.t.value == T - 4
    ui.direction.value = "forward"
    assert ui.t.value == 1 and ui.play.value == 1


def test_stepper_backward_shows_the_gradient_parts():
    params = _params()
    ui = stepper(TEXT, params=params, vocab=VOCAB, direction="backward")
    tr = trace(params, VOCAB, TEXT)
    T = len(TEXT) - 1
    assert ui.t.value == T
    shown = _numbers(ui.panel.value)
    assert shown["dh_next_norm"] == 0.0, "nothing flows into h_T from after the text"
    ui.t.value = 4
    v = view(tr, 4, "backward")
    shown = _numbers(ui.panel.value)
    assert shown["dh_next_norm"] == pytest.approx(np.linalg.norm(v["dh_next"]), abs=1e-4)
    assert shown["dh_pred_norm"] == pytest.approx(np.linalg.norm(v["dh_pred"]), abs=1e-4)
    assert shown["dWhh_norm"] == pytest.approx(v["dWhh_norm"], abs=1e-4)
    assert shown["dy_target"] == pytest.approx(v["dy_target"], abs=1e-4)
    assert ui.panel.value.count("<polyline") == 1  # |dhnext| over the steps walked so far


def test_stepper_defaults_to_a_fresh_model_on_a_line_of_the_corpus():
    ui = stepper()
    assert ui.trace["text"] == "First Citizen:\nBefore we proceed any further"
    assert ui.trace["ps"].shape == (43, 65)
    # a fresh model (weights * 0.01) predicts almost uniformly: loss ~ ln 65
    assert _numbers(ui.panel.value)["loss"] == pytest.approx(np.log(65), abs=0.01)
    with pytest.raises(ValueError, match="params and vocab together"):
        stepper(params=_params())


def test_stepper_text_box_walks_a_new_text_and_refuses_one_it_cannot():
    params = _params()
    ui = stepper(TEXT, params=params, vocab=VOCAB)
    ui.t.value = 5
    ui.text.value = "thou art"
    assert ui.trace["text"] == "thou art" and ui.t.max == ui.play.max == 7 and ui.t.value == 1
    hs, ps = forward(params, encode("thou ar", VOCAB).astype(np.intp))
    assert _numbers(ui.panel.value)["loss"] == pytest.approx(-np.log(ps[0, VOCAB.chars.index("h")]), abs=1e-4)
    for bad, message in [("thou \u00e9", "not in the"), ("t", "at least 2 characters"),
                         ("", "at least 2 characters"), ("o" * 2001, "at most 2000")]:
        ui.text.value = bad
        shown = _plain(ui.status.value)
        assert message in shown and "still showing the previous text" in shown, (bad, shown)
        assert ui.trace["text"] == "thou art" and "step t = 1 of 7" in _plain(ui.panel.value)
    assert "This model knows" not in _plain(ui.status.value)  # only an unknown character lists them
    ui.text.value = "art thou"
    assert ui.status.value == "" and ui.trace["text"] == "art thou"
    with pytest.raises(ValueError, match="at most 2000"):
        stepper("o" * 2001, params=params, vocab=VOCAB)


def test_stepper_shows_a_long_text_as_a_window_around_step_t():
    long = ("ROMEO: wherefore art thou\n" * 40)[:1000]
    ui = stepper(long, params=_params(), vocab=VOCAB)
    ui.t.value = 500
    shown = _plain(re.search(r'class="rnn-stepper-text"[^>]*>(.*?)</div>', ui.panel.value)[1])
    assert shown.startswith("\u2026") and shown.endswith("\u2026") and len(shown) == TEXT_WINDOW + 2
    x = re.search(r'<span style="background: #ffd54f[^"]*">([^<]*)</span>', ui.panel.value)[1]
    assert x == html.unescape(x) and x.replace("\u23ce", "\n").replace("\u2423", " ") == long[499]
    ui.t.value = 1
    assert not _plain(re.search(r'class="rnn-stepper-text"[^>]*>(.*?)</div>', ui.panel.value)[1]).startswith("\u2026")


def test_stepper_greys_the_text_the_walk_has_not_reached():
    ui = stepper(TEXT, params=_params(), vocab=VOCAB)
    ui.t.value = 4

    def grey():
        cells = re.findall(r'<span style="([^"]*)">', re.search(
            r'class="rnn-stepper-text"[^>]*>(.*?)</div>', ui.panel.value)[1])
        return [i for i, style in enumerate(cells) if "#aaa" in style]

    assert grey() == list(range(5, len(TEXT)))  # forward: x_4 = TEXT[3] read, TEXT[4] its target
    ui.direction.value = "backward"
    ui.t.value = 4
    assert grey() == [0, 1, 2]  # backward from T: steps 3, 2, 1 (x = TEXT[2], TEXT[1], TEXT[0]) still to come


def test_stepper_play_continues_from_the_step_shown():
    ui = stepper(TEXT, params=_params(), vocab=VOCAB)
    T = len(TEXT) - 1
    ui.t.value = 6
    assert ui.play.value == 6  # play resumes here, not from where it last stopped
    ui.play.value = 7
    assert ui.t.value == 7
    ui.direction.value = "backward"
    assert (ui.t.value, ui.play.value) == (T, 1)
    ui.back.click()  # in the backward walk, "back" undoes a step: t goes up again (capped at T)
    ui.t.value = T - 3
    assert ui.play.value == 4
    assert not ui.play.repeat, "play stops at the end of the pass"



def _picture(panel, title):
    """The pixels of the picture titled ``title`` in a panel -> (rows, cols, 3) uint8."""
    data = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"[^>]*title="'
                                      + re.escape(title) + '"', panel)[1])
    cols, rows = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    idat = data.index(b"IDAT")
    raw = zlib.decompress(data[idat + 4:idat + 4 + int.from_bytes(data[idat - 4:idat], "big")])
    return np.frombuffer(raw, np.uint8).reshape(rows, 1 + 3 * cols)[:, 1:].reshape(rows, cols, 3)


def _by_hand_colours(values, s):
    """Blue (30, 80, 200) at -s, white at 0, red (200, 30, 30) at +s, linear between, full beyond."""
    out = []
    for x in np.ravel(values):
        f = min(abs(x) / s, 1.0)
        end = (200, 30, 30) if x > 0 else (30, 80, 200)
        out.append([round(255 + f * (e - 255)) for e in end])
    return np.array(out)


def test_strip_colours_run_from_blue_at_minus_scale_through_white_to_red_at_plus_scale():
    s = 0.03
    values = np.array([-0.06, -0.03, -0.015, 0.0, 0.0075, 0.03, 0.5])
    assert diverging(values, s).tolist() == _by_hand_colours(values, s).tolist()
    ends = diverging(values, s)[[1, 5]]
    assert ends.tolist() == [[30, 80, 200], [200, 30, 30]], "-s is full blue, +s full red"


def test_stepper_stretches_an_untrained_models_strips_to_the_texts_largest_h():
    ui = stepper()  # a fresh model: every |h| within a few hundredths of 0
    hs = ui.trace["hs"]
    m = np.abs(hs).max()
    assert m < 0.05 and ui.scale.value == "stretched"
    assert "rnn-stepper-scale" in ui.scale._dom_classes
    t_max = int(np.abs(hs[1:]).max(axis=1).argmax()) + 1  # the step whose h_t holds the largest |h|
    for t in (1, t_max):
        ui.t.value = t
        shown = _plain(ui.panel.value)
        assert f"\u2212{m:.2g}" in shown and f"+{m:.2g}" in shown, "the key names the scale"
        assert f"stretched: \u00b1{m:.2g} = the largest |h| in this text" in shown
        # one scale for the whole text, so a colour means the same value at every step
        assert _picture(ui.panel.value, "h_t")[0].tolist() == _by_hand_colours(hs[t], m).tolist()
        assert _picture(ui.panel.value, "h_{t-1}")[0].tolist() == _by_hand_colours(hs[t - 1], m).tolist()
    assert {tuple(c) for c in _picture(ui.panel.value, "h_t")[0]} & {(200, 30, 30), (30, 80, 200)}, \
        "the largest |h| of the text is drawn at full colour"
    ui.scale.value = "fixed"
    shown = _plain(ui.panel.value)
    assert f"fixed \u00b11 (the largest |h| in this text: {m:.2g})" in shown and "\u22121" in shown
    pixels = _picture(ui.panel.value, "h_t")[0]
    assert pixels.tolist() == _by_hand_colours(hs[t_max], 1.0).tolist()
    assert pixels.min() > 240, "on \u00b11 an untrained model's h is almost white: why stretched exists"


def test_stepper_backward_strips_use_one_scale_over_the_whole_text():
    params = _params()
    ui = stepper(TEXT, params=params, vocab=VOCAB, direction="backward", scale="stretched")
    tr = trace(params, VOCAB, TEXT)
    T = len(TEXT) - 1
    views = [view(tr, t, "backward") for t in range(1, T + 1)]
    m_dh = max(np.abs(v[k]).max() for v in views for k in ("dh_pred", "dh_next", "dh"))
    m_dW = max(np.abs(v["dWhh"]).max() for v in views)
    for t in (T, 9, 2):
        ui.t.value = t
        v, shown = views[t - 1], _plain(ui.panel.value)
        assert f"stretched: \u00b1{m_dh:.2g} = the largest |dh| or part in this text" in shown
        assert (_picture(ui.panel.value, "from dhnext")[0].tolist()
                == _by_hand_colours(v["dh_next"], m_dh).tolist())
        assert _picture(ui.panel.value, "dh_t")[0].tolist() == _by_hand_colours(v["dh"], m_dh).tolist()
        assert (_picture(ui.panel.value, "dWhh contribution").reshape(-1, 3).tolist()
                == _by_hand_colours(v["dWhh"], m_dW).tolist())
    ui.scale.value = "fixed"
    assert _picture(ui.panel.value, "dh_t")[0].tolist() == _by_hand_colours(views[1]["dh"], 1.0).tolist()
    assert m_dh > 1, "these weights (noise 0.5) were chosen for gradients beyond \u00b11"
    assert "beyond \u00b11, full colour" in _plain(ui.panel.value)


def test_stepper_refuses_an_unknown_colour_scale():
    with pytest.raises(ValueError, match="scale must be 'auto', 'fixed' or 'stretched', got 'log'"):
        stepper(TEXT, params=_params(), vocab=VOCAB, scale="log")

# --- the trainer ---

POEM = ("Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n"
        "Rough winds do shake the darling buds of May,\nAnd summer's lease hath all too short a date;\n")


def _run(coroutine):
    """asyncio.run in a thread of its own: a session-wide Playwright (tests/browser) keeps an
    event loop running in the main thread, where asyncio.run would refuse to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _train_for(ui, seconds, stop_after=None):
    """Press Train inside a running event loop (as in a kernel), wait, press Stop; -> seconds
    from Stop to the end of the training task."""
    async def session():
        ui.train.click()
        assert ui.task is not None, ui.status.value
        await asyncio.sleep(seconds)
        pressed = asyncio.get_running_loop().time()
        ui.stop.click()
        await asyncio.wait_for(ui.task, timeout=10)
        return asyncio.get_running_loop().time() - pressed
    return _run(session())


def test_trainer_trains_without_blocking_and_stops_within_a_second():
    ui = trainer(POEM * 3, hidden=32, lr=0.1, batch=2, chunk_seconds=0.1)
    lag = _train_for(ui, 1.5)
    assert lag < 1.0, f"Stop took {lag:.2f} s"
    run = ui.controls["run"]
    assert run["state"]["step"] > 10 and len(run["loss"]) >= 5
    shown = _numbers(ui.stats.value)
    assert shown["step"] == run["state"]["step"]
    # the loss shown is the current model's on the text from its start, as the sample reads it
    assert shown["loss"] == pytest.approx(run["fit"][-1][1], abs=1e-3)
    assert shown["loss"] == pytest.approx(live.fit_loss(run), abs=1e-3)
    assert "<polyline" in ui.curve.value
    assert "stopped at step" in ui.status.value and not ui.train.disabled and ui.stop.disabled


def test_after_stopping_the_model_can_be_sampled_and_downloaded():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05)
    _train_for(ui, 0.3)
    sampler = ui.after.children[1]
    assert sampler.prime.value == "Shall", "the sampler is primed with the text's first word"
    # a short text: the sampler has already written, greedily, as long as the text
    assert sampler.mode.value == "greedy" and sampler.length.value == len(POEM) - 5
    text = _plain(sampler.output.value)
    assert text.startswith("Shall") and len(text) == len(POEM) and set(text) <= set(POEM)
    sampler.mode.value = "sample"
    sampler.button.click()
    assert _plain(sampler.output.value) != text
    href = re.search(r'href="data:application/octet-stream;base64,([A-Za-z0-9+/=]+)"', ui.download.value)
    assert href and base64.b64decode(href[1])[:4] == b"PK\x03\x04"


def test_train_again_continues_the_same_run_unless_something_changed():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05)
    _train_for(ui, 0.2)
    run, steps = ui.controls["run"], ui.controls["run"]["state"]["step"]
    _train_for(ui, 0.2)
    assert ui.controls["run"] is run and run["state"]["step"] > steps
    ui.hidden.value = 32
    _train_for(ui, 0.2)
    assert ui.controls["run"] is not run and ui.controls["run"]["config"]["hidden"] == 32


def test_train_again_says_whether_it_continues_or_starts_a_new_model():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05)
    said = []

    async def press_train_and_stop():
        ui.train.click()
        said.append(_plain(ui.status.value))
        await asyncio.sleep(0.15)
        ui.stop.click()
        await asyncio.wait_for(ui.task, timeout=10)

    _run(press_train_and_stop())
    assert said[-1].startswith("training on") and "a changed setting or text starts a new model" in _plain(ui.status.value)
    steps = ui.controls["run"]["state"]["step"]
    _run(press_train_and_stop())
    assert said[-1].startswith(f"continuing the same model from step {steps}")
    ui.lr.value, ui.batch.value = 0.1, 2
    _run(press_train_and_stop())
    assert said[-1].startswith("new learning rate and batch: a new model from scratch")


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "only one distinct character"),
    ("to be", "5 characters, fewer than"),
])
def test_trainer_says_why_a_text_cannot_train(text, message):
    ui = trainer(text)
    ui.train.click()  # refused before any event loop is needed
    assert message in ui.status.value and ui.task is None and not ui.train.disabled


def test_an_upload_fills_the_text_box_or_says_it_is_not_utf8():
    ui = trainer("")
    ui.upload.value = ({"name": "poem.txt", "content": memoryview(POEM.encode("utf-8")),
                        "type": "text/plain", "size": len(POEM), "last_modified": datetime.datetime(2026, 1, 1)},)
    assert ui.text.value == POEM and "read poem.txt" in ui.status.value
    ui.upload.value = ({"name": "old.txt", "content": memoryview("caf\u00e9".encode("latin-1")),
                        "type": "text/plain", "size": 4, "last_modified": datetime.datetime(2026, 1, 1)},)
    assert "old.txt is not UTF-8 text" in ui.status.value and ui.text.value == POEM


def test_a_long_run_is_drawn_from_its_first_to_its_last_step_with_few_points():
    ui = trainer(POEM, hidden=8, batch=1)  # 8 is not among the usual choices: it joins them
    assert ui.hidden.options == (8, 16, 32, 64, 100, 128)
    # pressed in a thread with no event loop: the run is prepared, then the page says so
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(ui.train.click).result()
    run = ui.controls["run"]
    assert "no running event loop" in ui.status.value
    live.advance(run, seconds=0.01)
    run["fit"] = [(i, 3.0 - i / 1000) for i in range(1, 5001)]
    ui.refresh()
    points = re.search(r'<polyline points="([^"]+)"', ui.curve.value)[1].split()
    assert 500 <= len(points) <= 602
    xs = [float(p.split(",")[0]) for p in points]
    axis_end = float(re.findall(r'<line [^>]*x2="([\d.]+)"', ui.curve.value)[1])
    assert xs == sorted(xs) and xs[-1] == axis_end  # ends at the right edge: the last step is drawn
    assert ">5000<" in ui.curve.value


def test_a_changed_setting_says_the_text_shown_was_written_before_it():
    ui = sampler_widget(_params(), VOCAB, prime="ROMEO", length=50)
    ui.temperature.value = 1.2  # nothing written yet: nothing to call stale
    assert ui.status.value == ""
    ui.generate()
    for control, value, name in [(ui.mode, "greedy", "mode"),
                                 (ui.warm, True, "warm start"), (ui.length, 70, "length")]:
        control.value = value
        assert f"{name} changed: press Generate" in _plain(ui.status.value), name
        ui.button.click()
        assert ui.status.value == "" and len(_plain(ui.output.value)) == len("ROMEO") + ui.length.value


def test_what_changed_names_the_settings_that_start_a_new_model():
    from rnn_core.widgets import what_changed
    old = (False, "a poem", 64, 0.05, 4)
    assert what_changed(None, old) == [] and what_changed(old, old) == []
    assert what_changed(old, (False, "a poem!", 32, 0.05, 4)) == ["text", "hidden size"]
    # switching to Tiny Shakespeare changes the text too: the source alone says it
    assert what_changed(old, (True, "", 64, 0.05, 4)) == ["source"]


def test_training_stops_by_itself_when_the_pages_heartbeat_stops():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05, page_timeout=0.6)

    async def session():
        ui.train.click()
        assert ui.heartbeat.playing, "the browser is asked to tick while training"
        for _ in range(5):  # the page is there: it ticks
            ui.heartbeat.value += 1
            await asyncio.sleep(0.2)
        still = not ui.task.done()
        quiet = asyncio.get_running_loop().time()  # the tab closes: no more ticks
        await asyncio.wait_for(ui.task, timeout=10)
        return still, asyncio.get_running_loop().time() - quiet

    still, after = _run(session())
    assert still and after < 0.6 + 0.5, after
    assert "the page stopped answering" in _plain(ui.status.value)
    assert not ui.heartbeat.playing and not ui.train.disabled


def test_a_front_end_that_never_ticks_stops_training_after_first_beat_seconds():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05, first_beat=0.4)

    async def session():
        ui.train.click()
        await asyncio.wait_for(ui.task, timeout=10)

    _run(session())
    assert "the page stopped answering" in _plain(ui.status.value)


def test_inputs_locked_while_training_say_why_and_reset_discards_the_model():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05)
    seen = {}

    async def session():
        ui.train.click()
        seen["locked"] = ui.text.disabled and ui.hidden.disabled and ui.reset.disabled
        seen["why"] = _plain(ui.lock.value)
        await asyncio.sleep(0.2)
        ui.stop.click()
        await asyncio.wait_for(ui.task, timeout=10)

    _run(session())
    assert seen["locked"] and "locked while training" in seen["why"] and "Stop" in seen["why"]
    assert ui.lock.value == "" and not ui.text.disabled and not ui.reset.disabled
    assert f"all {len(POEM)} characters train: nothing is held out" in _plain(ui.note.value)
    ui.reset.click()
    assert ui.controls["run"] is None and ui.curve.value == "" and ui.after.children == ()
    assert "discarded" in _plain(ui.status.value) and ui.reset.disabled


def test_a_refused_text_clears_the_last_runs_curve_sample_and_download():
    ui = trainer(POEM, hidden=16, batch=1, chunk_seconds=0.05)
    _train_for(ui, 0.2)
    assert ui.curve.value and ui.download.value and ui.after.children
    ui.text.value = "to be"
    ui.train.click()
    assert "5 characters, fewer than" in _plain(ui.status.value)
    assert (ui.curve.value, ui.stats.value, ui.sample.value, ui.download.value, ui.note.value) == ("",) * 5
    assert ui.after.children == ()


def test_enter_in_the_seed_box_generates_with_that_seed():
    params = _params()
    ui = sampler_widget(params, VOCAB, prime="ROMEO", length=40)
    ui.seed.value = "17"  # what Enter (or leaving the box) sends
    assert _plain(ui.output.value) == "ROMEO" + sample(params, VOCAB, prime="ROMEO", length=40,
                                                       temperature=0.8, seed=17)
    ui.seed.value = "-1"
    assert "seed must be a whole number" in _plain(ui.status.value) and ui.output.value == ""


def test_stepper_first_last_and_play_pause_buttons():
    ui = stepper(TEXT, params=_params(), vocab=VOCAB)
    T = len(TEXT) - 1
    ui.last.click()
    assert ui.t.value == T
    ui.first.click()
    assert ui.t.value == 1
    ui.t.value = 4
    ui.playpause.click()
    assert ui.play.playing and ui.playpause.description == "pause" and ui.t.value == 4
    ui.playpause.click()  # pauses where it is: it does not jump back to the start
    assert not ui.play.playing and ui.playpause.description == "play" and ui.t.value == 4
    ui.direction.value = "backward"
    ui.first.click()
    assert ui.t.value == T  # the backward pass starts at T
    ui.last.click()
    assert ui.t.value == 1
    ui.playpause.click()  # at the end of the pass, play starts it again
    assert ui.play.playing and ui.t.value == T


@pytest.mark.parametrize("H, cell", [(8, 40), (16, 28), (100, 4)])
def test_stepper_strips_grow_for_a_small_hidden_size(H, cell):
    ui = stepper(TEXT, params=_params(H=H), vocab=VOCAB)
    width = int(re.search(r'width="(\d+)" height="(\d+)" title="h_t"', ui.panel.value)[1])
    height = int(re.search(r'width="(\d+)" height="(\d+)" title="h_t"', ui.panel.value)[2])
    assert (width, height) == (cell * H, 28)
    ui.direction.value = "backward"
    share = int(re.search(r'width="(\d+)" height="\d+" title="dWhh contribution"', ui.panel.value)[1])
    assert share >= 200, "the dW_hh share is a picture a class can see"


def test_stepper_dhnext_plot_keeps_its_axes_from_step_to_step():
    ui = stepper(TEXT, params=_params(), vocab=VOCAB, direction="backward")

    def axis_labels():
        svg = re.search(r"<svg.*?</svg>", ui.panel.value)[0]
        return re.findall(r'text-anchor="end">([-\d.]+)</text>', svg)[:2]

    first = axis_labels()
    assert first[1] == "0.00", "a norm's axis starts at 0"
    for t in (len(TEXT) - 3, 10, 2):
        ui.t.value = t
        assert axis_labels() == first


def test_stepper_and_sampler_switch_between_fresh_and_just_trained(tmp_path, monkeypatch):
    from rnn_core import models
    monkeypatch.setattr(models, "TRAINED", tmp_path / "trained.npz")
    monkeypatch.setattr(models, "_last", {})
    ui = stepper("ROMEO: wherefore", model="fresh", models=("fresh", "trained"))
    ui.model.value = "trained"  # nothing trained yet: said, and the switch goes back
    assert "nothing trained yet" in _plain(ui.status.value) and ui.model.value == "fresh"
    poem = "a grey cat waits for crumbs;\nthe window learns the line.\n"
    run = live.start(poem, hidden=16, batch=1)
    live.advance(run, seconds=0.05)
    models.remember(run["state"], poem)
    models._last.clear()  # as in another kernel: read back from the file
    ui.model.value = "trained"
    # "ROMEO" holds letters the poem lacks: the stepper walks the start of the poem instead
    assert ui.trace["vocab"] == run["vocab"] and ui.text.value == poem[:60]
    assert np.array_equal(ui.trace["hs"], trace(run["state"]["params"], run["vocab"], poem[:60])["hs"])
    assert "the model just trained (step" in _plain(ui.which.value)
    s = sampler_widget(model="fresh", models=("fresh", "trained"), prime="ROMEO", length=30)
    s.model.value = "trained"
    assert s.prime.value == "a" and s.top_k.max == run["vocab"].size
    assert _plain(s.output.value) == "a" + sample(run["state"]["params"], run["vocab"], prime="a",
                                                  length=30, temperature=0.8, seed=0)


@pytest.fixture(autouse=True)
def _trained_models_stay_in_tmp(tmp_path, monkeypatch):
    """A trainer that stops remembers its model (rnn_core.models): here, in a folder of the test's."""
    from rnn_core import models
    monkeypatch.setattr(models, "TRAINED", tmp_path / "just-trained.npz")
    monkeypatch.setattr(models, "_last", {})


def test_a_log_scale_gives_the_first_steps_as_much_room_as_the_rest():
    svg = polyline_svg([([(0, 3.0), (9, 2.0), (99, 1.0), (9999, 0.5)], "#00f", "loss")], logx=True)
    xs = [float(p.split(",")[0]) for p in re.search(r'points="([^"]+)"', svg)[1].split()]
    # log(1 + x): 0, 10, 100 and 10000 are evenly spaced, one power of ten apart
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)
    assert xs[3] - xs[2] == pytest.approx(2 * (xs[2] - xs[1]), abs=0.3)
    assert ">10<" in svg and ">100<" in svg and "(log scale)" in svg


@pytest.mark.parametrize("last", [150, 1500, 4466, 99999])
def test_a_log_axis_tick_label_never_runs_into_the_last_steps_label(last):
    svg = polyline_svg([([(0, 3.0), (last, 0.5)], "#00f", "loss")], width=400, height=200, logx=True)
    # x labels are the texts on the axis's label line (y = height - 22)
    labels = {m[2]: float(m[1]) for m in re.finditer(r'<text x="([\d.]+)" y="178"[^>]*>(\d+)<', svg)}
    assert labels[str(last)] - labels["0"] > 200, labels  # both ends are labelled
    digit = 0.6 * 16  # about the width of a digit at 16 px
    # the end's label is right-aligned at its x, a tick's centred: a digit's width of white between
    assert all(labels[str(last)] - x >= (len(str(last)) + len(name) / 2 + 1) * digit
               for name, x in labels.items() if name not in ("0", str(last))), labels
    if last >= 1500:
        assert "10" in labels and "100" in labels, labels  # the powers of ten with room are kept
