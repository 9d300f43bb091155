import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig, ForwardSettings } from '../config/app-config';
import type { Message } from '../common/message';
import { InboxService } from '../inbox/inbox.service';
import { ForwardRepository } from './forward.repository';
import {
  DELIVERY_HEADER,
  signForward,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './forward-signature';
import { describeForwardTarget } from '../config/forward-target';
import { postJson } from './post-json';

/** The longest wait between two attempts, however many failed before. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
const BATCH = 20;

/**
 * Pushes each queued inbound message to SMS_FORWARD_URL: at least once, in arrival
 * order, retried with exponential backoff (SMS_FORWARD_RETRY_BASE_MS doubling, capped at
 * 5 minutes) until the hook answers 2xx or SMS_FORWARD_MAX_ATTEMPTS is reached. The
 * queue is a table, so a restart loses nothing; pending pushes are retried at boot.
 * A push that gives up is only that: the message stays in the inbox.
 */
@Injectable()
export class ForwarderService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Forwarder');
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ForwardRepository) private readonly forwards: ForwardRepository,
    @Inject(InboxService) private readonly inbox: InboxService,
  ) {}

  onApplicationBootstrap(): void {
    const settings = this.config.forward;
    this.forwards.enable(settings !== undefined);
    if (!settings) return;
    this.forwards.retryPendingNow();
    this.logger.log(`Pushing inbound messages to ${describeForwardTarget(settings.target)}`);
    this.schedule(settings, 0);
  }

  /** Before the database closes: stop the loop and wait for the push in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }

  private schedule(settings: ForwardSettings, delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain(settings)
        .catch((error: unknown) => this.logger.error(`Push loop failed: ${String(error)}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(settings, settings.pollMs);
        });
    }, delayMs);
  }

  private async drain(settings: ForwardSettings): Promise<void> {
    for (;;) {
      // Pushed one after another: the lease covers the whole batch timing out.
      const now = Date.now();
      const due = this.forwards.claim(
        new Date(now).toISOString(),
        BATCH,
        new Date(now + BATCH * settings.timeoutMs).toISOString(),
      );
      for (const { sid, attempts } of due) {
        if (this.stopped) return;
        // Retention may have pruned the message since; its push went with it.
        const message = this.inbox.find(sid);
        if (message) await this.push(settings, message, attempts);
      }
      if (due.length < BATCH) return;
    }
  }

  private async push(settings: ForwardSettings, message: Message, attempts: number): Promise<void> {
    const body = JSON.stringify({ event: 'sms.received', message });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let failure: string;
    try {
      const status = await postJson(settings.target, body, {
        headers: {
          'User-Agent': 'sms-bridge',
          [SIGNATURE_HEADER]: signForward(settings.secret, timestamp, body),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_HEADER]: message.sid,
        },
        timeoutMs: settings.timeoutMs,
        signal: this.abort.signal,
      });
      if (status >= 200 && status < 300) {
        this.forwards.markDelivered(message.sid);
        return;
      }
      failure = `the hook answered HTTP ${status}`;
    } catch (error) {
      // Cut short by shutdown: still pending, and retried at the next boot.
      if (this.stopped) return;
      failure = `the hook is unreachable: ${(error as Error).message}`;
    }
    const attempt = attempts + 1;
    if (attempt >= settings.maxAttempts) {
      this.forwards.markFailed(message.sid, failure);
      this.logger.error(
        `Gave up pushing ${message.sid} after ${attempt} attempts (${failure}); it is still in the inbox`,
      );
      return;
    }
    const delayMs = Math.min(settings.retryBaseMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
    this.forwards.markRetry(message.sid, new Date(Date.now() + delayMs).toISOString(), failure);
    this.logger.warn(`Push of ${message.sid} failed (${failure}); retrying in ${delayMs} ms`);
  }
}
