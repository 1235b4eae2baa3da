#!/usr/bin/env python3
"""Compare two `go test -bench` outputs: for every benchmark and metric in
both, the median of its runs before and after, and after/before.

    python3 bench/compare.py BEFORE.txt AFTER.txt
"""
import re
import statistics
import sys

LINE = re.compile(r"^(Benchmark\S+)\s+\d+\s+(.*)$")


def read(path):
    """{benchmark: {unit: [values]}} from one output."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line.strip())
            if not m:
                continue
            fields = m.group(2).split()
            metrics = out.setdefault(m.group(1), {})
            for value, unit in zip(fields[0::2], fields[1::2]):
                try:
                    metrics.setdefault(unit, []).append(float(value))
                except ValueError:
                    pass
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = read(sys.argv[1]), read(sys.argv[2])
    print(f"{'benchmark':60} {'metric':24} {'before':>14} {'after':>14} {'after/before':>12}")
    for name in before:
        if name not in after:
            continue
        for unit, vals in before[name].items():
            if unit not in after[name]:
                continue
            b, a = statistics.median(vals), statistics.median(after[name][unit])
            ratio = f"{a / b:.2f}x" if b else "-"
            print(f"{name:60} {unit:24} {b:14.6g} {a:14.6g} {ratio:>12}")


if __name__ == "__main__":
    main()
