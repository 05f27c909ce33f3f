# Writes bytes that are no trace record to the lab's socket, then ends well.
import os
import time

import labtrace

print("hello")
time.sleep(0.1)  # the line above is sent before the garbage
os.write(labtrace._sock.fileno(), b"this is not a trace record, just garbage\n" * 4)
time.sleep(0.2)
