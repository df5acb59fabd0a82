"""Shared pieces of the benchmark scripts: free ports, starting and stopping cairn-server and
a reference redis-server in temporary directories, CPU pinning, process RSS and disk usage."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pin_prefix(core):
    """taskset prefix pinning a command to one core; empty when pinning is unavailable."""
    if core is None or shutil.which("taskset") is None:
        return []
    if core >= (os.cpu_count() or 1):
        return []
    return ["taskset", "-c", str(core)]


def wait_for_ping(port, process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited with code %d" % process.returncode)
        result = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                                text=True)
        if result.stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("server on port %d did not answer PING" % port)


class Server:
    """A server process in its own temporary directory, stopped by stop()."""

    def __init__(self, name, argv, port, work_dir, log_path):
        self.name = name
        self.argv = argv
        self.port = port
        self.work_dir = work_dir
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                        cwd=work_dir)
        wait_for_ping(port, self.process)

    def rss_bytes(self):
        try:
            with open("/proc/%d/status" % self.process.pid) as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def peak_rss_bytes(self):
        try:
            with open("/proc/%d/status" % self.process.pid) as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def cli(self, *args):
        result = subprocess.run(["redis-cli", "-p", str(self.port)] + list(args),
                                capture_output=True, text=True)
        return result.stdout

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
                       capture_output=True)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_cairn(binary, core, extra_args=(), keep_dir=False):
    port = free_port()
    work_dir = tempfile.mkdtemp(prefix="cairn-bench-")
    argv = pin_prefix(core) + [os.path.abspath(binary), "--port", str(port), "--dir", work_dir + "/data",
                               "--appendfsync", "everysec", "--save", ""] + list(extra_args)
    server = Server("cairn", argv, port, work_dir, work_dir + "/server.log")
    server.keep_dir = keep_dir
    return server


def start_redis(core, extra_args=()):
    port = free_port()
    work_dir = tempfile.mkdtemp(prefix="redis-bench-")
    argv = pin_prefix(core) + ["redis-server", "--port", str(port), "--dir", work_dir,
                               "--appendonly", "yes", "--appendfsync", "everysec",
                               "--save", ""] + list(extra_args)
    server = Server("redis", argv, port, work_dir, work_dir + "/server.log")
    server.keep_dir = False
    return server


def stop_and_clean(server):
    server.stop()
    if not server.keep_dir:
        shutil.rmtree(server.work_dir, ignore_errors=True)


def directory_bytes(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(base, name))
            except OSError:
                pass
    return total


def default_cairn_binary():
    return os.path.join(ROOT, "build", "cairn-server")


def default_loadgen_binary():
    return os.path.join(ROOT, "build", "cairn-loadgen")
