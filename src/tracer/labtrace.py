# labtrace.py - the Concurrency Lab tracer for the CPython engine.
#
# It records what a program's threads do (its own functions, sleeps, locks,
# queues, printed lines, uncaught exceptions) and streams the records to the
# lab over the Unix socket named by $LAB_TRACE_SOCKET. Standard library only.
#
# Every record is one frame (see src/core/cpython/lab-py-receiver.h):
#   u32 magic "LabP", u16 version, u16 kind, u32 payload length, payload;
# little-endian, strings as u32 length + UTF-8 bytes. Times are
# time.monotonic_ns(), which is CLOCK_MONOTONIC, the lab's clock.
#
# Each thread collects its records in its own batch and sends the batch when
# it is full, 20 ms old, before the thread blocks (sleep, lock, queue), when
# the thread ends and when the process exits (atexit, os._exit), so that the
# lab sees a thread's past before it waits and nothing is lost at exit.
# The program sees no change other than speed: a failure of the tracer
# (the lab went away) only switches tracing off.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import _thread
import atexit
import os
import socket
import struct
import sys
import threading
import time

MAGIC = 0x5062614C  # "LabP" read as little-endian
VERSION = 1

HELLO = 1
THREAD_START = 2
THREAD_END = 3
CALL = 4
RETURN = 5
SLEEP = 6
LOCK_ACQUIRED = 7
LOCK_RELEASED = 8
QUEUE_PUT = 9
QUEUE_GET = 10
OUTPUT = 11
EXCEPTION = 12

BATCH_RECORDS = 256
BATCH_AGE_NS = 20_000_000
# A printed line longer than this is sent in pieces: one record stays far
# below the lab's limit (1 MiB) even at 4 bytes a character, and a program
# writing megabytes without a newline does not grow a buffer here.
MAX_LINE = 65536

_header = struct.Struct("<IHHI")
_ts_tid = struct.Struct("<qI")
_span_tid = struct.Struct("<qqI")
_now = time.monotonic_ns
_native_id = threading.get_native_id

_sock = None
_send_lock = _thread.allocate_lock()
_sending = None  # the thread inside _send(), if any
_get_ident = _thread.get_ident
_batches = {}  # native tid -> _Batch, so that exit can flush every thread
_local = _thread._local()
_codes = {}  # code object -> qualified name, or None for code not traced
_own_prefixes = ()
_flow_ids = iter(range(1, 1 << 32))
_lock_ids = iter(range(1, 1 << 32))


def _string(text):
    data = text.encode("utf-8", "replace")
    return struct.pack("<I", len(data)) + data


def _frame(kind, payload):
    return _header.pack(MAGIC, VERSION, kind, len(payload)) + payload


class _Batch:
    __slots__ = ("parts", "first_ns")

    def __init__(self):
        self.parts = []
        self.first_ns = 0


def _batch():
    try:
        return _local.batch
    except AttributeError:
        batch = _local.batch = _Batch()
        _batches[_native_id()] = batch
        return batch


def _send(data):
    global _sock, _sending
    with _send_lock:
        _sending = _get_ident()
        try:
            if _sock is not None:
                _sock.sendall(data)
        except OSError:
            _sock = None  # the lab is gone: stop tracing, keep running
        finally:
            _sending = None


def _flush(batch):
    # A signal handler (ours at SIGTERM, or the program's) can run on a
    # thread that is in the middle of _send(): waiting for the lock there
    # would deadlock, so the records wait for the next flush instead.
    if batch.parts and _sending != _get_ident():
        parts, batch.parts = batch.parts, []
        _send(b"".join(parts))


def _flush_current():
    _flush(_batch())


def _emit(kind, payload, ts):
    batch = _batch()
    if not batch.parts:
        batch.first_ns = ts
    batch.parts.append(_frame(kind, payload))
    if len(batch.parts) >= BATCH_RECORDS or ts - batch.first_ns >= BATCH_AGE_NS:
        _flush(batch)


def _flush_all():
    with _partial_lock:
        unfinished = [(stream, text) for stream, text in _partial.items() if text]
        _partial.update({1: "", 2: ""})
    for stream, text in unfinished:
        ts = _now()
        _emit(OUTPUT, _ts_tid.pack(ts, _native_id()) + struct.pack("<I", stream) + _string(text), ts)
    for batch in list(_batches.values()):
        _flush(batch)


