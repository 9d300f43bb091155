import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import { getMetadataStorage } from 'class-validator';
import { AppConfig, loadAppConfig, SIMULATOR_PHONE_NUMBER } from './app-config';
import { ConfigError } from './config.error';
import { ConfigModule } from './config.module';
import { EnvSchema } from './env.schema';

const ENV_FILE = '/etc/sms-test/openclaw.env';
const SID = 'AC' + '0123456789abcdef'.repeat(2);
const TOKEN = 'f00dfeedcafebabe0123456789abcdef';
const CREDS = {
  TWILIO_ACCOUNT_SID: SID,
  TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_PHONE_NUMBER: '+12025551234',
};

function problemsOf(raw: Record<string, string>, envFile = ENV_FILE): ConfigError {
  try {
    loadAppConfig(raw, envFile);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the configuration was accepted');
}

describe(loadAppConfig.name, () => {
  it('runs the simulator on 127.0.0.1:3032 with defaults when nothing is set', () => {
    const config = loadAppConfig({}, ENV_FILE);
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      production: false,
      mode: 'simulator',
      envFile: ENV_FILE,
      host: '127.0.0.1',
      port: 3032,
      databasePath: resolve('data/sms-bridge.db'),
      auditLogPath: resolve('data/audit.jsonl'),
      operatorTokenFile: resolve('data/operator.token'),
      publicBaseUrl: undefined,
      simulatorPort: 3033,
    });
    expect(config.twilio).toMatchObject({
      accountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
      authToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      phoneNumber: SIMULATOR_PHONE_NUMBER,
      timeoutMs: 10_000,
    });
    // A fresh simulator account per boot: nothing that could be mistaken for a real one.
    expect(loadAppConfig({}, ENV_FILE).twilio.authToken).not.toBe(config.twilio.authToken);
  });

  it('uses Twilio with the given credentials and settings', () => {
    const config = loadAppConfig(
      {
        ...CREDS,
        NODE_ENV: 'production',
        PORT: '4040',
        HOST: '0.0.0.0',
        SMS_DATABASE_PATH: '/var/lib/sms-bridge/sms.db',
        SMS_PUBLIC_BASE_URL: 'https://yourdomain.com/',
        TWILIO_TIMEOUT_MS: '2500',
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9999',
        SMS_SIMULATOR_PORT: '0',
      },
      ENV_FILE,
    );
    expect(config).toMatchObject({
      production: true,
      mode: 'twilio',
      host: '0.0.0.0',
      port: 4040,
      databasePath: '/var/lib/sms-bridge/sms.db',
      auditLogPath: '/var/lib/sms-bridge/audit.jsonl',
      operatorTokenFile: '/var/lib/sms-bridge/operator.token',
      publicBaseUrl: 'https://yourdomain.com',
      simulatorPort: 0,
      twilio: {
        accountSid: SID,
        authToken: TOKEN,
        phoneNumber: '+12025551234',
        apiBaseUrl: 'http://127.0.0.1:9999',
        timeoutMs: 2500,
      },
    });
  });

  it('puts the audit file where SMS_AUDIT_LOG_PATH says', () => {
    const config = loadAppConfig({ SMS_AUDIT_LOG_PATH: '/var/log/sms/audit.jsonl' }, ENV_FILE);
    expect(config.auditLogPath).toBe('/var/log/sms/audit.jsonl');
  });

  it('puts the operator token where SMS_OPERATOR_TOKEN_FILE says, made absolute', () => {
    const config = loadAppConfig({ SMS_OPERATOR_TOKEN_FILE: 'secrets/operator.token' }, ENV_FILE);
    expect(config.operatorTokenFile).toBe(resolve('secrets/operator.token'));
  });

  it('treats KEY= (empty) as not set', () => {
    const config = loadAppConfig(
      { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '', TWILIO_PHONE_NUMBER: '', PORT: '' },
      ENV_FILE,
    );
    expect(config.mode).toBe('simulator');
    expect(config.port).toBe(3032);
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['TWILIO_ACCOUNT_SID', 'AC123'],
    ['TWILIO_ACCOUNT_SID', 'AC' + 'ABCDEF0123456789'.repeat(2)],
    ['TWILIO_ACCOUNT_SID', 'SK' + '0'.repeat(32)],
    ['TWILIO_AUTH_TOKEN', 'tooshort'],
    ['TWILIO_PHONE_NUMBER', '2025551234'],
    ['TWILIO_PHONE_NUMBER', '+0123'],
    ['TWILIO_API_BASE_URL', 'not a url'],
    ['TWILIO_TIMEOUT_MS', 'soon'],
    ['TWILIO_TIMEOUT_MS', '5'],
    ['TWILIO_TIMEOUT_MS', '999999'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '30.5'],
    ['SMS_PUBLIC_BASE_URL', 'yourdomain.com'],
    ['SMS_PUBLIC_BASE_URL', 'ftp://yourdomain.com'],
    ['SMS_SIMULATOR_PORT', 'x'],
  ])('refuses %s=%j with one line naming it and the env file', (name, value) => {
    const error = problemsOf({ ...CREDS, [name]: value });
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem.startsWith(`${name}: `)).toBe(true);
    expect(problem).toContain(ENV_FILE);
    expect(problem).not.toContain('\n');
    // The message lists the problem once, one line each, under a heading.
    expect(error.message.split('\n')).toEqual(['Invalid configuration:', `  - ${problem}`]);
  });

  it('lists every bad variable, one line each', () => {
    const error = problemsOf({ ...CREDS, PORT: 'abc', NODE_ENV: 'prod', TWILIO_TIMEOUT_MS: '1' });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'NODE_ENV',
      'PORT',
      'TWILIO_TIMEOUT_MS',
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
  });

  it('never echoes the auth token, valid or not', () => {
    const badToken = 'secret-token-15';
    const bad = problemsOf({ ...CREDS, TWILIO_AUTH_TOKEN: badToken, PORT: 'nope' });
    expect(bad.problems.some((p) => p.startsWith('TWILIO_AUTH_TOKEN: '))).toBe(true);
    expect(bad.message).not.toContain(badToken);
    expect(JSON.stringify(bad.problems)).not.toContain(badToken);

    const good = problemsOf({ ...CREDS, NODE_ENV: 'production', TWILIO_ACCOUNT_SID: 'AC1' });
    expect(good.message).not.toContain(TOKEN);
    expect(String(good.stack)).not.toContain(TOKEN);
  });

  it.each([
    ['http://api.example.com', false],
    ['https://twilio-proxy.example.com', true],
    ['http://127.0.0.1:3033', true],
    ['http://localhost:3033', true],
  ])(
    'in production, sends the credentials to TWILIO_API_BASE_URL=%s only if safe (%s)',
    (url, ok) => {
      const raw = { ...CREDS, NODE_ENV: 'production', TWILIO_API_BASE_URL: url };
      if (ok) {
        expect(loadAppConfig(raw, ENV_FILE).twilio.apiBaseUrl).toBe(url);
      } else {
        expect(problemsOf(raw).problems).toEqual([
          expect.stringMatching(/^TWILIO_API_BASE_URL: must be an https URL or on this machine/),
        ]);
      }
    },
  );

  it('refuses to run without credentials in production', () => {
    const error = problemsOf({ NODE_ENV: 'production' });
    expect(error.problems).toEqual([
      `TWILIO_ACCOUNT_SID: is required when NODE_ENV=production (set it in ${ENV_FILE} or the environment)`,
      `TWILIO_AUTH_TOKEN: is required when NODE_ENV=production (set it in ${ENV_FILE} or the environment)`,
      `TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID: one is required when NODE_ENV=production (set it in ${ENV_FILE} or the environment)`,
    ]);
  });

  it.each(['development', 'test'])('refuses partial credentials (NODE_ENV=%s)', (nodeEnv) => {
    const error = problemsOf({ NODE_ENV: nodeEnv, TWILIO_ACCOUNT_SID: SID });
    expect(error.problems.map((p) => p.split(':')[0])).toEqual([
      'TWILIO_AUTH_TOKEN',
      'TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID',
    ]);
    expect(error.problems[0]).toContain('is required once any Twilio credential is set');
  });

  it.each(['development', 'test'])(
    'runs the simulator without credentials (NODE_ENV=%s)',
    (nodeEnv) => {
      const config = loadAppConfig({ NODE_ENV: nodeEnv }, ENV_FILE);
      expect(config.mode).toBe('simulator');
      expect(config.production).toBe(false);
      expect(config.twilio.apiBaseUrl).toBeUndefined();
    },
  );
});

