# Cuts the tracer off: closes the socket the lab reads its records from,
# then goes on and ends with exit status 3.
import os
import sys
import time

import labtrace

print("before closing")
os.close(labtrace._sock.fileno())
time.sleep(1.5)  # still running when the lab sees its socket close
print("after closing")
sys.exit(3)
