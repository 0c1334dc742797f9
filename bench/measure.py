#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Time pairs of commands side by side, interleaved, and print medians.

Used by bench/run. Each measure runs ours and the baseline alternately N
times (after one warm-up each) and reports median wall time; the ratio is
ours / baseline (lower is better). Peak RSS comes from wait4()'s rusage
(the largest of the process and its waited-for descendants: the
self-sandbox's pid 1 and worker included), taken by the small C parent
bench/rss.c ($BENCH_RSS)."""
import os, statistics, subprocess, sys, time

def run(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace"); p.stderr.close()
    return dt, ru.ru_maxrss, p.returncode, err

def pair(name, ours, base, n, ok_codes=(0, 1)):
    for c in (ours, base):  # warm-up: page cache, image layers
        _, _, rc, err = run(c)
        if rc not in ok_codes:
            sys.exit(f"bench {name}: {' '.join(c)} exited {rc}: {err.strip()[:400]}")
    to, tb = [], []
    for _ in range(n):
        to.append(run(ours)[0]); tb.append(run(base)[0])
    mo, mb = statistics.median(to), statistics.median(tb)
    print(f"bench {name} ratio={mo/mb:.3f} ours={mo*1000:.1f}ms baseline={mb*1000:.1f}ms n={n}", flush=True)
    return mo, mb

def rss(name, cmd):
    # Through bench/rss (C): a Python parent's own size would show up as
    # the child's ru_maxrss (the fork's high-water mark survives exec).
    helper = os.environ.get("BENCH_RSS")
    _, kib, rc, err = run([helper] + cmd if helper else cmd)
    if rc not in (0, 1):
        sys.exit(f"bench {name}: exited {rc}: {err.strip()[:400]}")
    for line in err.splitlines():
        if line.startswith("maxrss_kib="):
            kib = int(line.split("=")[1])
    print(f"bench {name}={kib / 1024:.1f}", flush=True)

if __name__ == "__main__":
    # usage: measure.py pair NAME N ::: OURS... ::: BASE...  |  measure.py rss NAME ::: CMD...
    # ":::" (not "--") separates the commands: scripts/run-container takes
    # "--" itself.
    mode, name = sys.argv[1], sys.argv[2]
    if mode == "pair" and sys.argv[4:5] == [":::"] and ":::" in sys.argv[5:]:
        n = int(sys.argv[3]); rest = sys.argv[5:]
        i = rest.index(":::")
        pair(name, rest[:i], rest[i + 1:], n)
    elif mode == "rss" and sys.argv[3:4] == [":::"]:
        rss(name, sys.argv[4:])
    else:
        sys.exit("usage: measure.py pair NAME N ::: OURS ::: BASE | rss NAME ::: CMD")
