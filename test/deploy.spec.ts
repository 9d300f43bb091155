import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEPLOY = join(__dirname, '..', 'deploy');

function available(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A deploy/ file without its comments. */
function code(file: string): string {
  return readFileSync(join(DEPLOY, file), 'utf8').replace(/#.*$/gm, '');
}

describe('deploy/', () => {
  const unit = readFileSync(join(DEPLOY, 'sms-bridge.service'), 'utf8');
  const install = readFileSync(join(DEPLOY, 'install.sh'), 'utf8');

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

  it('has a drop-in that starts the bridge after a PostgreSQL server on the same machine', () => {
    expect(code('sms-bridge-postgres.conf').split('\n').filter(Boolean)).toEqual([
      '[Unit]',
      'After=postgresql.service',
      'Wants=postgresql.service',
    ]);
    expect(readFileSync(join(DEPLOY, 'sms-bridge-postgres.conf'), 'utf8')).toContain(
      '/etc/systemd/system/sms-bridge.service.d/postgres.conf',
    );
  });

  it('runs the service unprivileged, sandboxed, bounded, from the seed env file', () => {
    for (const line of [
      'User=sms-bridge',
      'EnvironmentFile=/opt/openclaw.env',
      'Environment=SMS_DATABASE_PATH=/var/lib/sms-bridge/sms-bridge.db',
      'ExecStart=/usr/bin/env NODE_ENV=production /usr/bin/node --max-semi-space-size=2 --max-old-space-size=64 /opt/sms-bridge/dist/main.js',
      'StateDirectory=sms-bridge',
      'Restart=on-failure',
      'MemoryMax=256M',
      'TasksMax=64',
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

  it('npm start runs the bridge with the heap flags of the unit', () => {
    const heapFlags = (command: string) => command.match(/--max-[a-z-]+=\d+/g) ?? [];
    const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const execStart = /^ExecStart=(.*)$/m.exec(unit)![1];
    expect(heapFlags(execStart)).toEqual(['--max-semi-space-size=2', '--max-old-space-size=64']);
    expect(heapFlags(scripts.start)).toEqual(heapFlags(execStart));
  });

  it('runs in production even when the shared env file says NODE_ENV=development', () => {
    // systemd lets EnvironmentFile= override Environment=, but not the command line.
    expect(unit).not.toMatch(/^Environment=.*NODE_ENV/m);
    const [command, ...args] = /^ExecStart=(.*)$/m
      .exec(unit)![1]
      .split(' ')
      .map((arg) => (arg === '/usr/bin/node' ? process.execPath : arg))
      .map((arg) => (arg === '/opt/sms-bridge/dist/main.js' ? '-p' : arg));
    const mode = execFileSync(command, [...args, 'process.env.NODE_ENV'], {
      env: { ...process.env, NODE_ENV: 'development' },
      encoding: 'utf8',
    });
    expect(mode.trim()).toBe('production');
  });

  it('Caddy: the snippet forwards only POST /api/sms and /api/sms/status; the site adds the 404', () => {
    const snippet = code('sms-bridge.caddy');
    expect(snippet.match(/reverse_proxy/g)).toHaveLength(1);
    expect(snippet).toMatch(/^handle \/api\/sms\* \{/m);
    expect(snippet).toMatch(/not \{\s*method POST\s*path \/api\/sms \/api\/sms\/status\s*\}/);
    // Pasted into someone's site, a catch-all would hide the rest of it.
    expect(snippet).not.toMatch(/handle \{/);
    const site = code('Caddyfile');
    expect(site).toContain('import sms-bridge.caddy');
    expect(site).toMatch(/handle \{\s*respond 404\s*\}/);
  });

  it('installs a CLI that finds the operator token beside the database the unit names', () => {
    const database = /SMS_DATABASE_PATH=(\S+)/.exec(unit)![1];
    expect(install).toContain(`: "\${SMS_DATABASE_PATH:=${database}}"`);
  });

  it('install.sh builds in a temporary copy and swaps code and dependencies in whole', () => {
    // Every npm it runs, and in which folder (a message that only names npm aside).
    const npmRuns = code('install.sh')
      .split('\n')
      .filter((line) => /\bnpm (ci|run)\b/.test(line) && !/\bdie\b/.test(line));
    expect(npmRuns).toEqual([
      expect.stringMatching(/^\s*\(cd "\$build" && npm ci .*&& npm run build\)$/),
      expect.stringMatching(/^\(cd "\$stage" && npm ci --omit=dev /),
    ]);
    expect(install).toContain('build=$(mktemp -d)');
    expect(install).toMatch(/^stage="\$APP_DIR\/\.stage"$/m);
    expect(install).toMatch(/^swap_in node_modules$/m);
    expect(install).toMatch(/^swap_in dist$/m);
    expect(install).toContain('deploy/sms-bridge.caddy');
  });

  it('install.sh is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', join(DEPLOY, 'install.sh')])).not.toThrow();
  });
});
