"""Recurring crawls: the jobs file (`jobfile.py`), one run of a job (`run.py`), the scheduler (`scheduler.py`)."""
