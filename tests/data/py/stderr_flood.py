# Writes 200 MB to standard error, then fails: what the lab keeps of it
# must stay small, and Python's last line must still be found.
import sys

line = "x" * 10_000 + "\n"
for _ in range(20_000):
    sys.stderr.write(line)
raise RuntimeError("after the flood")
