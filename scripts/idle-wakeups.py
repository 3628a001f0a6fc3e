#!/usr/bin/env python3
"""How much an idle kiosk costs: context switches and CPU over 10 s.

Starts each KIOSK binary with --offline on a pseudo-terminal (100x30)
against DATA_DIR, lets it settle for 3 s, then counts the context switches
of all its threads and its CPU time while nothing happens for 10 s.

    python3 scripts/idle-wakeups.py DATA_DIR KIOSK [KIOSK ...]
"""
import fcntl, glob, os, pty, select, struct, sys, termios, time


def switches(pid):
    n = 0
    for f in glob.glob(f"/proc/{pid}/task/*/status"):
        for line in open(f):
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                n += int(line.split()[1])
    return n


def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def drain(fd, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            chunk = os.read(fd, 65536)
            if b"\x1b]11;?" in chunk:  # answer the background colour query
                os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")


def main():
    data_dir, binaries = sys.argv[1], sys.argv[2:]
    for b in binaries:
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["KIOSK_DATA_DIR"] = data_dir
            os.environ["TERM"] = "xterm-256color"
            os.execv(b, [b, "--offline"])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        drain(fd, 3)
        s0, c0 = switches(pid), cpu(pid)
        drain(fd, 10)
        print(f"{b}: idle for 10 s: {switches(pid) - s0} context switches, {cpu(pid) - c0:.2f} s CPU")
        os.write(fd, b"Q")
        os.waitpid(pid, 0)


main()
