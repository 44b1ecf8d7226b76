"""A second blind corpus of student functions for the exercise checker (issue 16).

Written without reading the checker: only the notebooks' stubs, the README and
rnn_core's library modules. See corpus.py (the functions), reference.py (our own
answers and how results are compared) and known_misses.py (today's false verdicts).
"""
