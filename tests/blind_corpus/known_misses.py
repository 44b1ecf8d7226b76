"""Entry ids (e.g. "softmax-W07-subtracts-mean") the checker's author has decided to leave unfixed.

Each id listed here turns its checker test into pytest.mark.xfail(strict=True): it must
still fail, so a fix is noticed and the id removed. Keep this empty unless you say why.
"""
KNOWN_MISSES = {
    # a documented limit of checking in the student's own process: one C call (here sum(range(10**13)),
    # hours long) cannot be interrupted, because Python runs signal handlers and async exceptions only
    # between bytecodes; the only remedy would be a subprocess per call, which a Jupyter kernel on
    # Windows and macOS cannot afford for every check. The test kills it after HOSTILE_LIMIT + 5 s.
    "clip-X15-long-C-call",
}
