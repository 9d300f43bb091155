import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEPLOY = join(__dirname, '..', 'deploy');

function available(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('deploy/', () => {
  const unit = readFileSync(join(DEPLOY, 'sms-bridge.service'), 'utf8');

  const hasSystemdAnalyze = available('systemd-analyze');
  if (!hasSystemdAnalyze) {
    console.warn('systemd-analyze is not installed: skipping `systemd-analyze verify` of the unit');
  }
  (hasSystemdAnalyze ? it : it.skip)('sms-bridge.service passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', join(DEPLOY, 'sms-bridge.service')], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the service unprivileged, sandboxed, from the seed env file', () => {
    for (const line of [
      'User=sms-bridge',
      'EnvironmentFile=/opt/openclaw.env',
      'Environment=NODE_ENV=production SMS_DATABASE_PATH=/var/lib/sms-bridge/sms-bridge.db',
      'ExecStart=/usr/bin/node --max-semi-space-size=2 --max-old-space-size=64 /opt/sms-bridge/dist/main.js',
      'StateDirectory=sms-bridge',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'CapabilityBoundingSet=',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    // V8 compiles to memory that is writable and executable: this would kill the service.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  it('Caddy proxies only POST /api/sms and /api/sms/status, and 404s the rest', () => {
    const caddyfile = readFileSync(join(DEPLOY, 'Caddyfile'), 'utf8');
    const code = caddyfile.replace(/#.*$/gm, '');
    expect(code.match(/reverse_proxy/g)).toHaveLength(1);
    expect(code).toMatch(/@twilio \{\s*method POST\s*path \/api\/sms \/api\/sms\/status\s*\}/);
    expect(code).toMatch(
      /handle @twilio \{[^}]*request_body[\s\S]*reverse_proxy 127\.0\.0\.1:3032/,
    );
    expect(code).toMatch(/handle \{\s*respond 404\s*\}/);
  });

  it('installs a CLI that finds the operator token beside the database the unit names', () => {
    const install = readFileSync(join(DEPLOY, 'install.sh'), 'utf8');
    const database = /SMS_DATABASE_PATH=(\S+)/.exec(unit)![1];
    expect(install).toContain(`: "\${SMS_DATABASE_PATH:=${database}}"`);
  });

  it('install.sh is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', join(DEPLOY, 'install.sh')])).not.toThrow();
  });
});
