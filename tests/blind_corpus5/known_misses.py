"""Today's misses of the checker on the fifth blind corpus: id -> what the checker says and why.

"false pass": a wrong function the checker calls right.
"false failure": a right function the checker calls wrong (none today).
The tests mark these xfail(strict=True): fixing one makes the suite fail until it is removed here.
"""
KNOWN_MISSES = {
    "clip_global_norm with the norm computed in float32 overflows for huge gradients":
        "false pass: no clip_global_norm case has gradients above ~1.8e19, where a float32 square overflows",
    "dlogits with the targets cast to uint8 (V above 256)":
        "false pass: every dlogits case has V <= 256",
    "loss with the targets cast to uint8 (V above 256)":
        "false pass: every loss case has V <= 256",
    "bptt with the inputs cast to uint8 (V above 256)":
        "false pass: every bptt case has V <= 256",
    "forward with the inputs cast to uint8 (V above 256)":
        "false pass: every forward case has V <= 256",
}
