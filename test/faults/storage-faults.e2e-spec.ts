import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowCounts } from '../helpers/row-counts';
import { TestApp } from '../helpers/test-app';
import { ON_POSTGRES } from '../helpers/test-database';

/**
 * The database's disk stops taking writes. chmod cannot show this: the tests run as root,
 * which ignores file modes, and a file already open for writing stays writable; a
 * read-only remount is refused while the file is open. A full disk is the same failure
 * as SQLite meets it (every write refused) and can be made for real: a tiny tmpfs, filled.
 * Mounting needs root (CAP_SYS_ADMIN), which CI has; elsewhere the suite is skipped.
 */
function mountTinyDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir]);
  if (mounted.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return null;
}

function fillDisk(path: string): void {
  try {
    writeFileSync(path, Buffer.alloc(8 * 1024 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

// PostgreSQL's disk is the server's: test/faults/postgres-faults.e2e-spec.ts stops the server.
if (ON_POSTGRES) console.info('Skipped on PostgreSQL: the full disk under the SQLite file');
const disk = ON_POSTGRES ? null : mountTinyDisk();
const describeOnDisk = disk ? describe : describe.skip;

describeOnDisk('the database disk refusing writes', () => {
  const dir = disk ?? tmpdir();
  const filler = join(dir, 'filler');
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: {
        SMS_DATABASE_PATH: join(dir, 'sms-bridge.db'),
        SMS_AUDIT_LOG_PATH: join(dir, 'audit.jsonl'),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores inbound texts while there is room', async () => {
    const result = await t.simulator.sendInbound({ from: '+15557654321', body: 'before' });
    expect(result.status).toBe(200);
    expect((await rowCounts(t.env.SMS_DATABASE_PATH)).inbound).toBe(1);
  });

  it('answers 503 for every inbound text it cannot store, and acknowledges none', async () => {
    fillDisk(filler);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        t.simulator.sendInbound({ from: '+15557654321', body: `full ${n}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(503));
    expect(JSON.parse(results[0].body)).toMatchObject({ error: { code: 'storage_unavailable' } });
    expect((await rowCounts(t.env.SMS_DATABASE_PATH)).inbound).toBe(1);
  });

  it('refuses a send with 503 before calling Twilio', async () => {
    const res = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'full' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('audit_unavailable');
    expect(t.simulator.requestCount).toBe(0);
    expect((await rowCounts(t.env.SMS_DATABASE_PATH)).outbound).toBe(0);
  });

  it('says so on /health', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      status: 'unavailable',
      code: 'storage_unavailable',
      database: 'error',
    });
  });

  it('recovers by itself once there is room again', async () => {
    rmSync(filler);
    const result = await t.simulator.sendInbound({ from: '+15557654321', body: 'after' });
    expect(result.status).toBe(200);
    await t.http().get('/health').expect(200);
    await t.http().post('/sms/send').send({ to: '+15551234567', body: 'after' }).expect(201);
    expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toMatchObject({ inbound: 2, outbound: 1 });
  });
});
