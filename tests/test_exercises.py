"""The exercise checker: right answers pass, stubs are 'not attempted', every named mistake is caught and
named, messages say where, and bad student code gets a verdict (rnn_core.exercises)."""
import copy
import html as html_module
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import rnn_core
from rnn_core.exercises import (EXERCISES, NAMES, QUESTIONS, SIGNATURES, Prediction, cases, check, hint, mistakes,
                                predict, solution)
from rnn_core.exercises import adagrad_step as adagrad_ex
from rnn_core.exercises import bptt as bptt_ex
from rnn_core.exercises import loss as loss_ex
from rnn_core.exercises import softmax as softmax_ex
from rnn_core.exercises import temperature as temperature_ex
from rnn_core.forward import softmax as reference_softmax
from rnn_core.sampling import next_char_probs

ROOT = Path(__file__).resolve().parents[1]


def ref(name):
    return EXERCISES[name].reference


def stub(*args):
    raise NotImplementedError("your code here")


# --------------------------------------------------------------- the three outcomes

@pytest.mark.parametrize("name", NAMES)
def test_the_reference_answer_passes(name):
    result = check(name, ref(name))
    assert result.passed and result.outcome == "right", result.message
    assert result.message.startswith(f"✓ {name}: right on all")


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_attempted_without_a_traceback(name):
    result = check(name, stub)
    assert not result.passed and result.outcome == "not attempted"
    assert "not attempted" in result.message and "Traceback" not in result.message


MISTAKES = [(name, label, fn) for name in NAMES for label, _, fn in mistakes(name)]


@pytest.mark.parametrize("name, label, wrong", MISTAKES, ids=[f"{n}-{f.__name__}" for n, _, f in MISTAKES])
def test_every_named_mistake_is_wrong_and_named(name, label, wrong):
    result = check(name, wrong)
    assert result.outcome == "wrong", result.message
    assert result.message.startswith(f"✗ {name}")
    assert f"This matches a known mistake: {label}." in result.message, result.message


def test_every_mistake_differs_from_the_reference_on_some_case():
    """A named mistake that equals the right answer everywhere would be a test that cannot fail."""
    for name in NAMES:
        ex = EXERCISES[name]
        for label, _, wrong in ex.mistakes:
            assert check(name, wrong).outcome == "wrong", (name, label)


def test_the_required_mistakes_are_all_recognised():
    required = {
        "vocabulary": "unsorted vocabulary", "softmax": "without subtracting the max",
        "bptt": "BPTT without dhnext", "loss": "a mean loss where the sum is asked",
        "adagrad_step": "Adagrad without the square root", "temperature": "applied to probabilities",
    }
    for name, words in required.items():
        assert any(words in label for label, _, _ in mistakes(name)), (name, words)


def test_a_slightly_wrong_answer_is_not_right():
    def almost(params, inputs, targets, hs, ps):
        grads = ref("bptt")(params, inputs, targets, hs, ps)
        grads["by"] = grads["by"] * (1 + 1e-4)
        return grads

    result = check("bptt", almost)
    assert result.outcome == "wrong"
    assert "wrong (relative error): dby 0.0001; right: dWxh, dWhh, dWhy, dbh" in result.message


# ------------------------------------------------------ the scenario of notebook 04

def _bptt(dhnext_on=True, dWhh_from_h=False, clip=None, horizon=None):
    def bptt(params, inputs, targets, hs, ps):
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        dhnext = np.zeros(hs.shape[1])
        T = len(inputs) if horizon is None else min(horizon, len(inputs))
        for t in reversed(range(T)):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            grads["Why"] += np.outer(dy, hs[t + 1])
            grads["by"] += dy
            dh = params["Why"].T @ dy + dhnext
            dhraw = (1 - hs[t + 1] ** 2) * dh
            grads["bh"] += dhraw
            grads["Wxh"][:, inputs[t]] += dhraw
            grads["Whh"] += np.outer(dhraw, hs[t + 1] if dWhh_from_h else hs[t])
            if dhnext_on:
                dhnext = params["Whh"].T @ dhraw
        if clip is not None:
            for g in grads.values():
                np.clip(g, -clip, clip, out=g)
        return grads
    return bptt


def test_a_learner_without_dhnext_reads_what_is_missing_then_fixes_it():
    first = check("bptt", _bptt(dhnext_on=False))
    assert first.outcome == "wrong"
    text = first.message
    assert "BPTT without dhnext" in text and "the gradient from later steps is missing" in text.lower()
    wrong, right = text.split("wrong (relative error): ")[1].split("\n")[0].split("; right: ")
    assert {w.split()[0] for w in wrong.split(", ")} == {"dWxh", "dWhh", "dbh"}
    assert right.split(", ") == ["dWhy", "dby"]
    second = check("bptt", _bptt())
    assert second.passed, second.message
    assert "numerical gradients agree to < 1e-" in second.message


def test_seed_001s_two_bptt_mistakes_at_once_are_named_together():
    """Seed 001: the dhnext update commented out and dWhh built from h_t; the first case reported has T > 1."""
    result = check("bptt", _bptt(dhnext_on=False, dWhh_from_h=True))
    assert f"case 1 of {len(bptt_ex.cases())} (V=7, H=4, T=5" in result.message, result.message
    assert "This matches a known mistake: BPTT without dhnext and with dWhh from h_t instead of h_{t-1} " \
           "(two mistakes at once)" in result.message, result.message


def test_bptt_that_clips_inside_or_stops_after_25_steps_is_wrong_and_named():
    clipped = check("bptt", _bptt(clip=5.0))
    assert "gradients clipped to [-5, 5] inside bptt" in clipped.message, clipped.message
    short = check("bptt", _bptt(horizon=25))
    assert "a loop over the first 25 steps only" in short.message, short.message


# ------------------------------------------------ inputs that the old cases never held

