"""Today's false verdicts of rnn_core.exercises.check on this corpus (2026-12-06, after the fixes for its first 31).

Keys are corpus sentences; values say what kind of mistake it is and why the checker
misses it. The tests mark these entries xfail(strict=True): the day the checker gets
one right, its test fails and the entry must be removed from here.
"""
KNOWN_MISSES = {
    # ---- false passes: wrong functions the checker calls right ----
    # T = 0 is outside the contract: rnn_core.forward refuses an empty sequence ("T >= 1"), and the
    # loss, dlogits and bptt exercises take forward's hs and ps, so the checker gives no T = 0 case
    "forward of an empty sequence returns ps of shape (0,)":
        "edge outside the contract: T = 0 (rnn_core.forward requires T >= 1)",
    "dlogits of an empty sequence returns shape (0,)":
        "edge outside the contract: T = 0 (ps comes from forward, which requires T >= 1)",
    "bptt that stacks per-step arrays crashes on an empty sequence":
        "edge outside the contract: T = 0 (hs, ps come from forward, which requires T >= 1)",
    # an empty batch: "any leading shape" includes (0, V), but a softmax built on np.apply_along_axis
    # (which refuses empty inputs) is right for every batch a model makes, and the first blind corpus
    # counts it right (softmax-R06-apply-along-axis); a stacked-rows softmax fails the same way
    "softmax that stacks row results fails on an empty batch":
        "edge left out on purpose: an empty batch would fail the first corpus's right apply_along_axis softmax",
}
