#!/usr/bin/python3
# bench.py BUILD L2-INITRAMFS REPS: runs inside the nested L1 (bench.sh).
# Every workload runs on pcivmm and on QEMU (-accel kvm, vfio-pci: 7.2, the
# system's, or QEMU 10 when bench.sh sets PCIVMM_BENCH_QEMU_DIR on the
# current leg) on
# the same passed-through edu with the same guest, alternating, REPS times
# each. Prints one "bench-run:" line per run, then "bench-csv:" lines (one
# per workload, metric and VMM: median, min, max) that scripts/bench turns
# into the table, the CSV and the plot. Times are taken here, in L1, from
# when the VMM process starts:
#   first_byte_ms  the guest's first byte on the serial port
#   init_ms        a Linux L2's init running (its first line)
#   teardown_ms    the guest's last serial byte -> the VMM process gone
#                  (the guest ends through the debug-exit port; in
#                  linux-reboot and linux-poweroff a Linux L2 with the
#                  busybox initramfs ends itself with reboot -f or
#                  poweroff -f, its last line the kernel's "reboot: ...";
#                  QEMU runs with -no-reboot, so a reset ends it)
#   rss_kb         the VMM's resident memory except guest RAM (smaps: every
#                  mapping but those at least as large as guest RAM)
#   rate           intx-storm: round trips/s as the guest counts them;
#                  Linux uio: interrupts/s (all devices together) between the
#                  first uio-intx's first line and the last one's last line;
#                  with 2 and 4 devices (-2dev, -4dev) all of them are on one
#                  guest interrupt line (slots 4, 8, 12, 16: INTA of each is
#                  the same IOAPIC pin on pcivmm and the same PIRQ link on
#                  QEMU's i440fx)
#   (-vmlinux: both VMMs boot the vmlinux inside Debian's bzImage at its
#   PVH entry, so neither runs the decompressor; the other Linux rows boot
#   the bzImage)
#   exits_per_irq  pcivmm only (--stats): exits to the VMM over the whole
#                  intx-storm run per interrupt serviced (QEMU has no counter)
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

from uio_lines import uio_marks

B, L2_INITRD, REPS = sys.argv[1], sys.argv[2], int(sys.argv[3])
# scripts/bench's L1 has four edus, in slots 4, 8, 12 and 16 (all on one
# host line). Each is passed to the same guest slot as its L1 slot.
EDUS = ["0000:00:04.0", "0000:00:08.0", "0000:00:0c.0", "0000:00:10.0"]
KERNEL = "/boot/vmlinuz-" + os.uname().release
VMLINUX = os.path.join(os.environ.get("TMPDIR", "/tmp"), "vmlinux")  # bench.sh extracts it
# QEMU 10 of the current leg (its own modules and firmware), else the system's.
QEMU_DIR = os.environ.get("PCIVMM_BENCH_QEMU_DIR")
QEMU = (["env", f"QEMU_MODULE_DIR={QEMU_DIR}/usr/lib/x86_64-linux-gnu/qemu",
         f"{QEMU_DIR}/usr/bin/qemu-system-x86_64", "-L", f"{QEMU_DIR}/usr/share/qemu"]
        if QEMU_DIR else ["qemu-system-x86_64"])
ELF = B + "/guest-tests/intx-storm.elf"
TMP = os.environ.get("TMPDIR", "/tmp")
S = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def slot(bdf):
    return int(bdf.split(":")[2].split(".")[0], 16)


def pcivmm(mem_mb, kernel, cmdline, initrd=None, devs=1):
    cmd = [B + "/pcivmm", "--stats", "--mem", f"{mem_mb}M", "--kernel", kernel, "--cmdline", cmdline]
    for bdf in EDUS[:devs]:
        cmd += ["--passthrough", f"{bdf},slot={slot(bdf)}"]
    return cmd + (["--initrd", initrd] if initrd else [])


def qemu(mem_mb, kernel, cmdline, initrd=None, devs=1):
    cmd = QEMU + ["-machine", "pc", "-accel", "kvm", "-cpu", "host",
           "-m", str(mem_mb), "-nodefaults", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", kernel,
           "-append", cmdline, "-display", "none", "-serial", "stdio", "-monitor", "none"]
    for bdf in EDUS[:devs]:
        cmd += ["-device", f"vfio-pci,host={bdf},addr={slot(bdf):#x}"]
    return cmd + (["-initrd", initrd] if initrd else [])


VMMS = {"pcivmm": pcivmm, "qemu": qemu}


def rss_except_guest_ram(pid, mem_mb):
    """Rss of every mapping smaller than guest RAM, in kB."""
    total, size, rss = 0, 0, 0
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                    start, end = (int(x, 16) for x in line.split()[0].split("-"))
                    size = end - start
                elif line.startswith("Rss:") and size < mem_mb << 20:
                    total += int(line.split()[1])
    except OSError:
        return None
    return total