def test_wrong_answers_that_the_old_cases_let_through_are_now_wrong():
    def softmax_mean(y):
        e = np.exp(y - y.mean(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def softmax_first(y):
        e = np.exp(y - y[..., :1])
        return e / e.sum(axis=-1, keepdims=True)

    def one_hot_max(ids, V):
        return np.eye(ids.max() + 1)[ids]

    def loss_choose(ps, targets):
        return float(-np.log(np.choose(targets, ps.T)).sum())

    def loss_product(ps, targets):
        return float(-np.log(np.prod(ps[np.arange(len(targets)), targets])))

    def top_k_argsort(logits, k):
        keep = np.argsort(logits)[-k:]
        z = np.full(len(logits), -np.inf)
        z[keep] = logits[keep]
        e = np.exp(z - z.max())
        return e / e.sum()

    def top_k_crash(logits, k):
        kth = np.partition(logits, len(logits) - k)[len(logits) - k]
        z = np.where(logits >= kth, logits, -np.inf)
        e = np.exp(z - z.max())
        return e / e.sum()

    def vocab_printable(text):
        return "".join(sorted(set(c for c in text if c.isprintable() or c == "\n")))

    def temperature_min(logits, temperature):
        z = logits / temperature
        e = np.exp(z - z.min())
        return e / e.sum()

    for name, fn in (("softmax", softmax_mean), ("softmax", softmax_first), ("one_hot", one_hot_max),
                     ("loss", loss_choose), ("loss", loss_product), ("top_k", top_k_crash),
                     ("vocabulary", vocab_printable), ("temperature", temperature_min), ("top_k", top_k_argsort)):
        assert check(name, fn).outcome == "wrong", (name, fn.__name__)


def test_state_kept_between_calls_is_caught():
    buffer = {}

    def softmax_buffer(y):  # one module-level output array per shape, returned and overwritten
        out = buffer.setdefault(y.shape, np.empty(y.shape))
        out[...] = softmax_ex.softmax(y)
        return out

    cache = {}

    def rnn_step_cached(params, x, h_prev):  # a cache keyed by shape goes stale when the weights change
        key = params["Whh"].shape
        if key not in cache:
            cache[key] = params["Whh"].copy()
        return np.tanh(params["Wxh"][:, x] + cache[key] @ h_prev + params["bh"])

    grads = {}

    def bptt_unzeroed(params, inputs, targets, hs, ps):  # gradient buffers never zeroed
        for k, v in params.items():
            if k not in grads or grads[k].shape != v.shape:
                grads[k] = np.zeros_like(v)
        for k, g in ref("bptt")(params, inputs, targets, hs, ps).items():
            grads[k] += g
        return {k: g.copy() for k, g in grads.items()}

    buffered = check("softmax", softmax_buffer)
    assert buffered.outcome == "wrong" and "changed when the check called your function again" in buffered.message
    assert check("rnn_step", rnn_step_cached).outcome == "wrong"
    assert check("bptt", bptt_unzeroed).outcome == "wrong"


def test_a_cache_keyed_by_the_arguments_identity_goes_stale_when_they_change_in_place():
    """Training changes params in place between calls: a cache keyed by id(params) answers the old weights."""
    cache = {}

    def rnn_step(params, x, h_prev):
        Whh = cache.setdefault(id(params), params["Whh"].copy())
        return np.tanh(params["Wxh"][:, x] + Whh @ h_prev + params["bh"])

    result = check("rnn_step", rnn_step)
    assert result.outcome == "wrong", result.message
    assert "called twice on the same params, h_prev, changed in place in between" in result.message

    memo = {}

    def adagrad_step(params, grads, memory, lr):  # divides by the memory of the first call it saw
        for k in params:
            memory[k] += grads[k] ** 2
            first = memo.setdefault((id(memory), k), memory[k].copy())
            params[k] -= lr * grads[k] / np.sqrt(first + 1e-8)

    assert check("adagrad_step", adagrad_step).outcome == "wrong"


def test_dicts_in_another_key_order_catch_zipping_values():
    """A seed's update_parameters zips the values of two dicts: right only while their key orders agree."""
    def adagrad_step(params, grads, memory, lr):
        for p, g, m in zip(params.values(), grads.values(), memory.values()):
            m += g * g
            p -= lr * g / np.sqrt(m + 1e-8)

    result = check("adagrad_step", adagrad_step)
    assert result.outcome == "wrong" and "keys in another order" in result.message
    assert "This matches a known mistake: zip(params.values(), grads.values(), memory.values())" in result.message


def test_a_one_hot_of_uint8_or_bool_is_wrong():
    for dtype in (np.uint8, bool):
        result = check("one_hot", lambda ids, V, dtype=dtype: np.eye(V, dtype=dtype)[ids])
        assert result.outcome == "wrong" and "expected floats" in result.message, result.message


def test_a_loss_that_is_nan_on_exact_zeros_is_named_after_the_seed():
    result = check("loss", loss_ex.loss_onehot_times_log)
    assert "your loss is nan" in result.message and "-sum(onehot * log(ps))" in result.message


def test_a_function_that_ignores_the_temperature_is_told_so():
    result = check("temperature", lambda logits, temperature: reference_softmax(logits.astype(float)))
    assert "a function that ignores the temperature" in result.message
    assert "applied to probabilities" not in result.message.split("known mistake: ")[1].split(".")[0]


# ------------------------------------------------------------ messages that point at the bug

def test_messages_say_where_the_first_difference_is():
    def one_hot_off_by_one(ids, V):
        x = np.zeros((len(ids), V))
        x[np.arange(len(ids)), (ids + 1) % V] = 1
        return x

    text = check("one_hot", one_hot_off_by_one).message
    assert "row 0: the 1 landed in column 3, expected a single 1 in column 2 (ids[0] = 2)" in text, text
    assert "the first difference is at one-hot[0, 2]: expected 1, got 0" in text, text

    def softmax_half(y):
        return softmax_ex.softmax(y) / 2

    text = check("softmax", softmax_half).message
    assert "your probabilities do not sum to 1: they sum to 0.5" in text, text


def test_every_row_the_same_array_is_pointed_out():
    def forward(params, inputs, h0):
        h = h0.copy()
        hs, ps = [h], []
        for x in inputs:
            h[:] = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h + params["bh"])
            hs.append(h)
            ps.append(softmax_ex.softmax(params["Why"] @ h + params["by"]))
        return hs, np.array(ps)

    text = check("forward", forward).message
    assert "every row of your hs is the same: if you append one array T times" in text, text


def test_a_partly_written_function_is_unfinished_not_unattempted():
    def softmax(y):
        if y.ndim > 1:
            raise NotImplementedError("rows later")
        e = np.exp(y - y.max())
        return e / e.sum()

    result = check("softmax", softmax)
    assert result.outcome == "wrong"
    assert result.message.startswith("✗ softmax: unfinished: it raises NotImplementedError on case 2 of"), \
        result.message


def test_named_mistakes_read_as_sentences():
    """'This matches a known mistake: <noun phrase>. <Fix sentence>.' with no 'with sorted(text) keeps'."""
    for name in NAMES:
        for label, fix, _ in mistakes(name):
            assert not label.endswith("."), label
            first = fix.split()[0].rstrip(":,")
            assert first == "Fix" or first[0].isupper() or (first.replace("'s", "").isalpha() and first.islower()
                                                            and first not in ("dhnext", "dh", "dy")), (name, fix)
            assert " keeps every occurrence" not in label or label.startswith("sorting"), label


def test_a_function_returning_none_is_asked_about_return():
    result = check("softmax", lambda y: None)
    assert result.outcome == "wrong" and "returned None" in result.message


def test_a_list_of_the_right_numbers_is_accepted_and_a_ragged_one_is_not():
    assert check("softmax", lambda y: softmax_ex.softmax(y).tolist()).passed
    assert "is a list of length" in check("rnn_step", lambda params, x, h_prev: [1, [2, 3]]).message


def test_a_scalar_where_an_array_is_expected():
    result = check("one_hot", lambda ids, V: 1.0)
    assert "is a single number, expected an array of shape (6, 5) = (N, V)" in result.message


def test_the_wrong_type_is_named():
    result = check("rnn_step", lambda params, x, h_prev: "h")
    assert "your h is a str, expected an array of shape (3,) = (H,)" in result.message


def test_an_array_where_one_number_is_expected_is_asked_to_be_summed():
    result = check("loss", lambda ps, targets: -np.log(ps[np.arange(len(targets)), targets]))
    assert "your loss is an array of shape (1,) = (T,), expected one number (a float): sum it" in result.message


def test_a_list_vocabulary_is_asked_to_be_a_str_and_an_unsorted_one_is_named():
    result = check("vocabulary", lambda text: sorted(set(text)))
    assert result.outcome == "wrong" and "return one str" in result.message
    result = check("vocabulary", lambda text: list(set(text)))
    assert "an unsorted vocabulary" in result.message and "PYTHONHASHSEED" in result.message


def test_a_vocabulary_missing_characters_lists_them():
    result = check("vocabulary", lambda text: "".join(sorted(set(text.replace("\t", "").replace("\r", "")))))
    assert "it lacks '\\t', '\\r'" in result.message, result.message


def test_a_function_with_the_wrong_arguments_is_shown_the_signature():
    result = check("rnn_step", lambda params, x: x)
    assert "your code raised TypeError" in result.message
    assert "the check calls it as fn(params, x, h_prev) -> h: (H,), x an int id" in result.message


def test_a_mis_shaped_gradient_is_reported_with_its_numbers_and_letters():
    def bptt(params, inputs, targets, hs, ps):
        grads = ref("bptt")(params, inputs, targets, hs, ps)
        grads["Whh"] = np.zeros_like(params["Wxh"])  # (H, V) instead of (H, H)
        return grads

    result = check("bptt", bptt)
    assert "your dWhh has shape (4, 7) = (H, V), expected (4, 4) = (H, H)" in result.message, result.message


def test_a_transposed_gradient_is_called_transposed():
    def bptt_step(params, x, h_prev, h, dy, dhnext):
        grads, dh_prev = ref("bptt_step")(params, x, h_prev, h, dy, dhnext)
        grads["Why"] = grads["Why"].T
        return grads, dh_prev

    result = check("bptt_step", bptt_step)
    assert "your dWhy has shape (3, 5) = (H, V), expected (5, 3) = (V, H): it is transposed" in result.message


def test_forward_without_h0_row_is_told_hs_has_t_plus_1_rows():
    result = check("forward", lambda params, inputs, h0: tuple(a[1:] if i == 0 else a for i, a in
                                                              enumerate(ref("forward")(params, inputs, h0))))
    assert "your hs has shape (1, 3) = (T, H), expected (2, 3) = (T+1, H)" in result.message
    assert "hs[0] is h0" in result.message


def test_swapped_outputs_and_an_extra_axis_of_length_one_are_pointed_out():
    result = check("forward", lambda params, inputs, h0: ref("forward")(params, inputs, h0)[::-1])
    assert "your hs and ps look swapped: return hs, ps in that order" in result.message
    result = check("forward", lambda params, inputs, h0: (lambda hs, ps: (hs, ps[:, None, :]))(
        *ref("forward")(params, inputs, h0)))
    assert "your ps has shape (1, 1, 5), expected (1, 5) = (T, V)" in result.message
    assert "an axis of length 1 too many" in result.message


def test_nan_in_the_output_is_reported():
    result = check("temperature", lambda logits, temperature: np.full(len(logits), np.nan))
    assert "your probabilities contain NaN in 7 of 7 entries" in result.message


def test_wild_outputs_give_a_verdict_and_no_warning(recwarn):
    assert "expected numbers" in check("softmax", lambda y: y.astype(complex)).message
    assert check("softmax", lambda y: np.full(y.shape, 1e300)).outcome == "wrong"
    assert len(recwarn) == 0


def test_a_verdict_is_true_only_when_right():
    assert check("softmax", softmax_ex.softmax)
    assert not check("softmax", lambda y: np.full(y.shape, 1e300))
    assert not check("softmax", stub)  # not attempted


def test_changing_an_argument_is_wrong_even_when_the_answer_is_right():
    def dlogits(ps, targets):
        ps[np.arange(len(targets)), targets] -= 1  # no copy: the caller's ps changes
        return ps

    result = check("dlogits", dlogits)
    assert result.outcome == "wrong" and "changed its argument ps" in result.message
    assert "known mistake" not in result.message


def test_an_in_place_exercise_that_changes_nothing_is_told_so():
    """An update that puts new arrays under the dicts' keys is wrong (it once counted as a legal in-place
    update): min-char-rnn's loop holds the arrays themselves, zip([Wxh, ...], [dWxh, ...], [mWxh, ...]),
    so a new array under the key leaves them unchanged and training silently stops. The contract is the
    one clip and clip_global_norm already had: the caller's arrays change. Then: a function that changes
    nothing at all is told so."""
    def adagrad_step(params, grads, memory, lr):
        for k in params:
            memory[k] = memory[k] + grads[k] ** 2  # replaces the dict's entries: the caller's arrays stay
            params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)

    result = check("adagrad_step", adagrad_step)
    assert result.outcome == "wrong" and "put new arrays into" in result.message, result.message
    assert "params['" in result.message and "memory['" in result.message, result.message

    def adagrad_step(params, grads, memory, lr):  # noqa: F811
        for k, p in params.items():
            p = p - lr * grads[k]  # noqa: F841 -- rebinds a local name only

    assert "nothing in params or memory changed" in check("adagrad_step", adagrad_step).message


