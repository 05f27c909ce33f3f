# Never ends: a child process and a thread that sleep, the main thread
# waiting on them. Only Stop ends it.
import subprocess
import sys
import threading
import time

child = subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(1)"])
print(f"child {child.pid}", flush=True)
threading.Thread(target=lambda: time.sleep(10**6), name="sleeper", daemon=True).start()
while True:
    time.sleep(0.05)
