"""The exercise checker: right answers pass, stubs are 'not attempted', every classic mistake is named,
and bad student code gets a verdict instead of a traceback (rnn_core.exercises, rnn_core.answers)."""
import copy
import html as html_module
import inspect
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import rnn_core
from rnn_core import answers
from rnn_core.exercises import CASES, NAMES, SIGNATURES, Prediction, check, hint, predict, solution
from rnn_core.forward import softmax as reference_softmax
from rnn_core.sampling import next_char_probs


def stub(*args):
    raise NotImplementedError("your code here")


# --------------------------------------------------------------- the three outcomes

@pytest.mark.parametrize("name", NAMES)
def test_the_reference_answer_passes(name):
    result = check(name, getattr(answers, name))
    assert result.passed and result.outcome == "right", result.message
    assert result.message.startswith(f"✓ {name}: right on all")


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_attempted_without_a_traceback(name):
    result = check(name, stub)
    assert not result.passed and result.outcome == "not attempted"
    assert "not attempted" in result.message and "Traceback" not in result.message


MISTAKES = [(name, label, fn) for name, table in answers.MISTAKES.items() for label, _, fn in table]


@pytest.mark.parametrize("name, label, wrong", MISTAKES, ids=[f"{n}-{f.__name__}" for n, _, f in MISTAKES])
def test_every_classic_mistake_is_wrong_and_named(name, label, wrong):
    result = check(name, wrong)
    assert result.outcome == "wrong", result.message
    assert result.message.startswith(f"✗ {name}")
    assert f"what you get with {label}." in result.message, result.message


def test_the_required_mistakes_are_all_recognised():
    required = {
        "vocabulary": "unsorted vocabulary", "softmax": "softmax without subtracting the max",
        "bptt": "BPTT without dhnext", "loss": "a mean loss where the sum is asked",
        "adagrad_step": "Adagrad without the square root", "temperature": "applied to probabilities",
    }
    for name, words in required.items():
        assert any(words in label for label, _, _ in answers.MISTAKES[name]), (name, words)
    for words in ("BPTT without the tanh derivative", "dWhh from h_t instead of h_{t-1}"):
        assert any(label == words for label, _, _ in answers.MISTAKES["bptt"])
    assert any("without accumulating" in label for label, _, _ in answers.MISTAKES["adagrad_step"])


def test_a_slightly_wrong_answer_is_not_right():
    def almost(params, inputs, targets, hs, ps):
        grads = answers.bptt(params, inputs, targets, hs, ps)
        grads["by"] = grads["by"] * (1 + 1e-4)
        return grads

    result = check("bptt", almost)
    assert result.outcome == "wrong"
    assert "wrong (relative error): dby 0.0001; right: dWxh, dWhh, dWhy, dbh" in result.message


# ------------------------------------------------------ the scenario of the issue

def test_a_learner_without_dhnext_reads_what_is_missing_then_fixes_it():
    """Notebook 04: bptt written without dhnext, checked, fixed, checked again."""
    def bptt(params, inputs, targets, hs, ps):
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        for t in reversed(range(len(inputs))):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            grads["Why"] += np.outer(dy, hs[t + 1])
            grads["by"] += dy
            dh = params["Why"].T @ dy
            dhraw = (1 - hs[t + 1] ** 2) * dh
            grads["bh"] += dhraw
            grads["Wxh"][:, inputs[t]] += dhraw
            grads["Whh"] += np.outer(dhraw, hs[t])
        return grads

    first = check("bptt", bptt)
    assert first.outcome == "wrong"
    text = first.message
    assert "BPTT without dhnext" in text and "the gradient from later steps is missing" in text.lower()
    wrong, right = text.split("wrong (relative error): ")[1].split("\n")[0].split("; right: ")
    assert {w.split()[0] for w in wrong.split(", ")} == {"dWxh", "dWhh", "dbh"}
    assert right.split(", ") == ["dWhy", "dby"]

    def bptt(params, inputs, targets, hs, ps):  # noqa: F811 -- the learner's second attempt
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        dhnext = np.zeros(hs.shape[1])
        for t in reversed(range(len(inputs))):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            grads["Why"] += np.outer(dy, hs[t + 1])
            grads["by"] += dy
            dh = params["Why"].T @ dy + dhnext
            dhraw = (1 - hs[t + 1] ** 2) * dh
            grads["bh"] += dhraw
            grads["Wxh"][:, inputs[t]] += dhraw
            grads["Whh"] += np.outer(dhraw, hs[t])
            dhnext = params["Whh"].T @ dhraw
        return grads

    second = check("bptt", bptt)
    assert second.passed, second.message
    assert "numerical gradients agree to < 1e-" in second.message


