"""Predict-first questions: buttons where widgets run, a fold-out answer elsewhere."""
import html
import sys
from dataclasses import dataclass

import numpy as np

from .questions import QUESTIONS

LETTERS = "ABCDEFGH"  # the labels of the choices, A) to H)


@dataclass
class Prediction:
    """A "predict first" question."""

    question: str
    choices: tuple
    answer: int
    why: str
    widget: object = None
    wrong_picks: int = 0

    def choose(self, i):
        """Pick choice ``i`` (0-based) -> the feedback text (shown in the widget too).

        A first wrong pick asks for another try; a second one gives the answer and the why,
        so nobody is left guessing through every choice.
        """
        letter = LETTERS[i]
        if i == self.answer:
            text = f"✓ {letter} is right. {self.why}"
        else:
            self.wrong_picks += 1
            if self.wrong_picks == 1 and len(self.choices) > 2:
                text = f"✗ Not {letter}. Think again, then pick another."
            else:
                right = LETTERS[self.answer]
                text = f"✗ Not {letter}. The answer is {right}) {self.choices[self.answer]}. {self.why}"
        if self.widget is not None:
            colour = "#1a7f37" if i == self.answer else "#b00020"
            self.widget.feedback.value = f'<div style="color: {colour}">{html.escape(text)}</div>'
        return text

    def _text(self):
        lines = [f"Predict first: {self.question}"]
        lines += [f"  {LETTERS[i]}) {c}" for i, c in enumerate(self.choices)]
        lines.append("(pick one before you read on)")
        return "\n".join(lines)

    def _html(self):
        # the answer sits in a closed fold-out (for viewers without widgets), never in the cell's source
        items = "".join(f"<li>{html.escape(c)}</li>" for c in self.choices)
        right = f"{LETTERS[self.answer]}) {self.choices[self.answer]}"
        return (f"<div><b>Predict first:</b> {html.escape(self.question)}"
                f'<ol type="A">{items}</ol>'
                f"<details><summary>show the answer</summary><p><b>{html.escape(right)}"
                f"</b>. {html.escape(self.why)}</p></details></div>")

    def __repr__(self):
        return self._text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_())
        # the same text and HTML every run (nbval compares them); the widget view is ignored by nbval
        bundle.update({"text/plain": self._text(), "text/html": self._html()})
        return bundle


def predict(question, choices=None, answer=None, why=None):
    """A "predict first" question: ``predict("loss-untrained")`` asks one of ``QUESTIONS`` (whose
    answers live in rnn_core, out of the cell the student reads before answering).

    ``predict(question, choices, answer, why)`` asks your own; ``answer`` is the index (0-based)
    of the right choice. In a notebook it shows buttons that answer at once, with the why; where
    widgets do not render, a closed "show the answer" fold-out holds the same answer.
    """
    if choices is None:
        if question not in QUESTIONS:
            raise ValueError(f"there is no question called {question!r}; the questions are: "
                             f"{', '.join(QUESTIONS)}")
        question, choices, answer, why = QUESTIONS[question]
    choices = tuple(choices)
    if not 2 <= len(choices) <= len(LETTERS) or not all(isinstance(c, str) for c in choices):
        raise ValueError(f"choices must be 2 to {len(LETTERS)} strings (lettered A to {LETTERS[-1]})")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or not 0 <= answer < len(choices):
        raise ValueError(f"answer must be the index of the right choice, 0 to {len(choices) - 1}, got {answer!r}")
    p = Prediction(question, choices, int(answer), why or "")
    limit = sys.getrecursionlimit()
    try:
        import ipywidgets as W
    except ImportError:
        return p
    finally:
        # ipywidgets imports IPython, which imports jedi, which sets the process's recursion limit to
        # 3000 for good: outside a kernel (a script, a test run) that would change how deep every
        # later call may recurse; inside a kernel jedi is imported already and this changes nothing
        sys.setrecursionlimit(limit)
    feedback = W.HTML(value="")
    buttons = []
    for i, c in enumerate(choices):
        b = W.Button(description=f"{LETTERS[i]}) {c}", layout=W.Layout(width="auto"))
        b.on_click(lambda _, i=i: p.choose(i))
        buttons.append(b)
    box = W.VBox([W.HTML(value=f"<b>Predict first:</b> {html.escape(question)}"), *buttons, feedback])
    box.add_class("rnn-predict")
    box.buttons, box.feedback = buttons, feedback
    p.widget = box
    return p
