"""Wrong entries of the third blind corpus that the checker calls right (run of 2026-12-06).

Key: the test id in tests/test_blind_corpus3.py; value: why it slips through. Remove an
entry when the checker learns to catch it (its xfail(strict=True) test then fails).
"""
V = "a function that "
W = " is called wrong"

KNOWN_MISSES = {
    # inputs longer than any the checker makes
    "vocabulary: " + V + "looks only at the first 1000 characters for speed" + W:
        "every checker text is shorter than 200 characters",
    "vocabulary: " + V + "looks only at the first 200 characters" + W:
        "every checker text is shorter than 200 characters",
    "encode: " + V + "encodes at most the first 1000 characters" + W:
        "every checker text is shorter than 1000 characters",
    "one_hot: " + V + "fills at most 1000 rows" + W:
        "every checker ids array is shorter than 1000",
    "clip: " + V + "clips at most the first 1000 elements of each array" + W:
        "no checker array has more than 1000 elements (min-char-rnn's Wxh at H=100, V=65 has 6500)",
    # empty sequences
    "forward: " + V + "returns ps of shape (0,) for an empty sequence" + W:
        "no case with T = 0 (ps should be (0, V))",
    "dlogits: " + V + "stacks rows with np.array, so T = 0 gives shape (0,)" + W:
        "no case with T = 0 (dy should be (0, V))",
    # the arrays of params / memory replaced in the dict, not written into
    "adagrad_step: " + V + "rebinds memory[k] to a new array" + W:
        "looks at the dict after the call, not at the arrays passed in (clip and clip_global_norm do)",
    "adagrad_step: " + V + "replaces params[k] rather than writing into it" + W:
        "looks at the dict after the call, not at the arrays passed in",
    "adagrad_step: " + V + "builds new dicts' arrays with np.add (no out=) for both" + W:
        "looks at the dict after the call, not at the arrays passed in",
    "rmsprop_step: " + V + "rebinds memory[k] to a new array" + W:
        "looks at the dict after the call, not at the arrays passed in",
    "rmsprop_step: " + V + "replaces params[k] rather than writing into it" + W:
        "looks at the dict after the call, not at the arrays passed in",
    # values the cases never reach
    "softmax: " + V + "subtracts the global max once the input has more than two axes" + W:
        "3-D cases have no rows far apart in scale",
    "top_k: " + V + "marks the others with -1000, above very negative kept logits" + W:
        "no case whose kept logits lie below -1000",
    "top_k: " + V + "masks with -1e4, above kept logits near -2e4" + W:
        "no case whose kept logits lie below -1e4",
}
