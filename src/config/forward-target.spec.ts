import 'reflect-metadata';
import { loadAppConfig } from '../config/app-config';
import { parseForwardTarget } from './forward-target';
import { configProblems } from '../../test/helpers/config-problems';

const SECRET = '0123456789abcdef';

function load(env: Record<string, string>) {
  return loadAppConfig(env, '/nonexistent.env');
}

const problems = (env: Record<string, string>) => configProblems(env, '/nonexistent.env');

describe(parseForwardTarget.name, () => {
  it.each([
    'http://127.0.0.1:8080/hooks/sms',
    'http://127.8.9.10/',
    'https://localhost:8443/sms',
    'http://LOCALHOST/sms',
    'http://[::1]:9000/sms',
  ])('accepts the loopback URL %s', (value) => {
    expect(parseForwardTarget(value, false)).toMatchObject({ kind: 'http' });
  });

  it('reads a unix socket with and without an HTTP path', () => {
    expect(parseForwardTarget('unix:/run/agent/hook.sock', false)).toEqual({
      kind: 'unix',
      socketPath: '/run/agent/hook.sock',
      path: '/',
    });
    expect(parseForwardTarget('unix:/run/agent/hook.sock:/hooks/sms?x=1', false)).toEqual({
      kind: 'unix',
      socketPath: '/run/agent/hook.sock',
      path: '/hooks/sms?x=1',
    });
  });

  it.each([
    'http://example.com/hook',
    'http://10.0.0.5/hook',
    'http://127.0.0.1.example.com/hook',
    'http://[::2]/hook',
    'http://0.0.0.0/hook',
  ])('refuses the remote URL %s unless remote targets are allowed', (value) => {
    expect(parseForwardTarget(value, false)).toMatch(/must point at this machine/);
  });

  it('allows a remote https URL when told to', () => {
    expect(parseForwardTarget('https://hooks.example.com/sms', true)).toMatchObject({
      kind: 'http',
    });
  });

  it.each(['ftp://127.0.0.1/x', 'not a url', 'unix:relative.sock', 'http://user:pw@127.0.0.1/'])(
    'refuses %s',
    (value) => {
      expect(typeof parseForwardTarget(value, true)).toBe('string');
    },
  );
});

describe('SMS_FORWARD_* configuration', () => {
  it('is off when SMS_FORWARD_URL is unset', () => {
    expect(load({}).forward).toBeUndefined();
  });

  it('reads the target, secret and retry settings', () => {
    const config = load({
      SMS_FORWARD_URL: 'http://127.0.0.1:8080/hooks/sms',
      SMS_FORWARD_SECRET: SECRET,
      SMS_FORWARD_RETRY_BASE_MS: '50',
    });
    expect(config.forward).toMatchObject({
      target: { kind: 'http' },
      secret: SECRET,
      retryBaseMs: 50,
      maxAttempts: 20,
      timeoutMs: 5000,
      pollMs: 1000,
    });
  });

  it('stops the boot for a remote target, naming the way to allow it', () => {
    expect(
      problems({ SMS_FORWARD_URL: 'https://hooks.example.com/sms', SMS_FORWARD_SECRET: SECRET }),
    ).toEqual([expect.stringMatching(/^SMS_FORWARD_URL: .*SMS_FORWARD_ALLOW_REMOTE=true/)]);
    expect(
      load({
        SMS_FORWARD_URL: 'https://hooks.example.com/sms',
        SMS_FORWARD_SECRET: SECRET,
        SMS_FORWARD_ALLOW_REMOTE: 'true',
      }).forward?.target,
    ).toMatchObject({ kind: 'http' });
  });

  it('requires a secret of at least 16 characters, without echoing it', () => {
    expect(problems({ SMS_FORWARD_URL: 'http://127.0.0.1/' })).toEqual([
      expect.stringMatching(/^SMS_FORWARD_SECRET: is required when SMS_FORWARD_URL is set/),
    ]);
    const short = problems({
      SMS_FORWARD_URL: 'http://127.0.0.1/',
      SMS_FORWARD_SECRET: 'tooshort-x',
    });
    expect(short).toEqual([expect.stringMatching(/^SMS_FORWARD_SECRET: must be at least 16/)]);
    expect(short.join()).not.toContain('tooshort-x');
  });

  it('refuses a bad SMS_FORWARD_ALLOW_REMOTE', () => {
    expect(problems({ SMS_FORWARD_ALLOW_REMOTE: 'yes' })).toEqual([
      expect.stringMatching(/^SMS_FORWARD_ALLOW_REMOTE: must be true or false/),
    ]);
  });
});
