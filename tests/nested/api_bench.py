#!/usr/bin/python3
# api_bench.py BUILD L2-INITRAMFS REPS: runs inside the nested L1
# (tests/nested/jobs/api-bench.sh). The control plane against QEMU's QMP on
# the same machine, alternating, REPS times each; every number is a median,
# and the ratio pcivmm/QEMU is what is reported (never asserted):
#   api_ms_per_1000  1000 requests over one connection kept open, each
#                    through a minimal client: pcivmm's GET vm.info (HTTP/1.1
#                    keep-alive) against QMP's query-status; both VMMs run
#                    the same waiting test guest
#   plug_ms          a Linux L2 (the busybox initramfs, uio_hotplug=1) with
#                    one edu passed at boot: vm.add-device / device_add of a
#                    second edu -> the L2's uio_pci_generic has bound it
#                    (its console line)
#   unplug_ms        vm.remove-device (answered once the guest ejected it) /
#                    device_del -> DEVICE_DELETED: the device back on the host
# QEMU: q35 with a pcie-root-port to plug into (QEMU >= 6.1 hot-plugs it by
# ACPI, as pcivmm does on bus 0), -accel kvm, vfio-pci.
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

B, L2_INITRD, REPS = sys.argv[1], sys.argv[2], int(sys.argv[3])
EDU_A, EDU_C = "0000:00:04.0", "0000:00:0c.0"
KERNEL = "/boot/vmlinuz-" + os.uname().release
TMP = os.environ.get("TMPDIR", "/tmp")
WAITER = B + "/guest-tests/power-button.elf"  # waits for the button: a guest that only waits
QEMU = ["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-nodefaults", "-no-reboot",
        "-display", "none", "-serial", "stdio", "-monitor", "none"]


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)


class RawHTTP:
    """As lean an HTTP/1.1 client as the QMP one below: one request written,
    the reply read to its Content-Length, the connection kept open."""
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.buf = b""

    def get(self, endpoint):
        self.s.sendall(f"GET /api/v1/{endpoint} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.s.recv(65536)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(self.buf) < length:
            self.buf += self.s.recv(65536)
        body, self.buf = self.buf[:length], self.buf[length:]
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode(errors="replace"))
        return json.loads(body)


class QMP:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.f = self.s.makefile("rw")
        self.events = []
        json.loads(self.f.readline())  # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" in r:
                self.events.append(r)
                continue
            if "error" in r:
                raise RuntimeError(f"QMP {name}: {r['error']}")
            return r["return"]

    def wait_event(self, name, timeout=60):
        self.s.settimeout(timeout)
        while not any(e["event"] == name for e in self.events):
            self.events.append(json.loads(self.f.readline()))
        self.s.settimeout(None)


class VM:
    """A VMM process whose console is read line by line in a thread."""
    def __init__(self, cmd, sock):
        self.sock = sock
        if os.path.exists(sock):
            os.unlink(sock)
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, errors="replace")
        self.lines = []
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        for _ in range(600):
            if os.path.exists(sock):
                return
            time.sleep(0.05)
        raise RuntimeError("no control socket: " + "".join(self.lines[-5:]))

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line)

    def wait_line(self, pattern, timeout=600):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(re.search(pattern, l) for l in self.lines):
                return time.monotonic()
            if self.p.poll() is not None:
                break
            time.sleep(0.005)
        raise RuntimeError(f"no '{pattern}': " + "".join(self.lines[-10:]))

    def end(self, timeout=120):
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return self.p.wait()


def api_roundtrips(vmm):
    sock = f"{TMP}/bench-{vmm}.sock"
    if vmm == "pcivmm":
        vm = VM([B + "/pcivmm", "--api-socket", f"path={sock}", "--kernel", WAITER,
                 "--cmdline", "wait_ms=600000"], sock)
        c = RawHTTP(sock)

        def one():
            c.get("vm.info")
    else:
        vm = VM(QEMU + ["-machine", "pc", "-m", "256", "-kernel", WAITER, "-append", "wait_ms=600000",
                        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                        "-qmp", f"unix:{sock},server=on,wait=off"], sock)
        q = QMP(sock)

        def one():
            q.cmd("query-status")
    vm.wait_line("waiting for the power button")
    start = time.monotonic()
    for _ in range(1000):
        one()
    ms = (time.monotonic() - start) * 1000
    vm.p.kill()
    vm.end()
    return {"api_ms_per_1000": ms}


