import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TwilioSimulator } from '../src/twilio/simulator/twilio-simulator';
import { BridgeProcess } from './helpers/bridge-process';
import { builtApp, NODE_PATH } from './helpers/build-app';
import { freePort } from './helpers/free-port';
import { itOnSqlite } from './helpers/test-database';

/**
 * What a person sees when they start the built bridge (`node dist/main.js`, as `npm start`
 * and systemd do): the boot failures they can fix, and the logs.
 */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout at the moment `until` matched it. */
  matched?: string;
}

/** What starts every ANSI colour code. */
const ANSI = '\u001b[';
const STACK_LINE = /^\s+at /m;

/**
 * How long a boot may take before the test gives up: a second on an idle machine, over 15
 * on a loaded 2-core one; a limit only catches a bridge that hangs.
 */
const BOOT_LIMIT_MS = 60_000;
jest.setTimeout(2 * BOOT_LIMIT_MS);

let dir: string;
let dist: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sms-bridge-boot-'));
  dist = builtApp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh database and no env file: only what the test sets. */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_PATH,
    SMS_DATABASE_PATH: join(dir, randomBytes(4).toString('hex'), 'sms-bridge.db'),
    SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
    HOST: '127.0.0.1',
  };
}

interface RunOptions {
  /** Stop the bridge once its stdout matches this. */
  until?: RegExp;
  /** Called when `until` matched, before the bridge is stopped. */
  whileRunning?: () => void;
  umask?: string;
  /** Run as this user (the tests run as root), as systemd's User= does. */
  user?: string;
  /** The environment is `env` alone, without the fresh database baseEnv() names. */
  onlyEnv?: boolean;
}

/**
 * Runs the bridge until it exits, or until `until` matches its stdout (then stops it).
 * Never a TTY here: what journald and a pipe get.
 */
function run(
  env: Record<string, string>,
  { until, whileRunning, umask = '022', user, onlyEnv }: RunOptions = {},
): Promise<Run> {
  // Through a shell, for the umask a login shell or a plain `npm start` gives.
  const node = [process.execPath, join(dist, 'main.js')];
  const command = user ? ['runuser', '-u', user, '--', ...node] : node;
  const child = spawn('sh', ['-c', `umask ${umask} && exec "$@"`, 'sh', ...command], {
    env: onlyEnv ? env : { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let matched: string | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (matched === undefined && until?.test(stdout)) {
      matched = stdout;
      try {
        whileRunning?.();
      } finally {
        child.kill('SIGTERM');
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), BOOT_LIMIT_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, matched });
    }),
  );
}

/** The production environment, with a simulator as Twilio. */
async function twilioAt(): Promise<{ env: Record<string, string>; simulator: TwilioSimulator }> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const simulator = new TwilioSimulator({ accountSid, authToken });
  await simulator.listen();
  const env = {
    NODE_ENV: 'production',
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_PHONE_NUMBER: '+15005550006',
    TWILIO_API_BASE_URL: simulator.baseUrl,
  };
  return { env, simulator };
}

