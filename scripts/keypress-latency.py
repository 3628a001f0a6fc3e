#!/usr/bin/env python3
"""Time keypress -> bytes on the terminal for kiosk as a whole process.

Starts `kiosk --offline` on a pseudo-terminal (100x30) against a data dir,
waits for the list, then sends `j` and `k` alternately (so every key moves
the cursor and must change the screen) and times each key from the write
to the first byte of the answer the process writes back. Then it opens the
newest article and does the same in the reader (`j`/`k` scroll a line).
Before each key the screen has been quiet for 40 ms and a random pause of
0-20 ms follows, so keys fall at every phase of a renderer's frame clock.

    go build -o /tmp/kiosk ./cmd/kiosk
    python3 scripts/keypress-latency.py /tmp/kiosk DATA_DIR [KEYS]

KEYS is the number of keys per screen (default 300). DATA_DIR holds
kiosk.db (scripts/perf-start.sh builds a 200,000-entry one).
"""
import fcntl, os, pty, random, re, select, signal, struct, sys, termios, time


def answer_queries(fd, chunk):
    # answer terminal queries (background colour, cursor position) so the app is not kept waiting
    if b"\x1b]11;?" in chunk:
        os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
    if b"\x1b[6n" in chunk:
        os.write(fd, b"\x1b[1;1R")


def read_until(fd, pattern, timeout):
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            chunk = os.read(fd, 65536)
            answer_queries(fd, chunk)
            buf += chunk
            if re.search(pattern, buf):
                return True
    return False


def read_quiet(fd, quiet, timeout=5):
    """Reads until nothing has arrived for `quiet` seconds."""
    end = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], quiet / 4)
        if r:
            answer_queries(fd, os.read(fd, 65536))
            last = time.monotonic()
        elif time.monotonic() - last > quiet:
            return
    raise SystemExit("the screen never went quiet")


def key_latency(fd, key):
    """Writes key and returns the seconds until the first byte comes back
    (None if nothing came within a second: the key changed nothing)."""
    t0 = time.monotonic()
    os.write(fd, key)
    r, _, _ = select.select([fd], [], [], 1.0)
    if not r:
        return None
    t = time.monotonic() - t0
    answer_queries(fd, os.read(fd, 65536))
    return t


def measure(fd, n):
    out, silent = [], 0
    for i in range(n):
        read_quiet(fd, 0.04)
        time.sleep(random.uniform(0, 0.02))
        t = key_latency(fd, b"j" if i % 2 == 0 else b"k")
        if t is None:
            silent += 1
        else:
            out.append(t * 1000)
    return out, silent


def summary(name, ms, silent):
    ms.sort()
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    extra = f", {silent} keys without output" if silent else ""
    print(f"{name}: median {q(0.5):.2f} ms, p90 {q(0.9):.2f} ms, p99 {q(0.99):.2f} ms, "
          f"max {ms[-1]:.2f} ms over {len(ms)} keys{extra}")


def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["KIOSK_DATA_DIR"] = data_dir
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "--offline"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        if not read_until(fd, rb"\d+/\d+", 10):  # the "1/200000" position in the list bar
            raise SystemExit("no list frame within 10 s")
        read_quiet(fd, 0.5)  # the feed list and counts arrive after the first frame
        summary("list   `j`/`k`", *measure(fd, n))
        os.write(fd, b"\r")
        if not read_until(fd, rb"lines \d+", 5):
            raise SystemExit("the article did not open within 5 s")
        read_quiet(fd, 0.5)
        summary("reader `j`/`k`", *measure(fd, n))
        os.write(fd, b"Q")
        os.waitpid(pid, 0)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise


main()
