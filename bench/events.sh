#!/usr/bin/env bash
# Benchmarks the events service through nginx and writes bench/results/events.md:
#  1. the stampede: PEOPLE people (every 7th in the priority pool) press
#     "register" for a 100-place event at once over 200 connections; the
#     outcome is checked (exactly 100 places, all to the first 100 prioritized
#     presses, the waiting list complete, the counters right);
#  2. the default event list among 10,000 events, 32 keep-alive clients.
# Usage: ./bench/events.sh [people] [seconds for the list run]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
PEOPLE="${1:-2000}"
DURATION="${2:-15}"

source "$ROOT/bench/stack.sh"
EVENTS_DB="$BASE/bench_events?sslmode=disable"
EVENT=00000000-0000-0000-0000-0000000057a1
q() { psql -qAt "$EVENTS_DB" -c "$1"; }

log "seeding $PEOPLE people, the stampede's event and 10,000 listed events"
psql -q "$EVENTS_DB" -v people="$PEOPLE" -v events=10000 -f bench/events_seed.sql
q "SELECT user_id FROM event_settings ORDER BY user_id" >"$WORK/ids"

log "stampede: $PEOPLE registrations at once over 200 connections"
python3 bench/cpu.py snapshot "$WORK/stampede.cpu0"
"$BIN/notify-bench" stampede "$URL" "$EVENT" "$WORK/ids" 200 >"$WORK/stampede.json"
python3 bench/cpu.py snapshot "$WORK/stampede.cpu1"
python3 bench/cpu.py report "$WORK/stampede.cpu0" "$WORK/stampede.cpu1" >"$WORK/stampede.cpu"
cat "$WORK/stampede.json" >&2
# The outcome the rules give for the order the presses took the event's lock.
q "SELECT
     (SELECT count(*) FROM registrations WHERE event_id = '$EVENT' AND status = 'confirmed'),
     (SELECT count(*) FROM registrations WHERE event_id = '$EVENT' AND status = 'waitlisted'),
     (SELECT confirmed_count || '/' || waiting_count FROM events WHERE id = '$EVENT'),
     (SELECT count(*) FROM (SELECT user_id FROM registrations WHERE event_id = '$EVENT' AND prioritized
                            ORDER BY registered_at LIMIT 100) AS first
      WHERE user_id NOT IN (SELECT user_id FROM registrations WHERE event_id = '$EVENT' AND status = 'confirmed'))" \
  >"$WORK/stampede.outcome"
curl -fsS http://127.0.0.1:18003/metrics | grep 'http_request_duration_seconds_sum.*registrations"' >"$WORK/stampede.server" || true

log "event list: 32 keep-alive clients for ${DURATION} s"
curl -fsS -H 'Host: events.localhost' "$URL/v1/events" |
  python3 -c 'import json,sys; page = json.load(sys.stdin); assert len(page["items"]) == 20 and page["total"] > 9000, page["total"]'
python3 bench/cpu.py snapshot "$WORK/list.cpu0"
python3 bench/cpu.py run "$WORK/list.wrk" -- wrk --latency -t 2 -c 32 -d "${DURATION}s" -H 'Host: events.localhost' \
  -s bench/lua/report.lua "$URL/v1/events" | tee "$WORK/list.txt" >&2
python3 bench/cpu.py snapshot "$WORK/list.cpu1"
python3 bench/cpu.py report "$WORK/list.cpu0" "$WORK/list.cpu1" "$WORK/list.wrk" >"$WORK/list.cpu"
grep '^RESULT' "$WORK/list.txt" | sed 's/^RESULT //' >"$WORK/list.result"

mkdir -p bench/results
python3 - "$WORK" "$(git rev-parse --short HEAD)" "$PEOPLE" "$DURATION" >bench/results/events.md <<'PY'
import json, os, re, sys, time
work, commit, people, duration = sys.argv[1:]
people = int(people)
s = json.load(open(f"{work}/stampede.json"))
confirmed, waiting, counters, missing = open(f"{work}/stampede.outcome").read().strip().split("|")
correct = int(confirmed) == 100 and int(waiting) == people - 100 and counters == f"100/{people - 100}" and int(missing) == 0
l = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", open(f"{work}/list.result").read())}
lerrors = int(l['errors'] + l['non2xx'])
cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
def verdict(ok): return "met" if ok else "MISSED"
print("# events benchmark\n")
print(f"Written by `bench/events.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}); the client, nginx, the four services, PostgreSQL, Redis and")
print("RabbitMQ share them. Release build, through nginx with `Host: events.localhost`.\n")
print("| scenario | requests | errors | p50 ms | p99 ms | throughput | target | |")
print("|---|---|---|---|---|---|---|---|")
print(f"| stampede: {people} people register at once for 100 places over 200 connections | {s['requests']} | "
      f"{s['server_errors']} 5xx, {s['other']} other non-201 | {s['p50']:.1f} | {s['p99']:.1f} | {s['rate']:.0f} registrations/s "
      f"({s['seconds']:.2f} s in all) | >= 1000/s, p99 < 500 ms | {verdict(s['rate'] >= 1000 and s['p99'] < 500 and s['server_errors'] == 0)} |")
print(f"| default event list (20 of {10000 + 1:,} events), 32 keep-alive clients, {duration} s | {int(l['requests'])} | {lerrors} | "
      f"{l['p50_ms']:.2f} | {l['p99_ms']:.2f} | {l['rps']:.0f} req/s | >= 3000 req/s, p99 < 20 ms | "
      f"{verdict(l['rps'] >= 3000 and l['p99_ms'] < 20 and lerrors == 0)} |")
print(f"\nStampede outcome: {confirmed} confirmed, {waiting} waiting, counters {counters}; prioritized among the first "
      f"100 prioritized presses without a place: {missing}. {'Correct.' if correct else 'WRONG.'}")
print(f"\nEach registration holds the event's row lock from `SELECT ... FOR UPDATE` to its commit, so places are given "
      f"one at a time: {s['seconds'] * 1000 / people:.2f} ms of wall time per registration on average.")
print("\n## Where the CPU goes\n")
print("Stampede (from the first press to the last answer):\n")
print(open(f"{work}/stampede.cpu").read())
print(f"Event list ({duration} s):\n")
print(open(f"{work}/list.cpu").read())
print(open("bench/events-notes.md").read())
PY
cat bench/results/events.md
