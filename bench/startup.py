#!/usr/bin/env python3
"""Wall time of short commands, run alternately so machine load affects all alike.

usage: startup.py RUNS NAME:PROGRAM [ARGS...] -- NAME:PROGRAM ...
Prints each command's median, p90 and min, then the last command's ratio to
the first: of the medians, and of the minimums (the quietest run of each).
"""
import statistics, subprocess, sys, time


def main():
    runs = int(sys.argv[1])
    specs, cur = [], []
    for a in sys.argv[2:] + ["--"]:
        if a == "--":
            if cur:
                name, prog = cur[0].split(":", 1)
                specs.append((name, [prog] + cur[1:]))
            cur = []
        else:
            cur.append(a)
    times = {name: [] for name, _ in specs}
    for _, argv in specs:  # warm the page cache
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    for _ in range(runs):
        for name, argv in specs:
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - t0)
    for name, _ in specs:
        t = sorted(times[name])
        print(f"{name:<10} median {statistics.median(t)*1000:6.2f} ms   p90 {t[int(0.9*(len(t)-1))]*1000:6.2f} ms   min {t[0]*1000:6.2f} ms   ({len(t)} runs)")
    first, last = specs[0][0], specs[-1][0]
    for name in [s[0] for s in specs[1:-1]]:  # the programs between: floors
        print(f"floor {name} {statistics.median(times[name])/statistics.median(times[first]):.2f}")
    print(f"ratio {statistics.median(times[last])/statistics.median(times[first]):.2f}")
    print(f"ratio-min {min(times[last])/min(times[first]):.2f}   (the quietest run of each)")


if __name__ == "__main__":
    main()
