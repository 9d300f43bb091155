import { createHash } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig, ForwardSettings } from '../config/app-config';
import type { Message } from '../common/message';
import { InboxService } from '../inbox/inbox.service';
import { MetricsService } from '../metrics/metrics.service';
import { ContactsService } from '../safety/approvals/contacts.service';
import type { Store } from '../storage/store';
import { ForwardHalt, ForwardRepository } from './forward.repository';
import {
  DELIVERY_HEADER,
  signForward,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './forward-signature';
import { describeForwardTarget } from '../config/forward-target';
import { openClawHookBody, SenderRelation } from './openclaw-hook';
import { postJson } from './post-json';
import { judgeAnswer, PushVerdict } from './push-answer';

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
    @Inject(ContactsService) private readonly contacts: ContactsService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(Kysely) private readonly store: Store,
  ) {
    metrics.gauge(
      'sms_bridge_forward_halted',
      '1 while pushes to SMS_FORWARD_URL are halted on a configuration error (see /health/ready).',
      async () => (this.config.forward && (await this.halt()) ? 1 : 0),
    );
  }

  /** The halt in force, if a hook refused the settings: what readiness reports. */
  halt(): Promise<ForwardHalt | null> {
    return this.forwards.halt(this.store);
  }

  /**
   * Lifts the halt, if any, and makes every waiting push due now (sms-bridge forward retry);
   * the halt it lifted, null if pushes were not halted.
   */
  resume(): Promise<ForwardHalt | null> {
    return this.store.transaction().execute(async (trx) => {
      const halt = await this.forwards.halt(trx);
      await this.forwards.resume(trx);
      return halt;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.forward;
    await this.forwards.enable(this.store, settings !== undefined);
    if (!settings) return;
    const halt = await this.halt();
    if (halt && halt.settings !== fingerprint(settings)) {
      await this.resume();
      this.logger.log('The forward settings changed since the hook refused them: pushing again');
    } else if (halt) {
      this.logger.error(
        `Pushes are halted since ${halt.since}: ${halt.reason}. Fix the setting, or run sms-bridge forward retry`,
      );
    } else {
      await this.forwards.retryPendingNow(this.store);
    }
    this.logger.log(
      `Pushing inbound messages to ${describeForwardTarget(settings.target)} (${settings.format})`,
    );
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
      // Halted by this bridge or another on the same database: nothing goes out until lifted.
      if (await this.halt()) return;
      // Pushed one after another: the lease covers the whole batch timing out.
      const now = Date.now();
      const due = await this.forwards.claim(
        this.store,
        new Date(now).toISOString(),
        BATCH,
        new Date(now + BATCH * settings.timeoutMs).toISOString(),
      );
      for (const [index, { sid, attempts }] of due.entries()) {
        if (this.stopped) return;
        if (await this.halt()) {
          // The rest of the batch waits for the halt to lift, not for its lease to run out.
          await this.forwards.release(
            this.store,
            due.slice(index).map((row) => row.sid),
          );
          return;
        }
        // Retention may have pruned the message since; its push went with it.
        const message = await this.inbox.find(sid);
        if (message) await this.push(settings, message, attempts);
      }
      if (due.length < BATCH) return;
    }
  }

  private async request(
    settings: ForwardSettings,
    message: Message,
  ): Promise<{ body: string; headers: Record<string, string> }> {
    if (settings.format === 'openclaw') {
      return {
        body: openClawHookBody(message, await this.relation(message.from), settings.openclaw),
        headers: {
          Authorization: `Bearer ${settings.secret}`,
          // OpenClaw replays the run a key started instead of starting another.
          'Idempotency-Key': message.sid,
        },
      };
    }
    const body = JSON.stringify({ event: 'sms.received', message });
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      body,
      headers: {
        [SIGNATURE_HEADER]: signForward(settings.secret, timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: message.sid,
        ...(settings.bearer === undefined ? {} : { Authorization: `Bearer ${settings.bearer}` }),
      },
    };
  }

  private async relation(number: string): Promise<SenderRelation> {
    if (this.config.operatorTexts?.numbers.includes(number)) return 'operator';
    const contact = await this.contacts.get(number);
    // Approved by having texted first (SMS_TRUST_INBOUND_CONTACTS) is not the operator's word.
    if (contact?.state === 'denied') return 'denied';
    return contact?.state === 'approved' && contact.source !== 'inbound'
      ? 'approved'
      : 'texted_first';
  }

  private async push(settings: ForwardSettings, message: Message, attempts: number): Promise<void> {
    const { body, headers } = await this.request(settings, message);
    let verdict: PushVerdict;
    try {
      const answer = await postJson(settings.target, body, {
        headers: { 'User-Agent': 'sms-bridge', ...headers },
        timeoutMs: settings.timeoutMs,
        signal: this.abort.signal,
      });
      verdict = judgeAnswer(settings.format, answer, Date.now());
    } catch (error) {
      // Cut short by shutdown: still pending, and retried at the next boot.
      if (this.stopped) return;
      verdict = { kind: 'retry', why: `the hook is unreachable: ${(error as Error).message}` };
    }
    if (verdict.kind === 'delivered') {
      // Counted as the hook answered, whatever becomes of the bookkeeping after it.
      this.metrics.forwardPush('delivered');
      await this.forwards.markDelivered(this.store, message.sid);
      return;
    }
    if (verdict.kind === 'misconfigured') {
      // Still pending: it goes out once the setting is fixed.
      await this.forwards.markRetry(this.store, message.sid, new Date().toISOString(), verdict.why);
      this.metrics.forwardPush('refused');
      if (await this.forwards.haltPushes(this.store, verdict.why, fingerprint(settings))) {
        this.logger.error(
          `Pushes halted: ${verdict.why}. Nothing is lost: the texts are in the inbox and are pushed once the setting is fixed (a restart with new settings, or sms-bridge forward retry)`,
        );
      }
      return;
    }
    const attempt = attempts + 1;
    if (attempt >= settings.maxAttempts) {
      await this.forwards.markFailed(this.store, message.sid, verdict.why);
      this.metrics.forwardPush('gave_up');
      this.logger.error(
        `Gave up pushing ${message.sid} after ${attempt} attempts (${verdict.why}); it is still in the inbox`,
      );
      return;
    }
    const backoffMs = settings.retryBaseMs * 2 ** (attempt - 1);
    const delayMs = Math.min(Math.max(backoffMs, verdict.retryAfterMs ?? 0), MAX_RETRY_DELAY_MS);
    await this.forwards.markRetry(
      this.store,
      message.sid,
      new Date(Date.now() + delayMs).toISOString(),
      verdict.why,
    );
    this.metrics.forwardPush('retried');
    this.logger.warn(`Push of ${message.sid} failed (${verdict.why}); retrying in ${delayMs} ms`);
  }
}

/**
 * Identifies the settings a hook refused, so a boot with other ones lifts the halt. A digest:
 * the token itself is never stored.
 */
function fingerprint(settings: ForwardSettings): string {
  const { format, secret, bearer, openclaw, target } = settings;
  const where = target.kind === 'unix' ? describeForwardTarget(target) : target.url.href;
  return createHash('sha256')
    .update(JSON.stringify({ format, secret, bearer, openclaw, where }))
    .digest('hex');
}