# ---- which code is the program's own ----

def _is_own_file(filename):
    if not filename or filename.startswith("<"):
        return False
    path = os.path.abspath(filename)
    return not path.startswith(_own_prefixes)


def _name_of(code):
    try:
        return _codes[code]
    except KeyError:
        name = getattr(code, "co_qualname", code.co_name) if _is_own_file(code.co_filename) else None
        _codes[code] = name
        return name


def _called_from_program(depth=2):
    return _name_of(sys._getframe(depth).f_code) is not None


def _call(name):
    ts = _now()
    _emit(CALL, _ts_tid.pack(ts, _native_id()) + _string(name), ts)


def _return():
    ts = _now()
    _emit(RETURN, _ts_tid.pack(ts, _native_id()), ts)


def _profile(frame, event, arg):
    if event == "call":
        name = _name_of(frame.f_code)
        if name is not None:
            _call(name)
    elif event == "return":
        if _name_of(frame.f_code) is not None:
            _return()


def _install_monitoring():
    # Python 3.12+: sys.monitoring costs nothing for code we switch off.
    mon = sys.monitoring
    tool = mon.PROFILER_ID
    ev = mon.events
    mon.use_tool_id(tool, "concurrency-lab")

    def on_start(code, offset):
        name = _name_of(code)
        if name is None:
            return mon.DISABLE
        _call(name)

    def on_return(code, offset, value):
        if _name_of(code) is None:
            return mon.DISABLE
        _return()

    def on_unwind(code, offset, exc):
        if _name_of(code) is not None:
            _return()

    mon.register_callback(tool, ev.PY_START, on_start)
    mon.register_callback(tool, ev.PY_RESUME, on_start)
    mon.register_callback(tool, ev.PY_RETURN, on_return)
    mon.register_callback(tool, ev.PY_YIELD, on_return)
    mon.register_callback(tool, ev.PY_UNWIND, on_unwind)
    mon.set_events(tool, ev.PY_START | ev.PY_RESUME | ev.PY_RETURN | ev.PY_YIELD | ev.PY_UNWIND)


# ---- threads ----

def _thread_start(name):
    ts = _now()
    _emit(THREAD_START, _ts_tid.pack(ts, _native_id()) + _string(name), ts)


def _thread_end():
    ts = _now()
    _emit(THREAD_END, _ts_tid.pack(ts, _native_id()), ts)
    _flush_current()


def _wrap_bootstrap():
    real = threading.Thread._bootstrap_inner

    def _bootstrap_inner(self):
        _thread_start(self.name)
        try:
            real(self)
        finally:
            _thread_end()
            _batches.pop(_native_id(), None)

    threading.Thread._bootstrap_inner = _bootstrap_inner


# ---- sleep ----

def _wrap_sleep():
    real = time.sleep

    def sleep(seconds):
        begin = _now()
        _flush_current()
        real(seconds)
        end = _now()
        _emit(SLEEP, _span_tid.pack(begin, end, _native_id()), end)

    sleep.__doc__ = real.__doc__
    time.sleep = sleep


# ---- locks ----

class _TracedLock:
    """A threading.Lock or RLock made by the program: the same lock, with its
    waits and holds recorded. Only the outermost hold of an RLock counts."""

    __slots__ = ("_lock", "_id", "_name", "_depth", "_reentrant")

    def __init__(self, lock, name, reentrant):
        self._lock = lock
        self._id = next(_lock_ids)
        self._name = "%s %d" % (name, self._id)
        self._depth = 0
        self._reentrant = reentrant

    def acquire(self, blocking=True, timeout=-1):
        if self._reentrant and self._lock._is_owned():
            self._lock.acquire()
            self._depth += 1
            return True
        begin = _now()
        if not self._lock.acquire(False):
            if not blocking:
                return False
            _flush_current()
            if not self._lock.acquire(True, timeout):
                return False
        end = _now()
        self._depth = 1
        _emit(LOCK_ACQUIRED, _span_tid.pack(begin, end, _native_id())
              + struct.pack("<I", self._id) + _string(self._name), end)
        return True

    def release(self):
        ts = _now()
        self._lock.release()
        self._depth -= 1
        if self._depth == 0:
            _emit(LOCK_RELEASED, _ts_tid.pack(ts, _native_id()) + struct.pack("<I", self._id), ts)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def locked(self):
        if self._reentrant:
            return self._depth > 0
        return self._lock.locked()

    def __getattr__(self, name):
        # _is_owned, _release_save, _at_fork_reinit ... for Condition and fork
        return getattr(self._lock, name)

    def __repr__(self):
        return repr(self._lock)


