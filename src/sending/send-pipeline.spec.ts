import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiError } from '../common/api-error';
import { ConfigModule } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ContactsService } from '../safety/approvals/contacts.service';
import { LimitsService } from '../safety/limits/limits.service';
import { Kysely } from 'kysely';
import { DatabaseModule } from '../storage/database.module';
import type { Store } from '../storage/store';
import { TwilioSimulator } from '../twilio/simulator/twilio-simulator';
import { Door, DOOR_RULES } from './door-rules';
import { SendPipeline } from './send-pipeline';
import { SendingModule } from './sending.module';

/*
 * Every door against every rule, on a real SQLite database and the Twilio simulator: the
 * refusal each door answers, in the pipeline's one order, and that Twilio was not called.
 * Quiet hours here are around the clock in refuse mode, so a rule that answers before them
 * proves its place in the order.
 */

const DOORS = Object.keys(DOOR_RULES) as Door[];
const BODY = 'Are we still on for Friday?';

/** What a text through `door` came to: a refusal's code, held, sent, or admitted for later. */
type Result = string;

interface Setup {
  env?: Record<string, string>;
  to?: string;
  body?: string;
  /** The operator approved the number beforehand, unless false. */
  approved?: boolean;
  arrange?: (app: INestApplicationContext, to: string) => Promise<unknown>;
}

const QUIET = { SMS_QUIET_HOURS: '00:00-23:59', SMS_QUIET_HOURS_MODE: 'refuse' };

const storeOf = (app: INestApplicationContext) => app.get<Store>(Kysely);

const spendTodaysBudget = (app: INestApplicationContext, to: string) =>
  storeOf(app)
    .transaction()
    .execute((trx) => app.get(LimitsService).reserve(trx, to));

const cases: [string, Setup, Record<Door, Result>][] = [
  [
    'a body with a control character',
    { env: QUIET, body: 'ding\u0007' },
    everyDoor('validation_failed'),
  ],
  [
    'a destination outside SMS_ALLOWED_COUNTRIES, in quiet hours',
    { env: QUIET, to: '+447400123456' },
    everyDoor('destination_not_allowed'),
  ],
  [
    'an operator phone the operator approved, in quiet hours',
    {
      env: { ...QUIET, SMS_OPERATOR_NUMBERS: '+15551239000' },
      to: '+15551239000',
    },
    { ...everyDoor('operator_number'), operator_text: 'sent' },
  ],
  [
    'a recipient who texted STOP, in quiet hours',
    {
      env: QUIET,
      arrange: (app, to) => app.get(ContactsService).setOptedOut(storeOf(app), to, true, 'keyword'),
    },
    { ...everyDoor('recipient_opted_out'), operator_text: 'sent' },
  ],
  [
    'a number the operator denied, in quiet hours',
    {
      env: QUIET,
      arrange: deny,
    },
    {
      agent_send: 'contact_denied',
      agent_send_later: 'contact_denied',
      scheduled_due: 'contact_denied',
      operator_approval: 'quiet_hours',
      operator_text: 'sent',
      approval_request: 'admitted',
    },
  ],
  [
    'a number nobody approved, in quiet hours',
    { env: { ...QUIET, SMS_REQUIRE_APPROVAL: 'true' }, approved: false },
    {
      agent_send: 'held',
      agent_send_later: 'held',
      scheduled_due: 'held',
      operator_approval: 'quiet_hours',
      operator_text: 'sent',
      approval_request: 'admitted',
    },
  ],
  [
    'an approved number, in quiet hours',
    { env: QUIET },
    {
      agent_send: 'quiet_hours',
      agent_send_later: 'quiet_hours',
      scheduled_due: 'quiet_hours',
      operator_approval: 'quiet_hours',
      operator_text: 'sent',
      approval_request: 'admitted',
    },
  ],
  [
    'the agent’s daily budget spent',
    { env: { SMS_DAILY_LIMIT_PER_RECIPIENT: '1' }, arrange: spendTodaysBudget },
    {
      agent_send: 'daily_limit_reached',
      agent_send_later: 'daily_limit_reached',
      scheduled_due: 'daily_limit_reached',
      operator_approval: 'daily_limit_reached',
      operator_text: 'sent',
      approval_request: 'admitted',
    },
  ],
  [
    'an approved number outside quiet hours, within budget',
    {},
    {
      agent_send: 'sent',
      agent_send_later: 'admitted',
      scheduled_due: 'sent',
      operator_approval: 'sent',
      operator_text: 'sent',
      approval_request: 'admitted',
    },
  ],
];

