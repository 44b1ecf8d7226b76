"""rnn_core: a small, tested character-level vanilla RNN (min-char-rnn) in numpy.

Where each idea lives:

    encoding    characters <-> ids <-> one-hot vectors       (notebook 01)
    forward     init_params, softmax, forward                (notebook 02)
    loss        cross-entropy, perplexity, smoothed loss     (notebook 03)
    bptt        backward, loss_and_grads                     (notebook 04)
    gradcheck   numerical gradient check                     (notebook 04)
    optim       clipping, Adagrad, SGD                       (notebook 05)
    data        corpus, train/validation split, batches      (notebook 05)
    train       the training loop                            (notebook 05)
    workspace   the same training step, faster: preallocated flat buffers (used by train)
    sampling    temperature, top-k, greedy                   (notebook 06)
    memory      gradients back in time, influence of a character, recall task (notebook 08)
    stepper     what the stepper shows at step t, forward and backward (notebooks 02, 04)
    live        training in short chunks, for the live trainer     (notebook 05, app/train)
    checkpoint  save / load a run without pickle
    cli         python -m rnn_core train|sample
    plots       loss curves, heatmaps, activations over text (needs matplotlib)
    models      the "current model" the pages share: fresh, shipped, just trained
    widgets     sampler, stepper, trainer (needs ipywidgets): one page per module,
                page_sampler, page_stepper, page_trainer (shared pieces in page_html)
    exercises   check(name, fn), hint, solution, predict: the "Your turn" sections,
                one module per exercise (cases, reference, named mistakes, hints)
    sandbox     calls a student's function so that a verdict always comes back
"""
from .bptt import backward, loss_and_grads
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .data import corpus_path, load_text, prepare
from .encoding import Vocab, build_vocab, decode, encode, one_hot
from .forward import forward, init_params, softmax
from .gradcheck import grad_check
from .loss import cross_entropy, perplexity
from .optim import adagrad_step, clip_elementwise, clip_global_norm, sgd_step
from .sampling import sample
from .train import History, evaluate, train

__version__ = "0.1.0"
