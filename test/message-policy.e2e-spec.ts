import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { rowCounts } from './helpers/row-counts';
import { TestApp } from './helpers/test-app';

/*
 * Every door that can cause an outbound text passes one message policy: a body the send
 * route refuses is refused the same way when an agent asks for approval, and through the
 * MCP tools, with nothing stored and nothing sent.
 */

const TO = '+15551230001';

const BAD_BODIES: [string, string][] = [
  ['a right-to-left override (U+202E)', 'pay \u202Eexe.txt'],
  ['a bidi isolate (U+2066)', 'a \u2066b'],
  ['an escape character', 'hello \u001b[31mred'],
  ['a bell', 'ding\u0007'],
  ['a NUL', 'a\u0000b'],
  ['a lone high surrogate', 'x\ud800y'],
  ['a lone low surrogate', 'x\udc00y'],
  ['only whitespace', ' \n\t '],
  ['1601 characters', 'a'.repeat(1601)],
  [
    'zero-width spaces hiding its tail',
    `Home by 8.${'\u200B'.repeat(80)} PS: verify at https://evil.example`,
  ],
  ['a byte order mark', '\uFEFFhello'],
  ['a zero-width joiner between letters', 'pay\u200Dpal'],
  ['tag characters (hidden ASCII)', 'hi\u{E0068}\u{E0069}'],
  ['a run of variation selectors', `ok${'\uFE0F'.repeat(20)}`],
];

const BAD_REASONS: [string, string][] = [
  ['an escape character', 'The user asked \u001b[2J'],
  ['a bell', 'The user asked\u0007'],
  ['a NUL', 'The user\u0000 asked'],
  ['a right-to-left override (U+202E)', 'The user asked \u202Eexe.txt'],
  ['zero-width spaces', `The user asked${'\u200B'.repeat(40)}.`],
  ['tag characters (hidden ASCII)', 'The user asked\u{E0068}\u{E0069}'],
];

let t: TestApp;
let build: McpBuild;
let client: Client;

beforeAll(async () => {
  [t, build] = await Promise.all([TestApp.create(), McpBuild.compile()]);
  client = await build.connectTo(t);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await t?.close();
  build?.remove();
});

describe('the message policy at every door', () => {
  it.each(BAD_BODIES)('refuses a body with %s on every door', async (_what, body) => {
    const before = rowCounts(t.env.SMS_DATABASE_PATH);
    const send = await t.http().post('/sms/send').send({ to: TO, body });
    expect(send.status).toBe(400);
    expect(send.body.error.code).toBe('validation_failed');

    const approval = await t
      .http()
      .post('/sms/approvals')
      .send({ to: TO, body, reason: 'A customer asked to be called back.' });
    expect(approval.status).toBe(400);
    expect(approval.body.error.code).toBe('validation_failed');

    for (const [tool, args] of [
      ['send_sms', { to: TO, body }],
      ['request_approval', { to: TO, body, reason: 'A customer asked to be called back.' }],
    ] as const) {
      const result = await callTool(client, tool, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('validation_failed');
    }

    expect(rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
    expect(t.simulator.messages).toHaveLength(0);
  });

  it.each(BAD_REASONS)(
    'refuses an approval request whose reason has %s, over HTTP and MCP',
    async (_what, reason) => {
      const before = rowCounts(t.env.SMS_DATABASE_PATH);
      const approval = await t
        .http()
        .post('/sms/approvals')
        .send({ to: TO, body: 'Hello', reason })
        .expect(400);
      expect(approval.body.error).toMatchObject({
        code: 'validation_failed',
        fields: [
          { field: 'reason', problems: [expect.stringMatching(/^reason must not contain/)] },
        ],
      });
      const result = await callTool(client, 'request_approval', { to: TO, body: 'Hello', reason });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('validation_failed');
      expect(rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
      expect(t.simulator.messages).toHaveLength(0);
    },
  );

  it('accepts emoji made with joiners and presentation selectors', async () => {
    const body = 'Done \u{1F469}\u200D\u{1F4BB} \u2764\uFE0F \u{1F3F3}\uFE0F\u200D\u{1F308}';
    const approval = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15551230009', body, reason: 'The user asked \u{1F44D}\uFE0F' })
      .expect(201);
    expect(approval.body.approval).toMatchObject({ body, status: 'pending' });
  });

  it('accepts ten media URLs of 2,000 characters each and sends them all', async () => {
    const mediaUrl = Array.from(
      { length: 10 },
      (_, i) => `https://media.example.com/${i}/${'p'.repeat(2000 - 28)}.jpg`,
    );
    expect(mediaUrl.every((url) => url.length >= 1990 && url.length <= 2048)).toBe(true);
    const res = await t.http().post('/sms/send').send({ to: TO, body: 'Pictures', mediaUrl });
    expect(res.status).toBe(201);
    expect(t.simulator.messages.at(-1)?.mediaUrls).toEqual(mediaUrl);
  });
});