# ------------------------------------------------------------------ bad input

def test_a_function_returning_none_is_asked_about_return():
    result = check("softmax", lambda y: None)
    assert result.outcome == "wrong" and "returned None" in result.message


def test_a_list_is_asked_to_be_an_array():
    result = check("softmax", lambda y: answers.softmax(y).tolist())
    assert "is a list; return a numpy array" in result.message


def test_a_scalar_where_an_array_is_expected():
    result = check("one_hot", lambda ids, V: 1.0)
    assert "is a single number, expected an array of shape (6, 5) = (N, V)" in result.message


def test_the_wrong_type_is_named():
    result = check("rnn_step", lambda params, x, h_prev: "h")
    assert "your output is a str, expected an array of shape (3,) = (H,)" in result.message


def test_an_array_where_one_number_is_expected_is_asked_to_be_summed():
    result = check("loss", lambda ps, targets: -np.log(ps[np.arange(len(targets)), targets]))
    assert "your loss is an array of shape (1,) = (T,), expected one number (a float): sum it" in result.message


def test_a_list_vocabulary_is_asked_to_be_a_str_and_an_unsorted_one_is_named():
    result = check("vocabulary", lambda text: sorted(set(text)))
    assert result.outcome == "wrong" and "return one str" in result.message
    result = check("vocabulary", lambda text: list(set(text)))
    assert "an unsorted vocabulary" in result.message and "PYTHONHASHSEED" in result.message


def test_a_function_with_the_wrong_arguments_is_shown_the_signature():
    result = check("rnn_step", lambda params, x: x)
    assert "your code raised TypeError" in result.message
    assert "the check calls it as fn(params, x, h_prev) -> h: (H,), x an int id" in result.message


def test_a_mis_shaped_gradient_is_reported_with_its_numbers_and_letters():
    def bptt(params, inputs, targets, hs, ps):
        grads = answers.bptt(params, inputs, targets, hs, ps)
        grads["Whh"] = np.zeros_like(params["Wxh"])  # (H, V) instead of (H, H)
        return grads

    result = check("bptt", bptt)
    assert "your dWhh has shape (3, 5) = (H, V), expected (3, 3) = (H, H)" in result.message


def test_a_transposed_gradient_is_called_transposed():
    def bptt_step(params, x, h_prev, h, dy, dhnext):
        grads, dh_prev = answers.bptt_step(params, x, h_prev, h, dy, dhnext)
        grads["Why"] = grads["Why"].T
        return grads, dh_prev

    result = check("bptt_step", bptt_step)
    assert "your dWhy has shape (3, 5) = (H, V), expected (5, 3) = (V, H): it is transposed" in result.message


def test_forward_without_h0_row_is_told_hs_has_t_plus_1_rows():
    result = check("forward", lambda params, inputs, h0: tuple(a[1:] if i == 0 else a for i, a in
                                                              enumerate(answers.forward(params, inputs, h0))))
    assert "your hs has shape (1, 3) = (T, H), expected (2, 3) = (T+1, H)" in result.message
    assert "hs[0] is h0" in result.message


def test_nan_in_the_output_is_reported():
    result = check("temperature", lambda logits, temperature: np.full_like(logits, np.nan))
    assert "your output contains NaN in 7 of 7 entries" in result.message


def test_wild_outputs_give_a_verdict_and_no_warning(recwarn):
    assert "expected numbers" in check("softmax", lambda y: y.astype(complex)).message
    assert check("softmax", lambda y: np.full(y.shape, 1e300)).outcome == "wrong"
    assert len(recwarn) == 0


def test_changing_an_argument_is_wrong_even_when_the_answer_is_right():
    def dlogits(ps, targets):
        ps[np.arange(len(targets)), targets] -= 1  # no copy: the caller's ps changes
        return ps

    result = check("dlogits", dlogits)
    assert result.outcome == "wrong"
    assert "changed its argument ps" in result.message


