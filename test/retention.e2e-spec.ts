import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countRows, openDb, queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { ON_POSTGRES } from './helpers/test-database';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Writes messages as if they had arrived and left `days` ago, beside the running app. */
async function ageMessages(t: TestApp, days: number): Promise<void> {
  const db = openDb(t.env.SMS_DATABASE_PATH);
  const at = new Date(Date.now() - days * DAY_MS).toISOString();
  await db.run(
    `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, received_at)
     VALUES (?, ?, '+15557654321', '+15005550006', ?, ?)`,
    `SM${'a'.repeat(30)}${String(days).padStart(2, '0')}`,
    t.accountSid,
    `old inbound ${days}`,
    at,
  );
  await db.run(
    `INSERT INTO outbound_messages (id, from_number, to_number, body, status, created_at, updated_at)
     VALUES (?, '+15005550006', '+15551234567', ?, 'delivered', ?, ?)`,
    `old-${days}`,
    `old outbound ${days}`,
    at,
    at,
  );
  await db.close();
}

const OLD_TEXT = 'old secret text';
const RECENT_TEXT = 'recent secret text';

/**
 * Plants message text, `days` old, in every place the bridge keeps it: the messages, a
 * decided approval, a sent scheduled send, an operator text, a stored idempotent answer,
 * and an audit record (row and JSONL line).
 */
async function ageTextEverywhere(t: TestApp, days: number): Promise<void> {
  const at = new Date(Date.now() - days * DAY_MS).toISOString();
  const db = openDb(t.env.SMS_DATABASE_PATH);
  try {
    await db.run(
      `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, received_at)
       VALUES (?, ?, '+15557654321', '+15005550006', ?, ?)`,
      `SM${'b'.repeat(32)}`,
      t.accountSid,
      OLD_TEXT,
      at,
    );
    await db.run(
      `INSERT INTO outbound_messages (id, from_number, to_number, body, status, created_at, updated_at)
       VALUES ('old-send', '+15005550006', '+15551234567', ?, 'delivered', ?, ?)`,
      OLD_TEXT,
      at,
      at,
    );
    await db.run(
      `INSERT INTO approvals (id, to_number, body, media, reason, status, created_at, decided_at)
       VALUES ('old-approval', '+15551234567', ?, ?, 'asked', 'denied', ?, ?)`,
      OLD_TEXT,
      JSON.stringify([{ url: `https://example.com/${OLD_TEXT}` }]),
      at,
      at,
    );
    await db.run(
      `INSERT INTO scheduled_sends (id, to_number, body, send_at, status, requested_by, created_at, updated_at)
       VALUES ('old-scheduled', '+15551234567', ?, ?, 'sent', 'agent', ?, ?)`,
      OLD_TEXT,
      at,
      at,
      at,
    );
    await db.run(
      `INSERT INTO operator_texts (direction, kind, number, body, status, day, created_at)
       VALUES ('outbound', 'notification', '+15550001111', ?, 'sent', ?, ?)`,
      OLD_TEXT,
      at.slice(0, 10),
      at,
    );
    await db.run(
      `INSERT INTO idempotency_keys (key, fingerprint, state, status, response, created_at)
       VALUES ('old-key', 'f', 'done', 201, ?, ?)`,
      JSON.stringify({ message: { body: OLD_TEXT } }),
      at,
    );
    await db.run(
      `INSERT INTO audit_log (at, request_id, action, phase, recipient, body)
       VALUES (?, 'old-request', 'send', 'attempt', '+15551234567', ?)`,
      at,
      OLD_TEXT,
    );
  } finally {
    await db.close();
  }
  appendFileSync(
    auditFile(t),
    JSON.stringify({ id: 0, at, requestId: 'old-request', action: 'send', body: OLD_TEXT }) + '\n',
  );
}

function auditFile(t: TestApp): string {
  return join(t.dir, 'audit.jsonl');
}