def _wrap_locks():
    real_lock = threading.Lock
    real_rlock = threading.RLock

    def Lock():
        lock = real_lock()
        return _TracedLock(lock, "Lock", False) if _called_from_program() else lock

    def RLock(*args, **kwargs):
        lock = real_rlock(*args, **kwargs)
        return _TracedLock(lock, "RLock", True) if _called_from_program() else lock

    threading.Lock = Lock
    threading.RLock = RLock


# ---- queues ----

def _wrap_queues():
    import queue

    real_init = queue.Queue.__init__
    real_get = queue.Queue.get

    def __init__(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        if _called_from_program():
            self._lab_flows = {}  # id(item) -> flow ids of its puts, oldest first

    def get(self, *args, **kwargs):
        if not hasattr(self, "_lab_flows"):
            return real_get(self, *args, **kwargs)
        begin = _now()
        _local.flow = 0
        _flush_current()
        item = real_get(self, *args, **kwargs)
        end = _now()
        _emit(QUEUE_GET, _span_tid.pack(begin, end, _native_id()) + struct.pack("<I", _local.flow), end)
        return item

    def wrap_put_get(cls):
        real_put_item = cls._put
        real_get_item = cls._get

        # Called with the queue's mutex held: the flow ids stay in step with
        # the items, whatever order the queue class hands them out in.
        def _put(self, item):
            real_put_item(self, item)
            flows = getattr(self, "_lab_flows", None)
            if flows is not None:
                flow = next(_flow_ids)
                flows.setdefault(id(item), []).append(flow)
                ts = _now()
                _emit(QUEUE_PUT, _ts_tid.pack(ts, _native_id()) + struct.pack("<I", flow), ts)

        def _get(self):
            item = real_get_item(self)
            flows = getattr(self, "_lab_flows", None)
            if flows is not None:
                pending = flows.get(id(item))
                if pending:
                    _local.flow = pending.pop(0)
                    if not pending:
                        del flows[id(item)]
            return item

        cls._put = _put
        cls._get = _get

    queue.Queue.__init__ = __init__
    queue.Queue.get = get
    for cls in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
        wrap_put_get(cls)


# ---- printed lines ----

_partial = {1: "", 2: ""}  # the unfinished printed line of each stream
_partial_lock = _thread.allocate_lock()


class _LineTap:
    """sys.stdout / sys.stderr as before, with each finished line recorded."""

    def __init__(self, stream, number):
        self._stream = stream
        self._number = number

    def write(self, text):
        # Recorded before the stream's own write, which may flush and so
        # release the GIL: the records keep the order the stream's buffer
        # gets the text in.
        if isinstance(text, str) and _sock is not None:
            # One unfinished line per stream and process, as the stream has:
            # print(x, end=" ") from ten threads makes one line, recorded for
            # the thread that ends it. A line longer than a record may hold
            # goes in pieces.
            with _partial_lock:
                pending = _partial[self._number] + text
                *lines, partial = pending.split("\n")
                while len(partial) > MAX_LINE:
                    lines.append(partial[:MAX_LINE])
                    partial = partial[MAX_LINE:]
                _partial[self._number] = partial
            for line in lines:
                for start in range(0, max(len(line), 1), MAX_LINE):
                    ts = _now()
                    _emit(OUTPUT, _ts_tid.pack(ts, _native_id()) + struct.pack("<I", self._number)
                          + _string(line[start:start + MAX_LINE]), ts)
        return self._stream.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


# ---- exceptions ----

def _record_exception(exc_type, exc, tb):
    import traceback
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
    ts = _now()
    _emit(EXCEPTION, _ts_tid.pack(ts, _native_id()) + _string(summary) + _string(text), ts)
    _flush_current()


def _wrap_excepthooks():
    real_hook = sys.excepthook
    real_thread_hook = threading.excepthook

    def excepthook(exc_type, exc, tb):
        _record_exception(exc_type, exc, tb)
        real_hook(exc_type, exc, tb)

    def thread_excepthook(args):
        if args.exc_type is not SystemExit:
            _record_exception(args.exc_type, args.exc_value, args.exc_traceback)
        real_thread_hook(args)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


# ---- the connection ----

def _connect(path):
    global _sock
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        _sock = None
        return False
    _sock = sock
    argv = getattr(sys, "orig_argv", sys.argv)
    version = "%d.%d.%d" % sys.version_info[:3]
    payload = (struct.pack("<qII", _now(), os.getpid(), os.getppid()) + _string(version)
               + struct.pack("<I", len(argv)) + b"".join(_string(arg) for arg in argv))
    _send(_frame(HELLO, payload))
    return True


def _before_fork():
    _flush_current()


def _after_fork_in_child():
    # The child shares the parent's socket: it gets its own connection, and
    # the batches of the parent's threads are the parent's to send.
    global _send_lock, _sock, _sending, _partial_lock
    _send_lock = _thread.allocate_lock()
    _sending = None
    if _sock is not None:
        _sock.close()
        _sock = None
    _batches.clear()
    batch = _batch()
    batch.parts = []
    _partial_lock = _thread.allocate_lock()
    _partial.update({1: "", 2: ""})
    if _connect(os.environ.get("LAB_TRACE_SOCKET", "")):
        _thread_start(threading.current_thread().name)
        _flush_current()


def _at_exit():
    _thread_end()
    _flush_all()


def _wrap_os_exit():
    # Fork and forkserver children end with os._exit(): atexit never runs.
    real = os._exit

    def _exit(status):
        try:
            _thread_end()
            _flush_all()
        finally:
            real(status)

    os._exit = _exit


def _flush_on_sigterm():
    # Pool.terminate() ends the workers with SIGTERM, and a process killed
    # that way runs no atexit: send what it recorded, then die of the same
    # signal. A program that handles SIGTERM itself keeps its handler.
    import signal
    if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        return

    def on_sigterm(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            _thread_end()
            _flush_all()
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)


def _skip_this_process():
    # Helpers of multiprocessing outlive the program: they are not traced.
    argv = " ".join(getattr(sys, "orig_argv", []))
    return "resource_tracker" in argv or "forkserver" in argv


def start():
    global _own_prefixes
    path = os.environ.get("LAB_TRACE_SOCKET")
    if not path or _skip_this_process():
        return
    import site
    import sysconfig
    prefixes = {os.path.dirname(os.path.abspath(__file__))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        prefixes.add(sysconfig.get_paths()[key])
    prefixes.update(site.getsitepackages())
    _own_prefixes = tuple(os.path.join(os.path.abspath(p), "") for p in prefixes if p)

    if not _connect(path):
        return
    # Sent at once: the lab names the process before its children appear.
    _thread_start(threading.current_thread().name)
    _flush_current()
    _wrap_bootstrap()
    _wrap_sleep()
    _wrap_locks()
    _wrap_queues()
    _wrap_excepthooks()
    _wrap_os_exit()
    if threading.current_thread() is threading.main_thread():
        _flush_on_sigterm()
    # The lab reads the output from the records; the streams themselves go
    # to a pipe or /dev/null, which Python would buffer by blocks. Flush at
    # each line end as a terminal does: print() then writes, and releases
    # the GIL, where it would in a terminal, never between a line's text and
    # its end, and the lines of two threads do not run into each other.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True, write_through=False)
        except (AttributeError, ValueError):
            pass
    sys.stdout = _LineTap(sys.stdout, 1) if sys.stdout is not None else None
    sys.stderr = _LineTap(sys.stderr, 2) if sys.stderr is not None else None
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
    atexit.register(_at_exit)
    if hasattr(sys, "monitoring"):
        _install_monitoring()
    else:
        threading.setprofile(_profile)
        sys.setprofile(_profile)
