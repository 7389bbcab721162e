#!/usr/bin/env bash
# Benchmarks the notify service end to end and writes bench/results/notify.md:
#  1. latency: follows through the MiniTwit API at RATE/s (each commits a
#     social.user.followed event in social's outbox); the followed people's
#     WebSockets (through nginx) time each notification from commit to socket;
#  2. consumer throughput: COUNT events queued while notify is stopped, then
#     drained by one notify instance;
#  3. a broker outage: 10,000 follows at 200/s with RabbitMQ stopped for 30 s
#     in the middle; every notification must be stored exactly once.
# Usage: ./bench/notify.sh [rate] [seconds] [throughput events]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
RATE="${1:-1000}"
SECONDS_RUN="${2:-20}"
EVENTS="${3:-50000}"

source "$ROOT/bench/stack.sh"
NOTIFY_DB="$BASE/bench_notify?sslmode=disable"
count() { psql -qAt "$NOTIFY_DB" -c "$1"; }

log "latency: follows at ${RATE}/s for ${SECONDS_RUN} s, timed to the WebSocket"
# The driver snapshots CPU use when it starts and stops sending (setup excluded).
CPU_SNAPSHOT="$WORK/latency.cpu" "$BIN/notify-bench" latency "$URL" "$RATE" "$SECONDS_RUN" >"$WORK/latency.out"
python3 bench/cpu.py report "$WORK/latency.cpu0" "$WORK/latency.cpu1" >"$WORK/latency.cpu"
tail -1 "$WORK/latency.out" >"$WORK/latency.json"
# How long events took to reach notify's commit (the consumer's own histogram).
curl -fsS http://127.0.0.1:18004/metrics | grep '^consumer_event_delay_seconds' >"$WORK/latency.delay" || true
cat "$WORK/latency.json" >&2

# LATENCY_ONLY=1: stop here (for trying changes quickly; writes no results file).
if [ -n "${LATENCY_ONLY:-}" ]; then cat "$WORK/latency.json" "$WORK/latency.delay" "$WORK/latency.cpu" >&2; exit 0; fi

log "consumer throughput: $EVENTS events queued while notify is stopped"
kill -TERM "${PIDS[3]}"
wait "${PIDS[3]}" 2>/dev/null || true
before=$(count "SELECT count(*) FROM notifications")
"$BIN/notify-bench" publish "${SOCIAL_AMQP_URL:-amqp://social:social-dev@127.0.0.1:5672/%2f}" "$AMQP_EXCHANGE" "$EVENTS" >"$WORK/publish.json"
start_notify() {
  env "NOTIFY_DATABASE_URL=$NOTIFY_DB&gssencmode=disable" NOTIFY_LISTEN=127.0.0.1:18004 \
    "$BIN/notify" serve >>"$WORK/notify.log" 2>&1 &
  PIDS[3]=$!
}
started=$(date +%s.%N)
start_notify
target=$((before + EVENTS))
for _ in $(seq 1200); do
  [ "$(count "SELECT count(*) FROM notifications")" -ge "$target" ] && break
  sleep 0.1
done
finished=$(date +%s.%N)
count "SELECT count(*), extract(epoch FROM max(created_at) - min(created_at))
       FROM (SELECT created_at FROM notifications ORDER BY id DESC LIMIT $EVENTS) AS drained" >"$WORK/throughput.db"
echo "$started $finished $before $target" >"$WORK/throughput.wall"

