import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { MAX_BODY_LENGTH } from '../src/safety/message/message-limits';
import { FakeClock } from './helpers/fake-clock';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { rowCounts } from './helpers/row-counts';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';
import { withTestApp } from './helpers/with-test-app';

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
  build = McpBuild.shared();
  t = await TestApp.create();
  client = await build.connectTo(t);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('the message policy at every door', () => {
  it.each(BAD_BODIES)('refuses a body with %s on every door', async (_what, body) => {
    const before = await rowCounts(t.env.SMS_DATABASE_PATH);
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
      // A body over the length the tools' schemas carry is refused by MCP before the bridge.
      expect(textOf(result)).toMatch(
        body.length > MAX_BODY_LENGTH ? /Input validation error/ : /validation_failed/,
      );
    }

    expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
    expect(t.simulator.messages).toHaveLength(0);
  });

  it.each(BAD_REASONS)(
    'refuses an approval request whose reason has %s, over HTTP and MCP',
    async (_what, reason) => {
      const before = await rowCounts(t.env.SMS_DATABASE_PATH);
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
      expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
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

describe('the message policy at the doors that send what was asked for earlier', () => {
  const OPERATOR = '+15551239000';
  // Allowed when the agent asked; the operator narrows SMS_ALLOWED_COUNTRIES before the sends.
  const HELD_TO = '+447400123456';
  const LATER_TO = '+447400123457';

  it('refuses a destination no longer allowed on approve, on YES by text and when a scheduled send falls due, even in quiet hours', () => {
    const clock = new FakeClock(Date.parse('2026-12-15T12:00:00Z'));
    const env = {
      SMS_REQUIRE_APPROVAL: 'true',
      SMS_OPERATOR_NUMBERS: OPERATOR,
      SMS_ALLOWED_COUNTRIES: 'US,GB',
    };
    return withTestApp({ clock, env }, async (t) => {
      const toOperator = () => t.simulator.messages.filter((m) => m.to === OPERATOR);
      const byToken = await t
        .http()
        .post('/sms/send')
        .send({ to: HELD_TO, body: 'Your table is ready.' })
        .expect(202);
      await until(() => toOperator().length === 1, 'the first notification');
      const byText = await t
        .http()
        .post('/sms/send')
        .send({ to: HELD_TO, body: 'Your coat is at the desk.' })
        .expect(202);
      await until(() => toOperator().length === 2, 'the second notification');
      const code = /Reply YES (\d{8})/.exec(toOperator()[1].body)![1];
      await t.approve(LATER_TO);
      const later = await t
        .http()
        .post('/sms/send')
        .send({ to: LATER_TO, body: 'Reminder: Friday 7pm.', sendAt: '2026-12-15T13:00:00Z' })
        .expect(202);
      expect(later.body.status).toBe('scheduled');

      await t.restart(() => {
        t.env.SMS_ALLOWED_COUNTRIES = 'US';
        t.env.SMS_QUIET_HOURS = '00:00-23:59';
        t.env.SMS_QUIET_HOURS_MODE = 'refuse';
      });
      const requests = t.simulator.requestCount;

      const approved = await t
        .http()
        .post(`/sms/approvals/${byToken.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(403);
      expect(approved.body.error.code).toBe('destination_not_allowed');

      await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
      await until(() => toOperator().length === 3, 'the confirmation');
      expect(toOperator()[2].body).toBe(
        `Not sent to ${HELD_TO}: destination_not_allowed. See sms-bridge approvals.`,
      );

      clock.set('2026-12-15T13:00:00Z');
      await t.scheduledSettled();
      const scheduled = await t.http().get(`/sms/scheduled`).expect(200);
      expect(scheduled.body.scheduled).toEqual([
        expect.objectContaining({
          id: later.body.id,
          status: 'refused',
          errorCode: 'destination_not_allowed',
        }),
      ]);

      const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
      expect(pending.body.approvals.map((a: { id: string }) => a.id).sort()).toEqual(
        [byToken.body.approvalId, byText.body.approvalId].sort(),
      );
      // Only the confirmation to the operator's phone reached Twilio.
      expect(t.simulator.requestCount - requests).toBe(1);
      expect(t.simulator.messages.filter((m) => m.to.startsWith('+44'))).toEqual([]);
    });
  });
});
