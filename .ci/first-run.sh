#!/usr/bin/env bash
# The newcomer's first run, from this clean clone with nothing built: `npm start` on embedded
# defaults (PGlite, the dev server) must come up, serve the OpenAPI document, run one scripted
# return from opening to closing (`npm run demo:return`), and stop cleanly on Ctrl-C (SIGINT); then
# start again on the same data (the demo's case workflow still listed) and stop cleanly on a SIGTERM sent to npm
# alone, as a service manager or `docker stop` sends it.
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
data_dir=$(mktemp -d)
log="$data_dir/npm-start.log"
api="http://127.0.0.1:$port"
trap 'status=$?; [ -n "${pid:-}" ] && kill -KILL -- "-$pid" 2>/dev/null; [ $status -ne 0 ] && { echo "--- npm start output ---"; cat "$log"; [ -f "${log2:-}" ] && { echo "--- npm start (again) output ---"; cat "$log2"; }; }; rm -rf "$data_dir"' EXIT

echo "first run: npm start on $api (builds the Temporal UI first: a few minutes) (embedded Postgres and dev server in $data_dir)"
# Its own process group, so SIGINT reaches npm and everything under it, as Ctrl-C in a terminal does.
env -u DATABASE_URL -u TEMPORAL_ADDRESS PORT="$port" DATA_DIR="$data_dir" setsid npm start >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 1500); do
  if curl -fsS "$api/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "npm start exited before it was ready"; exit 1; fi
  sleep 0.5
done
curl -fsS "$api/ready" >/dev/null
curl -fsS "$api/docs/json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s);if(!d.openapi||!Object.keys(d.paths).length)process.exit(1);console.log(`first run: /docs/json serves OpenAPI ${d.openapi} with ${Object.keys(d.paths).length} paths`)})'
# The banner is the last thing npm start prints (after the development keys are stored).
for _ in $(seq 1 120); do grep -q 'Press Ctrl-C to stop' "$log" && break; sleep 0.5; done
grep -q 'Press Ctrl-C to stop' "$log" || { echo "npm start printed no banner"; exit 1; }

# As a newcomer runs it: the demo finds the local development keys by itself.
API_URL="$api" DATA_DIR="$data_dir" npm run --silent demo:return

# Ops: the banner names the Temporal Web UI, which serves the page and lists the case through its HTTP API.
ui=$(sed -n 's/^ *Temporal UI *\(http:[^ ]*\).*/\1/p' "$log" | head -1)
[ -n "$ui" ] || { echo "npm start printed no Temporal UI address"; exit 1; }
curl -fsS "$ui/namespaces/default/workflows" | grep -qi '<html' || { echo "the Temporal UI at $ui serves no page"; exit 1; }
curl -fsS "$ui/api/v1/namespaces/default/workflows" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const n=(JSON.parse(s).executions??[]).filter(e=>e.execution.workflowId.startsWith("case-")).length;if(!n)process.exit(1);console.log(`first run: the Temporal UI lists ${n} case workflow(s)`)})'

kill -INT -- "-$pid"
status=0
wait "$pid" || status=$?
pid=
# npm itself answers Ctrl-C with 130 (it got the SIGINT too); the platform must have stopped in order.
if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "npm start exited with $status after SIGINT"; exit 1; fi
grep -q 'stopped cleanly' "$log" || { echo "npm start did not report a clean stop"; exit 1; }
if grep -qE 'IllegalStateError|[Uu]nhandled|"level":(50|60)' "$log"; then echo "npm start logged an error"; exit 1; fi
echo "first run: npm start stopped cleanly on SIGINT"

# Again, as a service: the same data directory, and SIGTERM to npm's own process only (it passes it
# on to the platform, which the start script execs, so no shell stands between them).
log2="$data_dir/npm-start-again.log"
env -u DATABASE_URL -u TEMPORAL_ADDRESS PORT="$port" DATA_DIR="$data_dir" setsid npm start >"$log2" 2>&1 &
pid=$!
for _ in $(seq 1 240); do grep -q 'Press Ctrl-C to stop' "$log2" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
grep -q 'Press Ctrl-C to stop' "$log2" || { echo "npm start did not start again on its data"; exit 1; }
curl -fsS "$api/ready" >/dev/null
# The demo's case is still there: the dev server's persisted workflows came back.
ui2=$(sed -n 's/^ *Temporal UI *\(http:[^ ]*\).*/\1/p' "$log2" | head -1)
curl -fsS "$ui2/api/v1/namespaces/default/workflows" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const n=(JSON.parse(s).executions??[]).filter(e=>e.execution.workflowId.startsWith("case-")).length;if(!n)process.exit(1);console.log(`first run: after the restart the Temporal UI still lists ${n} case workflow(s)`)})'
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
grep -q 'stopped cleanly' "$log2" || { echo "npm start did not stop cleanly on SIGTERM to npm (exit $status)"; exit 1; }
if grep -qE 'IllegalStateError|[Uu]nhandled|"level":(50|60)' "$log2"; then echo "npm start (again) logged an error"; exit 1; fi
if curl -fsS "$api/ready" >/dev/null 2>&1; then echo "the platform outlived npm: $api still answers"; exit 1; fi
echo "first run: started again on its data and stopped cleanly on SIGTERM to npm alone"