log "broker outage: 10,000 follows at 200/s, RabbitMQ stopped for 30 s in the middle"
"$BIN/notify-bench" stream "$URL" 200 10000 >"$WORK/stream.json" &
STREAM=$!
for _ in $(seq 600); do grep -q ready "$WORK/stream.json" 2>/dev/null && break; sleep 0.1; done
sleep 10
as_root rabbitmqctl stop_app >/dev/null
stopped_at=$(date +%s)
sleep 30
as_root rabbitmqctl start_app >/dev/null
outage=$(( $(date +%s) - stopped_at ))
wait "$STREAM"
prefix=$(tail -1 "$WORK/stream.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["prefix"])')
for _ in $(seq 1800); do
  [ "$(count "SELECT count(*) FROM notifications WHERE kind = 'new_follower' AND data->>'follower_username' LIKE '${prefix}%'")" -ge 10000 ] && break
  sleep 0.1
done
sleep 2
count "SELECT count(*), count(DISTINCT event_id),
              count(DISTINCT (user_id, data->>'follower_username'))
       FROM notifications WHERE kind = 'new_follower' AND data->>'follower_username' LIKE '${prefix}%'" >"$WORK/outage.db"
echo "$outage" >"$WORK/outage.seconds"

mkdir -p bench/results
python3 - "$WORK" "$(git rev-parse --short HEAD)" "$RATE" "$SECONDS_RUN" "$EVENTS" >bench/results/notify.md <<'PY'
import json, os, sys, time
work, commit, rate, seconds, events = sys.argv[1:]
lat = json.load(open(f"{work}/latency.json"))
pub = json.loads(open(f"{work}/publish.json").read().strip().splitlines()[-1])
stored, span = open(f"{work}/throughput.db").read().strip().split("|")
started, finished, before, target = open(f"{work}/throughput.wall").read().split()
stream = json.loads(open(f"{work}/stream.json").read().strip().splitlines()[-1])
total, distinct_events, distinct_pairs = map(int, open(f"{work}/outage.db").read().strip().split("|"))
outage = int(open(f"{work}/outage.seconds").read())
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
def verdict(ok): return "met" if ok else "MISSED"
rate_db = int(stored) / float(span) if float(span) > 0 else float("inf")
rate_wall = (int(target) - int(before)) / (float(finished) - float(started))
print("# notify benchmark\n")
print(f"Written by `bench/notify.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}), shared by the load generator, nginx, the four services,")
print("PostgreSQL, Redis and RabbitMQ. Release build.\n")
print("| scenario | measured | target | |")
print("|---|---|---|---|")
print(f"| commit in social's outbox → notification on a WebSocket, {lat['sent']} follows at {lat['offered_rate']:.0f}/s "
      f"through nginx, 100 sockets | p50 {lat['p50_ms']:.1f} ms, p90 {lat['p90_ms']:.1f} ms, **p99 {lat['p99_ms']:.1f} ms**, max {lat['max_ms']:.1f} ms; "
      f"{lat['received']} of {lat['sent']} arrived, {lat['errors']} API errors | p99 < 50 ms at 1,000 events/s | "
      f"{verdict(lat['p99_ms'] < 50 and lat['offered_rate'] >= 950 and lat['received'] == lat['sent'])} |")
print(f"| consumer throughput: {events} queued events drained by one instance | **{rate_db:,.0f} events/s** "
      f"(first to last stored); {rate_wall:,.0f}/s including start-up | >= 5,000 events/s | {verdict(rate_db >= 5000)} |")
print(f"| RabbitMQ stopped {outage} s in the middle of 10,000 follows at 200/s | {stream['errors']} API errors; "
      f"{total} notifications stored for {distinct_events} events and {distinct_pairs} follower/followee pairs | "
      f"all 10,000 stored exactly once | {verdict(total == distinct_events == distinct_pairs == 10000 and stream['errors'] == 0)} |")
print(f"\nThe throughput run's events were published straight to the exchange ({pub['published']} in {pub['seconds']:.1f} s,"
      " with publisher confirms) while notify was stopped; each becomes a `new_follower` notification (stored, and")
print("pushed through Redis). Latency is measured by the client from the API's answer to the follow (the")
print("event is committed in social's outbox before that answer) to the WebSocket message.\n")
buckets = []
for line in open(f"{work}/latency.delay"):
    if "_bucket" in line:
        le = line.split('le="')[1].split('"')[0]
        buckets.append((float("inf") if le == "+Inf" else float(le), float(line.split()[-1])))
if buckets:
    total = buckets[-1][1] or 1
    def upto(q):
        return next(le for le, n in buckets if n >= q * total)
    print(f"Of that, event to notify's commit (its `consumer_event_delay_seconds` histogram): half within "
          f"{upto(0.5) * 1000:.0f} ms, 99% within {upto(0.99) * 1000:.0f} ms (bucket bounds).\n")
print("## Where the CPU goes (latency run)\n")
print(open(f"{work}/latency.cpu").read())
print(open("bench/notify-notes.md").read())
PY
cat bench/results/notify.md >&2