async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('starting the built bridge', () => {
  it('names each bad variable once on stderr, plainly, and exits non-zero', async () => {
    const result = await run({ PORT: 'abc', SMS_DAILY_LIMIT: '-3', SMS_TIMEZONE: 'Mars/Base' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    for (const variable of ['PORT', 'SMS_DAILY_LIMIT', 'SMS_TIMEZONE']) {
      expect(lines.filter((line) => line.startsWith(`  - ${variable}: `))).toHaveLength(1);
    }
    expect(lines).toHaveLength(4);
    expect(result.stderr).not.toContain(ANSI);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).not.toMatch(/ConfigError|Invalid configuration/);
  });

  it('says which port is taken and what to do, in one line, when PORT is busy', async () => {
    const busy = await occupy();
    const { env, simulator } = await twilioAt();
    try {
      const result = await run({ ...env, PORT: String(busy.port) });
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.stderr).toBe(
        `port ${busy.port} on 127.0.0.1 is in use: stop the other process or set PORT\n`,
      );
    } finally {
      busy.server.close();
      await simulator.close();
    }
  });

  it('says so in one line when the built-in simulator port is busy', async () => {
    const busy = await occupy();
    try {
      const result = await run({
        PORT: String(await freePort()),
        SMS_SIMULATOR_PORT: String(busy.port),
      });
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.stderr).toBe(
        `port ${busy.port} on 127.0.0.1 is in use: stop the other process or set SMS_SIMULATOR_PORT\n`,
      );
    } finally {
      busy.server.close();
    }
  });

  it('in development logs lines for people, and the simulator banner comes last', async () => {
    const banner = /\*{20,}\n\* SIMULATOR MODE[\s\S]*\*{20,}\n+$/;
    const result = await run(
      { NODE_ENV: 'development', PORT: String(await freePort()), SMS_SIMULATOR_PORT: '0' },
      { until: banner },
    );
    // When the banner appeared, it was the end of the output, right after the last boot log.
    const [logs] = result.matched!.split(/\n\*{20,}\n/);
    const lines = logs.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    // Nest's lines per module and per route are debug: the start is a few lines that say
    // which port, mode, database and sender (the Twilio module says the sender).
    expect(logs).not.toMatch(/Mapped \{|InstanceLoader|RoutesResolver/);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(logs).toMatch(/INFO.*database: SQLite at \/.*sms-bridge\.db/);
    expect(logs).toMatch(/INFO.*Sending from \+\d+/);
    expect(lines.at(-1)).toMatch(
      /INFO.*sms-bridge listening on http:\/\/127\.0\.0\.1:\d+ \(SIMULATOR MODE\)/,
    );
    // Colour only for a terminal.
    expect(result.stdout).not.toContain(ANSI);
    expect(result.stderr).toBe('');
  });

  itOnSqlite('the modes of the SQLite file and its WAL and SHM; PostgreSQL keeps its own files')(
    'keeps its folder 0700 and the database, WAL, SHM and audit files 0600 under umask 022',
    async () => {
      const env = { PORT: String(await freePort()), SMS_SIMULATOR_PORT: '0' };
      const database = join(dir, `private-${randomBytes(4).toString('hex')}`, 'data', 'sms.db');
      const modes: Record<string, string> = {};
      const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
      const result = await run(
        { ...env, SMS_DATABASE_PATH: database },
        {
          until: /listening on/,
          whileRunning: () => {
            modes.folder = modeOf(dirname(database));
            for (const file of [
              'sms.db',
              'sms.db-wal',
              'sms.db-shm',
              'audit.jsonl',
              'operator.token',
            ]) {
              modes[file] = modeOf(join(dirname(database), file));
            }
          },
        },
      );
      expect(result.stderr).toBe('');
      expect(modes).toEqual({
        folder: '700',
        'sms.db': '600',
        'sms.db-wal': '600',
        'sms.db-shm': '600',
        'audit.jsonl': '600',
        'operator.token': '600',
      });
    },
  );

  it('in production logs JSON lines only', async () => {
    const { env, simulator } = await twilioAt();
    try {
      const result = await run(
        { ...env, PORT: String(await freePort()) },
        { until: /listening on/ },
      );
      const lines = result.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(result.stdout).toContain('sms-bridge listening on');
    } finally {
      await simulator.close();
    }
  });
});

/** Every line of a boot failure: one, no stack, no colour. */
function expectOnePlainLine(result: Run, line: string | RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(line);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain(ANSI);
}

/** A folder the `nobody` user may write, as systemd's StateDirectory= is for the service user. */
function folderOfNobody(): string {
  const folder = join(dir, `nobody-${randomBytes(4).toString('hex')}`);
  mkdirSync(folder, { mode: 0o700 });
  chownSync(folder, NOBODY_UID, NOBODY_UID);
  return folder;
}

const NOBODY_UID = 65534;
const asRoot = process.getuid?.() === 0 ? it : it.skip;

