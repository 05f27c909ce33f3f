# Prints without end, as fast as it can.
n = 0
while True:
    print(f"line {n} " + "x" * 60)
    n += 1