def test_an_in_place_exercise_that_changes_nothing_is_told_so():
    def adagrad_step(params, grads, memory, lr):
        for k in params:
            memory[k] = memory[k] + grads[k] ** 2       # new arrays: the dict's stay as they were...
            params[k] = params[k] - lr * grads[k] / np.sqrt(memory[k] + 1e-8)

    # ...but the dict entries are replaced, which is a legal in-place update of the dict
    assert check("adagrad_step", adagrad_step).passed

    def adagrad_step(params, grads, memory, lr):  # noqa: F811
        for k, p in params.items():
            p = p - lr * grads[k]  # noqa: F841 -- rebinds a local name only

    result = check("adagrad_step", adagrad_step)
    assert "nothing in params or memory changed" in result.message


def test_an_exception_shows_the_students_line_not_the_checker():
    def rnn_step(params, x, h_prev):
        a = params["Wxh"][x] + params["Whh"] @ h_prev  # a row of Wxh: (V,) + (H,)
        return np.tanh(a + params["bh"])

    result = check("rnn_step", rnn_step)
    assert result.outcome == "wrong"
    assert "your code raised ValueError" in result.message
    line = inspect.getsource(rnn_step).splitlines()[1].strip()
    assert f"of rnn_step: `{line}`" in result.message
    assert "exercises.py" not in result.message and "Traceback" not in result.message
    assert "Wxh (3, 5) = (H, V)" in result.message  # the shapes reminder


def _loop_for_ever(*args):
    n = 0
    while True:
        n += 1


def test_a_function_that_never_returns_gets_a_verdict():
    before = signal.getsignal(signal.SIGALRM)
    result = check("softmax", _loop_for_ever, time_limit=0.3)
    assert result.outcome == "wrong" and "gave up after 0.3 s" in result.message
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_function_that_never_returns_gets_a_verdict_off_the_main_thread():
    """No SIGALRM outside the main thread: the trace-function fallback must stop the loop."""
    results = []
    worker = threading.Thread(target=lambda: results.append(check("softmax", _loop_for_ever, time_limit=0.3)))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the fallback did not stop the loop"
    assert "gave up after 0.3 s" in results[0].message
    assert check("softmax", answers.softmax).passed  # and checking works afterwards


def test_swallowing_exceptions_does_not_defeat_the_time_limit():
    def stubborn(y):
        while True:
            try:
                while True:
                    pass
            except Exception:  # noqa: BLE001 -- what a student might write
                pass

    assert "gave up" in check("softmax", stubborn, time_limit=0.3).message


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
    assert check("rnn_step", answers.rnn_step).passed  # the checker's own cases are intact too


def test_unknown_exercise_or_not_a_function_raises_a_clear_value_error():
    with pytest.raises(ValueError, match="there is no exercise called 'sofmax'; the exercises are: vocabulary"):
        check("sofmax", answers.softmax)
    with pytest.raises(ValueError, match=r"needs your function itself, e.g. check\('softmax', softmax\)"):
        check("softmax", np.zeros(3))


# ------------------------------------------------------------- the checker's data

def test_the_cases_have_nonzero_biases_h0_repeated_characters_and_several_sizes():
    for name in ("forward", "bptt"):
        cases = CASES[name]()
        sizes = {(c["dims"]["V"], c["dims"]["H"], c["dims"]["T"]) for c in cases}
        assert len(sizes) >= 3
        for c in cases:
            params, inputs = c["args"][0], c["args"][1]
            assert np.abs(params["bh"]).min() > 0 and np.abs(params["by"]).min() > 0
            if len(inputs) > 2:
                assert len(set(inputs.tolist())) < len(inputs), "no repeated character"
        h0s = [c["args"][2] for c in CASES["forward"]()]
        assert all(np.abs(h0).min() > 0 for h0 in h0s)
    assert any(np.abs(c["args"][0]).max() > 700 for c in CASES["softmax"]())
    assert any(np.abs(c["args"][0]).max() / c["args"][1] > 710 for c in CASES["temperature"]())


