"""Exercise `temperature` (notebook 06): softmax(logits / temperature)."""
import numpy as np

from ..forward import softmax
from .checking import case

NOTEBOOK = "06"
SIGNATURE = "fn(logits, temperature) -> probabilities (V,)"
ARGS = ("logits", "temperature")
OUTPUT = "probabilities"
SUMS_TO_ONE = ("probabilities",)


def temperature(logits, temperature):
    """logits: (V,), temperature > 0 -> probabilities (V,) = softmax(logits / temperature)."""
    z = logits / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


def cases():
    rng = np.random.default_rng(12)
    out = []
    # (V, tau, scale, shift, kind): tau below and above 1; a tiny tau (logits / tau span thousands);
    # a huge tau, 1e6 (almost uniform: a ceiling on the temperature shows); logits near 500; integer logits and an int tau; V = 65; float32
    for V, tau, scale, shift, kind in [(7, 0.5, 2, 0, ""), (7, 0.5, 3, 0, ""), (13, 2.0, 2, 0, ""),
                                       (9, 0.25, 3, 500, ""), (65, 0.01, 2, 0, ""), (8, 1e6, 3, 0, ""),
                                       (11, 3, 4, 0, "int"), (10, 0.7, 3, 0, "float32"), (6, 1e-3, 1, -40, "")]:
        y = rng.standard_normal(V) * scale + shift
        if kind == "int":
            y = np.round(y).astype(np.int64)
        if kind == "float32":
            y = y.astype(np.float32)
        about = f"V={V}, temperature={tau!r}" + (f", logits near {shift}" if shift else "")
        about += f", {kind} logits" if kind == "int" or kind == "float32" else ""
        out.append(case((y, tau), softmax(np.asarray(y, dtype=np.float64) / tau), about, V=V))
    # close logits at a small temperature (not yet one-hot); logits spanning hundreds at a huge temperature
    # (a probability that underflows at temperature 1 does not at 1000); a temperature of 1e-12 with logits
    # of size 1e-12 (a floor on the temperature anywhere above 1e-12 shows); a temperature of 1e-4 with moderate logits (p ** (1 / T) underflows)
    for y, tau, about in [(np.array([1.0, 1.01, 0.0, 0.99]), 0.05, "V=4, temperature=0.05, close logits"),
                          (np.array([0.0, -800.0, -1.0, -400.0]), 1000.0, "V=4, temperature=1000.0, logits "
                                                                          "spanning 800"),
                          (np.array([1e-12, 0.0, -1e-12]), 1e-12, "V=3, temperature=1e-12, logits of size 1e-12"),
                          (np.array([0.0, 1.0, 2.0, 1.9999]), 1e-4, "V=4, temperature=0.0001"),
                          (np.array([1000.0, 998.5, -900.0, 3.0]), 1.0, "V=4, temperature=1.0, logits spanning "
                                                                         "1900"),
                          (np.array([1000.0, 998.5, -900.0, 3.0]), 1, "V=4, temperature=1 (an int), logits "
                                                                       "spanning 1900")]:
        out.append(case((y, tau), softmax(y / tau), about, V=len(y)))
    return out


def temperature_on_probabilities(logits, temperature):
    return softmax(softmax(logits) / temperature)


def temperature_ignored(logits, temperature):
    return softmax(np.asarray(logits, dtype=np.float64))


def temperature_multiplied(logits, temperature):
    return softmax(logits * temperature)


def temperature_without_max(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


def temperature_minus_mean(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.mean())
    return e / e.sum()


def temperature_max_before_dividing_wrongly(logits, temperature):
    e = np.exp((logits - logits.max()) * temperature)
    return e / e.sum()


def vary(args):
    """The same logits (the same object) with another temperature."""
    logits, tau = args
    return [("temperature", (logits, tau * 3))]


MISTAKES = [
    ("a function that ignores the temperature",
     "its output is the plain softmax of the logits whatever the temperature (dividing the probabilities "
     "by it and renormalising does this too). Fix: softmax(logits / temperature)", temperature_ignored),
    ("temperature applied to probabilities instead of logits",
     "temperature divides the logits: softmax(logits / temperature)", temperature_on_probabilities),
    ("multiplying by the temperature", "divide: logits / temperature", temperature_multiplied),
    ("a softmax without subtracting the max",
     "a small temperature makes logits / temperature overflow exp(). Fix: subtract z.max() before np.exp",
     temperature_without_max),
    ("subtracting the mean instead of the max",
     "with a small temperature the scaled logits span thousands and exp() overflows or underflows. "
     "Fix: subtract z.max()", temperature_minus_mean),
    ("multiplying by the temperature", "divide: logits / temperature", temperature_max_before_dividing_wrongly),
]

HINTS = [
    "The temperature acts before the softmax, on the logits. Does it multiply them or divide them, if a "
    "small temperature is to make the favourite likelier?",
    "Scale the logits, then take a softmax of the result. A temperature of 0.01 turns logits of size 2 "
    "into 200: what did notebook 02 do so that exp() never overflows?",
]
