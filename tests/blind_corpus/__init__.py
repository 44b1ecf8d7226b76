"""A blind corpus of student functions for the exercise checker (issue 16, item 5).

Written from the notebooks' exercise stubs and rnn_core's public library only, without
reading the checker or its answers. One module per exercise; each defines

* ``reference``: an independent correct implementation of the stub's contract;
* ``WRONG``: student functions with a bug, each with the input that shows it (``args``) and why;
* ``RIGHT``: correct functions written in an unusual way;
* ``random_args(rng)``: inputs (edges included) on which every RIGHT must agree with reference;
* optionally ``HOSTILE``: functions that try to stop the checker from giving a verdict.
"""
EXERCISES = ["vocabulary", "one_hot", "softmax", "rnn_step", "forward", "loss", "dlogits",
             "bptt_step", "bptt", "clip", "adagrad_step", "rmsprop_step", "temperature", "top_k"]
