import { countRows, openDb, queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Writes messages as if they had arrived and left `days` ago, beside the running app. */
function ageMessages(t: TestApp, days: number): void {
  const db = openDb(t.env.SMS_DATABASE_PATH);
  const at = new Date(Date.now() - days * DAY_MS).toISOString();
  db.prepare(
    `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, received_at)
     VALUES (?, ?, '+15557654321', '+15005550006', ?, ?)`,
  ).run(
    `SM${'a'.repeat(30)}${String(days).padStart(2, '0')}`,
    t.accountSid,
    `old inbound ${days}`,
    at,
  );
  db.prepare(
    `INSERT INTO outbound_messages (id, from_number, to_number, body, status, created_at, updated_at)
     VALUES (?, '+15005550006', '+15551234567', ?, 'delivered', ?, ?)`,
  ).run(`old-${days}`, `old outbound ${days}`, at, at);
  db.close();
}

function count(t: TestApp, table: string): number {
  return countRows(t.env.SMS_DATABASE_PATH, table);
}

describe('SMS_RETENTION_DAYS', () => {
  it('prunes messages older than the setting at boot, never the audit log', async () => {
    const t = await TestApp.create({ env: { SMS_RETENTION_DAYS: '30' } });
    try {
      await t.http().post('/sms/send').send({ to: '+15551234567', body: 'recent' }).expect(201);
      await t.simulator.sendInbound({ from: '+15557654321', body: 'recent reply' });
      ageMessages(t, 31);
      ageMessages(t, 29);
      const audit = count(t, 'audit_log');

      await t.restart();

      const inbox = await t.http().get('/sms/inbox').expect(200);
      expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'recent reply',
        'old inbound 29',
      ]);
      const outbound = queryDb<{ body: string }>(
        t.env.SMS_DATABASE_PATH,
        'SELECT body FROM outbound_messages ORDER BY seq',
      ).map((row) => row.body);
      expect(outbound).toEqual(['recent', 'old outbound 29']);
      expect(count(t, 'audit_log')).toBe(audit);
      expect(t.logs()).toContain('Pruned 1 inbound and 1 outbound messages');
    } finally {
      await t.close();
    }
  });

  it('keeps everything when unset', async () => {
    const t = await TestApp.create();
    try {
      ageMessages(t, 400);
      await t.restart();
      expect(count(t, 'inbound_messages')).toBe(1);
      expect(count(t, 'outbound_messages')).toBe(1);
    } finally {
      await t.close();
    }
  });
});
