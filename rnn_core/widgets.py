"""Widgets for notebooks and Voila pages: the sampler, the stepper and the trainer.

Each page has its own module: ``page_sampler``, ``page_stepper``, ``page_trainer``;
``page_html`` holds what they share (HTML pieces, PNG strips, SVG plots). The logic
lives in plain, tested functions (``sampling.sample``, ``stepper.view``,
``live.advance``); a widget only wires controls to them and turns their numbers into
HTML. Results are written into widgets' values, never printed, so a widget behaves
the same in JupyterLab, in Voila and under nbval, and a test can drive it
headlessly: set the controls' ``.value``, call ``.click()`` on a button, read the HTML.
"""
from .page_html import (SEED_MAX, diverging, known_characters, parse_seed, png, polyline_svg,
                        strip, warm_state)
from .page_sampler import sampler_widget
from .page_stepper import (MAX_STEPPER_CHARS, TEXT_WINDOW, colour_key, render_backward,
                           render_forward, scale_note, stepper)
from .page_trainer import CHUNK_SECONDS, trainer, what_changed

__all__ = ["SEED_MAX", "diverging", "known_characters", "parse_seed", "png", "polyline_svg",
           "strip", "warm_state", "sampler_widget", "MAX_STEPPER_CHARS", "TEXT_WINDOW",
           "colour_key", "render_backward", "render_forward", "scale_note", "stepper",
           "CHUNK_SECONDS", "trainer", "what_changed"]
