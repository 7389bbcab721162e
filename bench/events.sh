#!/usr/bin/env bash
# Benchmarks the events service through nginx and writes bench/results/events.md:
#  1. the stampede: PEOPLE people (every 7th in the priority pool) press
#     "register" for a 100-place event at once over 200 connections; the
#     outcome is checked (exactly 100 places, all to the first 100 prioritized
#     presses, the waiting list complete, the counters right);
#  2. the same for a second event with notify paused (SIGSTOP), to show what
#     the notifications of each registration cost on the shared cores;
#  3. the default event list among 10,000 events, 32 keep-alive clients
#     pacing themselves to about 3,000 req/s, then flat out.
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

# stampede NAME EVENT: everyone registers for EVENT at once; figures under $WORK/NAME.*
stampede() {
  local name=$1 event=$2
  python3 bench/cpu.py snapshot "$WORK/$name.cpu0"
  "$BIN/notify-bench" stampede "$URL" "$event" "$WORK/ids" 200 >"$WORK/$name.json"
  python3 bench/cpu.py snapshot "$WORK/$name.cpu1"
  python3 bench/cpu.py report "$WORK/$name.cpu0" "$WORK/$name.cpu1" >"$WORK/$name.cpu"
  cat "$WORK/$name.json" >&2
  # The outcome the rules give for the order the presses took the event's lock.
  q "SELECT
       (SELECT count(*) FROM registrations WHERE event_id = '$event' AND status = 'confirmed'),
       (SELECT count(*) FROM registrations WHERE event_id = '$event' AND status = 'waitlisted'),
       (SELECT confirmed_count || '/' || waiting_count FROM events WHERE id = '$event'),
       (SELECT count(*) FROM (SELECT user_id FROM registrations WHERE event_id = '$event' AND prioritized
                              ORDER BY registered_at LIMIT 100) AS first
        WHERE user_id NOT IN (SELECT user_id FROM registrations WHERE event_id = '$event' AND status = 'confirmed'))" \
    >"$WORK/$name.outcome"
}
log "stampede: $PEOPLE registrations at once over 200 connections"
stampede stampede "$EVENT"
log "stampede again for another event, notify paused"
kill -STOP "${PIDS[3]}"
stampede quiet 00000000-0000-0000-0000-0000000057a2
kill -CONT "${PIDS[3]}"
sleep 15  # notify catches up before the list runs share the cores with it

curl -fsS -H 'Host: events.localhost' "$URL/v1/events" |
  python3 -c 'import json,sys; page = json.load(sys.stdin); assert len(page["items"]) == 20 and page["total"] > 9000, page["total"]'
log "event list: 32 clients pacing themselves to about 3,000 req/s for ${DURATION} s"
cat bench/lua/paced.lua bench/lua/report.lua >"$WORK/paced.lua"
PACE_MS=9 wrk --latency -t 2 -c 32 -d "${DURATION}s" -H 'Host: events.localhost' \
  -s "$WORK/paced.lua" "$URL/v1/events" | tee "$WORK/paced.txt" >&2
grep '^RESULT' "$WORK/paced.txt" | sed 's/^RESULT //' >"$WORK/paced.result"
log "event list: 32 keep-alive clients flat out for ${DURATION} s"
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
def figures(name):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", open(f"{work}/{name}.result").read())}
def outcome(name):
    confirmed, waiting, counters, missing = open(f"{work}/{name}.outcome").read().strip().split("|")
    ok = int(confirmed) == 100 and int(waiting) == people - 100 and counters == f"100/{people - 100}" and int(missing) == 0
    return f"{confirmed} confirmed, {waiting} waiting, counters {counters}, {missing} of the first 100 prioritized presses without a place: {'correct' if ok else 'WRONG'}", ok
cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
def verdict(ok): return "met" if ok else "MISSED"
print("# events benchmark\n")
print(f"Written by `bench/events.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}); the client, nginx, the four services, PostgreSQL, Redis and")
print("RabbitMQ share them. Release build, through nginx with `Host: events.localhost`.\n")
print("| scenario | requests | errors | p50 ms | p99 ms | throughput | target | |")
print("|---|---|---|---|---|---|---|---|")
outcomes = []
for name, what, judged in [("stampede", "everything running", True), ("quiet", "notify paused", False)]:
    s = json.load(open(f"{work}/{name}.json"))
    text, ok = outcome(name)
    outcomes.append((what, text))
    target = ">= 1000/s, p99 < 500 ms, correct" if judged else ""
    mark = verdict(s['rate'] >= 1000 and s['p99'] < 500 and s['server_errors'] == 0 and ok) if judged else ""
    print(f"| stampede, {what}: {people} people register at once for 100 places over 200 connections | {s['requests']} | "
          f"{s['server_errors']} 5xx, {s['other']} other non-201 | {s['p50']:.1f} | {s['p99']:.1f} | "
          f"{s['rate']:.0f} registrations/s ({s['seconds']:.2f} s in all) | {target} | {mark} |")
p, l = figures("paced"), figures("list")
perrors, lerrors = int(p['errors'] + p['non2xx']), int(l['errors'] + l['non2xx'])
print(f"| default event list (20 of 10,002 events) at about 3,000 req/s: 32 keep-alive clients pausing 0-18 ms, {duration} s | "
      f"{int(p['requests'])} | {perrors} | {p['p50_ms']:.2f} | {p['p99_ms']:.2f} | {p['rps']:.0f} req/s | >= 3000 req/s, p99 < 20 ms | "
      f"{verdict(p['rps'] >= 3000 and p['p99_ms'] < 20 and perrors == 0)} |")
print(f"| the same, 32 clients flat out (the machine's ceiling; queueing sets the tail) | {int(l['requests'])} | {lerrors} | "
      f"{l['p50_ms']:.2f} | {l['p99_ms']:.2f} | {l['rps']:.0f} req/s | | |")
print()
for what, text in outcomes:
    print(f"Stampede outcome, {what}: {text}.")
print("\n## Where the CPU goes\n")
print("Stampede, everything running (from the first press to the last answer):\n")
print(open(f"{work}/stampede.cpu").read())
print("Stampede, notify paused:\n")
print(open(f"{work}/quiet.cpu").read())
print(f"Event list, flat out ({duration} s):\n")
print(open(f"{work}/list.cpu").read())
print(open("bench/events-notes.md").read())
PY
cat bench/results/events.md