def test_an_exception_shows_the_students_line_not_the_checker():
    def rnn_step(params, x, h_prev):
        a = params["Wxh"][x] + params["Whh"] @ h_prev  # a row of Wxh: (V,) + (H,)
        return np.tanh(a + params["bh"])

    result = check("rnn_step", rnn_step)
    assert result.outcome == "wrong" and "your code raised IndexError" in result.message
    line = inspect.getsource(rnn_step).splitlines()[1].strip()
    assert f"of rnn_step: `{line}`" in result.message
    assert "checking.py" not in result.message and "Traceback" not in result.message
    assert "Wxh (3, 5) = (H, V)" in result.message  # the shapes reminder


def test_a_key_error_lists_the_keys_params_has():
    result = check("rnn_step", lambda params, x, h_prev: np.tanh(params["W_xh"][:, x]))
    assert "KeyError: W_xh" in result.message
    assert "params has the keys 'Wxh', 'Whh', 'Why', 'bh', 'by'" in result.message


def test_an_in_place_exercise_that_returns_new_arrays_is_told_the_return_value_is_ignored():
    def clip(grads, limit):
        return {k: np.clip(g, -limit, limit) for k, g in grads.items()}

    result = check("clip", clip)
    assert "your function returned a dict, which the check ignores: this exercise returns None" in result.message
    assert "known mistake" not in result.message


