import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Kysely } from 'kysely';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { ForwardRecord, ForwardRepository } from '../../src/forward/forward.repository';
import { ScheduledRunner } from '../../src/outbound/scheduled-runner';
import type { Store } from '../../src/storage/store';
import { TwilioSimulator, SimulatorOptions } from '../../src/twilio/simulator/twilio-simulator';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  ON_POSTGRES,
  storeAt,
} from './test-database';

export const BRIDGE_NUMBER = '+15005550006';

/**
 * Safety rails a test does not exercise are relaxed, so that a test of something else
 * can text any number as often as it likes. A test of a rail sets its variable in `env`
 * (e.g. SMS_REQUIRE_APPROVAL: 'true'), or pre-approves numbers with `t.approve()`.
 */
export const RELAXED_SAFETY_ENV = {
  SMS_REQUIRE_APPROVAL: 'false',
  SMS_DAILY_LIMIT: '100000',
  SMS_DAILY_LIMIT_PER_RECIPIENT: '100000',
  SMS_SEND_RATE_PER_MINUTE: '100000',
  SMS_WEBHOOK_RATE_PER_MINUTE: '100000',
  SMS_INBOUND_PER_SENDER_PER_MINUTE: '10000',
};

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  trial?: SimulatorOptions['trial'];
  /** Capture the app's log lines for `logs()` (the default); false drops them. */
  logs?: boolean;
  /** The clock scheduled sends wait on (a FakeClock moves on command); kept across restarts. */
  clock?: Clock;
  /**
   * Another bridge on the same store and Twilio (PostgreSQL only): this app shares its
   * database and simulator, and leaves both to it when closed.
   */
  beside?: TestApp;
}

/**
 * The real app on an ephemeral loopback port, with a fresh temp database and its own
 * Twilio simulator as Twilio. `restart()` boots a new app on the same database and
 * simulator, as a service restart would.
 */
export class TestApp {
  app!: NestExpressApplication;
  url!: string;
  private readonly logLines: string[] = [];

  private constructor(
    readonly simulator: TwilioSimulator,
    readonly env: Record<string, string>,
    readonly dir: string,
    private readonly captureLogs: boolean,
    private readonly clock: Clock | undefined,
    private readonly ownsSimulator: boolean,
    /** The PostgreSQL database made for this app, thrown away when it closes. */
    private readonly ownDatabase: string | undefined,
  ) {}

  static async create(options: TestAppOptions = {}): Promise<TestApp> {
    const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-test-'));
    const beside = options.beside;
    const accountSid = beside?.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    const authToken = beside?.authToken ?? randomBytes(16).toString('hex');
    const simulator =
      beside?.simulator ?? new TwilioSimulator({ accountSid, authToken, trial: options.trial });
    if (!beside) await simulator.listen();
    const ownDatabase =
      ON_POSTGRES && !beside && !options.env?.SMS_DATABASE_URL
        ? await createPostgresDatabase()
        : undefined;
    const databaseUrl = beside?.env.SMS_DATABASE_URL ?? ownDatabase;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_PHONE_NUMBER: BRIDGE_NUMBER,
      TWILIO_API_BASE_URL: simulator.baseUrl,
      SMS_DATABASE_PATH: join(dir, 'sms-bridge.db'),
      SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
      ...(databaseUrl ? { SMS_DATABASE_URL: databaseUrl } : {}),
      ...RELAXED_SAFETY_ENV,
      ...options.env,
    };
    if (env.SMS_DATABASE_URL) storeAt(env.SMS_DATABASE_PATH, env.SMS_DATABASE_URL);
    const testApp = new TestApp(
      simulator,
      env,
      dir,
      options.logs ?? true,
      options.clock,
      !beside,
      ownDatabase,
    );
    try {
      await testApp.boot();
    } catch (error) {
      // A test of a refused boot leaves nothing running behind it.
      await testApp.app?.close().catch(() => undefined);
      await testApp.releaseShared();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return testApp;
  }

  get authToken(): string {
    return this.env.TWILIO_AUTH_TOKEN;
  }

  get accountSid(): string {
    return this.env.TWILIO_ACCOUNT_SID;
  }

  /** Where the app keeps the operator token: operator.token in the temp dir, by default. */
  get operatorTokenFile(): string {
    return this.app.get(AppConfig).operatorTokenFile;
  }

  /** The operator's token, as `sudo sms-bridge` reads it from the file. */
  get operatorToken(): string {
    return readFileSync(this.operatorTokenFile, 'utf8').trim();
  }

  /** The header the operator's decisions need: `.set(t.asOperator)`. */
  get asOperator(): { Authorization: string } {
    return { Authorization: `Bearer ${this.operatorToken}` };
  }

  /** The app's own store, for a test that reaches under the API (ages a row, asks a repository). */
  get store(): Store {
    return this.app.get<Store>(Kysely);
  }

  /** The queue of inbound texts to push to SMS_FORWARD_URL, as the app has it. */
  forwards(): Promise<ForwardRecord[]> {
    return this.app.get(ForwardRepository).all(this.store);
  }

  /** Everything the app logged since it was created, restarts included: JSON lines. */
  logs(): string {
    return this.logLines.join('');
  }

  /** A supertest client for the app. */
  http() {
    return request(this.app.getHttpServer());
  }

  /** Pre-approves numbers as the operator would (POST /sms/contacts). */
  async approve(...numbers: string[]): Promise<void> {
    for (const number of numbers) {
      await this.http().post('/sms/contacts').set(this.asOperator).send({ number }).expect(201);
    }
  }

  /** Waits until the scheduled sends that fell due have been handled. */
  async scheduledSettled(): Promise<void> {
    // A timer's run starts synchronously; its Twilio call and callbacks finish later.
    await new Promise((resolve) => setImmediate(resolve));
    await this.app.get(ScheduledRunner).settled();
  }

  /** `whileDown` runs between the stop and the new boot (to move a clock on, say). */
  async restart(whileDown?: () => void | Promise<void>): Promise<void> {
    await this.app.close();
    await whileDown?.();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.releaseShared();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The simulator and database, unless they belong to the app this one was booted beside. */
  private async releaseShared(): Promise<void> {
    if (this.ownsSimulator) await this.simulator.close();
    if (this.ownDatabase) await dropPostgresDatabase(this.ownDatabase);
  }

  private async boot(): Promise<void> {
    const builder = Test.createTestingModule({
      imports: [
        AppModule.register({
          env: this.env,
          logDestination: {
            write: (line: string) => {
              if (this.captureLogs) this.logLines.push(line);
            },
          },
        }),
      ],
    });
    if (this.clock) builder.overrideProvider(Clock).useValue(this.clock);
    const moduleRef = await builder.compile();
    this.app = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: ['error'],
    });
    configureApp(this.app);
    // On PORT when a test sets it (the built-in simulator calls the bridge back there).
    await this.app.listen(Number(this.env.PORT ?? 0), '127.0.0.1');
    const { port } = this.app.getHttpServer().address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.simulator.webhookUrl = `${this.url}/sms/webhook`;
    // Status callbacks to SMS_PUBLIC_BASE_URL land here, as through Caddy.
    this.simulator.knobs.callbackOrigin = this.url;
  }
}
