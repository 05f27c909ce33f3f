# A plain os.fork(): the child prints and leaves with os._exit(), which
# runs no atexit handler.
import os

pid = os.fork()
if pid == 0:
    print("from the child")
    os._exit(0)
os.waitpid(pid, 0)
print("from the parent")