def test_the_cases_are_the_same_every_time():
    for name in NAMES:
        a, b = CASES[name](), CASES[name]()
        assert [c["about"] for c in a] == [c["about"] for c in b]
        assert all(_equal(x["args"], y["args"]) for x, y in zip(a, b)), name


def _equal(a, b):
    if isinstance(a, dict):
        return all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return all(_equal(x, y) for x, y in zip(a, b))
    return np.array_equal(a, b)


def _numerical(f, arrays, eps=1e-5):
    """Central differences of the scalar f() w.r.t. every element of every array (perturbed in place)."""
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
    """answers.bptt_step is the checker's reference: check it against numerical derivatives of
    L = dy . (Why h + by) + dhnext . h, with h = tanh(Wxh[:, x] + Whh h_prev + bh)."""
    for case in CASES["bptt_step"]():
        params, x, h_prev, _, dy, dhnext = copy.deepcopy(case["args"])

        def surrogate():
            h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ h_prev + params["bh"])
            return dy @ (params["Why"] @ h + params["by"]) + dhnext @ h

        grads, dh_prev = case["want"]
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
        answers.rmsprop_step(p, {"w": g}, m, lr, decay)
    # unrolled: after three steps the memory is (1-d) * (d^2 g1^2 + d g2^2 + g3^2)
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
    for k in (1, 2, 4, 6):
        assert np.allclose(answers.top_k(y, k), next_char_probs(params, vocab, "abc", top_k=k))
    assert np.allclose(answers.temperature(y, 0.5), reference_softmax(y / 0.5))


# ------------------------------------------------------------------ display

def test_a_result_shows_the_same_text_as_plain_text_and_html():
    for result in (check("softmax", answers.softmax), check("softmax", stub),
                   check("softmax", answers.softmax_without_max)):
        html = result._repr_html_()
        first = result.message.split("\n")[0]
        assert repr(result) == result.message and html_module.escape(first) in html
        assert check("softmax", {"right": answers.softmax, "not attempted": stub,
                                 "wrong": answers.softmax_without_max}[result.outcome]).message == result.message
        assert "0x" not in result.message


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
    assert all(name in SIGNATURES for name in NAMES) and len(NAMES) == 14


# ----------------------------------------------------------------- predict first

def test_predict_answers_right_and_wrong_and_shows_the_same_text_each_time():
    q = predict("Which has T+1 rows?", ["hs", "ps"], 0, "hs also holds h0.")
    # with two choices a wrong pick leaves nothing to guess: it gives the answer and the why
    assert q.choose(1) == "✗ Not B. The answer is A) hs. hs also holds h0."
    assert q.choose(0) == "✓ A is right. hs also holds h0."
    q.widget.buttons[1].click()
    assert "Not B" in q.widget.feedback.value
    q.widget.buttons[0].click()
    assert "A is right" in q.widget.feedback.value
    bundle = q._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    again = predict("Which has T+1 rows?", ["hs", "ps"], 0, "hs also holds h0.")._repr_mimebundle_()
    assert bundle["text/plain"] == again["text/plain"] and bundle["text/html"] == again["text/html"]
    assert "<details><summary>show the answer</summary><p><b>A) hs</b>. hs also holds h0." in bundle["text/html"]


def test_predict_falls_back_to_text_without_widgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    q = predict("2 + 2?", ["3", "4"], 1, "Arithmetic.")
    assert isinstance(q, Prediction) and q.widget is None
    assert set(q._repr_mimebundle_()) == {"text/plain", "text/html"}
    assert q.choose(1) == "✓ B is right. Arithmetic."


def test_predict_rejects_an_answer_that_is_not_a_choice():
    with pytest.raises(ValueError, match="answer must be the index of the right choice, 0 to 1, got 2"):
        predict("?", ["a", "b"], 2, "")


def test_predict_refuses_more_choices_than_it_has_letters():
    with pytest.raises(ValueError, match="choices must be 2 to 8 strings"):
        predict("?", [str(i) for i in range(9)], 0, "")


def test_importing_the_exercises_does_not_import_widgets():
    code = "import sys, rnn_core, rnn_core.exercises; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------- the solutions

SOLUTIONS = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "solutions").glob("*.ipynb"))