def test_an_int_loss_is_told_to_keep_the_fraction():
    result = check("loss", lambda ps, targets: int(ref("loss")(ps, targets)))
    assert "your loss is an int: a loss has a fraction" in result.message


def test_a_function_that_calls_another_stub_is_told_which_one():
    space = {"np": np}
    exec("def softmax(y):\n"
         "    raise NotImplementedError  # the student's stub from the exercise before\n"
         "def forward(params, inputs, h0):\n"
         "    hs = np.zeros((len(inputs) + 1, len(h0)))\n"
         "    return hs, softmax(hs[1:])\n", space)
    result = check("forward", space["forward"])
    assert result.message == ("✗ forward: your forward calls softmax, which still raises NotImplementedError: "
                              "write softmax first (and check it), or call rnn_core's version")
    assert check("softmax", space["softmax"]).outcome == "not attempted"


def test_sizes_and_arrays_read_from_the_notebook_are_named():
    space = {"np": np, "H": 100, "V": 65, "lr": 0.1}
    exec("def forward(params, inputs, h0):\n"
         "    hs = np.zeros((len(inputs) + 1, H))\n"
         "    return hs, np.zeros((len(inputs), V))\n", space)
    result = check("forward", space["forward"])
    assert "your function reads from the notebook, not from its arguments: H = 100 there, this case has " \
           "H = 3; V = 65 there, this case has V = 5" in result.message, result.message
    assert "lr" not in result.message.split("notebook")[1]


def test_the_notebooks_text_read_instead_of_the_argument_is_named():
    space = {"text": "First Citizen:\nBefore we proceed"}
    exec("def vocabulary(t):\n    return ''.join(sorted(set(text)))\n", space)
    result = check("vocabulary", space["vocabulary"])
    assert "your function reads from the notebook, not from its arguments: text, a str of 32 characters there" \
        in result.message, result.message


def _temperature_with_floor_division(logits, temperature):
    """A // in a docstring (https://example.org//x) is not a division."""
    z = logits // temperature  # the student meant /
    e = np.exp(z - z.max())
    return e / e.sum()


def test_floor_division_in_a_wrong_answer_is_pointed_at():
    result = check("temperature", _temperature_with_floor_division)
    line = inspect.getsourcelines(_temperature_with_floor_division)[1] + 2
    assert f"line {line} uses // (floor division: it rounds down, 7 // 2 is 3): `z = logits // temperature  " \
           "# the student meant /`: did you mean / ?" in result.message, result.message
    assert "uses //" not in check("temperature", temperature_ex.temperature_multiplied).message


def test_gradient_keys_named_dWxh_are_asked_to_be_named_after_the_parameters():
    result = check("bptt", lambda *args: {"d" + k: g for k, g in ref("bptt")(*args).items()})
    assert "your function's result has the keys 'dWxh', 'dWhh', 'dWhy', 'dbh', 'dby': name each gradient " \
           "after its parameter, 'Wxh', 'Whh', 'Why', 'bh', 'by'" in result.message, result.message


def test_a_shallow_copy_of_params_that_is_changed_is_explained():
    def forward(params, inputs, h0):
        p = params.copy()
        p["bh"] += 0.0 * p["bh"] + 1.0  # changes the caller's array through the shallow copy
        return ref("forward")(params, inputs, h0)

    result = check("forward", forward)
    assert "changed its argument params" in result.message
    assert "params.copy() copies the dict, not the arrays in it" in result.message


def test_an_optimiser_step_that_skips_one_parameter_names_only_the_wrong_arrays():
    def adagrad_step(params, grads, memory, lr):
        for k in ("Wxh", "Whh", "Why", "bh"):  # forgets by
            memory[k] += grads[k] ** 2
            params[k] -= lr * grads[k] / np.sqrt(memory[k] + 1e-8)

    result = check("adagrad_step", adagrad_step)
    assert "wrong (relative error): params['by'] 0.5, memory['by'] 1; the other 8 are right" in result.message, \
        result.message


def test_a_transposed_ps_is_called_transposed_not_an_axis_too_few():
    def forward(params, inputs, h0):
        hs, ps = ref("forward")(params, inputs, h0)
        return hs, ps.T.copy()

    text = check("forward", forward).message
    assert "transposed" in text and "axis of length 1 too" not in text


