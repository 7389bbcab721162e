#!/usr/bin/env bash
# Benchmarks the identity service through nginx and writes bench/results/auth.md.
# Builds release binaries, runs auth (production argon2id cost) on a scratch
# database, and drives it with wrk. Usage: ./bench/auth.sh [seconds per run]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
DURATION="${1:-15}"
# Concurrent keep-alive connections for the GET /v1/me target run (16 already
# saturates the two cores; more connections only queue). A second run at 64
# shows what oversubscription does to the tail.
ME_CONNECTIONS="${ME_CONNECTIONS:-16}"

source "$ROOT/bench/stack.sh"

curl -sf -X POST "$URL/v1/register" -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"bench user","email":"bench@example.org","password":"benchmark password"}' >/dev/null
TOKEN=$(curl -sf -X POST "$URL/v1/login" -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"bench user","password":"benchmark password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

RUNS="${RUNS:-3}"
# Runs wrk RUNS times; keeps each run's RESULT line in $WORK/<name>.results.
measure() { # name, then wrk arguments
  local name=$1
  shift
  : >"$WORK/$name.results"
  for run in $(seq "$RUNS"); do
    log "wrk: $name, run $run of $RUNS"
    wrk --latency -d "${DURATION}s" "$@" | tee "$WORK/$name.txt" >&2
    grep '^RESULT' "$WORK/$name.txt" | sed 's/^RESULT //' >>"$WORK/$name.results"
  done
}

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Host"] = "auth.localhost"
wrk.body = '{"username":"bench user","password":"benchmark password"}'
LUA
cat "$WORK/login.lua" bench/lua/report.lua >"$WORK/login-report.lua"
cat bench/lua/register.lua bench/lua/report.lua >"$WORK/register-report.lua"

# A warm-up so connection pools and caches are filled.
wrk -d 3s -t 2 -c 32 -H 'Host: auth.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/me" >/dev/null
measure me -t 2 -c "$ME_CONNECTIONS" -s bench/lua/report.lua -H 'Host: auth.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/me"
measure me64 -t 2 -c 64 -s bench/lua/report.lua -H 'Host: auth.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/me"
measure login -t 2 -c 4 -s "$WORK/login-report.lua" "$URL/v1/login"
measure register -t 2 -c 4 -s "$WORK/register-report.lua" "$URL/v1/register"

# Memory under hashing: 10,000 registrations (one argon2id hash each) from 16
# clients, then auth's resident memory; wrk is stopped once that many accounts exist.
HASHES="${HASHES:-10000}"
log "wrk: $HASHES registrations at 16 clients, for auth's memory"
memory_started=$(date +%s)
accounts() { psql "$BASE/bench_auth" -Atq -c "SELECT count(*) FROM users"; }
before=$(accounts)
wrk -t 2 -c 16 -d 3600s -s bench/lua/register.lua "$URL/v1/register" >"$WORK/memory.txt" 2>&1 &
memory_wrk=$!
# Stopped from outside once the database holds HASHES new accounts (overshoot: at most 16).
until [ "$(( $(accounts) - before ))" -ge "$HASHES" ] || ! kill -0 "$memory_wrk" 2>/dev/null; do sleep 1; done
kill -INT "$memory_wrk" 2>/dev/null || true
wait "$memory_wrk" || true
memory_seconds=$(( $(date +%s) - memory_started ))
sed -nE 's/.*Non-2xx or 3xx responses: ([0-9]+).*/\1/p' "$WORK/memory.txt" >"$WORK/memory.errors"
[ -s "$WORK/memory.errors" ] || echo 0 >"$WORK/memory.errors"
AUTH_RSS_AFTER=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/${PIDS[0]}/status")
AUTH_HWM=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/${PIDS[0]}/status")
REGISTERED=$(( $(accounts) - before ))

# Server-side latency, as the service's own histogram saw it.
curl -s http://127.0.0.1:18001/metrics |
  grep -E 'http_request_duration_seconds_bucket\{.*route="/v1/(me|login|register)"' >"$WORK/server.txt" || true

mkdir -p bench/results
python3 - "$WORK" "$ME_CONNECTIONS" "$DURATION" "$RUNS" "$(git rev-parse --short HEAD)" \
  "${AUTH_ARGON2_MEMORY_KIB:-12288}" "${AUTH_ARGON2_ITERATIONS:-3}" "${AUTH_ARGON2_PARALLELISM:-1}" \
  "$REGISTERED" "$memory_seconds" "$(cat "$WORK/memory.errors")" "$AUTH_RSS_AFTER" "$AUTH_HWM" \
  "${RSS[auth]}" "${RSS[social]}" "${RSS[events]}" "${RSS[notify]}" >bench/results/auth.md <<'PY'
import os, re, statistics, subprocess, sys, time
work, me_conns, duration, runs, commit, m, t, p, registered, mem_secs, mem_errors, rss_after, hwm, *rss = sys.argv[1:]
def results(name):
    rows = []
    for line in open(f"{work}/{name}.results"):
        rows.append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)})
    return rows
