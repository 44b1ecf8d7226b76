"""The training step of ``train``, arranged for speed: one workspace, allocated once.

``forward.hidden_states``, ``forward.probabilities``, ``loss.nll`` and
``bptt.gradients`` are the readable reference: the notebooks print and assert
their outputs. This module computes the same step (forward, loss, BPTT, clip,
optimiser), and tests/test_workspace.py checks it against them. What makes it
faster, and why each trick is safe:

* **Every array of a step is allocated once**, in a ``Workspace``, and each
  operation writes into one of them (``out=``), where the readable code makes
  about twenty new arrays per step.
* **The five parameters live in one flat array** (``Workspace.theta``), and so
  do their gradients and their Adagrad memories. ``params["Wxh"]`` and the others
  are views of it, so the model is still a dict of arrays. Clipping and Adagrad
  are elementwise, so running them once over the flat array gives exactly the
  numbers of running them once per parameter, in 7 numpy calls instead of 35.
* **With B = 1 every product, sum and loop is the one the readable code does, in
  the same order**, so the results are bit for bit the same: the classic
  min-char-rnn numbers that notebooks store. This costs little: at B = 1 the
  products are matrix-vector products, where the faster layouts below gain
  nothing or a few percent of the step (measured in benchmarks/README.md).
* **With B > 1 the big products are laid out the way BLAS runs them fastest**
  (see ``_Batched``). These round differently in the last bits, so a B > 1 run
  is not bit-identical to the readable functions (the tests allow float
  rounding, and gradients are checked against numerical ones as well).
"""
import numpy as np

from .forward import PARAM_NAMES, sizes