def test_a_mistake_is_named_only_when_it_matches_every_case():
    """All-zero gradients equal, on the one-step case only, a loop that skips t = 0."""
    result = check("bptt", lambda params, inputs, targets, hs, ps: {k: np.zeros_like(v) for k, v in params.items()})
    assert result.outcome == "wrong" and "none is right" in result.message
    assert "known mistake" not in result.message, result.message


def test_a_right_output_with_a_changed_argument_is_not_given_the_name_of_a_mistake():
    def softmax(y):
        y -= y.max(axis=-1, keepdims=True)
        e = np.exp(y)
        return e / e.sum(axis=-1, keepdims=True)

    result = check("softmax", softmax)
    assert result.outcome == "wrong" and "changed its argument y" in result.message
    assert "y = y.copy() first" in result.message and "known mistake" not in result.message


# ------------------------------------------------------------------ float32

def test_float32_work_is_judged_by_float32_rounding_whatever_dtype_it_returns():
    def softmax32(y):
        y = y.astype(np.float32)
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    for fn in (softmax32, lambda y: softmax32(y).astype(np.float64)):
        result = check("softmax", fn)
        assert result.passed, result.message
        assert "your function works in float32: right within float32's rounding" in result.message

    def temperature32(logits, temperature):
        return temperature_ex.temperature(np.float32(logits), np.float32(temperature)).astype(float)

    assert check("temperature", temperature32).passed
    wrong = check("loss", lambda ps, targets: np.float32(loss_ex.loss_mean(ps, targets)))
    assert wrong.outcome == "wrong" and "a mean loss where the sum is asked" in wrong.message


def test_a_classic_mistake_made_in_float32_is_still_named():
    result = check("softmax", lambda y: softmax_ex.softmax_over_everything_after_row_max(y.astype(np.float32)))
    assert "known mistake: normalising over the whole array instead of each row" in result.message, result.message


def test_float32_is_mentioned_only_where_its_rounding_showed():
    assert check("one_hot", lambda ids, V: np.eye(V, dtype=np.float32)[ids]).message == \
        f"✓ one_hot: right on all {len(cases('one_hot'))} cases (worst relative error < 1e-12)"


def test_epsilon_outside_the_square_root_is_wrong_and_named():
    """np.sqrt(memory) + 1e-8 differs from np.sqrt(memory + 1e-8) on a first step with gradients of 1e-5."""
    def adagrad_step(params, grads, memory, lr):
        for k in params:
            memory[k] += grads[k] ** 2
            params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)

    def rmsprop_step(params, grads, memory, lr, decay=0.9):
        for k in params:
            memory[k] = decay * memory[k] + (1 - decay) * grads[k] ** 2
            params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)

    for name, fn in (("adagrad_step", adagrad_step), ("rmsprop_step", rmsprop_step)):
        result = check(name, fn)
        assert result.outcome == "wrong", result.message
        assert "This matches a known mistake: 1e-8 outside the square root." in result.message, result.message
    assert check("adagrad_step", adagrad_ex.adagrad_without_epsilon).outcome == "wrong"


# ------------------------------------------------------------ a verdict, always

def _loop_for_ever(*args):
    while True:
        pass


def test_a_function_that_never_returns_or_swallows_the_time_out_gets_a_verdict():
    def stubborn(y):
        while True:
            try:
                while True:
                    pass
            except BaseException:  # noqa: BLE001 -- what a student might write
                pass

    for fn in (_loop_for_ever, stubborn):
        result = check("softmax", fn, time_limit=0.3)
        assert result.outcome == "wrong" and "gave up after 0.3 s" in result.message


def test_a_slow_wrong_function_is_bounded_by_the_total_time():
    import time

    def slow(y):
        time.sleep(0.2)
        return y

    start = time.monotonic()
    result = check("softmax", slow, total_time=1.0)
    assert result.outcome == "wrong" and time.monotonic() - start < 3.0


def test_hostile_functions_get_a_verdict():
    class Boom(BaseException):
        pass

    class Evil(float):
        def __float__(self):
            raise RuntimeError("no")

        def __eq__(self, other):
            raise RuntimeError("no")

    def calls_check(ps, targets):
        return check("loss", calls_check)

    def exits(y):
        raise SystemExit(3)

    def boom(y):
        raise Boom()

    def chatty(y):
        print("x" * 20_000_000)
        return softmax_ex.softmax(y)

    for name, fn in (("loss", calls_check), ("softmax", exits), ("softmax", boom),
                     ("loss", lambda ps, targets: Evil(3.0)), ("softmax", chatty)):
        result = check(name, fn)
        assert result.outcome in ("wrong", "right") and len(result.message) < 5000, (fn, result.message[:300])
    assert check("loss", calls_check).outcome == "wrong"
    assert check("loss", ref("loss")).passed  # and the kernel is fine afterwards


def test_the_notebooks_params_never_change():
    params = rnn_core.init_params(5, 3, seed=0)
    params["bh"] += 0.5
    kept = copy.deepcopy(params)

    def rnn_step(p, x, h_prev):
        p["Wxh"] += 1.0  # vandalises whatever it is given
        p["bh"][:] = 0
        return np.tanh(p["Wxh"][:, x] + p["Whh"] @ h_prev + p["bh"])

    result = check("rnn_step", rnn_step)
    assert result.outcome == "wrong" and "changed its argument params" in result.message
    for k in params:
        assert np.array_equal(params[k], kept[k])
    assert check("rnn_step", ref("rnn_step")).passed


def test_unknown_exercise_or_not_a_function_raises_a_clear_value_error():
    with pytest.raises(ValueError, match="there is no exercise called 'sofmax'; the exercises are: vocabulary"):
        check("sofmax", ref("softmax"))
    with pytest.raises(ValueError, match=r"needs your function itself, e.g. check\('softmax', softmax\)"):
        check("softmax", np.zeros(3))


# ------------------------------------------------------------- the checker's data

