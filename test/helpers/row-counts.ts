import { countRows } from './db-file';

export interface RowCounts {
  inbound: number;
  outbound: number;
  approvals: number;
  contacts: number;
  scheduled: number;
  operatorTexts: number;
  approvalCodes: number;
}

/** What the bridge has stored, read by a second connection (see queryDb). */
export function rowCounts(databasePath: string): RowCounts {
  return {
    inbound: countRows(databasePath, 'inbound_messages'),
    outbound: countRows(databasePath, 'outbound_messages'),
    approvals: countRows(databasePath, 'approvals'),
    contacts: countRows(databasePath, 'contacts'),
    scheduled: countRows(databasePath, 'scheduled_sends'),
    operatorTexts: countRows(databasePath, 'operator_texts'),
    approvalCodes: countRows(databasePath, 'approval_codes'),
  };
}
