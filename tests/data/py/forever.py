# Never ends on its own: only Stop (or a signal to the lab) ends it.
def spin():
    n = 0
    while True:
        n += 1


print("spinning", flush=True)
spin()
