import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { join } from 'node:path';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { cli } from './helpers/run-cli';
import { TestApp } from './helpers/test-app';

const ALICE = '+15551236001';
const BOB = '+15551236002';
const CAROL = '+15551236003';
const FLOODER = '+15551236004';
const DAVE = '+15551236005';

interface ThreadMessage {
  sid: string;
  direction: string;
  body: string;
  status: string;
  approvalId?: string;
  sendAt?: string;
}

describe('conversations', () => {
  let t: TestApp;
  let build: McpBuild;
  let client: Client;
  let heldId: string;

  beforeAll(async () => {
    build = McpBuild.shared();
    t = await TestApp.create({
      env: { SMS_REQUIRE_APPROVAL: 'true', SMS_INBOUND_PER_SENDER_PER_MINUTE: '2' },
    });
    // Alice texts first; the agent answers twice; she answers back.
    await t.simulator.sendInbound({ from: ALICE, body: 'Are we still on for lunch?' });
    await t.http().post('/sms/send').send({ to: ALICE, body: 'Yes, 12:30' }).expect(201);
    await t.http().post('/sms/send').send({ to: ALICE, body: 'At the usual place' }).expect(201);
    await t.simulator.sendInbound({ from: ALICE, body: 'Great' });
    // Bob is new: the first text to him is held.
    heldId = (await t.http().post('/sms/send').send({ to: BOB, body: 'Hello Bob' }).expect(202))
      .body.approvalId;
    // Carol floods: her third text in a minute is suppressed.
    await t.simulator.sendInbound({ from: CAROL, body: 'one' });
    await t.simulator.sendInbound({ from: CAROL, body: 'two' });
    await t.simulator.sendInbound({ from: CAROL, body: 'three' });
    await t.simulator.sendInbound({ from: FLOODER, body: 'latest of all' });
    client = await build.connect({
      SMS_BRIDGE_URL: t.url,
      SMS_BRIDGE_ENV_FILE: join(t.dir, 'absent.env'),
    });
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const thread = (number: string, query = '') =>
    t.http().get(`/sms/conversations/${encodeURIComponent(number)}${query}`);

  it('lists one row per number texted with, newest first, with counts and the last message', async () => {
    const res = await t.http().get('/sms/conversations').expect(200);
    expect(res.body.conversations.map((c: { number: string }) => c.number)).toEqual([
      FLOODER,
      CAROL,
      ALICE,
    ]);
    const alice = res.body.conversations[2];
    expect(alice).toEqual({
      number: ALICE,
      contactState: 'approved',
      lastMessage: {
        direction: 'inbound',
        body: 'Great',
        at: expect.any(String),
        status: 'received',
      },
      inboundCount: 2,
      outboundCount: 2,
      lastInboundAt: alice.lastMessage.at,
    });
    // A suppressed text is neither counted nor the last message.
    expect(res.body.conversations[1]).toMatchObject({
      inboundCount: 2,
      lastMessage: { body: 'two' },
    });
    expect(res.body).toMatchObject({ nextCursor: ALICE, hasMore: false });
  });

  it('pages the list with before=nextCursor', async () => {
    const first = await t.http().get('/sms/conversations?limit=2').expect(200);
    expect(first.body).toMatchObject({ nextCursor: CAROL, hasMore: true });
    const second = await t
      .http()
      .get(`/sms/conversations?limit=2&before=${encodeURIComponent(CAROL)}`)
      .expect(200);
    expect(second.body.conversations.map((c: { number: string }) => c.number)).toEqual([ALICE]);
    expect(second.body.hasMore).toBe(false);
    const unknown = await t
      .http()
      .get(`/sms/conversations?before=${encodeURIComponent('+15550000000')}`)
      .expect(400);
    expect(unknown.body.error.code).toBe('invalid_before');
  });

  it('shows both directions of one number in time order, with delivery status', async () => {
    await t.simulator.flushCallbacks();
    const res = await thread(ALICE).expect(200);
    const messages = res.body.messages as ThreadMessage[];
    expect(messages.map((m) => [m.direction, m.body])).toEqual([
      ['inbound', 'Are we still on for lunch?'],
      ['outbound', 'Yes, 12:30'],
      ['outbound', 'At the usual place'],
      ['inbound', 'Great'],
    ]);
    expect(messages[0].status).toBe('received');
    expect(messages[1].status).toMatch(/^(queued|sent|delivered)$/);
    expect(res.body).toMatchObject({ number: ALICE, contactState: 'approved', hasMore: false });
  });

  it('pages a conversation backwards with before=nextCursor, without repeats or gaps', async () => {
    const bodies: string[] = [];
    let before: string | undefined;
    for (;;) {
      const query = `?limit=1${before ? `&before=${before}` : ''}`;
      const res = await thread(ALICE, query).expect(200);
      bodies.unshift(...(res.body.messages as ThreadMessage[]).map((m) => m.body));
      if (!res.body.hasMore) break;
      before = res.body.nextCursor;
    }
    expect(bodies).toEqual([
      'Are we still on for lunch?',
      'Yes, 12:30',
      'At the usual place',
      'Great',
    ]);
    const byTime = await thread(ALICE, `?before=2000-01-01T00:00:00Z`).expect(200);
    expect(byTime.body.messages).toEqual([]);
    const wrong = await thread(ALICE, '?before=not-a-cursor').expect(400);
    expect(wrong.body.error.code).toBe('invalid_before');
  });

  it('shows a held message as held, and hides suppressed texts unless asked', async () => {
    const bob = await thread(BOB).expect(200);
    expect(bob.body.messages).toEqual([
      expect.objectContaining({
        sid: heldId,
        approvalId: heldId,
        status: 'held',
        body: 'Hello Bob',
      }),
    ]);
    expect(bob.body.contactState).toBe('pending');
    const carol = await thread(CAROL).expect(200);
    expect(carol.body.messages.map((m: ThreadMessage) => m.body)).toEqual(['one', 'two']);
    const all = await thread(CAROL, '?includeSuppressed=true').expect(200);
    expect(all.body.messages.map((m: ThreadMessage) => [m.body, m.status])).toEqual([
      ['one', 'received'],
      ['two', 'received'],
      ['three', 'suppressed'],
    ]);
  });

  it('refuses a number that is not E.164', async () => {
    const res = await t.http().get('/sms/conversations/12345').expect(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('gives the conversation to an agent as the read_conversation tool', async () => {
    const result = await callTool(client, 'read_conversation', { number: ALICE, limit: 2 });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/2 message\(s\) with \+15551236001\. Older ones exist/);
    const body = result.structuredContent as { messages: ThreadMessage[]; nextCursor: string };
    // What the agent reads of a received text comes framed as data from its sender.
    expect(body.messages.map((m) => m.body)).toEqual([
      'At the usual place',
      expect.stringMatching(/^<<<SMS from \+15551236001: [^\n]*\n\| Great\n>>>END SMS/),
    ]);
    const older = await callTool(client, 'read_conversation', {
      number: ALICE,
      before: body.nextCursor,
    });
    expect((older.structuredContent as { messages: ThreadMessage[] }).messages).toHaveLength(2);
  });

  it('prints the conversation for the operator with sms-bridge thread', async () => {
    const { code, stdout } = await cli(t, 'thread', ALICE);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/time \(UTC\)\s+status\s+body/);
    expect(lines.slice(1).map((line) => line.match(/(<-|->)/)?.[1])).toEqual([
      '<-',
      '->',
      '->',
      '<-',
    ]);
    expect(stdout).toContain('Are we still on for lunch?');
    const json = await cli(t, 'thread', ALICE, '--json', '--limit', '1');
    expect(JSON.parse(json.stdout)).toMatchObject({ hasMore: true, messages: [{ body: 'Great' }] });
    const paged = await cli(t, 'thread', ALICE, '--limit', '1');
    expect(paged.stderr).toMatch(/Older messages: sms-bridge thread \+15551236001 --before SM/);
  });

  it('shows a send for later as scheduled, with its time, until it goes', async () => {
    await t.approve(DAVE);
    await t.simulator.sendInbound({ from: DAVE, body: 'Remind me tomorrow?' });
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await t
      .http()
      .post('/sms/send')
      .send({ to: DAVE, body: 'Your reminder', sendAt })
      .expect(202);
    const res = await thread(DAVE).expect(200);
    const messages = res.body.messages as ThreadMessage[];
    expect(messages.map((m) => [m.direction, m.body, m.status])).toEqual([
      ['inbound', 'Remind me tomorrow?', 'received'],
      ['outbound', 'Your reminder', 'scheduled'],
    ]);
    expect(messages[1]).toMatchObject({ sid: scheduled.body.id, sendAt, to: DAVE });
    const older = await thread(DAVE, `?before=${scheduled.body.id}`).expect(200);
    expect(older.body.messages.map((m: ThreadMessage) => m.body)).toEqual(['Remind me tomorrow?']);
    await t.http().delete(`/sms/scheduled/${scheduled.body.id}`).expect(200);
    expect((await thread(DAVE).expect(200)).body.messages).toHaveLength(1);
  });
});
