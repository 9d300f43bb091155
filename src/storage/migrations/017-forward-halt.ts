import type { Store } from '../store';

/**
 * A push the hook refused as misconfigured (400, 401, 403, 404, 413: a wrong token, URL or
 * payload) halts every push: retrying would only fail the same way, and OpenClaw throttles
 * repeated bad tokens. The halt keeps since when, why, and a fingerprint of the forward
 * settings it was refused under: a bridge that boots with other settings lifts it, as does
 * `sms-bridge forward retry`. The messages stay queued meanwhile.
 */
export async function up(db: Store): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of ['halted_since', 'halted_reason', 'halted_settings']) {
    await db.schema.alterTable('forward_settings').addColumn(column, 'text').execute();
  }
}
