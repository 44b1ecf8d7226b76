"""The predict-first questions of notebooks 01-06, kept here so that the cell a student reads
before answering holds only ``predict("key")``, not the answer.

key -> (question, choices, index of the right choice, why)
"""

QUESTIONS = {
    "vocab-first-char": (
        "In the sorted vocabulary of Tiny Shakespeare, which character comes first?",
        ["'A'", "'a'", "the space ' '", "the newline '\\n'"], 3,
        "Sorting compares Unicode code points: the newline is 10, the space 32, 'A' 65 and 'a' 97. "
        "The cell below prints them."),
    "one-hot-memory": (
        "Stored as one-hot float64 vectors instead of 1-byte ids, how much more memory does the corpus take?",
        ["8 times", "65 times", "520 times", "about the same"], 2,
        "Each character becomes V = 65 float64 numbers of 8 bytes instead of one byte: 65 x 8 = 520. "
        "The cell below prints both sizes."),
    "hs-rows": (
        "After reading T = 40 characters, which of hs and ps has T + 1 = 41 rows?",
        ["hs", "ps", "both", "neither"], 0,
        "hs[0] is h0, the state before any character is read, and each character adds one state; a prediction "
        "is made only after a character is read, so ps has T rows. The loop below prints both shapes."),
    "naive-softmax": (
        "What does the naive softmax np.exp(y) / np.exp(y).sum() give for the logits [1000, 999, 998]?",
        ["[0.665, 0.245, 0.090]", "[1, 0, 0]", "[nan, nan, nan]", "an OverflowError"], 2,
        "exp(1000) overflows float64 to inf (numpy warns, it does not raise), and inf / inf is nan. "
        "The next section shows it."),
    "loss-untrained": (
        "An untrained network (weights of size 0.01) reads 20,000 characters. About what loss per character "
        "does it score?",
        ["about 0 nats", "about 1 nat", "about ln V = ln 65 = 4.17 nats", "about 65 nats"], 2,
        "Tiny weights give logits near 0, so every character gets a probability close to 1/V, and each step "
        "costs -ln(1/V) = ln V. The next section measures it."),
    "smoothed-loss-weight": (
        "The smoothed loss is S_n = 0.999 S_(n-1) + 0.001 L_n. After 1,000 steps, what weight does the starting "
        "value S_0 still have?",
        ["0.1%", "about 37%", "about 90%", "exactly 0"], 1,
        "Each step keeps 0.999 of it: 0.999^1000 is about 0.368, close to 1/e. The cell below prints it for "
        "several step counts."),
    "dy-negative": (
        "Which entries of dy = p - onehot(k) are negative?",
        ["all of them", "only the target's, dy[k]", "none", "about half"], 1,
        "Every p_i is positive; subtracting 1 at the target makes only dy[k] = p_k - 1 negative, and the "
        "entries sum to 1 - 1 = 0. The asserts below check both."),
    "bptt-without-dhnext": (
        "BPTT without dhnext: which gradients come out wrong?",
        ["all five", "only dWhh", "dWxh, dWhh and dbh; dWhy and dby stay right", "none, as long as the loss falls"],
        2,
        "dWhy and dby use only dy_t and h_t. dhnext enters dh_t, and everything computed from dhraw (dbh, dWxh, "
        "dWhh) misses what later steps send back. The next cell measures it."),
    "adagrad-first-step": (
        "On Adagrad's very first step (memory = g^2), at learning rate 0.1: how far does an element with "
        "gradient 0.01 move, compared with one whose gradient is 4?",
        ["400 times less", "20 times less", "the same, about 0.1 each"], 2,
        "With m = g^2 the step is lr * g / sqrt(g^2 + 1e-8), about lr * sign(g): the gradient's size cancels. "
        "The next cell prints the first step of every parameter."),
    "adagrad-rare-columns": (
        "After training, which characters' columns of Wxh take the largest Adagrad steps?",
        ["the most frequent (space, e, t)", "the rarest (& and $)", "all about the same"], 1,
        "A column of Wxh gets a gradient only when its character is read, so a rare character's memory stays "
        "small and its step lr / sqrt(memory) stays large. The plots below show it."),
    "temperature-half": (
        "A temperature tau divides the logits before the softmax: p = softmax(y / tau). At tau = 0.5, what "
        "happens to the probability of the most likely character?",
        ["it rises", "it falls", "it stays the same"], 0,
        "Dividing by 0.5 doubles every gap between logits, and p_i / p_j = exp((y_i - y_j) / tau), so the "
        "favourite pulls further ahead. Section 2 below prints it."),
    "greedy-200": (
        "Greedy decoding always takes the most likely character. What does 200 characters of it look like?",
        ["the best sample, only more accurate", "a phrase repeated over and over", "random characters"], 1,
        "The most likely continuation of a phrase leads back to the same phrase, and with no randomness nothing "
        "pushes it out. The cell below finds the period of the loop."),
}