def run(cmd, mem_mb, rss_marker, timeout=600):
    """Runs one VM; returns (lines with times, exit time, rss, status)."""
    t0 = time.monotonic()
    err = open(os.path.join(TMP, "bench-stderr.log"), "w")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
    killer = threading.Timer(timeout, p.kill)
    killer.start()
    lines, buf, first, last, rss = [], b"", None, None, None
    while True:
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            break
        now = time.monotonic() - t0
        first = now if first is None else first
        last = now
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.decode(errors="replace").rstrip("\r")
            lines.append((now, text))
            if rss is None and re.search(rss_marker, text):
                rss = rss_except_guest_ram(p.pid, mem_mb)
    status = p.wait()
    gone = time.monotonic() - t0
    killer.cancel()
    err.close()
    with open(os.path.join(TMP, "bench-stderr.log"), errors="replace") as f:
        stderr = f.read()
    m = re.search(r"(\d+) exits to pcivmm", stderr)
    if first is None:  # no guest output at all: say why, count the run as failed
        print(f"bench: {cmd[0]} exited {status} before any guest output: {stderr.strip()[-400:]}",
              flush=True)
        first = last = gone
    return {"lines": lines, "first": first, "last": last, "gone": gone, "rss": rss,
            "status": status, "exits": int(m.group(1)) if m else None}


def storm(vmm, mem_mb=256, count=5000):
    r = run(VMMS[vmm](mem_mb, ELF, f"count={count}"), mem_mb, r"^== intx-storm")
    rate = None
    for _, text in r["lines"]:
        m = re.match(r"^intx-storm: .*: (\d+) cycles/s", text)
        rate = int(m.group(1)) if m else rate
    ok = any(t.startswith("PASS:") for _, t in r["lines"])
    metrics = {"rate": rate, "first_byte_ms": 1000 * r["first"],
               "teardown_ms": 1000 * (r["gone"] - r["last"]), "rss_kb": r["rss"]}
    if vmm == "pcivmm" and r["exits"] is not None:
        metrics["exits_per_irq"] = r["exits"] / count
    return ok, metrics


def linux_uio(vmm, shape, devs=1, count=3000, mem_mb=512, kernel=KERNEL):
    cmdline = (f"console=ttyS0 rdinit=/init loglevel=4 uio_count={count} uio_shape={shape} "
               f"uio_devs={devs}")
    r = run(VMMS[vmm](mem_mb, kernel, cmdline, L2_INITRD, devs), mem_mb, r"^L2: ")
    init, start, end, raised, finished = uio_marks(r["lines"])
    ok = (any(t == "L2-RESULT=0" for _, t in r["lines"]) and start is not None and end
          and finished == devs)
    rate = raised / (end - start) if ok and end > start else None
    return ok, {"rate": rate, "init_ms": 1000 * init if init else None,
                "teardown_ms": 1000 * (r["gone"] - r["last"]), "rss_kb": r["rss"]}


def linux_end(how, mem_mb=256):
    """A Linux L2 that ends itself: how is "reboot" or "poweroff"."""
    initrd = os.path.join(TMP, f"{how}.cpio.gz")

    def one(vmm):
        if not os.path.exists(initrd):
            subprocess.run([S + "/scripts/busybox-initramfs", "--" + how, initrd], check=True,
                           stdout=subprocess.DEVNULL)
        r = run(VMMS[vmm](mem_mb, KERNEL, "console=ttyS0 loglevel=4", initrd), mem_mb,
                r"^guest: ", timeout=300)
        init = next((t for t, text in r["lines"] if text.startswith("guest: ")), None)
        ok = r["status"] == 0 and any(text == f"guest: done, {how}" for _, text in r["lines"])
        return ok, {"init_ms": 1000 * init if init else None,
                    "teardown_ms": 1000 * (r["gone"] - r["last"])}
    return one


def scaling(mem_mb):
    def one(vmm):
        ok, m = storm(vmm, mem_mb, count=100)
        return ok, {"first_byte_ms": m["first_byte_ms"], "teardown_ms": m["teardown_ms"]}
    return one


WORKLOADS = [
    ("intx-storm", storm),
    ("linux-uio-byte", lambda vmm: linux_uio(vmm, "byte")),
    ("linux-uio-word", lambda vmm: linux_uio(vmm, "word")),
    ("linux-uio-2dev", lambda vmm: linux_uio(vmm, "byte", devs=2)),
    ("linux-uio-4dev", lambda vmm: linux_uio(vmm, "byte", devs=4)),
    ("linux-uio-vmlinux", lambda vmm: linux_uio(vmm, "byte", kernel=VMLINUX)),
    ("start-exit-256M", scaling(256)),
    ("start-exit-1G", scaling(1024)),
    ("start-exit-4G", scaling(4096)),
    ("linux-reboot", linux_end("reboot")),
    ("linux-poweroff", linux_end("poweroff")),
]


def main():
    only = os.environ.get("BENCH_ONLY", "")
    results = {}
    failed = 0
    for name, fn in WORKLOADS:
        if only and name not in only.split(","):
            continue
        for rep in range(REPS):
            for vmm in ("pcivmm", "qemu") if rep % 2 == 0 else ("qemu", "pcivmm"):
                ok, metrics = fn(vmm)
                shown = " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}"
                                 for k, v in metrics.items())
                print(f"bench-run: {name} {vmm} #{rep + 1} {'ok' if ok else 'FAILED'} {shown}",
                      flush=True)
                if not ok:
                    failed += 1
                    continue
                for k, v in metrics.items():
                    if v is not None:
                        results.setdefault((name, k, vmm), []).append(v)
    for (name, metric, vmm), vals in sorted(results.items()):
        print(f"bench-csv: {name},{metric},{vmm},{len(vals)},{statistics.median(vals):.1f},"
              f"{min(vals):.1f},{max(vals):.1f}", flush=True)
    print(f"bench: {failed} failed runs")
    return 1 if failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
