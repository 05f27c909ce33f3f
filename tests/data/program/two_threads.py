# Two named threads take turns at one lock; the main thread prints its
# arguments first, so a test can see sys.argv arrive split as in a shell.
import sys
import threading
import time

lock = threading.Lock()


def work(name):
    for step in range(3):
        time.sleep(0.01)
        with lock:
            print(f"{name} step {step}")


print("args " + "|".join(sys.argv[1:]))
threads = [threading.Thread(target=work, args=(n,), name=n) for n in ("reader", "writer")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done", file=sys.stderr)
