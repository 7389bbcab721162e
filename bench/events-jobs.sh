#!/usr/bin/env bash
# Benchmarks the events service's 12:00 wind-up and writes
# bench/results/events-jobs.md: EVENTS events that ended the day before, with
# PARTICIPANTS confirmed participants each of whom ABSENT were not checked in.
# The service starts with its jobs' clock at 12:00 Oslo time the next day
# (bench-driver's `events-at`, the service with an injected clock), winds up
# every event (a no_show strike for each absent participant, published), and
# is timed from start to the last claim; then it starts again to show that
# no strike is given twice.
# Usage: ./bench/events-jobs.sh [events] [participants] [absent]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
EVENTS="${1:-1000}"
PARTICIPANTS="${2:-100}"
ABSENT="${3:-10}"
NOON=2027-03-28T10:00:00Z # 12:00 in Oslo, the first day of summer time

ensure_build_tools
ensure_services
log "building release binaries"
cargo build --release --locked -p events -p bench-driver --bins
BIN="$CARGO_TARGET_DIR/release"

export APP_ENV=benchmark LOG_FORMAT=json RUST_LOG=warn AMQP_EXCHANGE="bench.$$" AMQP_QUEUE_PREFIX="bench.$$."
export EVENTS_LISTEN=127.0.0.1:18103 EVENTS_JOBS_CHECK_MS=200
WORK=$(mktemp -d)
DB="${PG_ADMIN_URL%/*}/bench_event_jobs?sslmode=disable&gssencmode=disable"
export EVENTS_DATABASE_URL="$DB"
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  psql_admin -c "DROP DATABASE IF EXISTS bench_event_jobs WITH (FORCE)" || true
  as_root rabbitmqctl eval "rabbit_exchange:delete(rabbit_misc:r(<<\"/\">>, exchange, <<\"$AMQP_EXCHANGE\">>), false, <<\"bench\">>)." \
    >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
q() { psql -qAt "$DB" -c "$1"; }

psql_admin -c "DROP DATABASE IF EXISTS bench_event_jobs WITH (FORCE)" -c "CREATE DATABASE bench_event_jobs"
"$BIN/events" migrate >/dev/null
log "seeding $EVENTS ended events with $PARTICIPANTS participants each, $ABSENT absent"
psql -q "$DB" -v events="$EVENTS" -v participants="$PARTICIPANTS" -v absent="$ABSENT" -f bench/events_jobs_seed.sql

# run: starts the service at noon and waits until every event is wound up.
run() {
  "$BIN/events-at" "$NOON" >"$WORK/events.log" 2>&1 &
  PID=$!
  local waited=0
  until [ "$(q "SELECT count(*) FROM job_runs WHERE job = 'after_event'")" -ge "$EVENTS" ]; do
    sleep 0.1
    waited=$((waited + 1))
    [ "$waited" -lt 6000 ] || die "the wind-up did not finish in 10 minutes: $(tail -5 "$WORK/events.log")"
  done
}
log "the 12:00 run"
started=$(date +%s.%N)
run
finished=$(date +%s.%N)
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
kill -TERM "$PID"
wait "$PID" || true
PID=""
strikes=$(q "SELECT count(*) FROM strikes WHERE kind = 'no_show'")
span=$(q "SELECT round(extract(epoch FROM max(ran_at) - min(ran_at))::numeric, 2) FROM job_runs WHERE job = 'after_event'")

log "starting again at the same noon: nothing is given twice"
run
sleep 3
kill -TERM "$PID"
wait "$PID" || true
PID=""
again=$(q "SELECT count(*) FROM strikes WHERE kind = 'no_show'")
doubles=$(q "SELECT count(*) FROM (SELECT user_id, event_id FROM strikes WHERE kind = 'no_show' GROUP BY 1, 2 HAVING count(*) > 1) AS d")
published=$(q "SELECT count(*) FROM outbox WHERE event_type = 'events.strike.given'")
expected=$((EVENTS * ABSENT))

mkdir -p bench/results
python3 - "$started" "$finished" "$span" "$strikes" "$again" "$doubles" "$published" "$expected" "$rss" \
  "$EVENTS" "$PARTICIPANTS" "$ABSENT" "$(git rev-parse --short HEAD)" >bench/results/events-jobs.md <<'PY'
import os, sys, time
started, finished, span = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
strikes, again, doubles, published, expected, rss = map(int, sys.argv[4:10])
events, participants, absent, commit = int(sys.argv[10]), int(sys.argv[11]), int(sys.argv[12]), sys.argv[13]
cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
wall = finished - started
ok = strikes == expected and again == expected and doubles == 0 and published == expected
print("# events benchmark: the 12:00 wind-up\n")
print(f"Written by `bench/events-jobs.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}), shared by the service and PostgreSQL. Release build.\n")
print(f"{events} events ended the day before, {participants} confirmed participants each, {absent} of them not")
print("checked in; participants come from 10,000 people, so many collect several strikes and lose")
print("priority on their open registrations. The service starts with its jobs' clock at 12:00.\n")
print("| figure | value |")
print("|---|---|")
print(f"| wall time from start to the last event wound up (includes start-up) | {wall:.2f} s |")
print(f"| between the first and the last claim | {span} s |")
print(f"| events per second | {events / wall:.0f} |")
print(f"| no_show strikes given (expected {expected}) | {strikes} |")
print(f"| strike events in the outbox | {published} |")
print(f"| after starting again at the same noon | {again} strikes, {doubles} given twice |")
print(f"| peak memory of the service | {rss} MB |")
print(f"\nOutcome: {'correct: every strike given once' if ok else 'WRONG'}.")
PY
cat bench/results/events-jobs.md
