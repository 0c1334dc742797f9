# SPDX-License-Identifier: Apache-2.0
"""make bench, the batch lines (issue 18): 1,000 one-claim packets in one
`inspect --batch` run against 1,000 single runs of the same packet.
  bench/batch.py ROOT BENCH_DIR self|container [SAMPLE]
Prints one line: bench NAME ratio=R ours=... baseline=...
The self baseline is 1,000 real --self-sandbox runs. The container
baseline is estimated from SAMPLE (default 50) scripts/run-container runs:
1,000 times their median (1,000 docker runs take ~6 minutes); the line says
so. Not a test: nothing here asserts a time."""
import os, shutil, statistics, subprocess, sys, time

root, b, venue = sys.argv[1], sys.argv[2], sys.argv[3]
sample = int(sys.argv[4]) if len(sys.argv) > 4 else 50
tki = os.path.join(root, "tki-inspector")
batch = os.path.join(b, "batch1000")
done = batch + ".done"  # beside it: a file in the batch would be an entry
if not os.path.exists(done):
    shutil.rmtree(batch, ignore_errors=True)
    os.makedirs(batch)
    for i in range(1000):
        shutil.copytree(os.path.join(b, "tiny"), os.path.join(batch, f"p{i:04d}"),
                        ignore=shutil.ignore_patterns(".done"))
    subprocess.run(["chmod", "-R", "a+rX", batch], check=True)
    open(done, "w").close()


def fresh(name):
    d = os.path.join(b, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.chmod(d, 0o755)
    return d


def timed(cmd, ok=(0, 1)):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if r.returncode not in ok:
        sys.exit(f"bench batch: {' '.join(cmd)} exited {r.returncode}: {r.stderr.decode()[-300:]}")
    return dt


if venue == "self":
    ours = timed([tki, "inspect", "--batch", "--self-sandbox", "--in", batch, "--out", fresh("out-batch-self")])
    out = fresh("out-single-self")
    base = sum(timed([tki, "inspect", "--self-sandbox", "--in", os.path.join(batch, f"p{i:04d}"), "--out", out])
               for i in range(1000))
    how = "1000 runs"
    name = "batch_1000_self"
else:
    rc = os.path.join(root, "scripts", "run-container")
    ours = timed([rc, batch, fresh("out-batch-container"), "--", "inspect", "--batch"])
    out = fresh("out-single-container")
    runs = [timed([rc, os.path.join(batch, f"p{i:04d}"), out, "--", "inspect"]) for i in range(sample)]
    base = 1000 * statistics.median(runs)
    how = f"estimated: 1000 x median of {sample} runs ({statistics.median(runs) * 1000:.0f} ms)"
    name = "batch_1000_container"
print(f"bench {name} ratio={ours / base:.3f} ours={ours:.2f}s baseline={base:.1f}s ({how})", flush=True)