describe('ConfigModule', () => {
  let dir: string;
  let envFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-config-'));
    envFile = join(dir, 'openclaw.env');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function configFrom(env: Record<string, string>): Promise<AppConfig> {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ env })],
    }).compile();
    return moduleRef.get(AppConfig);
  }

  it('reads the env file named by SMS_BRIDGE_ENV_FILE, and the environment wins over it', async () => {
    writeFileSync(
      envFile,
      [
        '# the operator guide, step 4',
        `TWILIO_ACCOUNT_SID=${SID}`,
        `TWILIO_AUTH_TOKEN=${TOKEN}`,
        'TWILIO_PHONE_NUMBER=+12025551234',
        'PORT=4000',
        'HOST=0.0.0.0',
      ].join('\n'),
    );
    const config = await configFrom({ SMS_BRIDGE_ENV_FILE: envFile, PORT: '5000' });
    expect(config).toMatchObject({
      mode: 'twilio',
      envFile,
      port: 5000,
      host: '0.0.0.0',
      twilio: { accountSid: SID, authToken: TOKEN, phoneNumber: '+12025551234' },
    });
  });

  it('does not copy the env file into process.env', async () => {
    const name = 'SMS_TEST_ONLY_MARKER';
    writeFileSync(envFile, `${name}=from-the-file\nTWILIO_AUTH_TOKEN=${TOKEN}\n`);
    await expect(
      configFrom({ SMS_BRIDGE_ENV_FILE: envFile, NODE_ENV: 'test' }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(process.env[name]).toBeUndefined();
    expect(process.env.TWILIO_AUTH_TOKEN).not.toBe(TOKEN);
  });

  it('names the env file in the errors for a bad value in it', async () => {
    writeFileSync(envFile, 'PORT=eighty\n');
    const failure = configFrom({ SMS_BRIDGE_ENV_FILE: envFile });
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(`PORT: must be a port number (set it in ${envFile}`);
  });

  it('runs on the environment alone when the env file does not exist', async () => {
    const config = await configFrom({
      SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
      NODE_ENV: 'test',
      PORT: '4100',
    });
    expect(config).toMatchObject({ mode: 'simulator', port: 4100 });
  });
});

describe('deploy/openclaw.env.example', () => {
  const example = readFileSync(
    join(__dirname, '..', '..', 'deploy', 'openclaw.env.example'),
    'utf8',
  );
  /** Every KEY=value line, commented out or not. */
  const entries = Object.fromEntries(
    [...example.matchAll(/^#?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name, value]),
  );

  it('documents every variable the bridge reads', () => {
    const names = getMetadataStorage()
      .getTargetValidationMetadatas(EnvSchema, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect(new Set(names).size).toBeGreaterThanOrEqual(12);
    for (const name of names) expect(Object.keys(entries)).toContain(name);
  });

  it('is a valid configuration once the credentials are filled in', () => {
    const config = loadAppConfig({ ...entries, ...CREDS }, ENV_FILE);
    expect(config).toMatchObject({
      mode: 'twilio',
      production: true,
      port: 3032,
      host: '127.0.0.1',
    });
  });
});
