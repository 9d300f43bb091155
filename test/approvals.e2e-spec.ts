import { AuditService } from '../src/safety/audit/audit.service';
import { TestApp } from './helpers/test-app';

const STRANGER = '+15557770001';

describe('approval before the first message to a new contact', () => {
  let t: TestApp;
  let start: string;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    start = new Date().toISOString();
  });

  const audit = () => t.app.get(AuditService).since(start);
  const send = (to: string, body = 'Hello there') => t.http().post('/sms/send').send({ to, body });

  it('holds a first send to a stranger and sends it, once, when the operator approves', async () => {
    const held = await send(STRANGER, 'First contact').expect(202);
    expect(held.body).toEqual({
      status: 'awaiting_approval',
      approvalId: expect.any(String),
      to: STRANGER,
    });
    expect(t.simulator.requestCount).toBe(0);
    expect(await audit()).toContainEqual(
      expect.objectContaining({ action: 'send', phase: 'outcome', outcome: 'held' }),
    );

    const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(pending.body.approvals).toEqual([
      {
        id: held.body.approvalId,
        to: STRANGER,
        body: 'First contact',
        mediaUrl: [],
        status: 'pending',
        reason: expect.stringContaining('First message'),
        createdAt: expect.any(String),
        decidedAt: null,
        decidedBy: null,
      },
    ]);
    const contacts = await t.http().get('/sms/contacts').expect(200);
    expect(contacts.body.contacts).toContainEqual(
      expect.objectContaining({ number: STRANGER, state: 'pending' }),
    );

    const approved = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(approved.body.approval).toMatchObject({
      id: held.body.approvalId,
      status: 'approved',
      decidedBy: '127.0.0.1',
      decidedAt: expect.any(String),
    });
    expect(approved.body.message).toMatchObject({
      sid: expect.stringMatching(/^SM/),
      to: STRANGER,
    });
    expect(t.simulator.messages.map((m) => [m.to, m.body])).toEqual([[STRANGER, 'First contact']]);
    expect(await audit()).toContainEqual(
      expect.objectContaining({
        action: 'approve',
        phase: 'outcome',
        outcome: 'accepted',
        caller: '127.0.0.1',
        recipient: STRANGER,
        sid: approved.body.message.sid,
      }),
    );

    // The number is known now: the next send goes straight out.
    await send(STRANGER, 'Second').expect(201);
    expect(t.simulator.messages).toHaveLength(2);
    const after = await t.http().get('/sms/contacts').expect(200);
    expect(after.body.contacts).toContainEqual(
      expect.objectContaining({ number: STRANGER, state: 'approved', source: 'approval' }),
    );
  });

  it('refuses to decide an approval twice, or one that does not exist', async () => {
    const held = await send('+15557770002').expect(202);
    await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    const sent = t.simulator.requestCount;
    const again = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(409);
    expect(again.body.error.code).toBe('approval_already_decided');
    const deny = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/deny`)
      .set(t.asOperator)
      .expect(409);
    expect(deny.body.error.code).toBe('approval_already_decided');
    const missing = await t
      .http()
      .post('/sms/approvals/no-such-id/approve')
      .set(t.asOperator)
      .expect(404);
    expect(missing.body.error.code).toBe('approval_not_found');
    expect(await audit()).toContainEqual(
      expect.objectContaining({
        action: 'approve',
        outcome: 'refused',
        reason: 'approval_not_found',
        detail: expect.objectContaining({ params: { id: 'no-such-id' } }),
      }),
    );
    expect(t.simulator.requestCount).toBe(sent);
  });

  it('discards a denied message and refuses later sends until the number is approved again', async () => {
    const number = '+15557770003';
    const before = t.simulator.requestCount;
    const held = await send(number, 'Never to be sent').expect(202);
    const denied = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/deny`)
      .set(t.asOperator)
      .expect(200);
    expect(denied.body.approval).toMatchObject({ status: 'denied', decidedBy: '127.0.0.1' });

    const refused = await send(number, 'Try again').expect(403);
    expect(refused.body.error.code).toBe('contact_denied');
    expect(t.simulator.requestCount).toBe(before);
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
    expect(await audit()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'deny', outcome: 'accepted', caller: '127.0.0.1' }),
        expect.objectContaining({ action: 'send', outcome: 'refused', reason: 'contact_denied' }),
      ]),
    );
    const contacts = await t.http().get('/sms/contacts').expect(200);
    expect(contacts.body.contacts).toContainEqual(
      expect.objectContaining({ number, state: 'denied' }),
    );

    // The operator changes their mind: a pre-approval lets sends through again.
    const contact = await t
      .http()
      .post('/sms/contacts')
      .set(t.asOperator)
      .send({ number })
      .expect(201);
    expect(contact.body.contact).toMatchObject({ number, state: 'approved', source: 'operator' });
    expect(await audit()).toContainEqual(
      expect.objectContaining({ action: 'pre_approve', outcome: 'accepted', caller: '127.0.0.1' }),
    );
    await send(number, 'Now allowed').expect(201);
    expect(t.simulator.messages.filter((m) => m.to === number).map((m) => m.body)).toEqual([
      'Now allowed',
    ]);
  });

  it('sends at once to a number the operator pre-approved', async () => {
    const number = '+15557770011';
    await t.approve(number);
    const before = t.simulator.requestCount;
    await send(number, 'Expected message').expect(201);
    expect(t.simulator.requestCount).toBe(before + 1);
  });

  it('knows a number that texted the bridge first', async () => {
    const number = '+15557770004';
    const inbound = await t.simulator.sendInbound({ from: number, body: 'Hi, can you text me?' });
    expect(inbound.status).toBe(200);
    await send(number, 'Sure').expect(201);
    expect(t.simulator.messages.filter((m) => m.to === number)).toHaveLength(1);
    const contacts = await t.http().get('/sms/contacts').expect(200);
    expect(contacts.body.contacts).toContainEqual(
      expect.objectContaining({ number, state: 'approved', source: 'inbound' }),
    );
  });

  it('leaves an approval pending when its recipient opted out in the meantime', async () => {
    const number = '+15557770009';
    const held = await send(number, 'Held, then STOP').expect(202);
    await t.simulator.sendInbound({ from: number, body: 'STOP' });
    const res = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(403);
    expect(res.body.error.code).toBe('recipient_opted_out');
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
    const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(pending.body.approvals.map((a: { id: string }) => a.id)).toContain(held.body.approvalId);
  });

  it('takes decisions only from this machine, not through the proxy', async () => {
    const number = '+15557770010';
    const held = await send(number).expect(202);
    for (const path of [
      `/sms/approvals/${held.body.approvalId}/approve`,
      `/sms/approvals/${held.body.approvalId}/deny`,
      '/sms/contacts',
    ]) {
      const res = await t
        .http()
        .post(path)
        // The operator's token does not make a proxied caller local.
        .set(t.asOperator)
        .set('X-Forwarded-For', '203.0.113.9')
        .send({ number })
        .expect(403);
      expect(res.body.error.code).toBe('local_only');
    }
    const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(pending.body.approvals.map((a: { id: string }) => a.id)).toContain(held.body.approvalId);
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
  });

  it('keeps held messages across a restart', async () => {
    const number = '+15557770005';
    const held = await send(number, 'Held over a restart').expect(202);
    await t.restart();
    await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(t.simulator.messages.filter((m) => m.to === number).map((m) => m.body)).toEqual([
      'Held over a restart',
    ]);
  });

  it('refuses to approve a held message older than SMS_APPROVAL_MAX_AGE_HOURS', async () => {
    const number = '+15557770006';
    const held = await send(number, 'Stale').expect(202);
    // Age the row as a day passing would (the bridge reads expiry from the age).
    await t.store
      .updateTable('approvals')
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000).toISOString() })
      .where('id', '=', held.body.approvalId)
      .execute();
    const expired = await t.http().get('/sms/approvals?status=expired').expect(200);
    expect(expired.body.approvals.map((a: { id: string }) => a.id)).toEqual([held.body.approvalId]);
    const res = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(409);
    expect(res.body.error.code).toBe('approval_expired');
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
    // Nothing was decided: the number is still not approved.
    await send(number, 'Still held').expect(202);
  });

  it('lets an agent ask for approval of a number, with its reason', async () => {
    const number = '+15557770007';
    const asked = await t
      .http()
      .post('/sms/approvals')
      .send({ to: number, reason: 'The user asked me to remind their dentist.' })
      .expect(201);
    expect(asked.body.approval).toMatchObject({
      to: number,
      body: null,
      status: 'pending',
      reason: 'The user asked me to remind their dentist.',
    });
    const approved = await t
      .http()
      .post(`/sms/approvals/${asked.body.approval.id}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(approved.body.message).toBeNull();
    expect(t.simulator.messages.filter((m) => m.to === number)).toEqual([]);
    await send(number, 'Reminder').expect(201);
  });

  it('answers a repeated Idempotency-Key on a held send with the same approval', async () => {
    const number = '+15557770008';
    const first = await send(number).set('Idempotency-Key', 'held-1').expect(202);
    const second = await t
      .http()
      .post('/sms/send')
      .set('Idempotency-Key', 'held-1')
      .send({ to: number, body: 'Hello there' })
      .expect(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(pending.body.approvals.filter((a: { to: string }) => a.to === number)).toHaveLength(1);
  });
});

describe('with SMS_TRUST_INBOUND_CONTACTS=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: { SMS_REQUIRE_APPROVAL: 'true', SMS_TRUST_INBOUND_CONTACTS: 'false' },
    });
  });
  afterAll(() => t.close());

  it('holds a reply to a number that texted first, like any other first send', async () => {
    const number = '+15557771001';
    await t.simulator.sendInbound({ from: number, body: 'Hello?' });
    const res = await t.http().post('/sms/send').send({ to: number, body: 'Hi' }).expect(202);
    expect(res.body.status).toBe('awaiting_approval');
    expect(t.simulator.requestCount).toBe(0);
  });
});