def hotplug(vmm):
    sock = f"{TMP}/bench-{vmm}.sock"
    cmdline = "console=ttyS0 rdinit=/init loglevel=4 uio_hotplug=1 uio_count=200 uio_shape=byte"
    if vmm == "pcivmm":
        vm = VM([B + "/pcivmm", "--mem", "512M", "--api-socket", f"path={sock}",
                 "--passthrough", f"{EDU_A},slot=4", "--kernel", KERNEL, "--initrd", L2_INITRD,
                 "--cmdline", cmdline], sock)
        def put(what, body):
            c = UnixHTTP(sock)  # one per request: the L2's storms outlast the idle timeout
            c.request("PUT", "/api/v1/" + what, json.dumps(body))
            r = c.getresponse()
            data = r.read()
            assert r.status in (200, 204), (what, r.status, data)
            return json.loads(data) if data else None
        plug = lambda: put("vm.add-device", {"bdf": EDU_C, "slot": 8})["id"]
        unplug = lambda dev: put("vm.remove-device", {"id": dev})
        press = lambda: put("vm.power-button", {})
    else:
        vm = VM(QEMU + ["-machine", "q35", "-m", "512", "-kernel", KERNEL, "-initrd", L2_INITRD,
                        "-append", cmdline, "-device", "pcie-root-port,id=rp1,chassis=1,addr=0x10",
                        "-device", f"vfio-pci,host={EDU_A},addr=0x4",
                        "-qmp", f"unix:{sock},server=on,wait=off"], sock)
        q = QMP(sock)

        def plug():
            q.cmd("device_add", driver="vfio-pci", host=EDU_C, bus="rp1", id="hp")
            return "hp"

        def unplug(dev):
            q.cmd("device_del", id=dev)
            q.wait_event("DEVICE_DELETED")
        press = lambda: q.cmd("system_powerdown")
    vm.wait_line("L2: ready for a hot-plug")
    t = time.monotonic()
    dev = plug()
    plug_ms = (vm.wait_line(r"L2: hot-plugged, bound to uio_pci_generic: .*0000:0[01]:0\S+ .*0000") - t) * 1000
    vm.wait_line("L2: done with the plugged device")
    t = time.monotonic()
    unplug(dev)
    unplug_ms = (time.monotonic() - t) * 1000
    vm.wait_line("L2: waiting for the power button on /dev/input")
    press()
    rc = vm.end()
    if not any("L2-RESULT=0" in l for l in vm.lines):
        raise RuntimeError(f"{vmm}: the L2 failed (exit {rc}): " + "".join(vm.lines[-10:]))
    return {"plug_ms": plug_ms, "unplug_ms": unplug_ms}


def attempt(workload, vmm):
    """A run; one more if it failed (an L2 vCPU shut down by L1's emulated
    SVM ends either VMM's guest now and then), said in a bench-run line."""
    try:
        return workload(vmm)
    except Exception as e:  # noqa: BLE001 - any failure of the run itself
        print(f"bench-run: {workload.__name__} {vmm}: failed ({e}); once more", flush=True)
        return workload(vmm)


def main():
    results = {}
    for name, workload in (("api", api_roundtrips), ("hotplug", hotplug)):
        for rep in range(REPS):
            for vmm in ("pcivmm", "qemu"):
                r = attempt(workload, vmm)
                print(f"bench-run: {name} {vmm} rep {rep + 1}: " +
                      ", ".join(f"{k} {v:.1f}" for k, v in r.items()), flush=True)
                for k, v in r.items():
                    results.setdefault((name, k, vmm), []).append(v)
    for (name, metric, vmm), vals in sorted(results.items()):
        if vmm != "pcivmm":
            continue
        mine = statistics.median(vals)
        peer = statistics.median(results[(name, metric, "qemu")])
        print(f"bench: {name} {metric}: pcivmm {mine:.1f}, QEMU {peer:.1f}: "
              f"ratio {mine / peer:.2f} (median of {len(vals)})", flush=True)


main()