def test_the_solutions_notebooks_cover_every_exercise_and_show_only_ticks():
    checked = []
    for path in SOLUTIONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), path.name
        for c in code:
            source = "".join(c["source"])
            assert "rnn_core.answers" not in source and "solution(" not in source, path.name
            if source.startswith("check("):
                checked.append(source.split('"')[1])
                (out,) = c["outputs"]
                assert "".join(out["data"]["text/plain"]).startswith("✓"), (path.name, source)
            for out in c["outputs"]:
                assert out["output_type"] != "error" and out.get("name") != "stderr", path.name
    assert sorted(checked) == sorted(NAMES)


SERIES = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-6]_*.ipynb"))


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
        predicts = [c for c in nb["cells"] if "predict(" in "".join(c["source"])]
        assert 1 <= len(predicts) <= 2 and all(c["metadata"]["jupyter"]["source_hidden"] for c in predicts), \
            f"{path.name}: one or two predict-first questions, their answers folded away"
        assert all(i < turn for i, s in enumerate(sources) if "predict(" in s), path.name
    assert checked == list(NAMES), "the exercises appear in the notebooks in the order of NAMES"


# ------------------------------------------- what students wrote when trying the exercises

def test_a_right_output_with_a_changed_argument_is_not_given_the_name_of_a_mistake():
    """y -= y.max() subtracts the max (right output) on the caller's array: the only fault is the change,
    not 'softmax without subtracting the max', which gives the same output on small logits."""
    def softmax(y):
        y -= y.max(axis=-1, keepdims=True)
        e = np.exp(y)
        return e / e.sum(axis=-1, keepdims=True)

    def dlogits(ps, targets):
        ps[np.arange(len(targets)), targets] -= 1
        return ps

    for name, fn, arg in (("softmax", softmax, "y"), ("dlogits", dlogits, "ps")):
        result = check(name, fn)
        assert result.outcome == "wrong" and f"changed its argument {arg}" in result.message
        assert f"{arg} = {arg}.copy() first" in result.message
        assert "This is what you get" not in result.message, result.message


def test_a_mistake_is_named_only_when_it_matches_every_case():
    """All-zero gradients equal, on the one-step case only, a loop that skips t = 0."""
    result = check("bptt", lambda params, inputs, targets, hs, ps: {k: np.zeros_like(v) for k, v in params.items()})
    assert result.outcome == "wrong" and "none is right" in result.message
    assert "This is what you get" not in result.message, result.message

    def bptt(params, inputs, targets, hs, ps):  # the loop really does stop before t = 0
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        dhnext = np.zeros(hs.shape[1])
        for t in range(len(inputs) - 1, 0, -1):
            dy = ps[t] - np.eye(ps.shape[1])[targets[t]]
            grads["Why"] += np.outer(dy, hs[t + 1])
            grads["by"] += dy
            dhraw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy + dhnext)
            grads["bh"] += dhraw
            grads["Wxh"][:, inputs[t]] += dhraw
            grads["Whh"] += np.outer(dhraw, hs[t])
            dhnext = params["Whh"].T @ dhraw
        return grads

    assert "a loop that stops before t = 0" in check("bptt", bptt).message


def test_dhnext_added_after_the_tanh_derivative_is_named():
    def bptt(params, inputs, targets, hs, ps):
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        dhnext = np.zeros(hs.shape[1])
        for t in reversed(range(len(inputs))):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            grads["Why"] += np.outer(dy, hs[t + 1])
            grads["by"] += dy
            dhraw = (1 - hs[t + 1] ** 2) * (params["Why"].T @ dy) + dhnext  # dhnext skips tanh'
            grads["bh"] += dhraw
            grads["Wxh"][:, inputs[t]] += dhraw
            grads["Whh"] += np.outer(dhraw, hs[t])
            dhnext = params["Whh"].T @ dhraw
        return grads

    result = check("bptt", bptt)
    assert "wrong (relative error): dWxh" in result.message and "right: dWhy, dby" in result.message
    assert "dhnext added after the tanh derivative" in result.message
    assert "dh = Why.T @ dy + dhnext, then dhraw = (1 - h * h) * dh" in result.message


