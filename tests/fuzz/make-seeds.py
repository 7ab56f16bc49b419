#!/usr/bin/env python3
"""Writes the committed seed corpus of the fuzz targets (tests/fuzz/corpus/).

Small, hand-built inputs that reach deep into each target: a minimal valid
64-bit ELF with a PVH note, one with its program headers at an odd offset,
a bzImage setup header (boot protocol 2.15, relocatable, 64-bit entry), good
and bad command lines, bus claims and accesses, config-space cycles.
Run it again after changing a target's input format.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def elf(phoff_pad=0, linked_high=False):
    """ELF64 x86-64 ET_EXEC: one PT_LOAD at 1 MiB (code: hlt loop) + a PVH note.

    linked_high: linked at 0xffffffff80100000 as a vmlinux is, with the PVH
    entry as Linux writes it (an 8-byte descriptor), so the PVH path loads it.
    """
    code = b"\xf4\xeb\xfd" + b"\x00" * 13
    if linked_high:
        note = struct.pack("<III", 4, 8, 18) + b"Xen\x00" + struct.pack("<Q", 0x100000)
    else:
        note = struct.pack("<III", 4, 4, 18) + b"Xen\x00" + struct.pack("<I", 0x100000)
    vaddr = 0xffffffff80100000 if linked_high else 0x100000
    ehsize, phentsize, phnum = 64, 56, 2
    phoff = ehsize + phoff_pad
    body_off = phoff + phentsize * phnum
    code_off, note_off = body_off, body_off + len(code)
    hdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\x00" * 8
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x100000, phoff, 0, 0,
                       ehsize, phentsize, phnum, 64, 0, 0)
    ph_load = struct.pack("<IIQQQQQQ", 1, 5, code_off, vaddr, 0x100000,
                          len(code), len(code) + 4096, 0x1000)
    ph_note = struct.pack("<IIQQQQQQ", 4, 4, note_off, 0, 0, len(note), len(note), 4)
    return hdr + b"\x00" * phoff_pad + ph_load + ph_note + code + note


def bzimage():
    """A setup header a loader accepts: HdrS, protocol 2.15, 64-bit, relocatable."""
    setup_sects = 1
    b = bytearray(512 * (setup_sects + 1) + 4096)
    b[0x1f1] = setup_sects
    struct.pack_into("<H", b, 0x1fe, 0xaa55)
    b[0x201] = 0x62                         # jump: header length
    b[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", b, 0x206, 0x020f)
    b[0x211] = 0x01                         # loadflags: LOADED_HIGH
    struct.pack_into("<I", b, 0x22c, 0x37ffffff)   # initrd_addr_max
    struct.pack_into("<I", b, 0x230, 0x200000)     # kernel_alignment
    b[0x234] = 1                            # relocatable
    struct.pack_into("<H", b, 0x236, 0x01)  # xloadflags: XLF_KERNEL_64
    struct.pack_into("<I", b, 0x238, 2047)  # cmdline_size
    struct.pack_into("<Q", b, 0x258, 0x1000000)    # pref_address
    struct.pack_into("<I", b, 0x260, 0x800000)     # init_size
    return bytes(b)


# boot: byte 0 = initrd size / cmdline choice / empty initrd, then the kernel file.
put("boot", "elf-pvh", b"\x00" + elf())
put("boot", "vmlinux-pvh-initrd", b"\x21" + elf(linked_high=True))
put("boot", "elf-phdrs-unaligned", b"\x10" + elf(phoff_pad=3))
put("boot", "bzimage", b"\x13" + bzimage())
put("boot", "bzimage-empty-initrd", b"\x60" + bzimage())
put("boot", "bzimage-low-nonreloc", b"\x00" + bzimage()[:0x234] + b"\x00" + bzimage()[0x235:0x258]
    + struct.pack("<Q", 0) + bzimage()[0x260:])
put("boot", "empty", b"\x00")

# cli: NUL-separated arguments.
args = [
    ["--kernel", "k.elf", "--mem", "1G", "--cpus", "4", "--cmdline", "count=5"],
    ["--passthrough", "0000:00:04.0,slot=4,backend=vfio", "--passthrough", "10000:01:00.0",
     "--kernel", "k"],
    ["--passthrough", "00:zz.9", "--kernel", "k"],
    ["--passthrough", "00:04.0,managed,msix=off", "--kernel", "k"],
    ["--testdev=010,fault=stale-status", "--testdev", "--dump-dtb", "/tmp/m.dtb"],
    ["--mem", "16385K", "--kernel", "k"],
    ["--passthrough", "", "--kernel", "k"],
    ["--passthrough", "*:*.*", "--kernel", "k"],
    ["--unknown", "-v", "--help"],
    ["--dump-a", ""],  # the abbreviation of --dump-acpi with an empty path: refused
]
for i, a in enumerate(args):
    put("cli", "args-%d" % i, b"\x00".join(x.encode() for x in a))

# bus: [op][slot][len lo][len hi][addr 8]
def busop(op, slot, length, addr):
    return struct.pack("<BBHQ", op, slot, length, addr)


put("bus", "claims-and-accesses",
    busop(0, 1, 0x1000, 0xc0000000) + busop(0, 2, 0x100, 0xc0000f80) +
    busop(2, 0, 3, 0xc0000ffe) + busop(0, 3, 8, 0x3f8) + busop(2, 1, 0, 0x3f9) +
    busop(1, 1, 0, 0) + busop(2, 2, 2, 0xc0000000) + busop(0, 4, 0xffff, 0xfffffffffffff000))

# pci-config: [op][dev/fn][off lo][off hi][value 4]
def cfg(op, devfn, off, val):
    return struct.pack("<BBHI", op, devfn, off, val)


put("pci-config", "sizing-and-moves",
    cfg(0, 4, 0x10, 0) + cfg(1 | 0x80 | 2, 4, 0x10, 0xffffffff) + cfg(1 | 2, 4, 0x10, 0) +
    cfg(4 << 2, 0, 0x10, 0x00100000) + cfg(5 << 2, 0, 4, 0x0407) + cfg(3 << 2, 8, 5, 0x04) +
    cfg((2 << 2) | 2, 8, 4, 0) + cfg(7 << 2, 4, 6, 0xffffffff))

# The passed device's MSI through ECAM: message, enable, a new vector while
# enabled, disable, enable again (the target's fake backend follows).
put("pci-config", "pt-msi-enable-reroute-disable",
    cfg((3 << 2) | 2, 8, 0x54, 0xfee00000) + cfg((3 << 2) | 1, 8, 0x58, 0x51) +
    cfg((3 << 2) | 1, 8, 0x52, 1) + cfg((3 << 2) | 1, 8, 0x58, 0x62) +
    cfg((3 << 2) | 1, 8, 0x52, 0) + cfg((3 << 2) | 1, 8, 0x52, 1) + cfg((3 << 2) | 2, 8, 0x50, 0))

# MSI-X on the passed device: enable masked, program vector 0 through BAR0
# (op 6: any MMIO; the address is value << (off & 15), the BAR at
# 0xc0100000 after the emulated device's 1 MiB BAR0), unmask, read the PBA.
put("pci-config", "pt-msix-enable-program-unmask",
    cfg((3 << 2) | 1, 8, 0x62, 0xc000) +
    cfg((6 << 2) | 2, 1, 0, 0xc0100000) + cfg((6 << 2) | 2, 1, 0, 0xc010000c) +
    cfg((6 << 2) | 2, 0, 0, 0xc0100800) +
    cfg((3 << 2) | 1, 8, 0x62, 0x8000) + cfg((3 << 2) | 1, 8, 0x62, 0))

# api: [method: 0 GET, 1 PUT, ...][path]\0[body]
def api(method, path, body=b""):
    return bytes([method]) + path.encode() + b"\0" + body


put("api", "ping", api(0, "/api/v1/vmm.ping"))
put("api", "pause-empty-object", api(1, "/api/v1/vm.pause", b"{}"))
put("api", "add-passthrough-all-fields",
    api(1, "/api/v1/vm.add-device",
        b'{"bdf": "0000:00:04.0", "slot": 5, "managed": true, "backend": "kvm-assign", "msix": false}'))
put("api", "add-testdev", api(1, "/api/v1/vm.add-device", b'{"testdev": {"slot": 6}}'))
put("api", "remove", api(1, "/api/v1/vm.remove-device", b'{"id": "testdev0"}'))
put("api", "malformed", api(1, "/api/v1/vm.add-device", b'{"bdf": "00:04.0", "slot": [1, {'))
