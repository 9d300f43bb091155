import { AuditService } from '../src/safety/audit/audit.service';
import { rawRequest } from './helpers/raw-request';
import { TestApp } from './helpers/test-app';

const JSON_TYPE = { 'content-type': 'application/json' };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Refusals of POST /sms/send at every layer a request can be stopped at, before and in Nest. */
const SEND_REFUSALS: [string, Record<string, string>, string, number, string][] = [
  ['invalid JSON', JSON_TYPE, '{bad', 400, 'invalid_json'],
  [
    'a __proto__ key',
    JSON_TYPE,
    '{"to":"+15551234567","body":"hi","__proto__":{"x":1}}',
    400,
    'validation_failed',
  ],
  [
    'a constructor key',
    JSON_TYPE,
    '{"to":"+15551234567","body":"hi","constructor":{}}',
    400,
    'validation_failed',
  ],
  ['an over-deep body', JSON_TYPE, `{"to":${nested(50)},"body":"hi"}`, 400, 'validation_failed'],
  [
    'a form body',
    { 'content-type': 'application/x-www-form-urlencoded' },
    'to=x',
    415,
    'unsupported_media_type',
  ],
  ['an empty object', JSON_TYPE, '{}', 400, 'validation_failed'],
  [
    'a lone surrogate in the body',
    JSON_TYPE,
    '{"to":"+15551234567","body":"x\\ud800y"}',
    400,
    'validation_failed',
  ],
  [
    'a foreign Host',
    { ...JSON_TYPE, host: 'rebind.attacker.example' },
    '{"to":"+15551234567","body":"hi"}',
    403,
    'local_only',
  ],
];

describe('the trail every request leaves', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  function accessLines(requestId: string) {
    return t
      .logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { req?: { id?: string }; res?: { statusCode?: number } })
      .filter((line) => line.req?.id === requestId && line.res !== undefined);
  }

  it.each(SEND_REFUSALS)(
    'a send refused for %s has an X-Request-Id, an access-log line and an audit record',
    async (_name, headers, body, status, code) => {
      const start = new Date().toISOString();
      const res = await rawRequest(t.url, { method: 'POST', path: '/sms/send', headers, body });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.text).error.code).toBe(code);
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(accessLines(requestId)).toEqual([
        expect.objectContaining({ res: { statusCode: status } }),
      ]);
      expect(await t.app.get(AuditService).since(start)).toContainEqual(
        expect.objectContaining({ requestId, outcome: 'refused', reason: code }),
      );
    },
  );

  it.each([
    ['an unknown route', 'GET', '/nowhere', 404],
    ['the OpenAPI document', 'GET', '/docs-json', 200],
    ['an unsigned webhook', 'POST', '/sms/webhook', 403],
  ])('%s has an X-Request-Id and an access-log line', async (_name, method, path, status) => {
    const res = await rawRequest(t.url, {
      method,
      path,
      headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      body: method === 'POST' ? 'Body=hi' : undefined,
    });
    expect(res.status).toBe(status);
    const requestId = res.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(accessLines(requestId)).toHaveLength(1);
  });
});
