import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { TwilioSimulator, SimulatorOptions } from '../../src/twilio/simulator/twilio-simulator';

export const BRIDGE_NUMBER = '+15005550006';

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  trial?: SimulatorOptions['trial'];
  /** Capture the app's log lines for `logs()` (the default); false drops them. */
  logs?: boolean;
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
  ) {}

  static async create(options: TestAppOptions = {}): Promise<TestApp> {
    const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-test-'));
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    const simulator = new TwilioSimulator({ accountSid, authToken, trial: options.trial });
    await simulator.listen();
    const env = {
      NODE_ENV: 'test',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_PHONE_NUMBER: BRIDGE_NUMBER,
      TWILIO_API_BASE_URL: simulator.baseUrl,
      SMS_DATABASE_PATH: join(dir, 'sms-bridge.db'),
      SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
      ...options.env,
    };
    const testApp = new TestApp(simulator, env, dir, options.logs ?? true);
    await testApp.boot();
    return testApp;
  }

  get authToken(): string {
    return this.env.TWILIO_AUTH_TOKEN;
  }

  get accountSid(): string {
    return this.env.TWILIO_ACCOUNT_SID;
  }

  /** Everything the app logged since it was created, restarts included: JSON lines. */
  logs(): string {
    return this.logLines.join('');
  }

  /** A supertest client for the app. */
  http() {
    return request(this.app.getHttpServer());
  }

  async restart(): Promise<void> {
    await this.app.close();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.simulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    const moduleRef = await Test.createTestingModule({
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
    }).compile();
    this.app = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: ['error'],
    });
    configureApp(this.app);
    await this.app.listen(0, '127.0.0.1');
    const { port } = this.app.getHttpServer().address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.simulator.webhookUrl = `${this.url}/sms/webhook`;
  }
}
