"""Wrong entries of blind_corpus4 that the checker calls right today (false passes),
as (exercise, sentence) pairs. There are no known false failures.

tests/test_blind_corpus4.py marks these xfail(strict=True): the suite fails as soon as
one is fixed (remove it here) or a new one appears.
"""
KNOWN_MISSES = set()
