import { queryDb } from './db-file';

export interface RowCounts {
  inbound: number;
  outbound: number;
  approvals: number;
  contacts: number;
  scheduled: number;
  operatorTexts: number;
  approvalCodes: number;
}

const TABLES: Record<keyof RowCounts, string> = {
  inbound: 'inbound_messages',
  outbound: 'outbound_messages',
  approvals: 'approvals',
  contacts: 'contacts',
  scheduled: 'scheduled_sends',
  operatorTexts: 'operator_texts',
  approvalCodes: 'approval_codes',
};

/** What the bridge has stored, read by a second connection (see queryDb) in one statement. */
export async function rowCounts(databasePath: string): Promise<RowCounts> {
  const counts = Object.entries(TABLES).map(
    ([key, table]) => `(SELECT count(*) FROM ${table}) AS "${key}"`,
  );
  const [row] = await queryDb<RowCounts>(databasePath, `SELECT ${counts.join(', ')}`);
  return row;
}
