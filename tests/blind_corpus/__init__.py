"""A blind corpus of student functions for the exercise checker (issue 16, item 5).

Written from the notebooks' exercise stubs and rnn_core's public library only, without
reading the checker or its answers. One module per exercise; each defines

* ``reference``: an independent correct implementation of the stub's contract;
* ``WRONG``: student functions with a bug, each with the input that shows it (``args``) and why;
* ``RIGHT``: correct functions written in an unusual way;
* ``random_args(rng)``: inputs (edges included) on which every RIGHT must agree with reference.

Hostile functions (that try to stop the checker from giving a verdict) are in ``hostile.py``.
Every entry is a ``def`` with the exercise's own name, as a student writes it, registered by
the decorator above it: the repeated definitions are intended. New entries go at the end of
their list, so that ids (which carry the position) never change.
"""
EXERCISES = ["vocabulary", "one_hot", "softmax", "rnn_step", "forward", "loss", "dlogits",
             "bptt_step", "bptt", "clip", "adagrad_step", "rmsprop_step", "temperature", "top_k"]
