#!/usr/bin/env bash
# Benchmarks the image pipeline and its serving, every service running
# (bench/stack.sh), and writes bench/results/media.md:
# - uploading a 12-megapixel photo-like JPEG to an event through nginx (sniff,
#   decode, turn upright, re-encode, two display sizes, stored on local disk):
#   the time per upload over UPLOADS runs, and events' peak memory (VmHWM)
#   against its idle memory;
# - 32 clients reading the 1280-wide size through nginx at media.localhost
#   for SECONDS: requests per second and p99 (wrk).
# Usage: ./bench/media.sh [uploads] [seconds]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
UPLOADS="${1:-5}"
SECONDS_READING="${2:-10}"
source "$ROOT/bench/stack.sh"
EVENTS_PID=${PIDS[2]}
EVENTS_DB="$BASE/bench_events?sslmode=disable&gssencmode=disable"
log "seeding events with 10,000 people and 10,000 listed events (as bench/events.sh)"
psql -q "$EVENTS_DB" -v people=10000 -v events=10000 -f bench/events_seed.sql

log "an administrator, a group and an event"
curl -sf -H 'Host: auth.localhost' -H 'content-type: application/json' "$URL/v1/register" \
  -d '{"username":"bench-admin","email":"bench-admin@example.org","password":"bench admin password"}' >/dev/null
psql -qAt "$BASE/bench_auth?sslmode=disable&gssencmode=disable" -c "UPDATE users SET roles = '{admin}' WHERE username = 'bench-admin'"
TOKEN=$(curl -sf -H 'Host: auth.localhost' -H 'content-type: application/json' "$URL/v1/login" \
  -d '{"username":"bench-admin","password":"bench admin password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -H 'Host: auth.localhost' -H 'content-type: application/json' -H "Authorization: Bearer $TOKEN" \
  "$URL/v1/groups" -d '{"slug":"bench","name":"Bench","kind":"board"}' >/dev/null
until [ "$(psql -qAt "$EVENTS_DB" -c "SELECT count(*) FROM groups WHERE slug = 'bench'")" = 1 ]; do sleep 0.2; done
EVENT=$(curl -sf -H 'Host: events.localhost' -H 'content-type: application/json' -H "Authorization: Bearer $TOKEN" \
  "$URL/v1/events" -d '{"title":"Bench","starts_at":"2030-01-01T18:00:00Z","ends_at":"2030-01-01T20:00:00Z","organizer":"bench"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

"$BIN/photo" 4000 3000 >"$WORK/photo.jpg"
SIZE_MB=$(awk -v b="$(stat -c %s "$WORK/photo.jpg")" 'BEGIN { printf "%.1f", b / 1048576 }')
log "uploading a 12-megapixel JPEG ($SIZE_MB MB) $UPLOADS times"
times=()
for _ in $(seq "$UPLOADS"); do
  answer=$(curl -s -o "$WORK/image.json" -w '%{http_code} %{time_total}' -H 'Host: events.localhost' \
    -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/photo.jpg;type=image/jpeg" "$URL/v1/events/$EVENT/image")
  [ "${answer%% *}" = 200 ] || die "upload answered ${answer%% *}: $(cat "$WORK/image.json")"
  times+=("${answer##* }")
done
read -r UP_MIN UP_MEDIAN UP_MAX < <(printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f %.2f %.2f\n", t[1], t[int((NR + 1) / 2)], t[NR] }')
PEAK=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$EVENTS_PID/status")
NOW=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$EVENTS_PID/status")

IMAGE_PATH=$(python3 -c 'import json,sys; s = json.load(open(sys.argv[1]))["sizes"]; print([x["url"] for x in s if x["name"] == "w1280"][0].split("18080", 1)[1])' "$WORK/image.json")
cat >"$WORK/media.lua" <<'LUA'
wrk.headers["Host"] = "media.localhost"
LUA
log "32 clients reading the 1280-wide size for ${SECONDS_READING}s"
wrk -t2 -c32 -d"${SECONDS_READING}s" --latency -s "$WORK/media.lua" "$URL$IMAGE_PATH" >"$WORK/wrk.txt"
RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
ERRORS=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.txt")
BYTES=$(curl -s -o /dev/null -w '%{size_download}' -H 'Host: media.localhost' "$URL$IMAGE_PATH")

mkdir -p bench/results
cat >bench/results/media.md <<MD
# Images: upload and serving

\`./bench/media.sh $UPLOADS $SECONDS_READING\` on $(nproc) cores, $(date -u +%Y-%m-%d), release build, every
service running behind nginx (bench/stack.sh), events seeded with 10,000 people
and 10,000 events (bench/events_seed.sql), the store on local disk.

## Uploading a 12-megapixel photo

A 4000 x 3000 photo-like JPEG ($SIZE_MB MB) uploaded $UPLOADS times to an event
through nginx: received to a temporary file, sniffed, decoded, re-encoded,
stored with its 320 and 1280 wide sizes, the one before deleted.

| | |
|---|---|
| time per upload (min / median / max) | $UP_MIN / $UP_MEDIAN / $UP_MAX s |
| events' memory, idle | ${RSS[events]} MB |
| events' peak memory (VmHWM) | $PEAK MB |
| events' memory afterwards | $NOW MB |

## Reading display sizes

32 clients (wrk, 2 threads) reading the 1280-wide JPEG ($BYTES bytes) from
media.localhost through nginx for ${SECONDS_READING}s.

| | |
|---|---|
| requests/s | $RPS |
| p99 | $P99 |
| non-2xx answers | ${ERRORS:-0} |
MD
log "wrote bench/results/media.md"
cat bench/results/media.md
