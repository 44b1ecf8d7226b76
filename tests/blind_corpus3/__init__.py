"""Third blind corpus of student functions for rnn_core.exercises.check (issue 16)."""