def test_the_cases_span_the_input_space():
    for name in ("forward", "bptt"):
        sizes = [(c.dims["V"], c.dims["H"], c.dims["T"]) for c in cases(name)]
        assert len(set(sizes)) >= 4 and len(set(sizes)) < len(sizes), "several sizes, one of them twice"
        for c in cases(name):
            params, inputs = c.args[0], c.args[1]
            assert np.abs(params["bh"]).min() > 0 and np.abs(params["by"]).min() > 0
            if len(inputs) > 2:
                assert len(set(inputs.tolist())) < len(inputs), "no repeated character"
    assert any(c.dims["V"] >= 65 for name in NAMES if name not in ("vocabulary",) for c in cases(name)
               if "V" in c.dims)
    assert max(c.dims["T"] for c in cases("loss")) >= 1000
    assert max(len(c.args[1]) for c in cases("bptt")) > 25
    assert any(np.abs(np.asarray(c.args[0], float)).max() - np.abs(np.asarray(c.args[0], float)).min() > 2000
               for c in cases("softmax"))
    assert min(c.args[1] for c in cases("temperature")) <= 0.01 and max(c.args[1] for c in cases("temperature")) >= 100
    assert any(c.args[1] > len(c.args[0]) for c in cases("top_k"))
    assert any(c.args[0].max() < c.args[1] - 1 for c in cases("one_hot"))
    assert any((c.args[0] == 0).any() for c in cases("loss"))
    texts = "".join(c.args[0] for c in cases("vocabulary"))
    assert "\t" in texts and "\r" in texts and any(ord(ch) > 127 for ch in texts)
    grads = [c.want["grads"] for c in cases("clip")]
    assert any(list(g) != ["Wxh", "Whh", "Why", "bh", "by"] for g in grads)
    assert max(np.abs(g).max() for c in cases("bptt") for g in c.want.values()) > 5


def test_the_cases_are_the_same_every_time():
    for name in NAMES:
        a, b = cases(name), cases(name)
        assert [c.about for c in a] == [c.about for c in b]
        assert all(_equal(x.args, y.args) for x, y in zip(a, b)), name


def test_verdicts_are_the_same_every_time():
    for name, fn in (("bptt", _bptt(dhnext_on=False)), ("softmax", softmax_ex.softmax_minus_mean),
                     ("top_k", ref("top_k"))):
        assert check(name, fn).message == check(name, fn).message


def _equal(a, b):
    if isinstance(a, dict):
        return list(a) == list(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return all(_equal(x, y) for x, y in zip(a, b))
    return np.array_equal(a, b)


def _numerical(f, arrays, eps=1e-5):
    out = []
    for a in arrays:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + eps
            up = f()
            a[i] = old - eps
            down = f()
            a[i] = old
            g[i] = (up - down) / (2 * eps)
        out.append(g)
    return out


def test_the_reference_bptt_step_is_the_derivative_of_one_step():
    """The checker's reference for bptt_step against numerical derivatives of
    L = dy . (Why h + by) + dhnext . h, with h = tanh(Wxh[:, x] + Whh h_prev + bh)."""
    for c in cases("bptt_step")[:4]:
        params, x, h_prev, _, dy, dhnext = copy.deepcopy(c.args)

        def surrogate():
            h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
            return dy @ (params["Why"] @ h + params["by"]) + dhnext @ h

        grads, dh_prev = c.want
        keys = ("Wxh", "Whh", "Why", "bh", "by")
        numeric = _numerical(surrogate, [params[k] for k in keys] + [h_prev])
        for k, est in zip(keys + ("h_prev",), numeric):
            got = dh_prev if k == "h_prev" else grads[k]
            assert np.allclose(got, est, rtol=1e-6, atol=1e-8), k


def test_the_reference_rmsprop_is_a_decaying_average_of_squared_gradients():
    rng = np.random.default_rng(0)
    p = {"w": rng.standard_normal(4)}
    m = {"w": np.zeros(4)}
    gs = [rng.standard_normal(4) for _ in range(3)]
    decay, lr, w = 0.9, 0.1, p["w"].copy()
    for g in gs:
        ref("rmsprop_step")(p, {"w": g}, m, lr, decay)
    assert np.allclose(m["w"], (1 - decay) * (decay ** 2 * gs[0] ** 2 + decay * gs[1] ** 2 + gs[2] ** 2))
    mem, expect = 0.0, w
    for g in gs:
        mem = decay * mem + (1 - decay) * g * g
        expect = expect - lr * g / np.sqrt(mem + 1e-8)
    assert np.allclose(p["w"], expect)


def test_the_reference_top_k_agrees_with_the_sampler():
    params = rnn_core.init_params(6, 4, seed=3)
    for k, p in params.items():
        p += np.random.default_rng(1).standard_normal(p.shape)
    vocab = rnn_core.Vocab("abcdef")
    h = rnn_core.forward(params, np.array([0, 1, 2]))[0][-1]
    y = params["Why"] @ h + params["by"]
    for k in (1, 2, 4, 6, 9):
        assert np.allclose(ref("top_k")(y, k), next_char_probs(params, vocab, "abc", top_k=k))
    assert np.allclose(ref("temperature")(y, 0.5), reference_softmax(y / 0.5))


def test_a_whole_check_of_right_code_takes_well_under_a_second():
    import time
    for name in NAMES:
        start = time.process_time()
        check(name, ref(name))
        assert time.process_time() - start < 1.0, name


# ------------------------------------------------------------------ display

def test_a_result_shows_the_same_text_as_plain_text_and_html():
    for fn in (softmax_ex.softmax, stub, softmax_ex.softmax_without_max):
        result = check("softmax", fn)
        html = result._repr_html_()
        first = result.message.split("\n")[0]
        assert repr(result) == result.message and html_module.escape(first) in html
        assert check("softmax", fn).message == result.message
        assert "0x" not in result.message


def test_in_a_script_check_prints_its_verdict_once():
    code = textwrap.dedent("""
        from rnn_core.exercises import check
        def softmax(y):
            raise NotImplementedError
        result = check("softmax", softmax)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.count("not attempted") == 1, out


def test_module_and_package_layout_keeps_one_exercise_in_one_place():
    """Each exercise module holds its signature, cases, reference, mistakes and hints."""
    for name in NAMES:
        module = EXERCISES[name].module
        assert module.__name__ == f"rnn_core.exercises.{name}"
        for attr in ("NOTEBOOK", "SIGNATURE", "ARGS", "cases", "HINTS", name):
            assert hasattr(module, attr), (name, attr)
    machinery = (ROOT / "rnn_core" / "exercises" / "checking.py").read_text()
    assert not any(f'"{name}"' in machinery for name in NAMES), "the machinery names no exercise"


# ------------------------------------------------------------------ hints and solutions

def test_hints_are_graded_and_the_solution_passes_when_run(capsys):
    hint("bptt")
    hint("bptt", 2)
    out = capsys.readouterr().out
    assert out.startswith("Hint 1 of 2 for bptt:") and "Hint 2 of 2 for bptt:" in out
    with pytest.raises(ValueError, match="level must be 1 or 2"):
        hint("bptt", 3)
    for name in NAMES:
        solution(name)
        source = capsys.readouterr().out
        space = {"np": np}
        exec(source, space)  # the printed text is a whole, working function
        assert check(name, space[name]).passed, name
        capsys.readouterr()
    assert all(name in SIGNATURES for name in NAMES) and len(NAMES) == 16


def _code_lines(fn):
    lines = inspect.getsource(fn).splitlines()[1:]
    return [ln.split("#")[0].strip() for ln in lines if ln.strip() and not ln.strip().startswith(('"""', "#"))
            and len(ln.split("#")[0].strip()) > 12]


@pytest.mark.parametrize("name", NAMES)
def test_the_last_hint_still_leaves_a_step_and_reads_no_notebook_global(name):
    """No hint holds a line of the solution, and none uses a size the notebook defines (np.arange(T))."""
    hints = EXERCISES[name].hints
    for text in hints:
        for line in _code_lines(ref(name)):
            assert line not in text, (name, line)
        assert "np.arange(T)" not in text and "range(T)" not in text, (name, text)


# ----------------------------------------------------------------- predict first

def test_predict_asks_a_stored_question_and_answers_right_and_wrong():
    q = predict("hs-rows")
    question, choices, answer, why = QUESTIONS["hs-rows"]
    assert q.question == question and q.choices == tuple(choices)
    assert q.choose(answer).startswith("✓")
    bundle = q._repr_mimebundle_()
    assert why not in bundle["text/plain"]
    assert bundle == {**bundle, **predict("hs-rows")._repr_mimebundle_()} or \
        bundle["text/html"] == predict("hs-rows")._repr_mimebundle_()["text/html"]
    with pytest.raises(ValueError, match="there is no question called 'nope'"):
        predict("nope")


def test_predict_answers_right_and_wrong_and_shows_the_same_text_each_time():
    q = predict("Which has T+1 rows?", ["hs", "ps"], 0, "hs also holds h0.")
    assert q.choose(1) == "✗ Not B. The answer is A) hs. hs also holds h0."
    assert q.choose(0) == "✓ A is right. hs also holds h0."
    q.widget.buttons[1].click()
    assert "Not B" in q.widget.feedback.value
    bundle = q._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    again = predict("Which has T+1 rows?", ["hs", "ps"], 0, "hs also holds h0.")._repr_mimebundle_()
    assert bundle["text/plain"] == again["text/plain"] and bundle["text/html"] == again["text/html"]
    assert "<details><summary>show the answer</summary><p><b>A) hs</b>. hs also holds h0." \
        in bundle["text/html"]


def test_predict_falls_back_to_text_without_widgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    q = predict("2 + 2?", ["3", "4"], 1, "Arithmetic.")
    assert isinstance(q, Prediction) and q.widget is None
    assert set(q._repr_mimebundle_()) == {"text/plain", "text/html"}
    assert q.choose(1) == "✓ B is right. Arithmetic."


def test_predict_rejects_an_answer_that_is_not_a_choice():
    with pytest.raises(ValueError, match="answer must be the index of the right choice, 0 to 1, got 2"):
        predict("?", ["a", "b"], 2, "")
    with pytest.raises(ValueError, match="choices must be 2 to 8 strings"):
        predict("?", [str(i) for i in range(9)], 0, "")


def test_a_second_wrong_pick_gives_the_answer_and_the_why():
    q = predict("Which is prime?", ["4", "6", "7"], 2, "7 has no divisor but 1 and itself.")
    assert q.choose(0) == "✗ Not A. Think again, then pick another."
    assert q.choose(1) == "✗ Not B. The answer is C) 7. 7 has no divisor but 1 and itself."


def test_importing_the_exercises_does_not_import_widgets():
    code = "import sys, rnn_core, rnn_core.exercises; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------- the notebooks

SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
SERIES = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))


