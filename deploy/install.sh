#!/usr/bin/env bash
# Installs or upgrades sms-bridge as a systemd service; safe to run again.
#   sudo deploy/install.sh            build a copy of this checkout, install, enable, (re)start
#   sudo deploy/install.sh --no-build install the dist/ already built here
# Steps: build (in a temporary copy: root never runs npm in your checkout, nothing there
# ends up owned by root) -> production dependencies beside /opt/sms-bridge -> swap dist/ and
# node_modules/ in whole -> user sms-bridge -> /opt/openclaw.env (created from the example
# only if missing) -> unit -> daemon-reload -> enable -> restart when the Twilio credentials
# are filled in.
set -euo pipefail

APP_DIR=/opt/sms-bridge
ENV_FILE=/opt/openclaw.env
SERVICE=sms-bridge
UNIT=/etc/systemd/system/$SERVICE.service
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root: sudo $0"
[ -x /usr/bin/node ] || die "the unit runs /usr/bin/node: install Node.js 20.19 or newer there"
node_version=$(/usr/bin/node -p 'process.versions.node')
/usr/bin/node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js $node_version is too old: 20.19 or newer is required"
command -v systemctl >/dev/null || die "systemd is required"

cd "$REPO"
if [ "${1:-}" != "--no-build" ]; then
  build=$(mktemp -d)
  trap 'rm -rf "$build"' EXIT
  say "Building a copy of $REPO in $build"
  tar -C "$REPO" --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.git -cf - . |
    tar -C "$build" -xf -
  (cd "$build" && npm ci --no-audit --no-fund && npm run build)
  source_dir=$build
else
  source_dir=$REPO
fi
[ -f "$source_dir/dist/main.js" ] || die "dist/main.js is missing: build first (npm ci && npm run build)"

say "Installing into $APP_DIR"
install -d -m 0755 "$APP_DIR"
# Staged beside the live copy (same file system), production dependencies included, then
# each of dist/ and node_modules/ swapped in whole by rename: a failed copy or npm ci never
# leaves half of one version and half of another.
stage="$APP_DIR/.stage"
rm -rf "$stage"
install -d -m 0755 "$stage"
cp -R "$source_dir/dist" "$stage/dist"
install -m 0644 "$source_dir/package.json" "$source_dir/package-lock.json" "$stage/"
(cd "$stage" && npm ci --omit=dev --no-audit --no-fund)
swap_in() {
  rm -rf "$APP_DIR/$1.old"
  if [ -e "$APP_DIR/$1" ]; then mv "$APP_DIR/$1" "$APP_DIR/$1.old"; fi
  mv "$stage/$1" "$APP_DIR/$1"
  rm -rf "$APP_DIR/$1.old"
}
swap_in node_modules
swap_in dist
install -m 0644 "$stage/package.json" "$stage/package-lock.json" "$APP_DIR/"
rm -rf "$stage"
install -d -m 0755 "$APP_DIR/deploy"
install -m 0644 deploy/README.md deploy/Caddyfile deploy/sms-bridge.caddy deploy/sms-bridge.service \
  "$APP_DIR/deploy/"

if ! id -u "$SERVICE" >/dev/null 2>&1; then
  say "Creating the system user $SERVICE"
  useradd --system --user-group --home-dir /var/lib/$SERVICE --no-create-home \
    --shell /usr/sbin/nologin "$SERVICE"
fi

if [ ! -f "$ENV_FILE" ]; then
  say "Creating $ENV_FILE (root-only): fill in the TWILIO_* values"
  if [ -f deploy/openclaw.env.example ]; then
    install -m 0600 -o root -g root deploy/openclaw.env.example "$ENV_FILE"
  else
    umask 077
    printf '%s\n' 'TWILIO_ACCOUNT_SID=' 'TWILIO_AUTH_TOKEN=' 'TWILIO_PHONE_NUMBER=' > "$ENV_FILE"
  fi
fi

say "Installing the CLI as /usr/local/bin/sms-bridge"
cat > /usr/local/bin/sms-bridge <<'CLI'
#!/bin/sh
# The unit, not the env file, sets the database path; the CLI finds operator.token beside it.
: "${SMS_DATABASE_PATH:=/var/lib/sms-bridge/sms-bridge.db}"
export SMS_DATABASE_PATH
exec /usr/bin/node /opt/sms-bridge/dist/cli/main.js "$@"
CLI
chmod 0755 /usr/local/bin/sms-bridge

say "Installing $UNIT"
install -m 0644 deploy/sms-bridge.service "$UNIT"
systemctl daemon-reload
systemctl enable "$SERVICE" >/dev/null

if grep -Eq '^TWILIO_ACCOUNT_SID=AC[0-9a-f]{32}' "$ENV_FILE"; then
  say "Restarting $SERVICE"
  systemctl restart "$SERVICE"
  for _ in $(seq 1 20); do
    if /usr/local/bin/sms-bridge status >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  /usr/local/bin/sms-bridge status || die "the bridge is not ready: journalctl -u $SERVICE -n 50"
else
  say "Not started: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER in $ENV_FILE,"
  say "then: systemctl restart $SERVICE && curl http://localhost:3032/health"
fi
