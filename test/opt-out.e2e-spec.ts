import { AuditService } from '../src/safety/audit/audit.service';
import { TestApp } from './helpers/test-app';

describe('opt-out', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const send = (to: string) => t.http().post('/sms/send').send({ to, body: 'Are you there?' });
  const contact = async (number: string) => {
    const res = await t.http().get('/sms/contacts').expect(200);
    return (res.body.contacts as { number: string }[]).find((c) => c.number === number);
  };

  it('refuses sends after STOP without reaching Twilio, and sends again after START', async () => {
    const number = '+15559990001';
    await send(number).expect(201);
    const stop = await t.simulator.sendInbound({ from: number, body: '  Stop ' });
    expect(stop.status).toBe(200);
    expect(await contact(number)).toMatchObject({ state: 'opted_out', source: 'keyword' });

    const before = t.simulator.requestCount;
    const refused = await send(number).expect(403);
    expect(refused.body.error.code).toBe('recipient_opted_out');
    expect(t.simulator.requestCount).toBe(before);

    // The inbox still shows what they wrote.
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages).toContainEqual(
      expect.objectContaining({ from: number, body: '  Stop ' }),
    );

    await t.simulator.sendInbound({ from: number, body: 'START' });
    await send(number).expect(201);
    expect(t.simulator.requestCount).toBe(before + 1);
  });

  it.each([
    ['STOPALL', '+15559990101'],
    ['unsubscribe', '+15559990102'],
    ['Cancel', '+15559990103'],
    ['END', '+15559990104'],
    ['quit', '+15559990105'],
  ])('treats %s as STOP', async (keyword, number) => {
    await t.simulator.sendInbound({ from: number, body: keyword });
    const before = t.simulator.requestCount;
    await send(number).expect(403);
    expect(t.simulator.requestCount).toBe(before);
  });

  it.each([
    ['STOP.', '+15559990201'],
    ['Stop please', '+15559990202'],
    ['ＳＴＯＰ', '+15559990203'],
    ['STOP\u200b', '+15559990204'],
    ['please stop texting me', '+15559990205'],
    ['Unsubscribe me', '+15559990206'],
    ['Don’t text me again 🛑', '+15559990207'],
  ])('opts out a sender who writes %j, and stops asking Twilio', async (body, number) => {
    await send(number).expect(201);
    const inbound = await t.simulator.sendInbound({ from: number, body });
    expect(inbound.status).toBe(200);
    expect(await contact(number)).toMatchObject({ state: 'opted_out', source: 'keyword' });

    const before = t.simulator.requestCount;
    const refused = await send(number).expect(403);
    expect(refused.body.error.code).toBe('recipient_opted_out');
    expect(t.simulator.requestCount).toBe(before);
    // Acted on, so nothing is left for a person to judge.
    const message = await t.http().get(`/sms/messages/${inbound.messageSid}`).expect(200);
    expect(message.body).toMatchObject({ body });
    expect(message.body.optOutHint).toBeUndefined();
  });

  it.each([
    ['Stop by at 5?', '+15559990301'],
    ['the bus stop is closed', '+15559990302'],
    ['Please do not stop texting me', '+15559990002'],
  ])(
    'keeps a sender who writes %j reachable, and flags the message for the agent and the operator',
    async (body, number) => {
      const inbound = await t.simulator.sendInbound({ from: number, body });
      expect(inbound.status).toBe(200);
      await send(number).expect(201);
      expect(await contact(number)).not.toMatchObject({ state: 'opted_out' });

      const inbox = await t.http().get('/sms/inbox').expect(200);
      expect(inbox.body.messages).toContainEqual(
        expect.objectContaining({ sid: inbound.messageSid, body, optOutHint: true }),
      );
      const message = await t.http().get(`/sms/messages/${inbound.messageSid}`).expect(200);
      expect(message.body).toMatchObject({ sid: inbound.messageSid, optOutHint: true });
    },
  );

  it('does not flag an ordinary reply', async () => {
    const inbound = await t.simulator.sendInbound({ from: '+15559990303', body: 'See you at 5' });
    const message = await t.http().get(`/sms/messages/${inbound.messageSid}`).expect(200);
    expect(message.body.optOutHint).toBeUndefined();
  });

  it('does not take "Yes please" as a re-subscription after STOP', async () => {
    const number = '+15559990304';
    await t.simulator.sendInbound({ from: number, body: 'STOP' });
    await t.simulator.sendInbound({ from: number, body: 'Yes please' });
    const before = t.simulator.requestCount;
    await send(number).expect(403);
    expect(t.simulator.requestCount).toBe(before);
  });

  it('records HELP and keeps the sender reachable', async () => {
    const number = '+15559990003';
    const start = new Date().toISOString();
    await t.simulator.sendInbound({ from: number, body: 'help' });
    expect(await t.app.get(AuditService).since(start)).toContainEqual(
      expect.objectContaining({
        action: 'inbound_keyword',
        recipient: number,
        reason: 'help',
        body: 'help',
      }),
    );
    await send(number).expect(201);
  });

  it('applies a STOP once when Twilio delivers it twice', async () => {
    const number = '+15559990004';
    const start = new Date().toISOString();
    const first = await t.simulator.sendInbound({ from: number, body: 'STOP' });
    await t.simulator.sendInbound({ from: number, body: 'STOP', messageSid: first.messageSid });
    const keywords = (await t.app.get(AuditService).since(start)).filter(
      (e) => e.action === 'inbound_keyword',
    );
    expect(keywords).toHaveLength(1);
  });

  it('marks a number opted out when Twilio answers 21610, and stops asking Twilio', async () => {
    const number = '+15005550004';
    const before = t.simulator.requestCount;
    const first = await send(number).expect(403);
    expect(first.body.error).toMatchObject({ code: 'recipient_opted_out', twilioCode: 21610 });
    expect(t.simulator.requestCount).toBe(before + 1);
    expect(await contact(number)).toMatchObject({ state: 'opted_out', source: 'twilio' });

    const second = await send(number).expect(403);
    expect(second.body.error.code).toBe('recipient_opted_out');
    expect(second.body.error.twilioCode).toBeUndefined();
    expect(t.simulator.requestCount).toBe(before + 1);
  });

  it('refuses an approval request for a number that opted out', async () => {
    const res = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15005550004', reason: 'Follow up' })
      .expect(403);
    expect(res.body.error.code).toBe('recipient_opted_out');
    const approvals = await t.http().get('/sms/approvals').expect(200);
    expect(approvals.body.approvals).toEqual([]);
  });
});
