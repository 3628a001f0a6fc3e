#!/usr/bin/env python3
"""Time a terminal program from its start to its first useful frame.

Runs CMD on a pseudo-terminal (100x30, TERM=xterm-256color), answers the
terminal queries kiosk sends (background colour, cursor position), and prints
the milliseconds from the start until the output matches PATTERN (a Python
regular expression over the raw bytes). Then it sends QUIT (default "q") and
waits for the program to end; it kills it after a few seconds.

    python3 scripts/first-frame.py '\\d+/\\d+' -- ./kiosk --offline        # the list's position
    python3 scripts/first-frame.py '\\(\\d+/\\d+\\)' -- newsboat -u urls -c cache.db

Used by scripts/compare-newsboat.sh and scripts/perf-start.sh.
"""
import argparse, fcntl, os, pty, re, select, signal, struct, termios, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pattern")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--quit", default="q")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    pattern = re.compile(a.pattern.encode())
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    buf, found = b"", None
    end = t0 + a.timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.002)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if b"\x1b]11;?" in chunk:
            os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")
        buf += chunk
        if pattern.search(buf):
            found = time.monotonic() - t0
            break
    os.write(fd, a.quit.encode())
    for _ in range(300):  # up to 3 s to quit, reading so the program never blocks on output
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if found is None:
        raise SystemExit(f"no match for {a.pattern!r} within {a.timeout} s; last output {buf[-300:]!r}")
    print(f"{found * 1000:.1f}")


main()
