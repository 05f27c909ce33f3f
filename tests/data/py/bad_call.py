# Runs a program that does not exist: subprocess raises inside its own
# code, the line to show is this file's.
import subprocess


def main():
    subprocess.run(["no-such-program-anywhere"])


main()
