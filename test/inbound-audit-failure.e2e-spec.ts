import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

/**
 * An inbound text Twilio got a 200 for is never resent, so it must be stored even when
 * the records written beside it (keyword, suppression) cannot be: here the audit file is
 * /dev/full, where every write fails with ENOSPC.
 */
describe('inbound texts when the audit file cannot be written', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: { SMS_AUDIT_LOG_PATH: '/dev/full', SMS_INBOUND_PER_SENDER_PER_MINUTE: '1' },
    });
  });
  afterAll(() => t.close());

  it('stores a STOP and applies it, though its audit record is lost', async () => {
    const res = await t.simulator.sendInbound({ from: '+15551230001', body: 'STOP' });
    expect(res.status).toBe(200);
    const db = t.env.SMS_DATABASE_PATH;
    expect(await countRows(db, 'inbound_messages', 'from_number = ?', '+15551230001')).toBe(1);
    expect(await countRows(db, 'audit_log', "action = 'inbound_keyword'")).toBe(0);
    const contacts = await t.http().get('/sms/contacts').expect(200);
    expect(contacts.body.contacts).toContainEqual(
      expect.objectContaining({ number: '+15551230001', state: 'opted_out' }),
    );
  });

  it('stores a text over the per-sender limit, suppressed, though its audit record is lost', async () => {
    expect((await t.simulator.sendInbound({ from: '+15551230002', body: 'one' })).status).toBe(200);
    expect((await t.simulator.sendInbound({ from: '+15551230002', body: 'two' })).status).toBe(200);
    const db = t.env.SMS_DATABASE_PATH;
    expect(await countRows(db, 'inbound_messages', 'from_number = ?', '+15551230002')).toBe(2);
    expect(await countRows(db, 'inbound_messages', 'suppressed = 1')).toBe(1);
  });
});