def test_the_solutions_notebooks_cover_every_exercise_and_show_only_ticks():
    checked = []
    for path in SOLUTIONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), path.name
        for c in code:
            source = "".join(c["source"])
            assert "solution(" not in source, path.name
            if source.startswith("check("):
                checked.append(source.split('"')[1])
                (out,) = c["outputs"]
                assert "".join(out["data"]["text/plain"]).startswith("✓"), (path.name, source)
            for out in c["outputs"]:
                assert out["output_type"] != "error" and out.get("name") != "stderr", path.name
    assert sorted(checked) == sorted(NAMES)


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_predict_first_answers_are_not_in_the_cell_a_student_reads(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    asked = 0
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if "predict(" not in source:
            continue
        asked += 1
        key = source.split('predict("')[1].split('"')[0]
        question, choices, answer, why = QUESTIONS[key]
        assert "answer" not in source and why not in source, source
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert why not in "".join(data.get("text/plain", "")), path.name
            html = "".join(data.get("text/html", ""))
            if why in html:  # only inside a closed fold-out
                assert html.index("<details>") < html.index(why) and "<details open" not in html
    assert asked >= 1


def test_every_series_notebook_ends_with_stubs_that_are_stored_not_attempted():
    checked = []
    for path in SERIES:
        nb = json.loads(path.read_text(encoding="utf-8"))
        sources = ["".join(c["source"]) for c in nb["cells"]]
        turn = next(i for i, s in enumerate(sources) if s.startswith("## Your turn"))
        assert sources[-1].startswith("## Summary") and turn < len(sources) - 1, path.name
        for cell, source in zip(nb["cells"][turn:], sources[turn:]):
            if source.startswith("def "):
                assert "raise NotImplementedError" in source, (path.name, source)
            if source.startswith("check("):
                checked.append(source.split('"')[1])
                (out,) = cell["outputs"]
                assert "not attempted" in "".join(out["data"]["text/plain"]), (path.name, source)
    assert checked == list(NAMES), "every exercise appears in the notebooks, in the order of NAMES"


# ------------------------------------------- issue 16, second blind corpus: whole classes of inputs

def test_the_verdict_does_not_depend_on_the_callers_recursion_limit():
    """jedi (imported with IPython) raises the process's limit to 3000: a recursive forward must stay wrong."""
    def forward(params, inputs, h0):
        if len(inputs) == 0:
            return np.array([h0]), np.zeros((0, params["Why"].shape[0]))
        hs, ps = forward(params, inputs[:-1], h0)
        h = np.tanh(params["Wxh"][:, inputs[-1]] + params["Whh"] @ hs[-1] + params["bh"])
        return np.vstack([hs, h]), np.vstack([ps, reference_softmax(params["Why"] @ h + params["by"])])

    before = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(20000)
        result = check("forward", forward)
        assert result.outcome == "wrong" and "RecursionError" in result.message, result.message
        assert sys.getrecursionlimit() == 20000
    finally:
        sys.setrecursionlimit(before)


def test_new_arrays_put_into_the_dict_are_wrong_for_clipping_and_say_why():
    def clip(grads, limit):
        for k in grads:
            grads[k] = np.clip(grads[k], -limit, limit)

    result = check("clip", clip)
    assert result.outcome == "wrong" and "put new arrays into grads['Wxh']" in result.message, result.message
    assert "the arrays the caller had are unchanged" in result.message

    def clip_global_norm(grads, max_norm):
        norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
        if norm > max_norm:
            for k in grads:
                grads[k] = grads[k] * (max_norm / norm)

    assert "put new arrays into" in check("clip_global_norm", clip_global_norm).message


def test_a_zero_argument_is_pointed_at_when_the_case_holding_it_fails():
    def clip(grads, limit):
        if limit:
            for g in grads.values():
                np.clip(g, -limit, limit, out=g)

    result = check("clip", clip)
    assert result.outcome == "wrong" and "this case has limit = 0" in result.message, result.message

    def bptt_step(params, x, h_prev, h, dy, dhnext):
        grads, dh_prev = ref("bptt_step")(params, x, h_prev, h, dy, dhnext)
        if not x:
            grads["Wxh"][:] = 0.0
        return grads, dh_prev

    result = check("bptt_step", bptt_step)
    assert "this case has x = 0" in result.message and "every row" not in result.message, result.message


def test_a_scale_factor_that_is_slightly_off_is_named_for_the_global_norm():
    def clip_global_norm(grads, max_norm):
        norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
        if norm > max_norm:
            for g in grads.values():
                g *= max_norm / (norm + 1e-6)

    result = check("clip_global_norm", clip_global_norm)
    assert result.outcome == "wrong" and "every array is off by the same factor" in result.message, result.message


@pytest.mark.parametrize("name,kept", [("loss", 1), ("dlogits", 1), ("temperature", 0), ("top_k", 0),
                                       ("one_hot", 0), ("encode", 0), ("rnn_step", 0), ("forward", 0),
                                       ("bptt_step", 0), ("bptt", 0)])
def test_a_function_that_remembers_its_answer_by_one_argument_is_wrong(name, kept):
    right, memo = ref(name), {}

    def remembering(*args):
        arg = args[kept]  # by content (a change in place is a new key); params: every array of the dict
        key = repr([(k, np.asarray(v).tolist()) for k, v in arg.items()] if isinstance(arg, dict)
                   else np.asarray(arg).tolist())
        if key not in memo:
            memo[key] = right(*copy.deepcopy(args))
        return copy.deepcopy(memo[key])

    result = check(name, remembering)
    assert result.outcome == "wrong" and "the second time with the same" in result.message, result.message


def test_bptt_step_that_recomputes_h_from_params_is_right():
    def bptt_step(params, x, h_prev, h, dy, dhnext):
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
        return ref("bptt_step")(params, x, h_prev, h, dy, dhnext)

    assert check("bptt_step", bptt_step).passed


@pytest.mark.parametrize("name", NAMES)
def test_the_reference_passes_its_own_cases_and_every_probe(name):
    assert check(name, ref(name)).passed


@pytest.mark.parametrize("name", ["rnn_step", "forward"])
def test_a_tanh_written_with_exp_is_wrong_and_told_to_use_np_tanh(name):
    def tanh(a):
        return (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1)

    def rnn_step(params, x, h_prev):
        return tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])

    def forward(params, inputs, h0):
        hs = [h0]
        for x in inputs:
            hs.append(rnn_step(params, x, hs[-1]))
        hs = np.array(hs, dtype=float)
        return hs, reference_softmax(hs[1:] @ params["Why"].T + params["by"])

    result = check(name, {"rnn_step": rnn_step, "forward": forward}[name])
    assert result.outcome == "wrong" and "Use np.tanh" in result.message, result.message


