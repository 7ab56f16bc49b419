#!/usr/bin/env python3
"""rom-hash.py FILE: "N 0xHASH" for an expansion ROM image, as the rom guest
test prints it: the images walked as Linux's pci_get_rom_size() does (0x55AA,
the PCI data structure's length in 512-byte units, the last-image bit), and
FNV-1a 64 over those N bytes."""
import sys

data = open(sys.argv[1], "rb").read()
off = 0
while off + 0x1a <= len(data) and data[off:off + 2] == b"\x55\xaa":
    p = off + int.from_bytes(data[off + 0x18:off + 0x1a], "little")
    if data[p:p + 4] != b"PCIR":
        break
    length = int.from_bytes(data[p + 0x10:p + 0x12], "little")
    if not length:
        break
    off += length * 512
    if data[p + 0x15] & 0x80:
        break
off = min(off, len(data))
h = 0xcbf29ce484222325
for b in data[:off]:
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print(f"{off} 0x{h:016x}")
