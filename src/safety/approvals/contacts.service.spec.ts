import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../common/api-error';
import { loadAppConfig } from '../../config/app-config';
import type { Store } from '../../storage/store';
import { closeTestStore, openTestStore } from '../../../test/helpers/test-database';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { RecipientConsentRule } from '../opt-out/recipient-consent.rule';

describe(ContactsService.name, () => {
  let dir: string;
  let store: Store;
  const repository = new ContactsRepository();

  const service = (env: Record<string, string> = {}) =>
    new ContactsService(store, repository, loadAppConfig(env, 'test.env'));
  const known = (number: string, env: Record<string, string> = {}) =>
    new RecipientConsentRule(service(env)).refuse(store, number, 'refused');

  const refusal = async (answer: Promise<unknown>): Promise<string | undefined> => {
    try {
      await answer;
    } catch (error) {
      return (error as ApiError).code;
    }
    return undefined;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-contacts-'));
    store = await openTestStore(join(dir, 'test.db'));
  });
  afterEach(async () => {
    await closeTestStore(join(dir, 'test.db'), store);
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not know a number it never heard of', async () => {
    expect(await known('+15550000001')).toBe(false);
    expect(await service().list()).toEqual([]);
  });

  it('knows a number that texted first, unless told not to trust that', async () => {
    await repository.recordInbound(store, '+15550000001', null);
    expect(await known('+15550000001')).toBe(true);
    expect(await service().get('+15550000001')).toMatchObject({
      state: 'approved',
      source: 'inbound',
    });
    const wary = service({ SMS_TRUST_INBOUND_CONTACTS: 'false' });
    expect(await known('+15550000001', { SMS_TRUST_INBOUND_CONTACTS: 'false' })).toBe(false);
    expect(await wary.list()).toEqual([]);
  });

  it('lets a STOP win over the operator’s approval, and START undo it', async () => {
    await service().preApprove('+15550000001');
    await repository.setOptedOut(store, '+15550000001', true, 'keyword');
    expect(await refusal(known('+15550000001'))).toBe('recipient_opted_out');
    await repository.setOptedOut(store, '+15550000001', false, 'keyword');
    expect(await known('+15550000001')).toBe(true);
  });

  it('lets the operator’s denial win over having texted first', async () => {
    await repository.recordInbound(store, '+15550000001', null);
    await repository.setApproval(store, '+15550000001', 'denied', 'approval');
    expect(await refusal(known('+15550000001'))).toBe('contact_denied');
    await service().preApprove('+15550000001');
    expect(await known('+15550000001')).toBe(true);
  });

  it('keeps a decision when another message to the number is held', async () => {
    await repository.setApproval(store, '+15550000001', 'denied', 'approval');
    await repository.markPending(store, '+15550000001', 'held_send');
    expect((await service().get('+15550000001'))?.state).toBe('denied');
    await repository.markPending(store, '+15550000002', 'held_send');
    expect(await service().get('+15550000002')).toMatchObject({
      state: 'pending',
      source: 'held_send',
    });
    expect(await known('+15550000002')).toBe(false);
  });
});