def test_a_float32_answer_is_right_within_float32_rounding_and_a_wrong_one_is_still_wrong():
    def softmax32(y):
        y = y.astype(np.float32)
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    as_float64 = check("softmax", lambda y: softmax32(y).astype(np.float64))
    assert as_float64.outcome == "wrong", "float32 rounding cast back to float64 is beyond float64's tolerance"
    result = check("softmax", softmax32)
    assert result.passed, result.message
    assert "your output is float32: right within float32's rounding" in result.message
    wrong = check("loss", lambda ps, targets: np.float32(answers.loss_mean(ps, targets)))
    assert wrong.outcome == "wrong" and "a mean loss where the sum is asked" in wrong.message


def test_epsilon_outside_the_square_root_is_right_with_a_note():
    def adagrad_step(params, grads, memory, lr):
        for k in params:
            memory[k] += grads[k] ** 2
            params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)

    def rmsprop_step(params, grads, memory, lr, decay):
        for k in params:
            memory[k] = decay * memory[k] + (1 - decay) * grads[k] ** 2
            params[k] -= lr * grads[k] / (np.sqrt(memory[k]) + 1e-8)

    for name, fn in (("adagrad_step", adagrad_step), ("rmsprop_step", rmsprop_step)):
        result = check(name, fn)
        assert result.passed, result.message
        assert "1e-8 outside the square root (as PyTorch writes it) is fine too" in result.message
    assert check("adagrad_step", answers.adagrad_without_epsilon).outcome == "wrong"


def test_what_the_function_prints_stays_out_of_the_cell_and_shows_under_a_wrong_verdict(capsys):
    def softmax(y):
        print("shape", y.shape)
        e = np.exp(y)
        return e / e.sum(axis=-1, keepdims=True)

    result = check("softmax", softmax)
    assert capsys.readouterr().out == ""
    assert result.message.endswith("your function printed, on this case:\n    shape (5,)")  # case 4: large logits
    assert result.message.count("shape (") == 2  # the case and the one print of that case, not all five

    def chatty(y):
        for i in range(10):
            print(i)
        return answers.softmax(y)

    result = check("softmax", chatty)
    assert capsys.readouterr().out == ""
    assert result.passed and "(your function printed 50 lines during the check; they are not shown" in result.message
    result = check("softmax", lambda y: print("a\nb\nc\nd\ne\nf\ng\nh"))
    assert "    f\n    ... (2 more lines)" in result.message


def test_sizes_and_arrays_read_from_the_notebook_are_named():
    space = {"np": np, "H": 100, "V": 65, "lr": 0.1}
    exec("def forward(params, inputs, h0):\n"
         "    hs = np.zeros((len(inputs) + 1, H))\n"
         "    return hs, np.zeros((len(inputs), V))\n", space)
    result = check("forward", space["forward"])
    assert "your function reads from the notebook, not from its arguments: H = 100 there, this case has " \
           "H = 3; V = 65 there, this case has V = 5" in result.message, result.message
    assert "lr" not in result.message.split("notebook")[1]  # only the names it reads
    assert "(e.g. V, H = params['Why'].shape, H = h0.shape[0])" in result.message, result.message
    assert "reads from the notebook" not in check("forward", answers.forward_without_bias).message


def test_a_key_error_lists_the_keys_params_has():
    result = check("rnn_step", lambda params, x, h_prev: np.tanh(params["W_xh"][:, x]))
    assert "KeyError: 'W_xh'" in result.message
    assert "params has the keys 'Wxh', 'Whh', 'Why', 'bh', 'by'" in result.message


def test_an_in_place_exercise_that_returns_new_arrays_is_told_the_return_value_is_ignored():
    def clip(grads, limit):
        return {k: np.clip(g, -limit, limit) for k, g in grads.items()}

    result = check("clip", clip)
    assert "your function returned a dict, which the check ignores: this exercise returns None" in result.message
    assert "This is what you get" not in result.message


def test_an_int_loss_is_told_to_keep_the_fraction():
    result = check("loss", lambda ps, targets: int(answers.loss(ps, targets)))
    assert "your loss is an int: a loss has a fraction" in result.message