function everyDoor(result: Result): Record<Door, Result> {
  return Object.fromEntries(DOORS.map((door) => [door, result])) as Record<Door, Result>;
}

function deny(app: INestApplicationContext, to: string): Promise<unknown> {
  // As a decision on an approval records it: the contact's approval is 'denied'.
  return storeOf(app)
    .updateTable('contacts')
    .set({ approval: 'denied', approval_source: 'approval' })
    .where('number', '=', to)
    .execute();
}

describe('the send pipeline at every door', () => {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  let simulator: TwilioSimulator;
  let dir: string;

  beforeAll(async () => {
    simulator = new TwilioSimulator({ accountSid, authToken });
    await simulator.listen();
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-pipeline-'));
  });
  afterAll(async () => {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let count = 0;
  async function open(env: Record<string, string> = {}): Promise<INestApplicationContext> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          env: {
            NODE_ENV: 'test',
            TWILIO_ACCOUNT_SID: accountSid,
            TWILIO_AUTH_TOKEN: authToken,
            TWILIO_PHONE_NUMBER: '+15005550006',
            TWILIO_API_BASE_URL: simulator.baseUrl,
            SMS_DATABASE_PATH: join(dir, `pipeline-${count++}.db`),
            SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
            SMS_REQUIRE_APPROVAL: 'false',
            ...env,
          },
        }),
        DatabaseModule,
        MetricsModule,
        SendingModule,
      ],
    }).compile();
    return moduleRef.init();
  }

  /** A text through `door`, as the door drives the pipeline: screen, admit, transmit. */
  async function through(
    app: INestApplicationContext,
    door: Door,
    message: { to: string; body: string },
  ): Promise<Result> {
    const pipeline = app.get(SendPipeline);
    const now = Date.now();
    try {
      const screened = await pipeline.screen(door, message, { at: now });
      if (screened.at !== now) return 'later';
      const admission = await storeOf(app)
        .transaction()
        .execute((trx) =>
          pipeline.admit(trx, door, {
            ...message,
            caller: DOOR_RULES[door].caller,
            at: new Date(now),
          }),
        );
      if ('held' in admission) return 'held';
      const sends = 'slot' in admission || DOOR_RULES[door].budget === 'operator_phone_cap';
      if (!sends) return 'admitted';
      await pipeline.transmit(message);
      return 'sent';
    } catch (error) {
      if (error instanceof ApiError) return error.code;
      throw error;
    }
  }

  describe.each(cases)('%s', (_what, setup, expected) => {
    let app: INestApplicationContext;
    beforeAll(async () => {
      app = await open(setup.env);
    });
    afterAll(() => app.close());

    it.each(DOORS)('answers as its row says at the %s door', async (door) => {
      const to = setup.to ?? `+1555123${String(10_000 + DOORS.indexOf(door)).slice(1)}`;
      if (setup.approved !== false) await app.get(ContactsService).preApprove(to);
      await setup.arrange?.(app, to);
      const before = simulator.requestCount;
      const result = await through(app, door, { to, body: setup.body ?? BODY });
      expect(result).toBe(expected[door]);
      expect(simulator.requestCount - before).toBe(result === 'sent' ? 1 : 0);
    });
  });

  it('names every door in every case', () => {
    for (const [, , expected] of cases) {
      expect(Object.keys(expected).sort()).toEqual([...DOORS].sort());
    }
  });
});
