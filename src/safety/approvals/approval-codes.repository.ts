import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';

/** The hashes of the one-time codes texted to the operator, one per approval. */
@Injectable()
export class ApprovalCodesRepository {
  private readonly insert;
  private readonly selectByHash;
  private readonly delete;

  constructor(@Inject(Database) database: Database) {
    this.insert = database.prepare(
      `INSERT INTO approval_codes (approval_id, code_hash, created_at)
       VALUES (@approvalId, @hash, @now) ON CONFLICT (approval_id) DO NOTHING`,
    );
    this.delete = database.prepare('DELETE FROM approval_codes WHERE approval_id = ?');
    this.selectByHash = database.prepare<[string], { approval_id: string }>(
      'SELECT approval_id FROM approval_codes WHERE code_hash = ?',
    );
  }

  /** False when the approval already has a code: it never gets a second one. */
  create(approvalId: string, hash: string): boolean {
    return this.insert.run({ approvalId, hash, now: new Date().toISOString() }).changes === 1;
  }

  remove(approvalId: string): void {
    this.delete.run(approvalId);
  }

  /** The approvals that were given this code (decided ones keep theirs). */
  approvalsWith(hash: string): string[] {
    return this.selectByHash.all(hash).map((row) => row.approval_id);
  }
}