describe('the env file and the data folder at boot', () => {
  beforeAll(() => {
    // The build lives in a temp dir only its owner may enter: another user must run it.
    chmodSync(dir, 0o755);
  });

  asRoot('stops, saying so, when the env file exists but this user cannot read it', async () => {
    const envFile = join(dir, `root-only-${randomBytes(4).toString('hex')}.env`);
    writeFileSync(envFile, `PORT=${await freePort()}\n`, { mode: 0o600 });
    const env = baseEnv();
    // Nothing of the file in the environment: this is not systemd passing it in.
    const result = await run(
      { PATH: env.PATH, NODE_PATH: env.NODE_PATH, SMS_BRIDGE_ENV_FILE: envFile },
      { user: 'nobody', onlyEnv: true },
    );
    expectOnePlainLine(result, `cannot read ${envFile} as user nobody: permission denied`);
    expect(result.stdout).toBe('');
  });

  asRoot(
    'boots on the settings systemd passed in when it cannot read the env file, and says so at debug level',
    async () => {
      const envFile = join(dir, `root-only-${randomBytes(4).toString('hex')}.env`);
      writeFileSync(envFile, 'SMS_LOG_LEVEL=debug\n', { mode: 0o600 });
      const { env, simulator } = await twilioAt();
      try {
        const result = await run(
          {
            ...env,
            SMS_BRIDGE_ENV_FILE: envFile,
            SMS_LOG_LEVEL: 'debug',
            PORT: String(await freePort()),
            SMS_DATABASE_PATH: join(folderOfNobody(), 'sms-bridge.db'),
          },
          { until: /listening on/, user: 'nobody' },
        );
        expect(result.matched).toBeDefined();
        const notes = result.stdout
          .split('\n')
          .filter((line) => line.includes('taken from the environment'));
        expect(notes).toHaveLength(1);
        expect(JSON.parse(notes[0])).toMatchObject({ level: 20 });
      } finally {
        await simulator.close();
      }
    },
  );

  it('reads the first variable of an env file saved with a UTF-8 BOM', async () => {
    const { env, simulator } = await twilioAt();
    const envFile = join(dir, `bom-${randomBytes(4).toString('hex')}.env`);
    const { TWILIO_ACCOUNT_SID, ...rest } = env;
    writeFileSync(envFile, `\uFEFFTWILIO_ACCOUNT_SID=${TWILIO_ACCOUNT_SID}\n`);
    try {
      const result = await run(
        { ...rest, SMS_BRIDGE_ENV_FILE: envFile, PORT: String(await freePort()) },
        { until: /listening on/ },
      );
      expect(result.stderr).toBe('');
      expect(result.matched).toContain('(Twilio)');
    } finally {
      await simulator.close();
    }
  });

  it('warns of a misspelled variable, naming the one it probably means, and boots', async () => {
    const envFile = join(dir, `typo-${randomBytes(4).toString('hex')}.env`);
    writeFileSync(envFile, 'TWILIO_ACOUNT_SID=AC0123\n');
    const result = await run(
      { SMS_BRIDGE_ENV_FILE: envFile, PORT: String(await freePort()), SMS_SIMULATOR_PORT: '0' },
      { until: /listening on/ },
    );
    expect(result.matched).toBeDefined();
    const warnings = result.stdout
      .split('\n')
      .filter((line) => line.includes('did you mean TWILIO_ACCOUNT_SID?'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`TWILIO_ACOUNT_SID in ${envFile}`);
    expect(warnings[0]).not.toContain('AC0123');
  });

  asRoot('says in one line that the data folder cannot be created', async () => {
    const parent = join(dir, `root-only-${randomBytes(4).toString('hex')}`);
    mkdirSync(parent, { mode: 0o700 });
    const database = join(parent, 'data', 'sms-bridge.db');
    const result = await run(
      { PORT: String(await freePort()), SMS_DATABASE_PATH: database, SMS_SIMULATOR_PORT: '0' },
      { user: 'nobody' },
    );
    expectOnePlainLine(
      result,
      `cannot create the folder ${join(parent, 'data')} as user nobody: permission denied`,
    );
  });

  it('says in one line that SMS_DATABASE_PATH is a folder', async () => {
    const folder = mkdtempSync(join(dir, 'folder-'));
    const result = await run({ PORT: String(await freePort()), SMS_DATABASE_PATH: folder });
    expect(result.stderr).toBe(
      `Invalid configuration:\n  - SMS_DATABASE_PATH: ${folder} is a folder; name the database file in it, such as ${join(folder, 'sms-bridge.db')} (set it in ${baseEnv().SMS_BRIDGE_ENV_FILE} or the environment)\n`,
    );
    expect(result.code).not.toBe(0);
  });
});

describe('a second bridge on the same data folder', () => {
  let first: BridgeProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { ...baseEnv(), PORT: String(await freePort()), SMS_SIMULATOR_PORT: '0' };
    first = new BridgeProcess({ ...env });
    await first.start();
  });
  afterAll(() => first.kill('SIGTERM'));

  it('is refused in one line that names the running one, before it binds a port', async () => {
    const result = await run(env);
    expectOnePlainLine(
      result,
      `another sms-bridge is running (pid ${first.pid}, data folder ${dirname(env.SMS_DATABASE_PATH)})`,
    );
    expect(result.stdout).toBe('');
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
  });

  it('is refused by `npm start` before it rebuilds dist/', () => {
    const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const prestart = (cwd: string, withEnv: Record<string, string>) =>
      spawnSync('sh', ['-c', scripts.prestart], { cwd, env: withEnv, encoding: 'utf8' });

    // Run where the build is, as `npm start` runs in the checkout that holds dist/.
    const checkout = dirname(dist);
    const refused = prestart(checkout, env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toBe(
      `another sms-bridge is running (pid ${first.pid}, data folder ${dirname(env.SMS_DATABASE_PATH)})\n`,
    );
    // Another data folder: nothing runs there.
    const elsewhere = prestart(checkout, baseEnv());
    expect([elsewhere.status, elsewhere.stderr]).toEqual([0, '']);
    // A fresh clone has no build yet: nothing to check, and nothing can be running from it.
    const fresh = prestart(mkdtempSync(join(dir, 'clone-')), env);
    expect([fresh.status, fresh.stderr]).toEqual([0, '']);
  });
});
