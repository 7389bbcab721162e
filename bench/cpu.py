#!/usr/bin/env python3
"""Where the CPU went during a benchmark run.

  cpu.py snapshot FILE          record CPU seconds used so far, per program
  cpu.py run FILE -- CMD ...    run CMD (the load generator) and record its CPU seconds
  cpu.py report BEFORE AFTER [CLIENT]   print a Markdown table of the differences

Programs are grouped by name: the services, nginx, postgres, RabbitMQ (beam.smp),
redis-server; the load generator's own time comes from `run`.
"""
import json
import os
import resource
import subprocess
import sys

GROUPS = {
    "auth": "auth", "social": "social", "events": "events", "notify": "notify",
    "nginx": "nginx", "postgres": "PostgreSQL", "beam.smp": "RabbitMQ",
    "redis-server": "Redis", "notify-bench": "load generator (notify-bench)",
}
TICKS = os.sysconf("SC_CLK_TCK")


def snapshot():
    used = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        group = GROUPS.get(name)
        if group:
            # utime + stime of the process and of its waited-for children.
            ticks = sum(int(x) for x in fields[11:15])
            used[group] = used.get(group, 0) + ticks / TICKS
    return used


def main():
    command = sys.argv[1]
    if command == "snapshot":
        json.dump(snapshot(), open(sys.argv[2], "w"))
    elif command == "run":
        out, rest = sys.argv[2], sys.argv[sys.argv.index("--") + 1:]
        code = subprocess.call(rest)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        json.dump({"client": usage.ru_utime + usage.ru_stime}, open(out, "w"))
        sys.exit(code)
    elif command == "report":
        before, after = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
        spent = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        if len(sys.argv) > 4:
            spent["load generator (wrk)"] = json.load(open(sys.argv[4]))["client"]
        total = sum(spent.values()) or 1
        print("| program | CPU seconds | share |")
        print("|---|---|---|")
        for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
            if seconds >= 0.05:
                print(f"| {name} | {seconds:.1f} | {100 * seconds / total:.0f}% |")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
