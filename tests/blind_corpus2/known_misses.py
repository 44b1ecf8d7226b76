"""Today's false verdicts of rnn_core.exercises.check on this corpus.

Keys are corpus sentences; values say what kind of mistake it is. The tests mark these
entries xfail(strict=True): when the checker is fixed the test fails and the entry
must be removed from here.
"""
KNOWN_MISSES = {}
