# A spawn pool of two processes squares numbers. Each worker waits at a
# barrier when it starts, so both are running before the first task is
# handed out, however slowly the machine starts them.
import multiprocessing


def square(x):
    return x * x


def meet(barrier):
    barrier.wait()


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    both = ctx.Barrier(2)
    with ctx.Pool(2, initializer=meet, initargs=(both,)) as pool:
        print(sum(pool.map(square, range(8), chunksize=1)))
