#!/usr/bin/env bash
# Benchmarks the MiniTwit simulator API through nginx and writes
# bench/results/social.md: a simulator-shaped replay, sequential with a new
# connection per request, then 32 concurrent keep-alive clients with wrk, then
# the JSON API's home timeline of a user following 100 others among 100,000
# users and 1,000,000 messages (bench/timeline_seed.sql).
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
python3 bench/cpu.py snapshot "$WORK/concurrent.cpu0"
python3 bench/cpu.py run "$WORK/concurrent.wrk" -- wrk --latency -t 2 -c 32 -d "${DURATION}s" -s "$WORK/concurrent.lua" "$URL" |
  tee "$WORK/concurrent.txt" >&2
python3 bench/cpu.py snapshot "$WORK/concurrent.cpu1"
python3 bench/cpu.py report "$WORK/concurrent.cpu0" "$WORK/concurrent.cpu1" "$WORK/concurrent.wrk" >"$WORK/concurrent.cpu"
grep '^RESULT' "$WORK/concurrent.txt" | sed 's/^RESULT //' >"$WORK/concurrent.result"

log "home timeline: seeding 100,000 users and 1,000,000 messages"
reader=$(curl -fsS -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"timeline reader","email":"reader@example.org","password":"timeline-reader-password"}' "$URL/v1/register")
READER=$(printf '%s' "$reader" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SOCIAL_DB="$BASE/bench_social?sslmode=disable"
for _ in $(seq 100); do  # social learns the account from auth's event
  [ "$(psql -qAt "$SOCIAL_DB" -c "SELECT count(*) FROM users WHERE id = '$READER'")" = 1 ] && break
  sleep 0.1
done
psql -q "$SOCIAL_DB" -v reader="$READER" -f bench/timeline_seed.sql
TOKEN=$(curl -fsS -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"timeline reader","password":"timeline-reader-password"}' "$URL/v1/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -H 'Host: social.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/timeline/home" |
  python3 -c 'import json,sys; page = json.load(sys.stdin); assert len(page["items"]) == 30 and page["next_cursor"], page'
psql -qAt "$SOCIAL_DB" -c "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM messages), (SELECT count(*) FROM follows WHERE follower_id = '$READER')" >"$WORK/timeline.sizes"
log "home timeline: 32 keep-alive clients for ${DURATION} s"
python3 bench/cpu.py snapshot "$WORK/timeline.cpu0"
python3 bench/cpu.py run "$WORK/timeline.wrk" -- wrk --latency -t 2 -c 32 -d "${DURATION}s" -H 'Host: social.localhost' \
  -H "Authorization: Bearer $TOKEN" -s bench/lua/report.lua "$URL/v1/timeline/home" | tee "$WORK/timeline.txt" >&2
python3 bench/cpu.py snapshot "$WORK/timeline.cpu1"
python3 bench/cpu.py report "$WORK/timeline.cpu0" "$WORK/timeline.cpu1" "$WORK/timeline.wrk" >"$WORK/timeline.cpu"
grep '^RESULT' "$WORK/timeline.txt" | sed 's/^RESULT //' >"$WORK/timeline.result"
log "home timeline: 32 clients pacing themselves to about 2,000 req/s for ${DURATION} s"
cat bench/lua/paced.lua bench/lua/report.lua >"$WORK/paced.lua"
PACE_MS=13 wrk --latency -t 2 -c 32 -d "${DURATION}s" -H 'Host: social.localhost' -H "Authorization: Bearer $TOKEN" \
  -s "$WORK/paced.lua" "$URL/v1/timeline/home" | tee "$WORK/paced.txt" >&2
grep '^RESULT' "$WORK/paced.txt" | sed 's/^RESULT //' >"$WORK/paced.result"

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
print("| scenario | requests | errors (non-2xx) | p50 ms | p99 ms | throughput | target | |")
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
t = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", open(f"{work}/timeline.result").read())}
users, messages, follows = open(f"{work}/timeline.sizes").read().strip().split("|")
terrors = int(t['errors'] + t['non2xx'])
q = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", open(f"{work}/paced.result").read())}
qerrors = int(q['errors'] + q['non2xx'])
print(f"| JSON API home timeline (30 newest of the reader and {follows} followed, among {int(users):,} users and "
      f"{int(messages):,} messages) at about 2,000 req/s: 32 keep-alive clients pausing 0-26 ms between requests, {duration} s "
      f"| {int(q['requests'])} | {qerrors} | {q['p50_ms']:.2f} | {q['p99_ms']:.2f} | {q['rps']:.0f} req/s | >= 2000 req/s, p99 < 25 ms | "
      f"{verdict(q['rps'] >= 2000 and q['p99_ms'] < 25 and qerrors == 0)} |")
print(f"| the same, 32 clients flat out (the machine's ceiling; queueing sets the tail) | {int(t['requests'])} | {terrors} | "
      f"{t['p50_ms']:.2f} | {t['p99_ms']:.2f} | {t['rps']:.0f} req/s | | |")
print(f"\nThe replay is {actions} actions after 200 registrations, in the simulator's proportions (44% tweets,")
print("38% follows, 18% unfollows, many of them of pairs not followed); latencies are measured by the client")
print("(Python, `http.client`), from connecting to reading the whole answer.")
print("\n## Where the CPU goes\n")
print(f"CPU seconds per program during the {duration} s runs (`bench/cpu.py`, from /proc; two cores give at most {2 * int(duration)} s).\n")
print("32 concurrent simulator clients:\n")
print(open(f"{work}/concurrent.cpu").read())
print("Home timeline:\n")
print(open(f"{work}/timeline.cpu").read())
print(open("bench/social-notes.md").read())
PY
cat bench/results/social.md
