import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

const PICTURE = 'https://example.com/picture.jpg';
const SECOND_PICTURE = 'https://example.com/second.png';
/** 11 GSM-7 segments: one more than the bridge sends. */
const ELEVEN_SEGMENTS = 'x'.repeat(153 * 10 + 1);

describe('approvals: what is held is what is sent, and only to allowed numbers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: { SMS_REQUIRE_APPROVAL: 'true', SMS_ALLOWED_COUNTRIES: 'US,CA,GB' },
    });
  });
  afterAll(() => t.close());

  const approvals = (where = 'TRUE', ...params: unknown[]) =>
    countRows(t.env.SMS_DATABASE_PATH, 'approvals', where, ...params);
  const sentTo = (to: string) => t.simulator.messages.filter((m) => m.to === to);

  it('sends a held MMS with its media when the operator approves', async () => {
    const to = '+15557772001';
    const held = await t
      .http()
      .post('/sms/send')
      .send({ to, body: 'Look at this', mediaUrl: [PICTURE, SECOND_PICTURE] })
      .expect(202);
    expect(sentTo(to)).toEqual([]);
    const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(pending.body.approvals).toContainEqual(
      expect.objectContaining({ id: held.body.approvalId, mediaUrl: [PICTURE, SECOND_PICTURE] }),
    );

    const approved = await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(approved.body.message).toMatchObject({ sid: expect.stringMatching(/^MM/), segments: 1 });
    expect(sentTo(to)).toHaveLength(1);
    expect(t.simulator.messages.at(-1)).toMatchObject({
      to,
      body: 'Look at this',
      mediaUrls: [PICTURE, SECOND_PICTURE],
    });
    const outbox = await t.http().get(`/sms/messages/${approved.body.message.sid}`).expect(200);
    expect(outbox.body.media).toEqual([
      { url: PICTURE, contentType: null },
      { url: SECOND_PICTURE, contentType: null },
    ]);
  });

  it('sends a held picture without a body when the operator approves', async () => {
    const to = '+15557772002';
    const held = await t
      .http()
      .post('/sms/send')
      .send({ to, mediaUrl: [PICTURE] })
      .expect(202);
    await t
      .http()
      .post(`/sms/approvals/${held.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(sentTo(to)).toHaveLength(1);
    expect(t.simulator.messages.at(-1)).toMatchObject({ to, body: '', mediaUrls: [PICTURE] });
  });

  it.each([
    ['a premium-rate number', '+19005550123', 'premium_rate'],
    ['a number in a country not allowed', '+33612345678', 'country_not_allowed'],
  ])('refuses an approval request for %s and stores nothing', async (_name, to, reason) => {
    const before = await approvals();
    const res = await t
      .http()
      .post('/sms/approvals')
      .send({ to, body: 'Hello', reason: 'The user asked me to.' })
      .expect(403);
    expect(res.body.error).toMatchObject({ code: 'destination_not_allowed', reason });
    expect(await approvals()).toBe(before);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'contacts', 'number = ?', to)).toBe(0);
    expect(t.simulator.requestCount).toBe(t.simulator.messages.length);
    expect(sentTo(to)).toEqual([]);
  });

  it('refuses an approval request whose body is over 10 segments and stores nothing', async () => {
    const to = '+15557772003';
    const before = await approvals();
    const res = await t
      .http()
      .post('/sms/approvals')
      .send({ to, body: ELEVEN_SEGMENTS, reason: 'A long story.' })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'body_too_long', segments: 11, maxSegments: 10 });
    expect(await approvals()).toBe(before);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'contacts', 'number = ?', to)).toBe(0);
    expect(sentTo(to)).toEqual([]);
  });

  it('answers a retried held send with the same approval, and sends it once', async () => {
    const to = '+15557772004';
    const first = await t.http().post('/sms/send').send({ to, body: 'Are you there?' }).expect(202);
    const retry = await t.http().post('/sms/send').send({ to, body: 'Are you there?' }).expect(202);
    expect(retry.body).toEqual(first.body);
    expect(await approvals('to_number = ?', to)).toBe(1);

    // Another message to the same number is another decision.
    const other = await t.http().post('/sms/send').send({ to, body: 'Hello?' }).expect(202);
    const picture = await t
      .http()
      .post('/sms/send')
      .send({ to, body: 'Are you there?', mediaUrl: [PICTURE] })
      .expect(202);
    expect(
      new Set([first.body.approvalId, other.body.approvalId, picture.body.approvalId]).size,
    ).toBe(3);

    await t
      .http()
      .post(`/sms/approvals/${first.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(200);
    await t
      .http()
      .post(`/sms/approvals/${retry.body.approvalId}/approve`)
      .set(t.asOperator)
      .expect(409);
    expect(sentTo(to).map((m) => m.body)).toEqual(['Are you there?']);
  });

  it('refuses to approve a held send to a country the operator no longer allows', async () => {
    const to = '+447700900123';
    const held = await t.http().post('/sms/send').send({ to, body: 'Hello London' }).expect(202);
    t.env.SMS_ALLOWED_COUNTRIES = 'US,CA';
    try {
      await t.restart();
      const res = await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(403);
      expect(res.body.error).toMatchObject({
        code: 'destination_not_allowed',
        reason: 'country_not_allowed',
      });
      expect(sentTo(to)).toEqual([]);
      expect(await approvals("id = ? AND status = 'pending'", held.body.approvalId)).toBe(1);
      const contact = await t.http().get('/sms/contacts').expect(200);
      expect(contact.body.contacts).toContainEqual(
        expect.objectContaining({ number: to, state: 'pending' }),
      );
      expect(
        await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages', 'to_number = ?', to),
      ).toBe(0);
    } finally {
      t.env.SMS_ALLOWED_COUNTRIES = 'US,CA,GB';
      await t.restart();
    }
  });
});

describe('approval requests with the default SMS_ALLOWED_COUNTRIES (US,CA)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
  });
  afterAll(() => t.close());

  it('refuses an approval request for a UK number and stores nothing', async () => {
    const res = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+447700900123', reason: 'The user asked me to.' })
      .expect(403);
    expect(res.body.error).toMatchObject({
      code: 'destination_not_allowed',
      reason: 'country_not_allowed',
      country: 'GB',
    });
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'approvals')).toBe(0);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'contacts')).toBe(0);
    expect(t.simulator.requestCount).toBe(0);
  });
});
