# Starts 1000 processes that each wait: far past the lab's limit. Each
# child sleeps instead of exiting, so the processes pile up at once.
import os
import sys
import time

children = 0
for _ in range(1000):
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    children += 1
print(f"started {children} children")
sys.exit(0)
