import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { AuditRepository, AuditRow } from '../../src/safety/audit/audit.repository';
import { AuditService } from '../../src/safety/audit/audit.service';
import { Database } from '../../src/storage/database';
import { closeTestDatabase, openTestDatabase } from './test-database';

export type { AuditRow };

/** A real AuditService on a fresh temp database and audit file, for unit specs. */
export interface TempAudit {
  config: AppConfig;
  database: Database;
  audit: AuditService;
  rows(): AuditRow[];
  /** The audit file's lines, parsed. */
  lines(): Record<string, unknown>[];
  close(): void;
}

export function readJsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function createTempAudit(): TempAudit {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-unit-'));
  const config = loadAppConfig(
    { NODE_ENV: 'test', SMS_DATABASE_PATH: join(dir, 'sms-bridge.db') },
    join(dir, 'absent.env'),
  );
  const database = openTestDatabase(config.databasePath);
  const audit = new AuditService(database, new AuditRepository(database), config);
  let closed = false;
  return {
    config,
    database,
    audit,
    rows: () => database.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY id').all(),
    lines: () => readJsonLines(config.auditLogPath),
    close: () => {
      if (closed) return;
      closed = true;
      try {
        audit.onApplicationShutdown();
      } catch {
        // A test closed the audit file on purpose.
      }
      closeTestDatabase(config.databasePath, database);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
