import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBridgeUrl } from './bridge-url';
import { ConfigError } from './config.error';

describe(loadBridgeUrl.name, () => {
  let dir: string;
  let envFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-url-'));
    envFile = join(dir, 'openclaw.env');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the seed address by default, even in production without credentials', () => {
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, NODE_ENV: 'production' })).toBe(
      'http://127.0.0.1:3032',
    );
  });

  it('reads HOST and PORT from the env file, the environment winning', () => {
    writeFileSync(envFile, 'PORT=4000\nHOST=127.0.0.2\nTWILIO_AUTH_TOKEN=secret\n');
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile })).toBe('http://127.0.0.2:4000');
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, PORT: '4001' })).toBe(
      'http://127.0.0.2:4001',
    );
  });

  it('reaches a bridge bound to every interface on loopback', () => {
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, HOST: '0.0.0.0' })).toBe(
      'http://127.0.0.1:3032',
    );
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, HOST: '::' })).toBe('http://[::1]:3032');
  });

  it('prefers SMS_BRIDGE_URL', () => {
    expect(
      loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, SMS_BRIDGE_URL: 'http://127.0.0.1:9999/' }),
    ).toBe('http://127.0.0.1:9999');
  });

  it('names a bad variable it needs, and ignores those it does not', () => {
    expect(() => loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, PORT: 'eighty' })).toThrow(
      ConfigError,
    );
    expect(() => loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, PORT: 'eighty' })).toThrow(
      /PORT: must be a port number/,
    );
    expect(loadBridgeUrl({ SMS_BRIDGE_ENV_FILE: envFile, TWILIO_ACCOUNT_SID: 'not-a-sid' })).toBe(
      'http://127.0.0.1:3032',
    );
  });
});
