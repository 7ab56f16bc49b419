#!/usr/bin/python3
# console-tty.py PCIVMM HOG-ELF STORM-ELF: pcivmm on a pseudo-terminal, as
# a user at a shell runs it.
#  1. Ctrl-A h prints the keys; Ctrl-C goes to the guest, not to pcivmm (raw
#     mode: no signals from keys); Ctrl-A x quits with status 0 long before
#     the guest would end; the terminal's settings afterwards are exactly
#     those from before.
#  2. The same after SIGTERM (exit 10): settings restored.
#  3. pcivmm | head -1 on the terminal: pcivmm still ends cleanly (exit 0).
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time

pcivmm, hog, storm = sys.argv[1:4]
failed = 0


def verdict(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    failed += 0 if ok else 1


def read_until(fd, needle, timeout):
    out, end = b"", time.monotonic() + timeout
    while needle not in out and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out


def on_pty(args):
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    # Its own session with the pty as controlling terminal: the foreground job.
    p = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                         preexec_fn=lambda: __import__("fcntl").ioctl(0, termios.TIOCSCTTY, 0))
    return p, master, slave, before


# 1. Ctrl-A h, Ctrl-C, Ctrl-A x
p, master, slave, before = on_pty([pcivmm, "--testdev", "--cmdline", "seconds=60", "--kernel", hog])
out = read_until(master, b"== intx-hog", 60)
verdict(b"== intx-hog" in out, "the guest started on the pseudo-terminal")
during = termios.tcgetattr(slave)
verdict(not during[3] & (termios.ECHO | termios.ICANON | termios.ISIG),
        "while the guest runs the terminal is raw (no echo, no line editing, no key signals)")
os.write(master, b"\x01h")
out = read_until(master, b"Ctrl-A x", 10)
verdict(b"Ctrl-A x" in out, "Ctrl-A h prints the console keys")
os.write(master, b"\x03")
time.sleep(1)
verdict(p.poll() is None, "Ctrl-C goes to the guest: pcivmm keeps running")
t0 = time.monotonic()
os.write(master, b"\x01x")
try:
    rc = p.wait(20)
except subprocess.TimeoutExpired:
    p.kill()
    rc = p.wait()
verdict(rc == 0 and time.monotonic() - t0 < 20, f"Ctrl-A x quits: exit {rc} (want 0), well before the guest's 60 s")
verdict(termios.tcgetattr(slave) == before, "the terminal's settings are restored exactly")
os.close(master)
os.close(slave)

# 2. SIGTERM
p, master, slave, before = on_pty([pcivmm, "--testdev", "--cmdline", "seconds=60", "--kernel", hog])
read_until(master, b"== intx-hog", 60)
p.send_signal(signal.SIGTERM)
rc = p.wait(60)
verdict(rc == 10 and termios.tcgetattr(slave) == before,
        f"SIGTERM: exit {rc} (want 10) and the terminal's settings restored")
os.close(master)
os.close(slave)

# 3. pcivmm | head -1, stdin on the terminal
master, slave = pty.openpty()
r = subprocess.run(["/bin/bash", "-c", f"'{pcivmm}' --testdev --cmdline count=20000 --kernel '{storm}' "
                    "2>/dev/null | head -1 >/dev/null; echo ${PIPESTATUS[0]}"],
                   stdin=slave, stdout=subprocess.PIPE, timeout=120)
verdict(r.stdout.strip() == b"0", f"pcivmm | head -1 ends cleanly (exit {r.stdout.strip().decode()})")
os.close(master)
os.close(slave)
sys.exit(1 if failed else 0)
