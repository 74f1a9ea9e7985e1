#!/usr/bin/env python3
"""Run every job of a crontab once, right now, the way cron (Debian's Vixie cron) runs it.

Usage: run-like-cron [CRONTAB]        (default: /app/cron/crontab)

What cron does, and what this script reproduces:
  * Lines that are empty or start with "#" are ignored.
  * A line "NAME=value" sets an environment variable for the jobs below it.
  * A job line is five schedule fields followed by the command (the rest of the line).
  * The environment of a job is ONLY: HOME=/root, LOGNAME=root, USER=root,
    PATH=/usr/bin:/bin, SHELL=/bin/sh, plus the NAME=value lines of the crontab.
    Nothing else is inherited, and no shell startup files (.bashrc, .profile) are read.
  * The working directory is $HOME.
  * "%" is special in the command: the first unescaped "%" ends the command, and the
    text after it is fed to the command's stdin (further unescaped "%" become
    newlines). "\\%" stands for a literal "%".
  * The command is run as: $SHELL -c "<command>"   (so /bin/sh, i.e. dash, by default).
"""

import subprocess
import sys


def split_percent(command):
    parts, cur, i = [], "", 0
    while i < len(command):
        ch = command[i]
        if ch == "\\" and i + 1 < len(command) and command[i + 1] == "%":
            cur += "%"
            i += 2
            continue
        if ch == "%":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    cmd, rest = parts[0], parts[1:]
    stdin = "\n".join(rest) + "\n" if rest else ""
    return cmd, stdin


def main():
    crontab = sys.argv[1] if len(sys.argv) > 1 else "/app/cron/crontab"
    env = {
        "HOME": "/root",
        "LOGNAME": "root",
        "USER": "root",
        "PATH": "/usr/bin:/bin",
        "SHELL": "/bin/sh",
    }
    status = 0
    with open(crontab) as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(None, 5)
            if "=" in line and (len(fields) < 6 or "=" in fields[0]):
                name, value = line.split("=", 1)
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                env[name.strip()] = value
                continue
            if len(fields) < 6:
                print(f"run-like-cron: bad line: {line}", file=sys.stderr)
                status = 1
                continue
            command, stdin = split_percent(fields[5])
            print(f"run-like-cron: running: {command}", file=sys.stderr)
            proc = subprocess.run(
                [env["SHELL"], "-c", command],
                cwd=env["HOME"],
                env=dict(env),
                input=stdin.encode(),
            )
            print(f"run-like-cron: exit status {proc.returncode}", file=sys.stderr)
            status = status or proc.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
