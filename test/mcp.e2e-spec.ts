import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AuditService } from '../src/safety/audit/audit.service';
import {
  IDEMPOTENCY_KEY_CHARACTERS,
  IDEMPOTENCY_KEY_RULE,
  MAX_BODY_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_MEDIA_URLS,
  MAX_REASON_LENGTH,
  MAX_SEGMENTS,
} from '../src/safety/message/message-limits';
import { frameSms } from '../src/common/untrusted-text';
import { callTool, McpBuild, textOf } from './helpers/mcp-client';
import { TestApp } from './helpers/test-app';

const FRIEND = '+15551230001';

describe('MCP server over stdio', () => {
  let build: McpBuild;
  let t: TestApp;
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

  it('lists the tools, each describing the rules a model must follow', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual([
      'cancel_scheduled',
      'get_limits',
      'list_contacts',
      'list_scheduled',
      'message_status',
      'read_conversation',
      'read_inbox',
      'request_approval',
      'send_sms',
    ]);
    expect(byName.send_sms.description).toMatch(/awaiting_approval/);
    expect(byName.send_sms.description).toMatch(/daily_limit_reached/);
    expect(byName.send_sms.description).toMatch(/STOP is final/);
    expect(byName.send_sms.inputSchema.required).toEqual(['to']);
    expect(Object.keys(byName.send_sms.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['body', 'media_urls', 'idempotency_key', 'send_at']),
    );
    // The budget is asked for when needed, not written into a description that goes stale.
    expect(byName.send_sms.description).not.toMatch(/\d+ of \d+ sends left/);
    expect(byName.send_sms.description).toContain('get_limits');
    expect(byName.read_inbox.description).toMatch(/nextCursor/);
    expect(byName.request_approval.inputSchema.required?.sort()).toEqual(['reason', 'to']);
  });

  it('names itself with the version in package.json', () => {
    const packaged = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(client.getServerVersion()).toEqual({ name: 'sms-bridge', version: packaged.version });
  });

  it('gives the live daily budget, overall and for one number', async () => {
    const before = await callTool(client, 'get_limits', { to: FRIEND });
    expect(before.isError).toBeFalsy();
    const limits = (await t.http().get('/sms/limits').query({ to: FRIEND }).expect(200)).body;
    expect(before.structuredContent).toEqual(limits);
    expect(textOf(before)).toContain(
      `Daily budget: ${limits.total.remaining} of ${limits.total.limit} sends left`,
    );
    expect(textOf(before)).toContain(`left for ${FRIEND}`);
  });

  it('sends a text through the bridge to someone who wrote first', async () => {
    await t.simulator.sendInbound({ from: FRIEND, body: 'Text me the address' });
    const result = await callTool(client, 'send_sms', {
      to: FRIEND,
      body: '12 Elm Street',
      idempotency_key: 'address-reply-1',
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      to: FRIEND,
      from: '+15005550006',
    });
    expect(t.simulator.messages).toHaveLength(1);
    expect(t.simulator.messages[0]).toMatchObject({
      sid: (result.structuredContent as { sid: string }).sid,
      to: FRIEND,
      body: '12 Elm Street',
    });
    expect(textOf(result)).toContain('message_status');
    // Through the API, so the bridge's audit saw the tool call.
    const audited = await t.app.get(AuditService).since('1970-01-01T00:00:00Z');
    expect(audited.filter((entry) => entry.action === 'send' && entry.phase === 'outcome')).toEqual(
      [expect.objectContaining({ outcome: 'accepted', recipient: FRIEND })],
    );
  });

  it('schedules a text with send_at, lists it and cancels it', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const requests = t.simulator.requestCount;
    const scheduled = await callTool(client, 'send_sms', {
      to: FRIEND,
      body: 'Reminder: lunch at noon',
      send_at: sendAt,
    });
    expect(scheduled.isError).toBeFalsy();
    const { id } = scheduled.structuredContent as { id: string };
    expect(scheduled.structuredContent).toMatchObject({ status: 'scheduled', sendAt, to: FRIEND });
    expect(textOf(scheduled)).toContain('cancel_scheduled');

    const listed = await callTool(client, 'list_scheduled', { status: 'scheduled' });
    expect(listed.structuredContent).toEqual({
      scheduled: [expect.objectContaining({ id, body: 'Reminder: lunch at noon' })],
    });
    const cancelled = await callTool(client, 'cancel_scheduled', { id });
    expect(cancelled.isError).toBeFalsy();
    expect(cancelled.structuredContent).toMatchObject({ scheduled: { id, status: 'cancelled' } });
    const missing = await callTool(client, 'cancel_scheduled', { id: 'no-such-id' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('scheduled_send_not_found');
    expect(t.simulator.requestCount).toBe(requests);
  });

  it('sends a picture by its media_urls, with no body', async () => {
    await t.simulator.sendInbound({ from: FRIEND, body: 'Send me the photo' });
    const result = await callTool(client, 'send_sms', {
      to: FRIEND,
      media_urls: ['https://example.com/photo.jpg'],
    });
    expect(result.isError).toBeFalsy();
    const sent = t.simulator.messages.at(-1);
    expect(sent).toMatchObject({ to: FRIEND, mediaUrls: ['https://example.com/photo.jpg'] });
  });

  it('pages through the inbox with since and nextCursor', async () => {
    const first = await callTool(client, 'read_inbox', {});
    const { nextCursor: start } = first.structuredContent as { nextCursor: string };
    const sids: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      sids.push((await t.simulator.sendInbound({ from: FRIEND, body })).messageSid);
    }

    const page1 = await callTool(client, 'read_inbox', { since: start, limit: 2 });
    expect(page1.isError).toBeFalsy();
    expect(page1.structuredContent).toMatchObject({ hasMore: true, nextCursor: sids[1] });
    const page1Messages = (page1.structuredContent as { messages: { sid: string }[] }).messages;
    expect(page1Messages.map((m) => m.sid)).toEqual(sids.slice(0, 2));

    const page2 = await callTool(client, 'read_inbox', { since: sids[1], limit: 2 });
    expect(page2.structuredContent).toMatchObject({ hasMore: false, nextCursor: sids[2] });
    const page2Messages = (page2.structuredContent as { messages: { body: string }[] }).messages;
    expect(page2Messages.map((m) => m.body)).toEqual([frameSms({ from: FRIEND, body: 'three' })]);
    expect(textOf(page2)).toContain(`since=${sids[2]}`);
  });

  it("returns the bridge's refusal as a tool error with its code and sentence", async () => {
    const result = await callTool(client, 'read_inbox', { since: 'yesterday' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^invalid_since: since must be an ISO-8601 time/);
    expect(result.structuredContent).toMatchObject({ error: { code: 'invalid_since' } });
  });

  it('refuses malformed arguments without reaching the bridge', async () => {
    const sent = t.simulator.requestCount;
    const audited = (await t.app.get(AuditService).since('1970-01-01T00:00:00Z')).length;
    const result = await callTool(client, 'send_sms', { to: '555-1234', body: 'hi' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/E\.164/);
    expect(t.simulator.requestCount).toBe(sent);
    expect(await t.app.get(AuditService).since('1970-01-01T00:00:00Z')).toHaveLength(audited);
  });

  it('states the limits the bridge enforces, from the same constants', async () => {
    const { tools } = await client.listTools();
    const property = (tool: string, name: string) =>
      (tools.find((t) => t.name === tool)?.inputSchema.properties?.[name] ?? {}) as {
        description?: string;
      };
    expect(property('send_sms', 'body').description).toContain(
      `1 to ${MAX_BODY_LENGTH} characters`,
    );
    expect(property('send_sms', 'body').description).toContain(
      `at most ${MAX_SEGMENTS} SMS segments`,
    );
    expect(property('send_sms', 'media_urls').description).toContain(`Up to ${MAX_MEDIA_URLS}`);
    expect(property('send_sms', 'idempotency_key').description).toContain(IDEMPOTENCY_KEY_RULE);
    expect(property('request_approval', 'reason').description).toContain(
      `1 to ${MAX_REASON_LENGTH} characters`,
    );
  });

  it('carries those limits in its input schemas, so a client can check before it calls', async () => {
    const { tools } = await client.listTools();
    const schema = (tool: string, name: string) =>
      tools.find((t) => t.name === tool)?.inputSchema.properties?.[name] as Record<string, unknown>;
    expect(schema('send_sms', 'body')).toMatchObject({ minLength: 1, maxLength: MAX_BODY_LENGTH });
    expect(schema('send_sms', 'media_urls')).toMatchObject({ maxItems: MAX_MEDIA_URLS });
    expect(schema('send_sms', 'idempotency_key')).toMatchObject({
      minLength: 1,
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      pattern: IDEMPOTENCY_KEY_CHARACTERS.source,
    });
    expect(schema('request_approval', 'reason')).toMatchObject({
      minLength: 1,
      maxLength: MAX_REASON_LENGTH,
    });
    expect(schema('request_approval', 'body')).toMatchObject({ maxLength: MAX_BODY_LENGTH });
  });

  const MEDIA = 'https://example.com/cat.jpg';
  const overLimits: [string, string, Record<string, unknown>, RegExp][] = [
    [
      'a body one character too long',
      'send_sms',
      { body: 'x'.repeat(MAX_BODY_LENGTH + 1) },
      /body/,
    ],
    [
      'one media URL too many',
      'send_sms',
      { media_urls: Array(MAX_MEDIA_URLS + 1).fill(MEDIA) },
      /media_urls/,
    ],
    [
      'a non-ASCII idempotency key',
      'send_sms',
      { body: 'hi', idempotency_key: 'clé' },
      /idempotency_key must be 1 to 255 printable ASCII/,
    ],
    [
      'an idempotency key one character too long',
      'send_sms',
      { body: 'hi', idempotency_key: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1) },
      /idempotency_key/,
    ],
    ['neither body nor media', 'send_sms', {}, /body or media_urls is required/],
    [
      'a reason one character too long',
      'request_approval',
      { reason: 'r'.repeat(MAX_REASON_LENGTH + 1) },
      /reason/,
    ],
  ];
  it.each(overLimits)(
    'refuses %s by its schema, naming the argument, with nothing sent or audited',
    async (_name, tool, args, says) => {
      const sent = t.simulator.requestCount;
      const audited = (await t.app.get(AuditService).since('1970-01-01T00:00:00Z')).length;
      const result = await callTool(client, tool, { to: '+15557770009', ...args });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(says);
      expect(textOf(result)).not.toMatch(/mediaUrl|Idempotency-Key/);
      expect(t.simulator.requestCount).toBe(sent);
      expect(await t.app.get(AuditService).since('1970-01-01T00:00:00Z')).toHaveLength(audited);
    },
  );

  it("names the tool's own arguments in the bridge's refusal, not the route's fields", async () => {
    const result = await callTool(client, 'send_sms', {
      to: FRIEND,
      body: 'later',
      send_at: '2001-01-01T09:00:00Z',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^validation_failed: The request is invalid: send_at must be/);
    expect(textOf(result)).not.toContain('sendAt');
    expect(result.structuredContent).toMatchObject({
      error: { code: 'validation_failed', fields: [{ field: 'send_at' }] },
    });
    expect(t.simulator.messages.filter((m) => m.body === 'later')).toEqual([]);
  });

  const refusals: [string, string, Record<string, unknown>][] = [
    ['a body with a lone surrogate', 'send_sms', { body: 'x\ud800y' }],
    ['a body with an escape sequence', 'send_sms', { body: 'hi \u001b[31m' }],
    ['a reason of only whitespace', 'request_approval', { reason: '   ' }],
    [
      'an approval body with a right-to-left override',
      'request_approval',
      { reason: 'friend', body: 'pay \u202eKCOL' },
    ],
  ];
  it.each(refusals)('refuses %s exactly as the route does', async (_name, tool, args) => {
    const to = '+15557770009';
    const result = await callTool(client, tool, { to, ...args });
    expect(result.isError).toBe(true);

    const route = tool === 'send_sms' ? '/sms/send' : '/sms/approvals';
    const res = await t
      .http()
      .post(route)
      .send({ to, ...args });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(result.structuredContent).toEqual(res.body);
  });

  it('says so when the bridge is not running', async () => {
    const down = await build.connect({
      SMS_BRIDGE_URL: 'http://127.0.0.1:1',
      SMS_BRIDGE_ENV_FILE: join(t.dir, 'absent.env'),
    });
    try {
      const result = await callTool(down, 'read_inbox', {});
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^bridge_unreachable: The SMS bridge at http:\/\/127\.0\.0\.1:1/,
      );
    } finally {
      await down.close();
    }
  });
});
