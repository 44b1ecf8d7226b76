"""Today's misses of the checker on the fifth blind corpus: id -> what the checker says.

"false pass": a wrong function the checker calls right.
"false failure": a right function the checker calls wrong.
The tests mark these xfail(strict=True): fixing one makes the suite fail until it is removed here.
"""
KNOWN_MISSES = {}
