#!/usr/bin/python3
# vmm-share.py BUILD L2-INITRAMFS KERNEL: a measurement, not a test (run by
# jobs/vmm-share.sh inside the nested L1). Boots the bench's linux-uio-byte
# L2 (one edu, 3000 uio cycles) under pcivmm with L1's ftrace on and prints
# how much of the L2's init and of a uio cycle is the VMM's to save: the
# time before the first KVM_RUN, and every stretch from an L2 exit that went
# to user space (kvm_userspace_exit) to that vCPU's next L2 entry. What stays
# is the L2's own execution and the exits KVM handles in the kernel, which a
# VMM with no cost at all would still wait for: so init can drop at most by
# the first share and the uio rate rise at most by 1 / (1 - the second).
# Per exit to user space it splits the stretch into KVM's way out (kvm_exit
# to the ioctl's return), the VMM's own code, its syscalls (pread/pwrite:
# the device's config space through vfio-pci) and KVM's way back in; and it
# names the longest stretches, with the kernel stack of every sleep of the
# vCPU thread inside the three longest (a sched_switch stacktrace trigger).
import collections, os, re, subprocess, sys, time

from uio_lines import uio_marks

B, INITRD, KERNEL = sys.argv[1:4]
T = "/sys/kernel/tracing"
COUNT = 3000
KVM_RUN = "ae80"
EVENTS = ["raw_syscalls/sys_enter", "raw_syscalls/sys_exit", "kvm/kvm_entry", "kvm/kvm_exit",
          "kvm/kvm_userspace_exit", "kvm/kvm_pio", "kvm/kvm_mmio", "sched/sched_switch"]


def w(path, value):
    with open(f"{T}/{path}", "w") as f:
        f.write(value)


def trace_on():
    w("tracing_on", "0"); w("trace", ""); w("trace_clock", "mono"); w("buffer_size_kb", "200000")
    w("options/event-fork", "1"); w("set_event_pid", "999999"); w("set_event", "")
    for e in EVENTS[:2]:  # ioctl, pread64, pwrite64
        w(f"events/{e}/filter", "id == 16 || id == 17 || id == 18")
    w("events/sched/sched_switch/filter", 'prev_comm == "vcpu0" && prev_state != 0')
    w("events/sched/sched_switch/trigger", "stacktrace")
    for e in EVENTS:
        w(f"events/{e}/enable", "1")
    w("tracing_on", "1")


def trace_off():
    w("tracing_on", "0")
    text = open(f"{T}/trace").read().split("\n")
    for e in EVENTS:
        w(f"events/{e}/enable", "0")
    w("events/sched/sched_switch/trigger", "!stacktrace")
    for e in EVENTS[:2] + ["sched/sched_switch"]:
        w(f"events/{e}/filter", "0")
    w("set_event_pid", ""); w("trace", ""); w("buffer_size_kb", "1408")
    return text


cmdline = f"console=ttyS0 rdinit=/init loglevel=4 uio_count={COUNT} uio_shape=byte uio_devs=1"
vmm = [B + "/pcivmm", "--mem", "512M", "--kernel", KERNEL, "--cmdline", cmdline,
       "--passthrough", "0000:00:04.0,slot=4", "--initrd", INITRD]
