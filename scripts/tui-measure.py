#!/usr/bin/env python3
"""Measure the kiosk reader as a whole process, the way a user meets it.

Starts `kiosk --offline` on a pseudo-terminal (100x30) against a data dir,
times how long the first frame with list rows takes to appear, then opens
the newest article and steps through N more with `J`, and reports the
process's peak RSS (VmHWM) and on how many steps pictures were drawn
(half-blocks with COLORTERM=truecolor, or kitty placeholders).

    go build -o /tmp/kiosk ./cmd/kiosk
    python3 scripts/tui-measure.py /tmp/kiosk DATA_DIR [ARTICLES] [RUNS]

DATA_DIR holds kiosk.db, e.g. a copy of the 100,000-entry benchmark cache
that `go test ./cache -bench .` leaves in $TMPDIR.
"""
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

def read_until(fd, pattern, timeout):
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            # answer terminal queries (background colour, cursor position) so the app is not kept waiting
            if b"\x1b]11;?" in chunk:
                os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
            if b"\x1b[6n" in chunk:
                os.write(fd, b"\x1b[1;1R")
            if re.search(pattern, buf):
                return True, buf
    return False, buf

def read_quiet(fd, quiet=0.08, timeout=3):
    """Reads until the screen has been quiet for `quiet` seconds (the
    renderer sends only changed cells, so there is no fixed text to wait for)."""
    end = time.monotonic() + timeout
    last = time.monotonic()
    buf = b""
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                return buf
            last = time.monotonic()
        elif time.monotonic() - last > quiet:
            return buf
    return buf

def hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1

def run(binary, data_dir, articles):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["KIOSK_DATA_DIR"] = data_dir
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "--offline"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    t0 = time.monotonic()
    ok, _ = read_until(fd, rb"\d+/\d+", 10)  # the "1/100000" position in the list bar
    first = time.monotonic() - t0
    if not ok:
        os.kill(pid, signal.SIGKILL)
        raise SystemExit("no list frame within 10 s")
    os.write(fd, b"\r")
    read_until(fd, rb"lines \d+", 5)
    pictures = 0
    for _ in range(articles):
        os.write(fd, b"J")  # the next article, read or not
        # half-block or kitty placeholder cells: a picture was drawn
        out = read_quiet(fd)
        pictures += b"\xe2\x96\x80" in out or b"\xf4\x8e\xbb\xae" in out
    time.sleep(0.3)
    rss = hwm_kb(pid)
    os.write(fd, b"Q")
    os.waitpid(pid, 0)
    return first, rss, pictures

def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    articles = int(sys.argv[3]) if len(sys.argv) > 3 else 49
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    firsts, rsss, pics = [], [], 0
    for _ in range(runs):
        f, r, p = run(binary, data_dir, articles)
        firsts.append(f * 1000)
        rsss.append(r / 1024)
        pics = max(pics, p)
    firsts.sort(); rsss.sort()
    print(f"first frame with rows: median {firsts[len(firsts)//2]:.1f} ms (min {firsts[0]:.1f}, max {firsts[-1]:.1f}) over {runs} runs")
    print(f"peak RSS after opening {articles + 1} articles: median {rsss[len(rsss)//2]:.1f} MB (max {rsss[-1]:.1f}); pictures drawn on {pics} of {articles} steps")

main()
