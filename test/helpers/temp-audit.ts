import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { AuditRepository, AuditRow } from '../../src/safety/audit/audit.repository';
import { AuditService } from '../../src/safety/audit/audit.service';
import type { Store } from '../../src/storage/store';
import { closeTestStore, openTestStore } from './test-database';

export type { AuditRow };

/** A real AuditService on a fresh temp database and audit file, for unit specs. */
export interface TempAudit {
  config: AppConfig;
  store: Store;
  audit: AuditService;
  rows(): Promise<AuditRow[]>;
  /** The audit file's lines, parsed. */
  lines(): Record<string, unknown>[];
  close(): Promise<void>;
}

export function readJsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export async function createTempAudit(): Promise<TempAudit> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-unit-'));
  const config = loadAppConfig(
    { NODE_ENV: 'test', SMS_DATABASE_PATH: join(dir, 'sms-bridge.db') },
    join(dir, 'absent.env'),
  );
  const store = await openTestStore(config.databasePath);
  const audit = new AuditService(store, new AuditRepository(), config);
  let closed = false;
  return {
    config,
    store,
    audit,
    rows: async () =>
      (await store.selectFrom('audit_log').selectAll().orderBy('id').execute()) as AuditRow[],
    lines: () => readJsonLines(config.auditLogPath),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        audit.onApplicationShutdown();
      } catch {
        // A test closed the audit file on purpose.
      }
      await closeTestStore(config.databasePath, store);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
