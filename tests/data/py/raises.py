# Fails with an uncaught exception two calls deep.
def check(value):
    raise ValueError(f"bad value {value}")


def main():
    check(42)


main()
