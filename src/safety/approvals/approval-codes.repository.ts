import { Injectable } from '@nestjs/common';
import type { Store } from '../../storage/store';

/** The hashes of the one-time codes texted to the operator, one per approval. */
@Injectable()
export class ApprovalCodesRepository {
  /** False when the approval already has a code: it never gets a second one. */
  async create(db: Store, approvalId: string, hash: string): Promise<boolean> {
    const result = await db
      .insertInto('approval_codes')
      .values({ approval_id: approvalId, code_hash: hash, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('approval_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows) === 1;
  }

  async remove(db: Store, approvalId: string): Promise<void> {
    await db.deleteFrom('approval_codes').where('approval_id', '=', approvalId).execute();
  }

  /** The approvals that were given this code (decided ones keep theirs). */
  async approvalsWith(db: Store, hash: string): Promise<string[]> {
    const rows = await db
      .selectFrom('approval_codes')
      .select('approval_id')
      .where('code_hash', '=', hash)
      .execute();
    return rows.map((row) => row.approval_id);
  }
}
