#!/usr/bin/env bash
# Benchmarks the MiniTwit simulator API through nginx and writes
# bench/results/social.md: a simulator-shaped replay, sequential with a new
# connection per request, then 32 concurrent keep-alive clients with wrk.
# Usage: ./bench/social.sh [actions to replay] [seconds for the concurrent run]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ACTIONS="${1:-5000}"
DURATION="${2:-15}"

source "$ROOT/bench/stack.sh"

log "replaying 200 registrations and $ACTIONS actions, one connection each"
python3 bench/minitwit_replay.py 127.0.0.1 18080 200 "$ACTIONS" >"$WORK/replay.json"
cat "$WORK/replay.json" >&2

log "32 concurrent keep-alive clients for ${DURATION} s"
cat bench/lua/minitwit.lua bench/lua/report.lua >"$WORK/concurrent.lua"
wrk --latency -t 2 -c 32 -d "${DURATION}s" -s "$WORK/concurrent.lua" "$URL" | tee "$WORK/concurrent.txt" >&2
grep '^RESULT' "$WORK/concurrent.txt" | sed 's/^RESULT //' >"$WORK/concurrent.result"

mkdir -p bench/results
python3 - "$WORK" "$(git rev-parse --short HEAD)" "$ACTIONS" "$DURATION" >bench/results/social.md <<'PY'
import json, os, re, sys, time
work, commit, actions, duration = sys.argv[1:]
replay = json.load(open(f"{work}/replay.json"))
concurrent = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", open(f"{work}/concurrent.result").read())}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
def verdict(ok): return "met" if ok else "MISSED"
print("# social benchmark (MiniTwit simulator API)\n")
print(f"Written by `bench/social.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}); the client, nginx, the four services, PostgreSQL, Redis and")
print("RabbitMQ share them. Release build, through nginx with `Host: api.localhost`.\n")
print("| scenario | requests | errors (non-204) | p50 ms | p99 ms | throughput | target | |")
print("|---|---|---|---|---|---|---|---|")
r = replay
print(f"| sequential replay, new connection per request: tweets, follows, unfollows | {r['requests'] - 200} | {r['errors']} | "
      f"{r['others']['p50']:.2f} | {r['others']['p99']:.2f} | {r['requests'] / r['seconds']:.0f} req/s | p99 < 5 ms, 0 errors | "
      f"{verdict(r['others']['p99'] < 5 and r['errors'] == 0)} |")
print(f"| sequential replay: registrations (create the account in auth) | 200 | (above) | {r['register']['p50']:.2f} | "
      f"{r['register']['p99']:.2f} | | p99 < 100 ms | {verdict(r['register']['p99'] < 100)} |")
c = concurrent
errors = int(c['errors'] + c['non2xx'])
print(f"| 32 concurrent keep-alive clients, same mix, {duration} s | {int(c['requests'])} | {errors} | {c['p50_ms']:.2f} | "
      f"{c['p99_ms']:.2f} | {c['rps']:.0f} req/s | >= 3000 req/s | {verdict(c['rps'] >= 3000 and errors == 0)} |")
print(f"\nThe replay is {actions} actions after 200 registrations, in the simulator's proportions (44% tweets,")
print("38% follows, 18% unfollows, many of them of pairs not followed); latencies are measured by the client")
print("(Python, `http.client`), from connecting to reading the whole answer.")
print("""
What dominates now: a tweet or (un)follow is one statement and one commit (the user lookup, the change,
its outbox event and `latest` together), plus the relay's batched publish. Under the concurrent load
the two cores are shared by wrk, nginx, social, the PostgreSQL backends (each commit waits for its WAL
flush) and RabbitMQ; `bench/results/social-history.md` lists what each change bought. The next steps
are fewer processes per request on this machine (nginx keep-alive to social is already on) and
grouping commits (`commit_delay`) on the database side.""")

PY
cat bench/results/social.md
