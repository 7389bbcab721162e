#!/usr/bin/env python3
"""Replays a MiniTwit-simulator-shaped workload sequentially, a new TCP
connection per request (as the simulator does), and prints latency figures
as JSON. Usage: minitwit_replay.py HOST PORT USERS ACTIONS"""
import http.client
import json
import random
import sys
import time
import urllib.parse

AUTH = "Basic c2ltdWxhdG9yOnN1cGVyX3NhZmUh"


def name(i):
    return f"Bench User {i}"


def plan(users, actions):
    rng = random.Random(42)
    steps = [("register", i, None) for i in range(users)]
    for n in range(actions):
        a, b = rng.randrange(users), rng.randrange(users)
        roll = rng.random()
        # The simulator's mix: 11,306 tweets, 9,751 follows, 4,665 unfollows.
        if roll < 0.44:
            steps.append(("tweet", a, f"message {n}: blåbær ☃"))
        elif roll < 0.82:
            steps.append(("follow", a, b))
        else:
            steps.append(("unfollow", a, b))
    return steps


def request(host, port, path, body):
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("POST", path, body=json.dumps(body), headers={
        "Host": "api.localhost", "Authorization": AUTH,
        "Content-Type": "application/json", "Connection": "close"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


def main():
    host, port, users, actions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    latencies = {"register": [], "tweet": [], "follow": [], "unfollow": []}
    errors = 0
    started = time.perf_counter()
    for latest, (kind, a, b) in enumerate(plan(users, actions)):
        user = urllib.parse.quote(name(a))
        if kind == "register":
            path, body = "/register", {"username": name(a), "email": f"bench{a}@example.org", "pwd": f"p{a}"}
        elif kind == "tweet":
            path, body = f"/msgs/{user}", {"content": b}
        else:
            path, body = f"/fllws/{user}", {kind: name(b)}
        status, ms = request(host, port, f"{path}?latest={latest}", body)
        latencies[kind].append(ms)
        errors += status != 204
    others = latencies["tweet"] + latencies["follow"] + latencies["unfollow"]
    print(json.dumps({
        "requests": sum(len(v) for v in latencies.values()),
        "errors": errors,
        "seconds": time.perf_counter() - started,
        "register": {"p50": percentile(latencies["register"], 50), "p99": percentile(latencies["register"], 99)},
        "others": {"p50": percentile(others, 50), "p99": percentile(others, 99), "max": max(others)},
    }))


main()