/** Every row of every table, as text: where a message text could hide. */
async function everyRow(t: TestApp): Promise<string> {
  const tables = await queryDb<{ name: string }>(
    t.env.SMS_DATABASE_PATH,
    ON_POSTGRES
      ? `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
      : "SELECT name FROM sqlite_master WHERE type = 'table'",
  );
  const rows: string[] = [];
  for (const { name } of tables) {
    rows.push(JSON.stringify(await queryDb(t.env.SMS_DATABASE_PATH, `SELECT * FROM ${name}`)));
  }
  return rows.join('\n');
}

function occurrences(text: string, of: string): number {
  return text.split(of).length - 1;
}

function count(t: TestApp, table: string): Promise<number> {
  return countRows(t.env.SMS_DATABASE_PATH, table);
}

describe('SMS_RETENTION_DAYS', () => {
  it('prunes messages older than the setting at boot, keeping every audit record', async () => {
    const t = await TestApp.create({ env: { SMS_RETENTION_DAYS: '30' } });
    try {
      await t.http().post('/sms/send').send({ to: '+15551234567', body: 'recent' }).expect(201);
      await t.simulator.sendInbound({ from: '+15557654321', body: 'recent reply' });
      await ageMessages(t, 31);
      await ageMessages(t, 29);
      const audit = await count(t, 'audit_log');

      await t.restart();

      const inbox = await t.http().get('/sms/inbox').expect(200);
      expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'recent reply',
        'old inbound 29',
      ]);
      const outbound = (
        await queryDb<{ body: string }>(
          t.env.SMS_DATABASE_PATH,
          'SELECT body FROM outbound_messages ORDER BY seq',
        )
      ).map((row) => row.body);
      expect(outbound).toEqual(['recent', 'old outbound 29']);
      expect(await count(t, 'audit_log')).toBe(audit);
      expect(t.logs()).toContain('Pruned 1 inbound and 1 outbound messages');
    } finally {
      await t.close();
    }
  });

  it('leaves no message text older than the setting in any table or file, and keeps recent text', async () => {
    const t = await TestApp.create({ env: { SMS_RETENTION_DAYS: '30' } });
    try {
      await t.http().post('/sms/send').send({ to: '+15551234567', body: RECENT_TEXT }).expect(201);
      await t.simulator.sendInbound({ from: '+15557654321', body: RECENT_TEXT });
      await ageTextEverywhere(t, 31);
      expect(occurrences(await everyRow(t), OLD_TEXT)).toBeGreaterThanOrEqual(8);
      const auditRows = await count(t, 'audit_log');
      const auditLines = readFileSync(auditFile(t), 'utf8').trimEnd().split('\n').length;
      const auditMode = statSync(auditFile(t)).mode;

      await t.restart();

      const rows = await everyRow(t);
      const file = readFileSync(auditFile(t), 'utf8');
      expect(occurrences(rows, OLD_TEXT)).toBe(0);
      expect(occurrences(file, OLD_TEXT)).toBe(0);
      // Recent text stays: the outbound and inbound rows and their audit records.
      expect(occurrences(rows, RECENT_TEXT)).toBeGreaterThanOrEqual(3);
      expect(occurrences(file, RECENT_TEXT)).toBeGreaterThanOrEqual(2);
      // The audit keeps every record, without the old body.
      expect(await count(t, 'audit_log')).toBe(auditRows);
      expect(
        await countRows(t.env.SMS_DATABASE_PATH, 'audit_log', "request_id = 'old-request'"),
      ).toBe(1);
      expect(file.trimEnd().split('\n').length).toBeGreaterThanOrEqual(auditLines);
      expect(file).toContain('"requestId":"old-request"');
      expect(statSync(auditFile(t)).mode).toBe(auditMode);
      // Records made after the rewrite go to the new file.
      await t.http().post('/sms/send').send({ to: '+15551234567', body: 'after' }).expect(201);
      expect(readFileSync(auditFile(t), 'utf8')).toContain('"body":"after"');
    } finally {
      await t.close();
    }
  });

  it('lets nothing change the audit but the removal of the text of a record older than two days', async () => {
    const t = await TestApp.create();
    try {
      const db = openDb(t.env.SMS_DATABASE_PATH);
      const plant = (at: number, requestId: string, body: string) =>
        db.run(
          `INSERT INTO audit_log (at, request_id, action, phase, outcome, body)
           VALUES (?, ?, 'send', 'outcome', 'refused', ?)`,
          new Date(at).toISOString(),
          requestId,
          body,
        );
      try {
        await plant(Date.now() - 3 * DAY_MS, 'old', OLD_TEXT);
        await plant(Date.now() - DAY_MS, 'recent', RECENT_TEXT);
        const attempts = [
          "UPDATE audit_log SET body = NULL WHERE request_id = 'recent'",
          "UPDATE audit_log SET body = 'rewritten' WHERE request_id = 'old'",
          "UPDATE audit_log SET body = NULL, outcome = 'accepted' WHERE request_id = 'old'",
          "UPDATE audit_log SET body = NULL, at = '2000-01-01T00:00:00.000Z' WHERE request_id = 'old'",
          "DELETE FROM audit_log WHERE request_id = 'old'",
        ];
        for (const sql of attempts) {
          await expect(db.run(sql)).rejects.toThrow(/append-only/);
        }
        expect(
          await queryDb(
            t.env.SMS_DATABASE_PATH,
            "SELECT request_id, outcome, body FROM audit_log WHERE request_id IN ('old', 'recent') ORDER BY id",
          ),
        ).toEqual([
          { request_id: 'old', outcome: 'refused', body: OLD_TEXT },
          { request_id: 'recent', outcome: 'refused', body: RECENT_TEXT },
        ]);

        expect(await db.run("UPDATE audit_log SET body = NULL WHERE request_id = 'old'")).toBe(1);
        expect(
          await countRows(
            t.env.SMS_DATABASE_PATH,
            'audit_log',
            "request_id = 'old' AND body IS NULL",
          ),
        ).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      await t.close();
    }
  });

  it('keeps everything when unset', async () => {
    const t = await TestApp.create();
    try {
      await ageMessages(t, 400);
      await t.restart();
      expect(await count(t, 'inbound_messages')).toBe(1);
      expect(await count(t, 'outbound_messages')).toBe(1);
    } finally {
      await t.close();
    }
  });
});