trace_on()
t0 = time.monotonic()
# The shell puts itself (then pcivmm, and with event-fork its threads) in set_event_pid.
p = subprocess.Popen(["sh", "-c", f'echo $$ > {T}/set_event_pid; exec "$@"', "sh"] + vmm,
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
buf, lines = b"", []
while True:
    data = os.read(p.stdout.fileno(), 65536)
    if not data:
        break
    now = time.monotonic()
    buf += data
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        lines.append((now, line.decode(errors="replace").rstrip("\r")))
p.wait()
init, start, end, cycles, _ = uio_marks(lines)
raw = trace_off()
if not (init and start and end and cycles):
    print(f"vmm-share: the L2 did not finish its uio run (exit {p.returncode})")
    sys.exit(1)

def is_kvm_run(sys_enter):
    """A sys_enter event's text ("NR 16 (fd, ae80, ...)"): is it ioctl(KVM_RUN)?"""
    return sys_enter.split()[1] == "16" and sys_enter.split("(")[1].split(",")[1].strip() == KVM_RUN


line_rx = re.compile(r"^\s*\S+-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+): (\w+): (.*)$")
events = []
for n, l in enumerate(raw):
    m = line_rx.match(l)
    if m:
        events.append((float(m.group(2)), int(m.group(1)), m.group(3), m.group(4), n))
events.sort()

# Stretches from the L2 exit behind each exit to user space to the next entry.
first_run, last_exit, pending, last_access = None, {}, {}, ""
stretches = []  # (from, to, the port or MMIO access behind it)
for ts, tid, name, rest, _ in events:
    if name == "sys_enter" and first_run is None and is_kvm_run(rest):
        first_run = ts
    if name == "kvm_exit":
        last_exit[tid] = ts
    elif name in ("kvm_pio", "kvm_mmio"):
        last_access = rest
    elif name == "kvm_userspace_exit":
        pending[tid] = last_exit.get(tid, ts)
    elif name == "kvm_entry" and tid in pending:
        stretches.append((pending.pop(tid), ts, last_access))


def share(a, b):
    inside = [(s, e) for s, e, _ in stretches if a <= s < b]
    return sum(min(e, b) - s for s, e in inside), len(inside)


before = first_run - t0
boot, nboot = share(first_run, init)
print(f"vmm-share: {os.path.basename(KERNEL)}: init {1000 * (init - t0):.0f} ms; before the first KVM_RUN "
      f"{1000 * before:.0f} ms; {nboot} exits to user space until init, {1000 * boot:.0f} ms from their L2 "
      f"exits to the next entries: at most {1000 * (before + boot):.0f} ms "
      f"({100 * (before + boot) / (init - t0):.1f}%) is the VMM's")
uio, nuio = share(start, end)
cycle = (end - start) / cycles
print(f"vmm-share: uio: {cycles / (end - start):.0f} cycles/s, {nuio / cycles:.2f} exits to user space per "
      f"cycle, {1e6 * uio / cycles:.0f} of {1e6 * cycle:.0f} us per cycle the VMM's "
      f"({100 * uio / (end - start):.1f}%): a VMM with no cost at all would run at most "
      f"x{(end - start) / (end - start - uio):.2f} as fast")

# The uio phase's exits to user space, split.
call, state, last_exit, acc = {}, {}, {}, collections.Counter()
for ts, tid, name, rest, _ in events:
    if not start <= ts < end:
        continue
    if name == "kvm_exit":
        last_exit[tid] = ts
    elif name == "sys_enter":
        nr, is_run = int(rest.split()[1]), is_kvm_run(rest)
        call[tid] = (nr, is_run, ts)
        s = state.get(tid)
        if s and is_run:
            acc["user"] += ts - s["back"] - s["sys"]
            acc["sys"] += s["sys"]
            s["enter"] = ts
    elif name == "sys_exit" and tid in call:
        nr, is_run, entered = call.pop(tid)
        if is_run and tid in last_exit:
            acc["out"] += ts - last_exit[tid]
            acc["n"] += 1
            state[tid] = {"back": ts, "sys": 0.0}
        elif not is_run and tid in state:
            state[tid]["sys"] += ts - entered
            acc[f"n{nr}"] += 1
            acc[f"t{nr}"] += ts - entered
    elif name == "kvm_entry" and "enter" in state.get(tid, {}):
        acc["in"] += ts - state.pop(tid)["enter"]
n = acc["n"]
us = lambda key, per: 1e6 * acc[key] / max(1, per)
print(f"vmm-share: uio, per exit to user space: KVM's way out {us('out', n):.1f} us, the VMM's code "
      f"{us('user', n):.1f} us, its syscalls {us('sys', n):.1f} us (per cycle {acc['n17'] / cycles:.2f} "
      f"preads of {us('t17', acc['n17']):.1f} us, {acc['n18'] / cycles:.2f} pwrites of "
      f"{us('t18', acc['n18']):.1f} us), KVM's way in {us('in', n):.1f} us")

longest = sorted(stretches, key=lambda s: s[0] - s[1])[:5]
for s, e, what in longest:
    print(f"vmm-share: long: +{1000 * (s - t0):.0f} ms, {1000 * (e - s):.1f} ms, after {what.strip()[:80]}")
for s, e, _ in longest[:3]:
    for ts, tid, name, rest, row in events:
        if name == "sched_switch" and s <= ts <= e:
            frames = []
            for l in raw[row + 1:row + 30]:
                if line_rx.match(l):
                    break
                f = l.strip()
                if f.startswith("=> ") and not f.startswith(("=> trace_event", "=> __traceiter", "=> __schedule", "=> schedule")):
                    frames.append(f[3:])
            print(f"vmm-share:   +{1000 * (ts - t0):.0f} ms vcpu0 slept ({rest.split('prev_state=')[1].split()[0]}) in "
                  + " < ".join(frames[:8]))
