# Starts 1000 programs that are not Python (so not traced), each waiting:
# only the count of the process group sees them. The odd number names
# them in the list of processes.
import subprocess

children = [subprocess.Popen(["sleep", "60.125"]) for _ in range(1000)]
print(f"started {len(children)} children")
