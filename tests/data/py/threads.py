# Three threads sleep, take one lock and print: each thread's lines come in
# its own order, and every increment is made under the lock.
import threading
import time

lock = threading.Lock()
total = 0


def work(step_count):
    global total
    name = threading.current_thread().name
    for step in range(step_count):
        time.sleep(0.005)
        with lock:
            total += 1
            print(f"{name} step {step}")


print("start")
threads = [threading.Thread(target=work, args=(2,), name=f"worker-{i}") for i in range(1, 4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"total {total}")
