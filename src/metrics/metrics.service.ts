import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The bridge's Prometheus metrics, on a registry of its own (not prom-client's global one)
 * so that each app instance, in a test file or after a restart, counts from zero.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly sends = new Counter({
    name: 'sms_bridge_sends_total',
    help: 'Sends asked of the bridge, by outcome (accepted, held, refused, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'sms_bridge_refusals_total',
    help: 'Requests refused with a 4xx, by error code (local_only, invalid_signature, validation_failed, ...).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly inbound = new Counter({
    name: 'sms_bridge_inbound_messages_total',
    help: 'Inbound messages accepted from Twilio, by result (stored, or duplicate for a Twilio retry).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly signatureFailures = new Counter({
    name: 'sms_bridge_webhook_signature_failures_total',
    help: 'Webhooks refused because Twilio did not sign them for this URL and account, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly forwardPushes = new Counter({
    name: 'sms_bridge_forward_pushes_total',
    help: 'Pushes to SMS_FORWARD_URL, by outcome (delivered, retried, refused: a configuration error that halts pushing, gave_up).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly twilioLatency = new Histogram({
    name: 'sms_bridge_twilio_request_duration_seconds',
    help: 'Time Twilio API calls took, retries included, by operation and outcome (ok, error).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  send(outcome: string): void {
    this.sends.inc({ outcome });
  }

  refusal(reason: string): void {
    this.refusals.inc({ reason });
  }

  inboundMessage(stored: boolean): void {
    this.inbound.inc({ result: stored ? 'stored' : 'duplicate' });
  }

  signatureFailure(reason: string): void {
    this.signatureFailures.inc({ reason });
  }

  forwardPush(outcome: 'delivered' | 'retried' | 'refused' | 'gave_up'): void {
    this.forwardPushes.inc({ outcome });
  }

  /** Times one Twilio API call; the outcome label says whether it threw. */
  async timeTwilio<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.twilioLatency.startTimer({ operation });
    try {
      const result = await call();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  /**
   * A gauge read when Prometheus scrapes, from the module that owns the number
   * (the daily budget left, the approvals held, free disk): nothing to keep in sync.
   */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
