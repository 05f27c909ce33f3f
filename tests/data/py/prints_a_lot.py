# Prints MEGABYTES (argv[1], default 100) of lines, one line longer than
# a megabyte without a newline, then calls a function: its record must
# still arrive after all that text.
import sys

megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
# Every line differs (the lab keeps one copy of equal texts): 1 KiB each.
filler = "x" * 1014
for number in range(megabytes * 1024):
    print(f"{number:08d} {filler}")
sys.stdout.write("y" * (3 * 1024 * 1024))
print()


def after_printing():
    print("the last line")


after_printing()