def test_swapped_outputs_and_an_extra_axis_of_length_one_are_pointed_out():
    result = check("forward", lambda params, inputs, h0: answers.forward(params, inputs, h0)[::-1])
    assert "your hs and ps look swapped: return hs, ps in that order" in result.message
    result = check("forward", lambda params, inputs, h0: (lambda hs, ps: (hs, ps[:, None, :]))(
        *answers.forward(params, inputs, h0)))
    # case 1 has T = 1: the extra axis must not be read as a second T
    assert "your ps has shape (1, 1, 5), expected (1, 5) = (T, V)" in result.message
    assert "an axis of length 1 too many" in result.message


def test_a_function_that_calls_another_stub_is_told_which_one():
    space = {"np": np}
    exec("def softmax(y):\n"
         "    raise NotImplementedError  # the student's stub from the exercise before\n"
         "def forward(params, inputs, h0):\n"
         "    hs = np.zeros((len(inputs) + 1, len(h0)))\n"
         "    return hs, softmax(hs[1:])\n", space)
    result = check("forward", space["forward"])
    assert result.outcome == "wrong", result.message
    assert result.message == ("✗ forward: your forward calls softmax, which still raises NotImplementedError: "
                              "write softmax first (and check it), or call rnn_core's version")
    assert check("softmax", space["softmax"]).outcome == "not attempted"
    assert check("forward", stub).outcome == "not attempted"


def test_float32_is_mentioned_only_where_its_rounding_showed():
    assert check("one_hot", lambda ids, V: np.eye(V, dtype=np.float32)[ids]).message == \
        "✓ one_hot: right on all 3 cases (worst relative error < 1e-12)"


def test_every_fix_reads_as_a_sentence_once_its_first_letter_is_capitalised():
    """The diagnosis capitalises the fix: 'dWhh is ...' would read 'DWhh is ...', 'np.sort' 'Np.sort'."""
    for name, table in answers.MISTAKES.items():
        for label, fix, _ in table:
            first = fix.split()[0].rstrip(":,")
            assert first == "Fix" or first[0].isupper() or (first.replace("'s", "").isalpha() and first.islower()
                                                            and first not in ("dhnext", "dh", "dy")), \
                (name, label, fix)


def test_a_classic_mistake_made_in_float32_is_still_named():
    """The mistake must match on every case; on the rows near +-1000, float32 rounding alone is ~1e-5."""
    result = check("softmax", lambda y: answers.softmax_over_everything_after_row_max(y.astype(np.float32)))
    assert "This is what you get with normalising over the whole array instead of each row" in result.message


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
    assert result.outcome == "wrong"
    assert f"line {line} uses // (floor division: it rounds down, 7 // 2 is 3): `z = logits // temperature  " \
           "# the student meant /`: did you mean / ?" in result.message, result.message
    assert "uses //" not in check("temperature", answers.temperature_multiplied).message


def test_gradient_keys_named_dWxh_are_asked_to_be_named_after_the_parameters():
    result = check("bptt", lambda *args: {"d" + k: g for k, g in answers.bptt(*args).items()})
    assert "your function's result has the keys 'dWxh', 'dWhh', 'dWhy', 'dbh', 'dby': name each gradient " \
           "after its parameter, 'Wxh', 'Whh', 'Why', 'bh', 'by'" in result.message, result.message


def test_a_shallow_copy_of_params_that_is_changed_is_explained():
    def forward(params, inputs, h0):
        p = params.copy()
        p["bh"] += 0.0 * p["bh"] + 1.0  # changes the caller's array through the shallow copy
        return answers.forward(params, inputs, h0)

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
    # with T = 1, ps of shape (V, 1) squeezes like the expected (1, V): only the transpose is the reason
    def forward(params, inputs, h0):
        hs, ps = answers.forward(params, inputs, h0)
        return hs, ps.T.copy()

    text = check("forward", forward).message
    assert "transposed" in text
    assert "axis of length 1 too" not in text


def test_a_second_wrong_pick_gives_the_answer_and_the_why():
    q = predict("Which is prime?", ["4", "6", "7"], 2, "7 has no divisor but 1 and itself.")
    assert q.choose(0) == "✗ Not A. Think again, then pick another."
    assert q.choose(1) == "✗ Not B. The answer is C) 7. 7 has no divisor but 1 and itself."
    assert q.choose(2).startswith("✓ C is right.")
