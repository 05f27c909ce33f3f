# Starts a Python child that sleeps, then sleeps itself: Stop must end both.
import subprocess
import sys
import time

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
time.sleep(60)
child.wait()
