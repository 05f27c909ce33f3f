# A producer puts five items and a stop sign on a queue; a consumer gets them.
import queue
import threading

q = queue.Queue()


def produce():
    for i in range(5):
        q.put(i)
    q.put(None)


def consume():
    while q.get() is not None:
        pass


threads = [threading.Thread(target=produce, name="producer"),
           threading.Thread(target=consume, name="consumer")]
for t in threads:
    t.start()
for t in threads:
    t.join()
