#!/usr/bin/env bash
# The newcomer's first run, from this clean clone with nothing built: `npm start` on embedded
# defaults (PGlite, the dev server) must come up, serve the OpenAPI document, run one scripted
# return from opening to closing (`npm run demo:return`), and stop cleanly on Ctrl-C (SIGINT).
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
data_dir=$(mktemp -d)
log="$data_dir/npm-start.log"
api="http://127.0.0.1:$port"
trap 'status=$?; [ -n "${pid:-}" ] && kill -KILL -- "-$pid" 2>/dev/null; [ $status -ne 0 ] && { echo "--- npm start output ---"; cat "$log"; }; rm -rf "$data_dir"' EXIT

echo "first run: npm start on $api (embedded Postgres and dev server in $data_dir)"
# Its own process group, so SIGINT reaches npm and everything under it, as Ctrl-C in a terminal does.
env -u DATABASE_URL -u TEMPORAL_ADDRESS PORT="$port" DATA_DIR="$data_dir" setsid npm start >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 600); do
  if curl -fsS "$api/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "npm start exited before it was ready"; exit 1; fi
  sleep 0.5
done
curl -fsS "$api/ready" >/dev/null
curl -fsS "$api/docs/json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s);if(!d.openapi||!Object.keys(d.paths).length)process.exit(1);console.log(`first run: /docs/json serves OpenAPI ${d.openapi} with ${Object.keys(d.paths).length} paths`)})'
# The banner (the last thing npm start prints) names the keys; wait for it.
for _ in $(seq 1 120); do grep -q 'Ctrl-C' "$log" && break; sleep 0.5; done
key() { grep -oE "\b$1_[A-Za-z0-9_-]+" "$log" | head -1; }

API_URL="$api" STOREFRONT_KEY="$(key storefront)" WAREHOUSE_KEY="$(key warehouse)" ADMIN_KEY="$(key admin)" npm run --silent demo:return

kill -INT -- "-$pid"
status=0
wait "$pid" || status=$?
pid=
if [ "$status" -ne 0 ]; then echo "npm start exited with $status after SIGINT"; cat "$log"; exit 1; fi
if grep -qiE 'unhandled|IllegalStateError|ERR_' "$log"; then echo "npm start printed an error while stopping"; cat "$log"; exit 1; fi
echo "first run: npm start stopped cleanly on SIGINT"
