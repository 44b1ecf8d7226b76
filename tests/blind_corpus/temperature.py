"""06 temperature: logits: (V,), temperature > 0 -> probabilities (V,) = softmax(logits / temperature)."""
import math

import numpy as np

from ._corpus import Calls, registrar

NAME = "temperature"
INPLACE = False
WRONG, RIGHT = [], []
wrong = registrar(NAME, "W", WRONG)
right = registrar(NAME, "R", RIGHT)


def reference(logits, temperature):
    z = [float(v) / temperature for v in logits]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = math.fsum(e)
    return np.array([v / s for v in e])


def public(logits, temperature):
    # rnn_core.sample draws from softmax(y / tau); its softmax is the public one
    import rnn_core
    return rnn_core.softmax(np.asarray(logits, dtype=np.float64) / temperature)


Y = np.array([1.0, 2.0, 0.5, -1.0])


def _sm(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@wrong("multiplies", args=(Y, 0.5), why="logits * temperature instead of / temperature")
def temperature(logits, temperature):
    return _sm(logits * temperature)


@wrong("unguarded-exp", args=(np.array([10.0, 20.0, 15.0]), 0.01), why="np.exp(y / T) / sum: y / T = 2000 overflows")
def temperature(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum()


@wrong("subtracts-mean", args=(np.array([0.0, 10.0, 20.0]), 0.01), why="subtracting the mean leaves +1000 at a tiny temperature")
def temperature(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.mean())
    return e / e.sum()


@wrong("power-of-probabilities", args=(np.array([0.0, 1.0, 2.0]), 1e-4), why="p ** (1 / T) of the softmax: 0.66 ** 10000 underflows to 0 / 0")
def temperature(logits, temperature):
    p = _sm(logits)
    q = p ** (1 / temperature)
    return q / q.sum()


@wrong("power-T", args=(Y, 0.5), why="p ** T instead of p ** (1 / T)")
def temperature(logits, temperature):
    q = _sm(logits) ** temperature
    return q / q.sum()


@wrong("divides-probabilities", args=(Y, 0.5), why="exp(y - max) / T, then normalised: T cancels out")
def temperature(logits, temperature):
    e = np.exp(logits - logits.max()) / temperature
    return e / e.sum()


@wrong("ignores-temperature", args=(Y, 2.0), why="returns softmax(logits)")
def temperature(logits, temperature):
    return _sm(logits)


@wrong("floor-division", args=(Y, 0.7), why="logits // T rounds down")
def temperature(logits, temperature):
    return _sm(logits // temperature)


@wrong("divides-callers-logits", args=(Y, 0.5), why="logits /= temperature changes the caller's array")
def temperature(logits, temperature):
    logits /= temperature
    return _sm(logits)


@wrong("in-place-on-integer-copy", args=(np.array([3, 1, 2]), 0.5), why="y = logits.copy(); y /= T raises for integer logits")
def temperature(logits, temperature):
    y = logits.copy()
    y /= temperature
    return _sm(y)


@wrong("temperature-floored", args=(np.array([1.0, 1.05, 0.0]), 0.01), why="T = max(T, 0.1) to avoid overflow")
def temperature(logits, temperature):
    return _sm(logits / max(temperature, 0.1))


@wrong("uniform-when-hot", args=(np.array([0.0, 50.0, 100.0]), 150.0), why="returns 1/V for T > 100, as if hot meant uniform")
def temperature(logits, temperature):
    if temperature > 100:
        return np.full(len(logits), 1 / len(logits))
    return _sm(logits / temperature)


@wrong("greedy-when-cold", args=(np.array([1.0, 1.01, 0.0]), 0.05), why="one-hot at the argmax for T < 0.1")
def temperature(logits, temperature):
    if temperature < 0.1:
        out = np.zeros(len(logits))
        out[np.argmax(logits)] = 1.0
        return out
    return _sm(logits / temperature)


@wrong("no-softmax", args=(Y, 0.5), why="returns logits / T")
def temperature(logits, temperature):
    return logits / temperature


@wrong("max-of-unscaled-logits", args=(np.array([10.0, 20.0]), 0.01), why="np.exp(y / T - y.max()): subtracts the max before scaling it")
def temperature(logits, temperature):
    e = np.exp(logits / temperature - logits.max())
    return e / e.sum()


_cache = {}


@wrong("cached-by-shape", args=Calls((Y, 0.5), (Y, 2.0)), why="remembers the answer per shape: a new temperature gets the old answer")
def temperature(logits, temperature):
    key = np.shape(logits)
    if key not in _cache:
        _cache[key] = _sm(np.asarray(logits, dtype=float) / temperature)
    return _cache[key]


@wrong("normalised-by-max", args=(Y, 0.5), why="e / e.max()")
def temperature(logits, temperature):
    e = np.exp(logits / temperature - (logits / temperature).max())
    return e / e.max()


_out = {}


@wrong("returns-shared-buffer", args=Calls((Y, 0.5), (Y[::-1].copy(), 0.5)), why="one module-level output array, overwritten by the next call")
def temperature(logits, temperature):
    out = _out.setdefault(len(logits), np.empty(len(logits)))
    z = np.asarray(logits, dtype=float) / temperature
    np.exp(z - z.max(), out=out)
    out /= out.sum()
    return out


@wrong("float16", args=(np.array([0.1, 0.2, 0.3]), 0.9), why="float16 arithmetic: errors near 1e-3")
def temperature(logits, temperature):
    z = (np.asarray(logits) / temperature).astype(np.float16)
    e = np.exp(z - z.max())
    return (e / e.sum()).astype(np.float64)


@wrong("temperature-added", args=(Y, 0.5), why="logits + T: shifting does nothing to a softmax")
def temperature(logits, temperature):
    return _sm(np.asarray(logits, dtype=float) + temperature)


@wrong("epsilon-in-temperature", args=(np.array([1e-6, 0.0, -1e-6]), 1e-7), why="logits / (T + 1e-8) to avoid a division by zero: 10% off at T = 1e-7")
def temperature(logits, temperature):
    return _sm(np.asarray(logits, dtype=float) / (temperature + 1e-8))


@wrong("log-of-softmax", args=(np.array([0.0, -800.0, -1.0]), 1000.0), why="log(softmax(y)) / T: a probability that underflowed to 0 at T = 1 stays 0 at T = 1000")
def temperature(logits, temperature):
    with np.errstate(divide="ignore"):
        return _sm(np.log(_sm(np.asarray(logits, dtype=float))) / temperature)


@wrong("returns-sorted", args=(Y, 0.5), why="np.sort(p)[::-1]: the probabilities, but no longer in vocabulary order")
def temperature(logits, temperature):
    return np.sort(_sm(np.asarray(logits, dtype=float) / temperature))[::-1]


@wrong("int-temperature", args=(Y, 2.5), why="int(temperature): 2.5 becomes 2")
def temperature(logits, temperature):
    return _sm(np.asarray(logits, dtype=float) / int(temperature))


@right("float32-cast-back", f32=True)
def temperature(logits, temperature):
    z = np.asarray(logits, dtype=np.float32) / np.float32(temperature)
    e = np.exp(z - z.max())
    return (e / e.sum()).astype(np.float64)


@right("log-sum-exp")
def temperature(logits, temperature):
    z = np.divide(logits, temperature, dtype=np.float64)
    return np.exp(z - np.logaddexp.reduce(z))


@right("loop")
def temperature(logits, temperature):
    z = [v / temperature for v in np.asarray(logits, dtype=float)]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    total = sum(e)
    return np.array(e) / total


@right("max-before-scaling")
def temperature(logits, temperature):
    y = np.asarray(logits, dtype=np.float64)
    e = np.exp((y - y.max()) / temperature)
    return e / e.sum()


@right("power-of-stable-exp")
def temperature(logits, temperature):
    y = np.asarray(logits, dtype=np.float64)
    # exp((y - max) / T) is a power of exp(y - max), which is <= 1: no overflow
    e = np.exp((y - y.max()) * (1.0 / temperature))
    return e / np.sum(e)


def random_args(rng):
    return [(rng.standard_normal(5), 1.0), (rng.standard_normal(65) * 3, 0.05), (rng.standard_normal(10), 500.0),
            (np.array([2, 7, 1, 7]), 0.3), (np.array([1e3, -1e3, 999.0]), 1e-3), (np.array([4.0]), 2.0),
            (rng.standard_normal(100) * 1000, 0.5)]
