# A spawn pool of two processes squares numbers.
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        print(sum(pool.map(square, range(8), chunksize=1)))
