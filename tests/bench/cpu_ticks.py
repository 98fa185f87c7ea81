"""make bench: prints the CPU clock ticks (user + system, all threads) that
the processes of each name given have used so far, in the order given."""
import os
import sys

names = sys.argv[1:]
total = dict.fromkeys(names, 0)
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        with open("/proc/%s/stat" % pid) as f:
            stat = f.read()
    except OSError:
        continue
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    if comm in total:
        fields = stat[stat.rindex(")") + 2:].split()
        total[comm] += int(fields[11]) + int(fields[12])  # utime, stime
print(" ".join(str(total[n]) for n in names))
