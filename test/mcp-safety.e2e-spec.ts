import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { TestApp } from './helpers/test-app';

/*
 * The MCP tools against the bridge's safety rules and delivery status: approvals,
 * contacts, limits, opt-out, status callbacks and GET /sms/messages/:sid.
 */

const FRIEND = '+15551230001';
const STRANGER = '+15557770001';
const NEWCOMER = '+15557770002';
const QUITTER = '+15551230002';
// Status callbacks go to SMS_PUBLIC_BASE_URL; the test simulator delivers them to the app.
const PUBLIC_BASE = 'https://bridge.example.com';

interface Session {
  t: TestApp;
  client: Client;
}

async function open(build: McpBuild, env: Record<string, string>): Promise<Session> {
  const t = await TestApp.create({ env });
  const client = await build.connectTo(t);
  return { t, client };
}

/** A text to the bridge, signed for the public URL Twilio would call. */
async function inbound(t: TestApp, from: string, body: string): Promise<void> {
  const result = await t.simulator.sendInbound({
    from,
    body,
    signedUrl: `${PUBLIC_BASE}/sms/webhook`,
  });
  expect(result.status).toBe(200);
}

async function shut(session: Session | undefined): Promise<void> {
  await session?.client.close();
  await session?.t.close();
}

const build = McpBuild.shared();

describe('MCP tools under the safety rules', () => {
  let s: Session;

  beforeAll(async () => {
    s = await open(build, {
      SMS_REQUIRE_APPROVAL: 'true',
      SMS_TRUST_INBOUND_CONTACTS: 'true',
      SMS_PUBLIC_BASE_URL: PUBLIC_BASE,
    });
  }, 120_000);
  afterAll(() => shut(s));

  it('holds a first text to a stranger for the operator, sending nothing', async () => {
    const result = await callTool(s.client, 'send_sms', { to: STRANGER, body: 'Hello there' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      status: 'awaiting_approval',
      approvalId: expect.any(String),
      to: STRANGER,
    });
    expect(textOf(result)).toContain('Do not send it again');
    expect(s.t.simulator.requestCount).toBe(0);
  });

  it('asks the operator to approve a new contact with a reason, and lists it as pending', async () => {
    const result = await callTool(s.client, 'request_approval', {
      to: NEWCOMER,
      reason: 'The plumber the user asked me to book',
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      approval: {
        id: expect.any(String),
        to: NEWCOMER,
        status: 'pending',
        reason: 'The plumber the user asked me to book',
      },
    });
    const contacts = await callTool(s.client, 'list_contacts');
    expect(contacts.isError).toBeFalsy();
    expect((contacts.structuredContent as { contacts: unknown[] }).contacts).toContainEqual(
      expect.objectContaining({ number: NEWCOMER, state: 'pending' }),
    );
    expect(s.t.simulator.requestCount).toBe(0);
  });

  it('reports delivery once the status callbacks came in', async () => {
    await inbound(s.t, FRIEND, 'Are you there?');
    const sent = await callTool(s.client, 'send_sms', { to: FRIEND, body: 'Yes' });
    expect(sent.isError).toBeFalsy();
    const sid = (sent.structuredContent as { sid: string }).sid;
    expect(s.t.simulator.messages.map((m) => m.sid)).toEqual([sid]);

    let status = await callTool(s.client, 'message_status', { sid });
    for (
      let i = 0;
      i < 100 && (status.structuredContent as { status: string }).status !== 'delivered';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await callTool(s.client, 'message_status', { sid });
    }
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toMatchObject({ sid, status: 'delivered', to: FRIEND });
    const history = (status.structuredContent as { history: { status: string }[] }).history;
    expect(history.map((h) => h.status)).toContain('delivered');
    expect(textOf(status)).toContain(`Message ${sid}: delivered.`);
  });

  it('answers message_not_found for a sid the bridge never saw', async () => {
    const result = await callTool(s.client, 'message_status', {
      sid: 'SM00000000000000000000000000000000',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^message_not_found: /);
  });

  it('refuses a recipient who texted STOP and tells the model it is final', async () => {
    await inbound(s.t, QUITTER, 'hi');
    await inbound(s.t, QUITTER, 'STOP');
    const before = s.t.simulator.requestCount;
    const result = await callTool(s.client, 'send_sms', { to: QUITTER, body: 'One more thing' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^recipient_opted_out: /);
    expect(textOf(result)).toContain('That is final');
    expect(s.t.simulator.requestCount).toBe(before);
  });
});

describe('MCP send_sms over the daily limit', () => {
  let s: Session;

  beforeAll(async () => {
    s = await open(build, { SMS_DAILY_LIMIT: '1', SMS_REQUIRE_APPROVAL: 'true' });
  }, 120_000);
  afterAll(() => shut(s));

  it('is a tool error with the limit and when it resets, and nothing reaches Twilio', async () => {
    expect((await s.t.simulator.sendInbound({ from: FRIEND, body: 'Text me twice' })).status).toBe(
      200,
    );
    const first = await callTool(s.client, 'send_sms', { to: FRIEND, body: 'Once' });
    expect(first.isError).toBeFalsy();
    expect(textOf(first)).toMatch(/Daily budget: 0 of 1 sends left/);
    // The model can ask for the budget left before its next send.
    expect(textOf(await callTool(s.client, 'get_limits', {}))).toMatch(
      /^Daily budget: 0 of 1 sends left \(resets .+\)/,
    );

    const second = await callTool(s.client, 'send_sms', { to: FRIEND, body: 'Twice' });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toMatch(/^daily_limit_reached: /);
    expect(textOf(second)).toContain('Do not retry before resetsAt');
    expect(second.structuredContent).toMatchObject({
      error: { code: 'daily_limit_reached', limit: 1, count: 1, resetsAt: expect.any(String) },
    });
    expect(s.t.simulator.messages.map((m) => m.body)).toEqual(['Once']);
  });
});
