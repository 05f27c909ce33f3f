# sitecustomize.py - starts the Concurrency Lab tracer in every Python process
# of a traced program.
#
# The lab puts this directory first on PYTHONPATH, so Python imports this file
# at start-up in the program and in each of its Python children
# (multiprocessing spawn, subprocess). That hides the system's own
# sitecustomize (Debian ships one), so it is run from here too.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys


def _run_system_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:
            continue
        path = os.path.join(entry, "sitecustomize.py")
        if os.path.isfile(path):
            import importlib.util
            spec = importlib.util.spec_from_file_location("_lab_system_sitecustomize", path)
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception:
                pass  # the system's file failing must not stop the program
            return


_run_system_sitecustomize()

if os.environ.get("LAB_TRACE_SOCKET"):
    import labtrace
    labtrace.start()
