"""Entry ids (e.g. "softmax-W07-subtracts-mean") the checker's author has decided to leave unfixed.

Each id listed here turns its checker test into pytest.mark.xfail(strict=True): it must
still fail, so a fix is noticed and the id removed. Keep this empty unless you say why.
"""
KNOWN_MISSES = set()
