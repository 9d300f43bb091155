import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../common/api-error';
import { loadAppConfig } from '../../config/app-config';
import { Database } from '../../storage/database';
import { closeTestDatabase, openTestDatabase } from '../../../test/helpers/test-database';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { RecipientConsentRule } from '../opt-out/recipient-consent.rule';

describe(ContactsService.name, () => {
  let dir: string;
  let database: Database;
  let repository: ContactsRepository;

  const service = (env: Record<string, string> = {}) =>
    new ContactsService(repository, loadAppConfig(env, 'test.env'));
  const known = (number: string, env: Record<string, string> = {}) =>
    new RecipientConsentRule(service(env)).refuse(number, 'refused');

  const refusal = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return (error as ApiError).code;
    }
    return undefined;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-contacts-'));
    database = openTestDatabase(join(dir, 'test.db'));
    repository = new ContactsRepository(database);
  });
  afterEach(() => {
    closeTestDatabase(join(dir, 'test.db'), database);
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not know a number it never heard of', () => {
    expect(known('+15550000001')).toBe(false);
    expect(service().list()).toEqual([]);
  });

  it('knows a number that texted first, unless told not to trust that', () => {
    repository.recordInbound('+15550000001', null);
    expect(known('+15550000001')).toBe(true);
    expect(service().get('+15550000001')).toMatchObject({ state: 'approved', source: 'inbound' });
    const wary = service({ SMS_TRUST_INBOUND_CONTACTS: 'false' });
    expect(known('+15550000001', { SMS_TRUST_INBOUND_CONTACTS: 'false' })).toBe(false);
    expect(wary.list()).toEqual([]);
  });

  it('lets a STOP win over the operator’s approval, and START undo it', () => {
    service().preApprove('+15550000001');
    repository.setOptedOut('+15550000001', true, 'keyword');
    expect(refusal(() => known('+15550000001'))).toBe('recipient_opted_out');
    repository.setOptedOut('+15550000001', false, 'keyword');
    expect(known('+15550000001')).toBe(true);
  });

  it('lets the operator’s denial win over having texted first', () => {
    repository.recordInbound('+15550000001', null);
    repository.setApproval('+15550000001', 'denied', 'approval');
    expect(refusal(() => known('+15550000001'))).toBe('contact_denied');
    service().preApprove('+15550000001');
    expect(known('+15550000001')).toBe(true);
  });

  it('keeps a decision when another message to the number is held', () => {
    repository.setApproval('+15550000001', 'denied', 'approval');
    repository.markPending('+15550000001', 'held_send');
    expect(service().get('+15550000001')?.state).toBe('denied');
    repository.markPending('+15550000002', 'held_send');
    expect(service().get('+15550000002')).toMatchObject({ state: 'pending', source: 'held_send' });
    expect(known('+15550000002')).toBe(false);
  });
});