def server_p99(route):
    buckets = []
    for line in open(f"{work}/server.txt"):
        if f'route="{route}"' in line:
            le = re.search(r'le="([^"]+)"', line).group(1)
            buckets.append((float("inf") if le == "+Inf" else float(le), float(line.split()[-1])))
    total = buckets[-1][1] if buckets else 0
    for le, count in buckets:
        if total and count >= 0.99 * total:
            return f"<= {le * 1000:g}"
    return "n/a"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
print("# auth benchmark\n")
print(f"Written by `bench/auth.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`.")
print(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB; wrk, nginx, the four services, PostgreSQL,")
print("Redis and RabbitMQ all share those cores. Release build, through nginx (`Host: auth.localhost`),")
print(f"{runs} runs of {duration} s per scenario after a warm-up; the table shows the median run by p99")
print(f"and the range of p99 over the runs. argon2id: m={m} KiB, t={t}, p={p} (one hashing worker per core).\n")
print("| scenario | clients | requests/s | p50 ms | p99 ms (median run) | p99 range | server-side p99 ms | errors | target | |")
print("|---|---|---|---|---|---|---|---|---|---|")
scenarios = [("me", "GET /v1/me (valid token)", me_conns, "/v1/me", 20, 5000),
             ("me64", "GET /v1/me, oversubscribed", "64", "/v1/me", None, None),
             ("login", "POST /v1/login", "4", "/v1/login", 100, None),
             ("register", "POST /v1/register", "4", "/v1/register", 100, None)]
for key, title, clients, route, p99_target, rps_target in scenarios:
    rows = sorted(results(key), key=lambda r: r["p99_ms"])
    mid = rows[len(rows) // 2]
    errors = int(sum(r["errors"] + r["non2xx"] for r in rows))
    if p99_target is None:
        ok, target = None, "(for comparison)"
    else:
        ok = mid["p99_ms"] < p99_target and (rps_target is None or mid["rps"] >= rps_target)
        target = (f">= {rps_target} rps, " if rps_target else "") + f"p99 < {p99_target} ms"
    print(f"| {title} | {clients} | {mid['rps']:.0f} | {mid['p50_ms']:.2f} | {mid['p99_ms']:.2f} | "
          f"{rows[0]['p99_ms']:.2f} to {rows[-1]['p99_ms']:.2f} | {server_p99(route)} | {errors} | {target} | {'' if ok is None else 'met' if ok else 'MISSED'} |")
print("""
What the figures say:
- `/v1/me` (token verified locally with Ed25519, one indexed query) stays within a few milliseconds
  inside the service (server-side column, the service's own histogram over all runs). The client-side
  tail is CPU contention: wrk, two nginx workers, two service workers, their blocking threads and the
  PostgreSQL backends share two cores. More connections raise the tail without adding throughput.
- Login and registration are dominated by argon2id (about 20 ms of one core per hash). With four
  clients and two cores each request waits for about one other hash, so p50 is about twice a hash.
- Single runs on this shared machine sometimes show a stall of up to ~100 ms (see the p99 ranges);
  the median run is what the targets are judged on.""")
print(f"""
Memory under password hashing: {registered} registrations (one argon2id hash each, m={m} KiB) from
16 concurrent clients in {mem_secs} s ({mem_errors} errors), then auth's resident memory. Each
hashing worker (one per core) keeps one {int(m) // 1024} MiB area for its life and allocates no other.
""")
print("| auth after the registrations | MB | target | |\n|---|---|---|---|")
print(f"| VmRSS | {rss_after} | < 64 MB | {'met' if float(rss_after) < 64 else 'MISSED'} |")
print(f"| VmHWM (peak, start-up included) | {hwm} | < 64 MB | {'met' if float(hwm) < 64 else 'MISSED'} |")
print("\nIdle resident memory (VmRSS) after start-up, target under 30 MB each:\n")
print("| service | MB | |\n|---|---|---|")
for name, value in zip(["auth", "social", "events", "notify"], rss):
    print(f"| {name} | {value} | {'met' if float(value) < 30 else 'MISSED'} |")
PY
cat bench/results/auth.md
