"""Today's false verdicts of rnn_core.exercises.check on this corpus (2026-12-06).

Keys are corpus sentences; values say what kind of mistake it is and why the checker
misses it. The tests mark these entries xfail(strict=True): the day the checker gets
one right, its test fails and the entry must be removed from here.
"""
KNOWN_MISSES = {
    # ---- false passes: wrong functions the checker calls right ----
    "vocabulary that starts from text[0] crashes on an empty text":
        "edge: no empty text among the cases",
    "encode of an empty text returns a float array":
        "dtype on an edge: np.array([]) is float64, which cannot index; no empty text "
        "(or the dtype of an empty result is not looked at)",
    "encode that stores ids as uint8 wraps around past 255 characters":
        "size: no vocabulary longer than 255 characters",
    "encode that stores ids as int8 wraps around past 127 characters":
        "size: no vocabulary longer than 127 characters",
    "one_hot that casts ids to uint8 wraps ids past 255":
        "size: no V above 255",
    "rnn_step with a hand-written tanh gives NaN for a large pre-activation":
        "large values: no pre-activation above ~355, where exp(2a) overflows",
    "forward of an empty sequence returns ps of shape (0,)":
        "edge: no T = 0 (contract ambiguity: the stub does not say T >= 1)",
    "dlogits of an empty sequence returns shape (0,)":
        "edge: no T = 0 (contract ambiguity: the stub does not say T >= 1)",
    "bptt that only walks back the last 100 steps misses older steps":
        "long sequence: the longest bptt case is T = 40",
    "bptt that drops dhnext every 50 steps (truncation) on a long sequence":
        "long sequence: the longest bptt case is T = 40",
    "bptt that stacks per-step arrays crashes on an empty sequence":
        "edge: no T = 0 (contract ambiguity)",
    "clip that puts new arrays into the dict leaves the caller's arrays unclipped":
        "in place vs rebinding: the dict is updated, the caller's arrays are not "
        "(contract ambiguity: 'in place' does not say which)",
    "clip behind 'if limit:' does nothing for a limit of 0":
        "falsy argument: no limit of exactly 0",
    "clip_global_norm that puts new arrays into the dict":
        "in place vs rebinding (contract ambiguity, as for clip)",
    "clip_global_norm with PyTorch's 1e-6 added to the norm":
        "tiny values: off by 1e-6 / norm, visible only for norms near 1e-6",
    "clip_global_norm that compares the squared norm with max_norm":
        "missing band: no case with sqrt(max_norm) < norm <= max_norm (or max_norm < 1 "
        "with max_norm < norm < sqrt(max_norm)), where it scales when it must not, or not "
        "when it must",
    "clip_global_norm with min(1, max_norm / norm) divides by a zero norm":
        "exact zero: no all-zero gradients",
    "bptt_step with 'if x:' skips dWxh for the character with id 0":
        "falsy argument: no case with x = 0",
    "temperature with a T = 1 shortcut that skips the max subtraction":
        "branch: large logits are never given with temperature exactly 1",
    "top_k with a k >= V shortcut that skips the max subtraction":
        "branch: large logits are never given with k >= V",
    "softmax that stacks row results fails on an empty batch":
        "edge: no empty leading axis (contract says any leading shape)",
    "top_k with a k = 1 argmax shortcut drops a tied maximum":
        "ties: no case with k = 1 and a tied largest logit (ties at other k are caught)",
    "rmsprop_step that skips all-zero gradients forgets to decay memory":
        "exact zero: no all-zero gradient array with non-zero memory",
    "loss memoised on the targets alone answers new ps with an old loss":
        "state between calls: no two calls share targets with different ps",
    "vocabulary sorted by UTF-16 code units puts an emoji before U+FF01":
        "non-ASCII: no character outside the Basic Multilingual Plane (emoji) in the texts",
    "dlogits memoised on the targets alone answers new ps with an old dy":
        "state between calls: no two calls share targets with different ps",
    "temperature memoised on the logits alone ignores a new temperature":
        "state between calls: no two calls share logits with different temperatures",
    "top_k memoised on the logits alone ignores a new k":
        "state between calls: no two calls share logits with different k",
    "one_hot memoised on the ids alone ignores a new V":
        "state between calls: no two calls share ids with different V",
    "encode memoised on the text alone ignores a new vocabulary":
        "state between calls: no two calls share a text with different vocabularies",
    # ---- false failures: right functions the checker calls wrong ----
    "bptt_step that recomputes h from params and h_prev is right":
        "contract ambiguity: the checker changes params in place between two calls but "
        "keeps h, so h no longer equals tanh(Wxh x + Whh h_prev + bh); a function that "
        "recomputes h (equal under the stub's meaning of h) is called wrong",
}