def test_a_squeeze_that_drops_a_hidden_axis_of_length_1_is_wrong():
    def forward(params, inputs, h0):
        hs, ps = ref("forward")(params, inputs, h0)
        return hs.squeeze(), ps  # (T+1, H) -> (T+1,) when H = 1

    result = check("forward", forward)
    assert result.outcome == "wrong" and "H=1" in result.message, result.message


def test_clip_global_norm_works_on_any_keys():
    def clip_global_norm(grads, max_norm):
        keys = ("Wxh", "Whh", "Why", "bh", "by")
        norm = np.sqrt(sum((grads[k] ** 2).sum() for k in keys if k in grads))
        if norm > max_norm:
            for k in keys:
                if k in grads:
                    grads[k] *= max_norm / norm

    result = check("clip_global_norm", clip_global_norm)
    assert result.outcome == "wrong" and "'W' and 'b'" in result.message, result.message


def test_predict_leaves_the_process_recursion_limit_as_it_was():
    """Importing ipywidgets imports jedi, which sets the limit to 3000: predict puts it back."""
    before = sys.getrecursionlimit()
    predict("hs-rows")
    assert sys.getrecursionlimit() == before


def test_clip_may_refuse_a_limit_of_0_as_rnn_core_does_but_not_ignore_it():
    def clip(grads, limit):
        if limit <= 0:
            raise ValueError(f"limit must be positive, got {limit}")
        for g in grads.values():
            np.clip(g, -limit, limit, out=g)

    assert check("clip", clip).passed
    assert check("clip", rnn_core.optim.clip_elementwise).passed

    def clip(grads, limit):  # noqa: F811
        if limit:
            for g in grads.values():
                np.clip(g, -limit, limit, out=g)

    assert check("clip", clip).outcome == "wrong"
