#!/usr/bin/env python3
"""Time from process start to the first rendered frame of a terminal program.

Each program runs in a fresh pseudo-terminal (80x24, TERM=xterm-256color);
the clock starts before fork and stops when the output shows the marker
text. Terminal queries (background colour, cursor position) are answered at
once, as a terminal would. Programs run alternately so machine load affects
both alike. Each program's peak resident set size up to its first frame
(the child's ru_maxrss) is reported beside its time.

usage: first_frame.py RUNS NAME:MARKER:PROGRAM [ARGS...] -- NAME:MARKER:PROGRAM ...
"""
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time

OSC11 = b"\x1b]11;?"
DSR = b"\x1b[6n"


def first_frame(argv, marker, env, limit=10.0, rss=None):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(argv[0], argv, env)
    out = b""
    try:
        while True:
            left = limit - (time.perf_counter() - t0)
            if left <= 0:
                raise TimeoutError(f"{argv[0]}: no {marker!r} after {limit}s; output: {out[-400:]!r}")
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise RuntimeError(f"{argv[0]} exited before its first frame: {out[-400:]!r}")
            out += chunk
            if OSC11 in chunk:
                os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
            if DSR in chunk:
                os.write(fd, b"\x1b[1;1R")
            if marker.encode() in out:
                return time.perf_counter() - t0
    finally:
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        if rss is not None:
            rss.append(usage.ru_maxrss)  # KiB on Linux
        os.close(fd)


def main():
    runs = int(sys.argv[1])
    specs, cur = [], []
    for a in sys.argv[2:] + ["--"]:
        if a == "--":
            if cur:
                name, marker, prog = cur[0].split(":", 2)
                specs.append((name, marker, [prog] + cur[1:]))
            cur = []
        else:
            cur.append(a)
    env = dict(os.environ, TERM="xterm-256color")
    times = {name: [] for name, _, _ in specs}
    rss = {name: [] for name, _, _ in specs}
    for _, marker, argv in specs:  # warm the page cache
        first_frame(argv, marker, env)
    for _ in range(runs):
        for name, marker, argv in specs:
            times[name].append(first_frame(argv, marker, env, rss=rss[name]))
    base = None
    for name, _, _ in specs:
        t = sorted(times[name])
        med = statistics.median(t)
        p90 = t[int(0.9 * (len(t) - 1))]
        base = base or med
        peak = statistics.median(rss[name]) / 1024
        print(f"{name:<12} median {med*1000:7.1f} ms   p90 {p90*1000:7.1f} ms   min {t[0]*1000:7.1f} ms   peak RSS {peak:6.1f} MiB   ({len(t)} runs)")
    first, last = specs[0][0], specs[-1][0]
    for name in [s[0] for s in specs[1:-1]]:  # the programs between: floors
        print(f"floor {name} {statistics.median(times[name])/statistics.median(times[first]):.2f}")
    print(f"ratio {statistics.median(times[last])/statistics.median(times[first]):.2f}")
    print(f"ratio-min {min(times[last])/min(times[first]):.2f}   (the quietest run of each)")


if __name__ == "__main__":
    main()
