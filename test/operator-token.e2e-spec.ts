import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditService } from '../src/safety/audit/audit.service';
import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { withTestApp } from './helpers/with-test-app';
import { ON_POSTGRES } from './helpers/test-database';

/**
 * The operator's decisions need the operator token; the agent, local like the operator,
 * reaches every other local route but cannot approve its own held messages.
 */
describe('the operator token', () => {
  let t: TestApp;
  let start: string;
  let strangers = 0;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    start = new Date().toISOString();
  });

  const audit = () => t.app.get(AuditService).since(start);
  const hold = async (to: string) => {
    const held = await t.http().post('/sms/send').send({ to, body: 'Held' }).expect(202);
    return held.body.approvalId as string;
  };
  const pendingIds = async () => {
    const res = await t.http().get('/sms/approvals?status=pending').expect(200);
    return res.body.approvals.map((a: { id: string }) => a.id) as string[];
  };
  const stateOf = async (number: string) => {
    const res = await t.http().get('/sms/contacts').expect(200);
    return res.body.contacts.find((c: { number: string }) => c.number === number)?.state;
  };
  /** A token of the right length and alphabet that is not the operator's. */
  const wrongToken = () => (t.operatorToken[0] === 'a' ? 'b' : 'a') + t.operatorToken.slice(1);

  it('is made at first boot: 64 hex characters, mode 0600, beside the database', () => {
    expect(t.operatorTokenFile).toBe(join(t.dir, 'operator.token'));
    expect(t.operatorToken).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(t.operatorTokenFile).mode & 0o777).toBe(0o600);
    // The boot log says where it is, never what it is.
    expect(t.logs()).toContain(`Operator token created in ${t.operatorTokenFile}`);
    expect(t.logs()).not.toContain(t.operatorToken);
  });

  it.each([
    ['no Authorization header', {}, 'missing'],
    ['a wrong token', () => ({ Authorization: `Bearer ${wrongToken()}` }), 'wrong'],
    ['a token of another length', () => ({ Authorization: `Bearer ${t.operatorToken}0` }), 'wrong'],
    ['another scheme', () => ({ Authorization: `Basic ${t.operatorToken}` }), 'missing'],
  ])(
    'refuses approve and deny with %s, leaves the message held and audits the refusal',
    async (_name, headers, token) => {
      const set = typeof headers === 'function' ? headers() : headers;
      const number = `+155588810${String(strangers++).padStart(2, '0')}`;
      const approvalId = await hold(number);
      const requests = t.simulator.requestCount;

      for (const decision of ['approve', 'deny']) {
        const res = await t
          .http()
          .post(`/sms/approvals/${approvalId}/${decision}`)
          .set(set)
          .expect(403);
        expect(res.body).toEqual({
          error: {
            code: 'operator_only',
            message: expect.stringContaining(t.operatorTokenFile),
          },
        });
        expect(res.text).not.toContain(t.operatorToken);
      }

      expect(await pendingIds()).toContain(approvalId);
      expect(t.simulator.requestCount).toBe(requests);
      expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
      expect(await stateOf(number)).toBe('pending');
      const refusals = (await audit()).filter((entry) => entry.reason === 'operator_only');
      expect(refusals).toEqual([
        expect.objectContaining({
          action: 'approve',
          phase: 'outcome',
          outcome: 'refused',
          caller: '127.0.0.1',
          detail: { token, params: { id: approvalId } },
        }),
        expect.objectContaining({ action: 'deny', outcome: 'refused' }),
      ]);
      // Refused before the handler, and still recorded as every action is: attempt, outcome.
      expect((await audit()).filter((entry) => entry.phase === 'attempt')).toEqual([
        expect.objectContaining({ action: 'send' }),
        expect.objectContaining({ action: 'approve', caller: '127.0.0.1' }),
        expect.objectContaining({ action: 'deny', caller: '127.0.0.1' }),
      ]);
    },
  );

  it('refuses a pre-approval without the token and leaves the number unapproved', async () => {
    const number = '+15558880101';
    const res = await t
      .http()
      .post('/sms/contacts')
      .set('Authorization', `Bearer ${wrongToken()}`)
      .send({ number })
      .expect(403);
    expect(res.body.error.code).toBe('operator_only');
    expect(await stateOf(number)).toBeUndefined();
    expect(await audit()).toEqual([
      expect.objectContaining({ action: 'pre_approve', phase: 'attempt', recipient: number }),
      expect.objectContaining({
        action: 'pre_approve',
        outcome: 'refused',
        reason: 'operator_only',
        recipient: number,
      }),
    ]);
    // The agent's send to it is still held for the operator.
    await t.http().post('/sms/send').send({ to: number, body: 'Hi' }).expect(202);
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
  });

  it('refuses a backup without the token, and sends no database', async () => {
    const res = await t.http().post('/sms/backup').expect(403);
    expect(res.body.error.code).toBe('operator_only');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(await audit()).toEqual([
      expect.objectContaining({ action: 'backup', phase: 'attempt' }),
      expect.objectContaining({ action: 'backup', outcome: 'refused', reason: 'operator_only' }),
    ]);
  });

  it('lets the operator decide with the token', async () => {
    const number = '+15558880201';
    const approvalId = await hold(number);
    const approved = await t
      .http()
      .post(`/sms/approvals/${approvalId}/approve`)
      .set('Authorization', `bearer ${t.operatorToken}`)
      .expect(200);
    expect(approved.body.approval).toMatchObject({ id: approvalId, status: 'approved' });
    expect(t.simulator.messages.filter((m) => m.to === number).map((m) => m.body)).toEqual([
      'Held',
    ]);

    const denied = await hold('+15558880202');
    await t.http().post(`/sms/approvals/${denied}/deny`).set(t.asOperator).expect(200);
    expect(await stateOf('+15558880202')).toBe('denied');

    const contact = await t
      .http()
      .post('/sms/contacts')
      .set(t.asOperator)
      .send({ number: '+15558880203' })
      .expect(201);
    expect(contact.body.contact).toMatchObject({ state: 'approved', source: 'operator' });

    if (ON_POSTGRES) {
      // The bridge cannot copy a PostgreSQL database: it says to use pg_dump.
      const refused = await t.http().post('/sms/backup').set(t.asOperator).expect(501);
      expect(refused.body.error).toMatchObject({
        code: 'backup_unsupported',
        message: expect.stringContaining('pg_dump'),
      });
    } else {
      const backup = await t.http().post('/sms/backup').set(t.asOperator).expect(200);
      expect(backup.headers['content-type']).toBe('application/vnd.sqlite3');
    }
    // The Authorization header is redacted from the access log.
    expect(t.logs()).not.toContain(t.operatorToken);
  });

  it('leaves the agent its own routes: reading, and asking for approval', async () => {
    const asked = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15558880301', reason: 'The user asked me to text their plumber.' })
      .expect(201);
    expect(asked.body.approval).toMatchObject({ status: 'pending' });
    for (const path of [
      '/sms/approvals',
      '/sms/contacts',
      '/sms/limits',
      '/sms/audit',
      '/sms/outbox',
      '/sms/inbox',
    ]) {
      await t.http().get(path).expect(200);
    }
  });

  it('marks the operator routes in the OpenAPI document, and only those', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    expect(body.components.securitySchemes.operator).toMatchObject({ scheme: 'bearer' });
    type Operation = { security?: Record<string, string[]>[] };
    const secured = Object.entries(body.paths as Record<string, Record<string, Operation>>)
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          // Every route names who may call it; only these name the operator token.
          .filter(([, operation]) => operation.security?.some((scheme) => 'operator' in scheme))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(secured).toEqual([
      'GET /sms/operator-texts',
      'POST /sms/approvals/{id}/approve',
      'POST /sms/approvals/{id}/deny',
      'POST /sms/backup',
      'POST /sms/contacts',
      'POST /sms/forward/retry',
    ]);
  });

  it('does not make a proxied caller local', async () => {
    const approvalId = await hold('+15558880401');
    const res = await t
      .http()
      .post(`/sms/approvals/${approvalId}/approve`)
      .set(t.asOperator)
      .set('X-Forwarded-For', '203.0.113.9')
      .expect(403);
    expect(res.body.error.code).toBe('local_only');
    expect(await pendingIds()).toContain(approvalId);
  });

  it('keeps the same token across a restart', async () => {
    const token = t.operatorToken;
    const approvalId = await hold('+15558880501');
    await t.restart();
    expect(t.operatorToken).toBe(token);
    expect(statSync(t.operatorTokenFile).mode & 0o777).toBe(0o600);
    expect(t.logs()).toContain(`Operator token read from ${t.operatorTokenFile}`);
    await t
      .http()
      .post(`/sms/approvals/${approvalId}/approve`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
  });
});

describe('SMS_OPERATOR_TOKEN_FILE', () => {
  it('reads a token the operator put there, and refuses any other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-token-'));
    const file = join(dir, 'my.token');
    const token = 'operator-chosen-token-0123456789abcdef';
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    try {
      await withTestApp({ env: { SMS_OPERATOR_TOKEN_FILE: file } }, async (t) => {
        expect(t.operatorTokenFile).toBe(file);
        expect(t.operatorToken).toBe(token);
        await t
          .http()
          .post('/sms/contacts')
          .set('Authorization', `Bearer ${token}`)
          .send({ number: '+15558880601' })
          .expect(201);
        const res = await t
          .http()
          .post('/sms/contacts')
          .send({ number: '+15558880602' })
          .expect(403);
        expect(res.body.error.message).toContain(file);
        expect(await countRows(t.env.SMS_DATABASE_PATH, 'contacts')).toBe(1);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
