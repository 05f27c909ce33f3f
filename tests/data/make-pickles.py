#!/usr/bin/env python3
# Regenerate with: python3 tests/data/make-pickles.py tests/data  (CPython 3.11)
#
# Writes the pickles that test-pickle.c compares lab_pickle_dumps() with
# (NAME.pickle: the C pickler, protocol 5) and reads back with
# lab_pickle_loads() (NAME.pN.pickle: protocols 2-4; NAME.py5.pickle: the
# pure-Python pickler, whose frames end at other places). The values are
# also built in test-pickle.c under the same names: change both together.
# Pickles bigger than ~100 KB are not kept here; the test asks python3 for
# them when it runs.
import os
import pickle
import sys


def values():
    shared = "shared"
    strs = ["s%d" % i for i in range(300)]
    return {
        "none": None,
        "true": True,
        "false": False,
        "int-0": 0,
        "int-255": 255,
        "int-256": 256,
        "int-65535": 65535,
        "int-65536": 65536,
        "int-minus-1": -1,
        "int-max-int32": 2**31 - 1,
        "int-min-int32": -2**31,
        "int-2-pow-40": 2**40,
        "int-max-int64": 2**63 - 1,
        "int-min-int64": -2**63,
        "int-2-pow-64": 2**64,
        "int-minus-2-pow-64": -2**64,
        "int-2-pow-2048": 2**2048,
        "float-1p5": 1.5,
        "float-minus-0": -0.0,
        "float-1e300": 1e300,
        "str-empty": "",
        "str-privet": "привет",
        "str-300": "x" * 300,
        "str-70000": "y" * 70000,
        "bytes-empty": b"",
        "bytes-300": bytes(300),
        "bytes-70000": bytes(range(256)) * 273 + bytes(112),
        "tuple-0": (),
        "tuple-1": (1,),
        "tuple-2": (1, 2),
        "tuple-3": (1, 2, 3),
        "tuple-4": (1, 2, 3, 4),
        "list-0": [],
        "list-1": [1],
        "list-1000": [1] * 1000,
        "list-1001": [1] * 1001,
        "list-0-1-x-5000": [0, 1] * 5000,
        "list-mixed-ints": [0, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**63 - 1, -2**63],
        "nested": ([1, 2, 3], 42, "name"),
        "dict": {"a": 1, "b": [1, 2], "c": {"d": None}, "e": (True, 2.5)},
        "dict-1": {"only": 1},
        "dict-1000": {"k%d" % i: i for i in range(1000)},
        "shared-str": (shared, [shared], shared),
        "memo-300": strs + [strs[299]],
        "task": (0, [1] * 1000),
    }


# Read back in every protocol, and as the pure-Python pickler writes them.
OTHER_WRITERS = ("nested", "dict", "dict-1", "list-1", "list-1001", "str-privet", "str-300",
                 "memo-300", "shared-str", "int-2-pow-2048", "int-min-int64", "float-1p5",
                 "tuple-4", "bytes-300", "task")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, value in values().items():
        files = {name + ".pickle": pickle.dumps(value, protocol=5)}
        if name in OTHER_WRITERS:
            files[name + ".py5.pickle"] = pickle._dumps(value, protocol=5)
            for proto in (2, 3, 4):
                files["%s.p%d.pickle" % (name, proto)] = pickle.dumps(value, protocol=proto)
        for file_name, data in files.items():
            with open(os.path.join(out, file_name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
