import { judgeAnswer, PushVerdict } from './push-answer';
import type { PostAnswer } from './post-json';

const NOW = Date.parse('2026-01-31T12:00:00.000Z');

const answer = (status: number, text = '', retryAfter?: string): PostAnswer => ({
  status,
  text,
  retryAfter,
});

describe('judgeAnswer', () => {
  const cases: Array<[string, 'openclaw' | 'signed', PostAnswer, PushVerdict]> = [
    [
      "OpenClaw's 200 {ok, runId} delivers",
      'openclaw',
      answer(200, '{"ok":true,"runId":"r"}'),
      { kind: 'delivered' },
    ],
    ['any 2xx delivers a signed push', 'signed', answer(204), { kind: 'delivered' }],
    [
      "OpenClaw's plain-text 401 halts, saying which setting to fix",
      'openclaw',
      answer(401, 'Unauthorized'),
      {
        kind: 'misconfigured',
        why: "the hook answered HTTP 401 (Unauthorized): set SMS_FORWARD_SECRET to the Gateway's hooks.token",
      },
    ],
    [
      "OpenClaw's JSON 400 halts with its own error text",
      'openclaw',
      answer(400, '{"ok":false,"error":"unknown agentId \\"ops\\""}'),
      {
        kind: 'misconfigured',
        why: expect.stringMatching(
          /^the hook answered HTTP 400 \(unknown agentId "ops"\): check SMS_OPENCLAW_AGENT_ID/,
        ),
      },
    ],
    [
      'a 404 points at hooks.enabled and the path',
      'openclaw',
      answer(404, 'Not Found'),
      { kind: 'misconfigured', why: expect.stringContaining('hooks.enabled is true') },
    ],
    [
      'a 413 halts too',
      'openclaw',
      answer(413, '{"ok":false,"error":"payload too large"}'),
      { kind: 'misconfigured', why: expect.stringContaining('(payload too large)') },
    ],
    [
      'a signed push keeps retrying a 401, as before',
      'signed',
      answer(401),
      { kind: 'retry', why: 'the hook answered HTTP 401', retryAfterMs: undefined },
    ],
    [
      '429 waits Retry-After seconds',
      'openclaw',
      answer(429, 'Too Many Requests', '7'),
      { kind: 'retry', why: 'the hook answered HTTP 429 (Too Many Requests)', retryAfterMs: 7000 },
    ],
    [
      'Retry-After as an HTTP date',
      'openclaw',
      answer(503, '', 'Sat, 31 Jan 2026 12:00:30 GMT'),
      { kind: 'retry', why: 'the hook answered HTTP 503', retryAfterMs: 30_000 },
    ],
    [
      'a Retry-After in the past or unreadable is ignored',
      'openclaw',
      answer(503, '', 'soon'),
      { kind: 'retry', why: 'the hook answered HTTP 503', retryAfterMs: undefined },
    ],
    [
      '408, 409 and 5xx are retried',
      'openclaw',
      answer(409, '{"ok":false,"error":"hook config changed"}'),
      {
        kind: 'retry',
        why: 'the hook answered HTTP 409 (hook config changed)',
        retryAfterMs: undefined,
      },
    ],
    [
      "the hook's words reach the log on one line, without hidden characters",
      'openclaw',
      answer(401, 'Unauth\norized\u202e'),
      { kind: 'misconfigured', why: expect.stringContaining('(Unauth orized[U+202E])') },
    ],
  ];

  it.each(cases)('%s', (_name, format, given, verdict) => {
    expect(judgeAnswer(format, given, NOW)).toEqual(verdict);
  });
});
