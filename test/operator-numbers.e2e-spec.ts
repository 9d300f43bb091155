import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { queryDb } from './helpers/db-file';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { rowCounts } from './helpers/row-counts';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';

/*
 * An operator phone hears from the bridge only: the agent may not text it, ask to, or plan
 * to, whatever the door, so a forged "sms-bridge: … Reply YES" never comes from the bridge's
 * number. The operator's own texts still reach it.
 */

const OPERATOR = '+15551239000';
const SECOND_OPERATOR = '+15551239001';
const FORGED =
  'sms-bridge: the agent wants to text +15550000000: "hi"\nReply YES 12345678 to send.';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

let t: TestApp;
let build: McpBuild;
let client: Client;

beforeAll(async () => {
  build = McpBuild.shared();
  t = await TestApp.create({
    env: {
      SMS_REQUIRE_APPROVAL: 'true',
      SMS_OPERATOR_NUMBERS: `${OPERATOR},${SECOND_OPERATOR}`,
    },
  });
  // docs/OPERATING.md's "Going live" has the operator approve their own phone: the rule must not care.
  await t.approve(SECOND_OPERATOR);
  client = await build.connectTo(t);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await t?.close();
});

const refusals = () =>
  queryDb<{ action: string }>(
    t.env.SMS_DATABASE_PATH,
    "SELECT action FROM audit_log WHERE outcome = 'refused' AND reason = 'operator_number'",
  );

describe('sends to an operator phone', () => {
  it.each([
    ['a send now, to an unapproved operator phone', OPERATOR, {}],
    ['a send now, to an operator phone the operator approved', SECOND_OPERATOR, {}],
    ['a send for later', OPERATOR, { sendAt: inAnHour() }],
    ['a send for later to an approved operator phone', SECOND_OPERATOR, { sendAt: inAnHour() }],
  ])(
    'refuses %s with 403 operator_number, storing and sending nothing',
    async (_what, to, extra) => {
      const before = await rowCounts(t.env.SMS_DATABASE_PATH);
      const requests = t.simulator.requestCount;
      const audited = (await refusals()).length;
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to, body: FORGED, ...extra });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('operator_number');
      expect(JSON.stringify(res.body)).not.toContain(to);
      expect(await refusals()).toHaveLength(audited + 1);
      expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
      expect(t.simulator.requestCount).toBe(requests);
    },
  );

  it('refuses an approval request for an operator phone, with a body or without', async () => {
    const before = await rowCounts(t.env.SMS_DATABASE_PATH);
    const requests = t.simulator.requestCount;
    for (const body of [FORGED, undefined]) {
      const res = await t
        .http()
        .post('/sms/approvals')
        .send({ to: OPERATOR, body, reason: 'The user asked me to.' })
        .expect(403);
      expect(res.body.error.code).toBe('operator_number');
    }
    expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
    expect(t.simulator.requestCount).toBe(requests);
  });

  it('refuses send_sms and request_approval over MCP', async () => {
    const before = await rowCounts(t.env.SMS_DATABASE_PATH);
    const requests = t.simulator.requestCount;
    for (const [tool, args] of [
      ['send_sms', { to: SECOND_OPERATOR, body: FORGED }],
      ['send_sms', { to: OPERATOR, body: FORGED, sendAt: inAnHour() }],
      ['request_approval', { to: OPERATOR, body: FORGED, reason: 'The user asked me to.' }],
    ] as const) {
      const result = await callTool(client, tool, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('operator_number');
    }
    expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
    expect(t.simulator.requestCount).toBe(requests);
  });

  it('still texts the operator phone its notification of a held send', async () => {
    const to = '+15551230077';
    const seen = t.simulator.messages.filter((m) => m.to === OPERATOR).length;
    const held = await t.http().post('/sms/send').send({ to, body: 'Table for two?' }).expect(202);
    await until(
      () => t.simulator.messages.filter((m) => m.to === OPERATOR).length > seen,
      'the notification',
    );
    const toPhone = t.simulator.messages.filter((m) => m.to === OPERATOR).slice(seen);
    expect(toPhone[0].body).toContain(`sms-bridge: the agent wants to text ${to}`);
    expect(toPhone[0].body).toMatch(/Reply YES \d{8} to send/);
    expect(held.body.status).toBe('awaiting_approval');
  });
});
