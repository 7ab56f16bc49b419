# The Linux uio L2's console lines, timed, as bench.py and vmm-share.py read
# them: when init ran ("L2: "), when the first uio-intx began (its "edu id"
# line) and when the last one ended (its "N raised, M interrupts" line).
import re


def uio_marks(lines):
    """lines: (time, text) pairs. Returns (init, start, end, interrupts, finished)."""
    init = start = end = None
    interrupts = finished = 0
    for t, text in lines:
        if text.startswith("L2: ") and init is None:
            init = t
        if re.match(r"^uio-intx: uio\d+: edu id", text) and start is None:
            start = t
        m = re.match(r"^uio-intx: uio\d+: (\d+) raised, (\d+) interrupts", text)
        if m:
            end, interrupts, finished = t, interrupts + int(m.group(2)), finished + 1
    return init, start, end, interrupts, finished
