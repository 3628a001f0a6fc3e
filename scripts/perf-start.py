#!/usr/bin/env python3
"""Process start of kiosk at 200,000 entries (or --entries N), whole processes (issue 13).

Reports medians of:
  version  `kiosk version`                                (target <= 8 ms)
  list     `kiosk --offline list --limit 50`              (target <= 20 ms)
  rows     the TUI from start to its first frame with list rows (the
           position reads "1/…" until the count arrives; target <= 40 ms)
  counted  the same until the position shows the count ("1/200000")
  keys     with --keys N: keypress -> bytes in the list and the reader
           (scripts/keypress-latency.py; median <= 5 ms, p99 <= 12 ms)
  common   with --search: `kiosk --offline search Regierung`, a word in 9 of
           10 articles (target <= 100 ms at 200,000 entries)
  rare     with --search: `kiosk --offline search Quantencomputer`, a word in
           1 of 100 articles (target <= 20 ms)

    python3 scripts/perf-start.py --entries 10000 --search   # growth curves

    python3 scripts/perf-start.py [--runs N] [--rounds R] [--keys N] [KIOSK ...]

Without KIOSK it builds ./cmd/kiosk. With several binaries (say, the builds
of two commits) the rounds alternate between them, so both meet the same
load; KIOSK@DATA_DIR gives a binary its own data dir (a build of another
cache schema needs its own copy). Times use hyperfine (apt-get install hyperfine); the first frame uses
scripts/first-frame.py with COLORTERM=truecolor.

The data dir is a private copy (the TUI marks what it opens read) of the
shared 200,000-entry benchmark cache of the current schema that
cache/cachetest keeps in $TMPDIR (kiosk-bench-s<schema>-g<generator>-n200000.db),
found, or built when missing (a few minutes), by `go run ./scripts/benchcache`;
with --entries N the cache of N entries, copied to $TMPDIR/kiosk-perf-<N/1000>k.
KIOSK_PERF_DATA names another data dir.
"""
import argparse, atexit, glob, json, os, shutil, statistics, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = os.environ.get("TMPDIR", "/tmp")


def data_dir(entries):
    if os.environ.get("KIOSK_PERF_DATA"):
        return os.environ["KIOSK_PERF_DATA"]
    # the shared cache of the current schema, built when missing
    shared = subprocess.run(["go", "run", "./scripts/benchcache", "-n", str(entries)], cwd=root, check=True,
                            capture_output=True, text=True).stdout.strip()
    d = os.path.join(tmp, f"kiosk-perf-{entries // 1000}k")
    mark = os.path.join(d, "copied-from")
    if not (os.path.exists(mark) and open(mark).read() == shared):
        print(f"copying {shared} to {d}", file=sys.stderr)
        os.makedirs(d, exist_ok=True)
        for f in glob.glob(os.path.join(d, "kiosk.db*")):
            os.remove(f)
        shutil.copyfile(shared, os.path.join(d, "kiosk.db"))
        open(mark, "w").write(shared)
    return d


def hyperfine(cmd, runs, env):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run(["hyperfine", "-N", "-w", "3", "-r", str(runs), "--export-json", f.name, cmd],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [t * 1000 for t in json.load(open(f.name))["results"][0]["times"]]


def first_frame(binary, env, pattern):
    out = subprocess.run([sys.executable, os.path.join(root, "scripts", "first-frame.py"), "--quit", "Q",
                          pattern, "--", binary, "--offline"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20, help="hyperfine runs per round (first frames: a quarter)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keys", type=int, default=0, help="keys per screen for keypress-latency.py (0: skip)")
    ap.add_argument("--entries", type=int, default=200000, help="entries in the benchmark cache")
    ap.add_argument("--search", action="store_true", help="also time a common and a rare word's search")
    ap.add_argument("binaries", nargs="*")
    a = ap.parse_args()
    if shutil.which("hyperfine") is None:
        raise SystemExit("hyperfine is not installed (apt-get install hyperfine)")
    binaries = a.binaries
    if not binaries:
        build = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, build, True)
        out = os.path.join(build, "kiosk")
        subprocess.run(["go", "build", "-o", out, "./cmd/kiosk"], cwd=root, check=True)
        binaries = [out]
    d = data_dir(a.entries)
    dirs = {b: (b.split("@", 1)[1] if "@" in b else d) for b in binaries}
    binaries = [b.split("@", 1)[0] for b in binaries]
    dirs = {b.split("@", 1)[0]: v for b, v in dirs.items()}
    res = {b: {"version": [], "list": [], "rows": [], "counted": [], "common": [], "rare": []} for b in binaries}
    keys = {b: [] for b in binaries}
    load = [os.getloadavg()[0]]
    for _ in range(a.rounds):
        for b in binaries:
            env = dict(os.environ, KIOSK_DATA_DIR=dirs[b], COLORTERM="truecolor")
            res[b]["version"] += hyperfine(f"{b} version", a.runs, env)
            res[b]["list"] += hyperfine(f"{b} --offline list --limit 50", a.runs, env)
            if a.search:
                res[b]["common"] += hyperfine(f"{b} --offline search Regierung", max(3, a.runs // 2), env)
                res[b]["rare"] += hyperfine(f"{b} --offline search Quantencomputer", a.runs, env)
            for _ in range(max(1, a.runs // 4)):
                res[b]["rows"].append(first_frame(b, env, r"\d+/(?:\d+|…)"))
                res[b]["counted"].append(first_frame(b, env, r"\d+/\d+"))
            if a.keys:
                keys[b].append(subprocess.run([sys.executable, os.path.join(root, "scripts", "keypress-latency.py"),
                                               b, dirs[b], str(a.keys)], env=env, check=True,
                                              capture_output=True, text=True).stdout.strip())
        load.append(os.getloadavg()[0])
    print(f"{a.entries:,} entries; {a.rounds} alternating rounds; load average {min(load):.2f}-{max(load):.2f}")
    for b in binaries:
        r = res[b]
        print(f"{b} ({dirs[b]}):")
        for name, target in (("version", 8), ("list", 20), ("rows", 40), ("counted", 40), ("common", 100),
                             ("rare", 20)):
            ms = r[name]
            if not ms:
                continue
            print(f"  {name:8} median {statistics.median(ms):6.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f}, "
                  f"{len(ms)} runs; target <= {target} ms)")
        for k in keys[b]:
            print("  " + k.replace("\n", "\n  "))


main()
