import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/config.error';
import { OperatorToken } from './operator-token';

describe(OperatorToken.name, () => {
  let dir: string;
  let logged: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'operator-token-'));
    logged = [];
    const capture = (message: unknown) => logged.push(String(message));
    Logger.overrideLogger({ log: capture, warn: capture, error: capture });
  });
  afterEach(() => {
    Logger.overrideLogger(false);
    rmSync(dir, { recursive: true, force: true });
  });

  const tokenAt = (file: string) => {
    const token = new OperatorToken({ operatorTokenFile: file } as AppConfig);
    token.onApplicationBootstrap();
    return token;
  };

  function refusal(file: string): ConfigError {
    try {
      tokenAt(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('the token file was accepted');
  }

  it('creates the file, and its directory, with a fresh 32-byte hex token readable by its owner only', async () => {
    const file = join(dir, 'state', 'operator.token');
    const token = tokenAt(file);
    const written = readFileSync(file, 'utf8').trim();
    expect(written).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await token.matches(written)).toBe(true);
    expect(logged).toEqual([expect.stringContaining(`Operator token created in ${file}`)]);
    expect(logged.join()).not.toContain(written);

    const other = join(dir, 'other.token');
    tokenAt(other);
    expect(readFileSync(other, 'utf8')).not.toBe(readFileSync(file, 'utf8'));
  });

  it('matches only the exact token, of the same length', async () => {
    const file = join(dir, 'operator.token');
    const token = tokenAt(file);
    const secret = readFileSync(file, 'utf8').trim();
    expect(await token.matches(secret)).toBe(true);
    expect(await token.matches(secret.toUpperCase())).toBe(false);
    expect(await token.matches(`${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`)).toBe(
      false,
    );
    expect(await token.matches(secret.slice(0, -1))).toBe(false);
    expect(await token.matches(`${secret}0`)).toBe(false);
    expect(await token.matches('')).toBe(false);
  });

  it('reads an existing file and never rewrites it', async () => {
    const file = join(dir, 'operator.token');
    writeFileSync(file, 'an-operator-chosen-secret-of-some-length\n', { mode: 0o600 });
    const token = tokenAt(file);
    expect(await token.matches('an-operator-chosen-secret-of-some-length')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('an-operator-chosen-secret-of-some-length\n');
    expect(logged).toEqual([`Operator token read from ${file}`]);
  });

  it.each([
    ['0644', 0o644],
    ['0640', 0o640],
    ['0604', 0o604],
  ])('refuses to boot on a file of mode %s, naming the file and the fix', (_name, mode) => {
    const file = join(dir, 'operator.token');
    writeFileSync(file, 'f'.repeat(64));
    chmodSync(file, mode);
    expect(refusal(file).problems).toEqual([
      `SMS_OPERATOR_TOKEN_FILE: ${file} can be read by other users, who could then decide as the operator: chmod 600 ${file}`,
    ]);
  });

  it('refuses to boot on a file another user owns, naming the file and the fix', async () => {
    const file = join(dir, 'operator.token');
    writeFileSync(file, 'f'.repeat(64), { mode: 0o600 });
    const other = process.getuid?.() === 0 ? 65534 : 0;
    if (other === 65534) chownSync(file, other, other);
    const owned = other === 0 ? '/etc/passwd' : file;
    expect(refusal(owned).problems).toEqual([
      `SMS_OPERATOR_TOKEN_FILE: ${owned} belongs to uid ${other}, not to the user the bridge runs as, who must own it: chown ${userInfo().username} ${owned}`,
    ]);
  });

  it.each([
    ['empty', ''],
    ['too short to be a secret', 'short-token'],
    ['holding spaces', 'a token with spaces that is long enough anyway'],
  ])('refuses to boot on a file that is %s, without echoing it', (_name, content) => {
    const file = join(dir, 'operator.token');
    writeFileSync(file, content, { mode: 0o600 });
    const error = refusal(file);
    expect(error.problems).toEqual([
      expect.stringMatching(/^SMS_OPERATOR_TOKEN_FILE: .* does not hold a usable token/),
    ]);
    if (content) expect(error.message).not.toContain(content);
  });

  it('refuses to boot when the file cannot be created', async () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    const error = refusal(join(blocker, 'operator.token'));
    expect(error.problems).toEqual([
      expect.stringMatching(/^SMS_OPERATOR_TOKEN_FILE: .* cannot be created or read \(E\w+\)/),
    ]);
  });
});