class Workspace:
    """Buffers for training steps of one shape: T steps of B streams, H hidden, V characters.

    ``params``, ``grads`` and ``memory`` are dicts of views of three flat arrays
    (``theta``, ``grad``, ``mem``). ``gradients`` fills ``grad``; ``clip``,
    ``adagrad`` and ``sgd`` change ``theta`` (and ``mem``) in place. Hand out
    copies of the dicts (``dict(ws.params)``): ``owns`` can then tell whether
    someone put another array in their place.
    """

    def __init__(self, params, memory, T, B):
        V, H = sizes(params)
        dtype = params["Whh"].dtype
        self.T, self.B, self.H, self.V, self.dtype = T, B, H, V, dtype
        n = sum(params[k].size for k in PARAM_NAMES)
        self.theta, self.grad, self.mem = (np.empty(n, dtype) for _ in range(3))
        self.tmp = np.empty(n, dtype)  # scratch for the optimiser
        self.params, self.grads, self.memory = (_views(a, params) for a in
                                                (self.theta, self.grad, self.mem))
        self.load(params, memory)
        # forward
        self.hs = np.empty((T + 1, B, H), dtype)  # hs[0] = h0, hs[t] = h after input t-1
        self.rec = np.empty((B, H), dtype)        # Whh h_{t-1}
        self.ps = np.empty((T, B, V), dtype)      # logits, then probabilities, then dy
        self.picked = np.empty(T * B, dtype)      # p_t[target_t]
        # backward
        self.dh = np.empty((T, B, H), dtype)
        self.dtanh = np.empty((T, B, H), dtype)
        self.dhraw = np.empty((T, B, H), dtype)
        self.dhnext = np.empty((B, H), dtype)
        self.rows = V * np.arange(T * B)          # start of each row of ps, flattened
        self.target_ix = np.empty(T * B, np.intp)
        self.engine = _Exact(self) if B == 1 else _Batched(self)

    def load(self, params, memory):
        """Copy parameters and Adagrad memory into the flat arrays."""
        for k in PARAM_NAMES:
            self.params[k][...] = params[k]
            self.memory[k][...] = memory[k]

    def owns(self, params, memory):
        """True if these dicts still hold this workspace's views (nobody swapped an array)."""
        return all(params.get(k) is self.params[k] and memory.get(k) is self.memory[k]
                   for k in PARAM_NAMES)

    def gradients(self, inputs, targets, h0):
        """inputs, targets: (T, B) int; h0: (B, H) -> loss (float, summed in nats).

        Fills ``grads`` (and ``hs``: ``hs[-1]`` is the last hidden state).
        Changes no parameter.
        """
        self.hs[0] = h0
        self.engine.hidden_states(inputs)
        self.engine.probabilities()
        loss = self.engine.loss(targets)
        self.engine.backward(inputs, targets)
        return loss

    def clip(self, limit):
        """Every gradient element into [-limit, limit], in one call over all parameters."""
        np.clip(self.grad, -limit, limit, out=self.grad)

    def adagrad(self, lr):
        """mem += g * g; theta -= lr * g / sqrt(mem + 1e-8), for all parameters at once.

        The same operations, in the same order, as ``optim.adagrad_update``
        (``p += -lr * g / np.sqrt(mem + 1e-8)``), so the same numbers.
        """
        g, mem, tmp = self.grad, self.mem, self.tmp
        np.multiply(g, g, out=tmp)
        mem += tmp
        np.add(mem, 1e-8, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.multiply(g, -lr, out=g)  # the gradient is spent after this step
        np.divide(g, tmp, out=g)
        self.theta += g

    def sgd(self, lr):
        """theta -= lr * g, as ``optim.sgd_update``."""
        np.multiply(self.grad, lr, out=self.tmp)
        self.theta -= self.tmp


def _views(flat, like):
    """A dict of views of ``flat``, one per parameter, shaped like ``like``'s arrays."""
    out, start = {}, 0
    for k in PARAM_NAMES:
        n = like[k].size
        out[k] = flat[start:start + n].reshape(like[k].shape)
        start += n
    return out


class _Steps:
    """What both engines share: views of the workspace's buffers and the loss."""

    def __init__(self, ws):
        self.ws = ws
        T, B, H, V = ws.T, ws.B, ws.H, ws.V
        self.steps = list(zip(ws.hs[:-1], ws.hs[1:]))                    # (h_{t-1}, h_t)
        self.back = list(zip(ws.dh[::-1], ws.dtanh[::-1], ws.dhraw[::-1]))  # t = T-1, ..., 0
        self.ps2 = ws.ps.reshape(T * B, V)
        self.h_out = ws.hs[1:].reshape(T * B, H)
        self.h_in = ws.hs[:-1].reshape(T * B, H)
        self.dh2 = ws.dh.reshape(T * B, H)
        self.dhraw2 = ws.dhraw.reshape(T * B, H)
        self.rowmax = np.empty((T, B, 1), ws.dtype)
        self.tiny = np.finfo(ws.dtype).tiny

    def loss(self, targets):
        ws = self.ws
        # loss.nll: -sum(log(max(p[target], tiny)))
        np.add(ws.rows, targets.reshape(-1), out=ws.target_ix)
        np.take(ws.ps.reshape(-1), ws.target_ix, out=ws.picked)
        np.maximum(ws.picked, self.tiny, out=ws.picked)
        np.log(ws.picked, out=ws.picked)
        return float(-ws.picked.sum())


class _Exact(_Steps):
    """B = 1: the readable code's operations, one for one, written into the workspace.

    The comments name the function of forward.py / bptt.py each part stands for; a
    reordered sum or a different BLAS call would change the last bits, and early
    Adagrad training turns a last-bit difference into a visibly different run.
    """

    def __init__(self, ws):
        super().__init__(ws)
        T, B, H, V = ws.T, ws.B, ws.H, ws.V
        self.rowsum = np.empty((T, B, 1), ws.dtype)
        self.h_cols = V * np.arange(H)  # flat index of column 0 in each row of dWxh
        self.wxh_ix = np.empty((T * B, H), np.intp)

    def hidden_states(self, inputs):
        """hs[1:] from hs[0] (h0) and inputs: (T, B) int."""
        ws, p = self.ws, self.ws.params
        # forward.input_table then np.take: (Wxh.T + bh)[inputs]. Picking the T rows
        # first and adding bh to them gives the same sums without building the (V, H) table
        np.take(p["Wxh"].T, inputs, axis=0, out=ws.hs[1:])
        ws.hs[1:] += p["bh"]
        WhhT, rec = p["Whh"].T, ws.rec
        dot, tanh = np.dot, np.tanh  # looked up once, not T times
        for h_prev, h in self.steps:  # forward.hidden_states' loop
            dot(h_prev, WhhT, out=rec)
            h += rec
            tanh(h, out=h)

    def probabilities(self):
        """ps from hs[1:]."""
        ws, p = self.ws, self.ws.params
        # forward.probabilities: the stacked product (one per step), + by, softmax
        np.matmul(ws.hs[1:], p["Why"].T, out=ws.ps)
        ws.ps += p["by"]
        np.max(ws.ps, axis=-1, keepdims=True, out=self.rowmax)
        ws.ps -= self.rowmax
        np.exp(ws.ps, out=ws.ps)
        np.sum(ws.ps, axis=-1, keepdims=True, out=self.rowsum)
        ws.ps /= self.rowsum

    def backward(self, inputs, targets):
        ws, p, g = self.ws, self.ws.params, self.ws.grads
        # dy = p - onehot(target), in the place of the probabilities (the loss is
        # computed, they are not needed again); loss() filled target_ix
        dy = self.ps2
        dy.reshape(-1)[ws.target_ix] -= 1
        np.matmul(dy.T, self.h_out, out=g["Why"])
        np.sum(dy, axis=0, out=g["by"])
        np.matmul(dy, p["Why"], out=self.dh2)
        np.multiply(ws.hs[1:], ws.hs[1:], out=ws.dtanh)
        np.subtract(1, ws.dtanh, out=ws.dtanh)
        Whh, dhnext = p["Whh"], ws.dhnext
        dot, multiply = np.dot, np.multiply
        dhnext[...] = 0
        for dh_t, dtanh_t, dhraw_t in self.back:  # bptt.gradients' loop, t = T-1, ..., 0
            dh_t += dhnext
            multiply(dh_t, dtanh_t, out=dhraw_t)
            dot(dhraw_t, Whh, out=dhnext)
        np.matmul(self.dhraw2.T, self.h_in, out=g["Whh"])
        np.sum(self.dhraw2, axis=0, out=g["bh"])
        g["Wxh"][...] = 0
        np.add(inputs.reshape(-1, 1), self.h_cols, out=self.wxh_ix)
        np.add.at(g["Wxh"].reshape(-1), self.wxh_ix.reshape(-1), self.dhraw2.reshape(-1))


class _Batched(_Steps):
    """B > 1: the same maths in fewer, larger BLAS calls, in the layouts BLAS runs fastest.

    Each difference from _Exact says why; together with the workspace they make a
    B = 32 float32 step about 1.36x as fast as the readable one (benchmarks/README.md,
    "Where the time goes"). They sum in other orders than the readable code, so
    results differ in the last bits.
    """

    def __init__(self, ws):
        super().__init__(ws)
        T, B, H, V = ws.T, ws.B, ws.H, ws.V
        self.table = np.empty((V, H), ws.dtype)  # Wxh x + bh for each character x
        # Below this size every exp(logit) is a normal float and V of them sum to a
        # finite one (float32 at V = 65: ~83), so the softmax may skip its shift
        info = np.finfo(ws.dtype)
        self.exp_safe = min(-np.log(info.tiny), np.log(info.max) - np.log(V)) - 1
        self.WhhT = np.empty((H, H), ws.dtype)
        self.ones_V = np.ones(V, ws.dtype)
        self.ones_TB = np.ones(T * B, ws.dtype)
        self.rowsum1 = np.empty(T * B, ws.dtype)
        self.onehot = np.empty((T * B, V), ws.dtype)
        self.positions = np.arange(T * B)

    def hidden_states(self, inputs):
        ws, p = self.ws, self.ws.params
        np.add(p["Wxh"].T, p["bh"], out=self.table)  # forward.input_table
        np.take(self.table, inputs, axis=0, out=ws.hs[1:])
        # h_{t-1} @ Whh.T from a row-major copy of Whh.T: with the transposed view BLAS
        # runs this (B, H) x (H, H) product 2-3 times slower (measured at B = 32)
        WhhT, rec = self.WhhT, ws.rec
        np.copyto(WhhT, p["Whh"].T)
        dot, tanh = np.dot, np.tanh  # looked up once, not T times
        for h_prev, h in self.steps:
            dot(h_prev, WhhT, out=rec)
            h += rec
            tanh(h, out=h)

    def probabilities(self):
        p = self.ws.params
        # the output layer for all T x B positions in one (T*B, H) x (H, V) product,
        # instead of T stacked (B, H) x (H, V) products: about twice as fast
        ps = self.ps2
        np.dot(self.h_out, p["Why"].T, out=ps)
        ps += p["by"]
        # softmax. Every |h| <= 1 (tanh), so no logit exceeds max_v(|Why_v|_1 + |by_v|) in
        # size; while that bound is small, exp cannot overflow (nor fall to denormals) and
        # the softmax needs no shift: it skips the slow max along each short row
        bound = float((np.abs(p["Why"]).sum(axis=1) + np.abs(p["by"])).max())
        if not bound <= self.exp_safe:  # also when the bound is nan
            np.max(ps, axis=1, keepdims=True, out=self.rowmax.reshape(-1, 1))
            ps -= self.rowmax.reshape(-1, 1)
        np.exp(ps, out=ps)
        # row sums as a matrix-vector product: BLAS adds along short rows far faster
        # than numpy's sum(axis=1); then multiply by 1/sum instead of dividing
        rowsum = self.rowsum1
        np.dot(ps, self.ones_V, out=rowsum)
        np.divide(1, rowsum, out=rowsum)
        ps *= rowsum[:, None]

    def backward(self, inputs, targets):
        ws, p, g = self.ws, self.ws.params, self.ws.grads
        dy = self.ps2  # as in _Exact.backward
        dy.reshape(-1)[ws.target_ix] -= 1
        np.dot(dy.T, self.h_out, out=g["Why"])
        np.dot(self.ones_TB, dy, out=g["by"])  # column sums, also as a BLAS product
        np.dot(dy, p["Why"], out=self.dh2)
        np.multiply(ws.hs[1:], ws.hs[1:], out=ws.dtanh)
        np.subtract(1, ws.dtanh, out=ws.dtanh)
        Whh, dhnext = p["Whh"], ws.dhnext
        dot, multiply = np.dot, np.multiply
        dhnext[...] = 0
        for dh_t, dtanh_t, dhraw_t in self.back:
            dh_t += dhnext
            multiply(dh_t, dtanh_t, out=dhraw_t)
            dot(dhraw_t, Whh, out=dhnext)
        dhraw = self.dhraw2
        np.dot(dhraw.T, self.h_in, out=g["Whh"])
        np.dot(self.ones_TB, dhraw, out=g["bh"])
        # dWxh = dhraw^T X with X the one-hot inputs: the product the forward pass avoided
        # (a row lookup there), done here as one dense BLAS product, which at this size is
        # faster than adding 800 rows into their columns one by one (np.add.at)
        X = self.onehot
        X[...] = 0
        X[self.positions, inputs.reshape(-1)] = 1
        np.dot(dhraw.T, X, out=g["Wxh"])
