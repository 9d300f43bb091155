import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accountResource,
  incomingPhoneNumbersPage,
  messagingServiceResource,
} from './accounts.resource';
import {
  acceptMessage,
  deliverySteps,
  messageResource,
  type SimulatedMessage,
} from './messages.resource';
import { healthyTwilio, type SimulatorFault, type SimulatorKnobs } from './simulator-knobs';
import { isAuthorized, readBody, sendJson, sendTwilioError } from './twilio-http';
import {
  postInbound,
  postStatusCallback,
  type InboundResult,
  type InboundText,
  type StatusCallbackRequest,
  type StatusCallbackResult,
} from './webhooks';

export type { DeliveryOutcome, SimulatedMessage } from './messages.resource';
export type { SimulatorFault, SimulatorKnobs } from './simulator-knobs';
export type {
  InboundResult,
  InboundText,
  StatusCallbackRequest,
  StatusCallbackResult,
} from './webhooks';

export interface SimulatorOptions {
  accountSid: string;
  authToken: string;
  /** The bridge's inbound webhook, where simulated texts are delivered. */
  webhookUrl?: string;
  /** Act as a trial account: only these recipients may be texted (error 21608 otherwise). */
  trial?: { verifiedNumbers: string[] };
  /** The number a Messaging Service sends from; +15005550006 unless set. */
  messagingServiceNumber?: string;
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const NUMBERS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/;
const SERVICE_PATH = /^\/v1\/Services\/(MG[0-9a-f]{32})$/;

/**
 * A small fake of Twilio's REST API, spoken over real HTTP so the real SDK can talk to it:
 * Messages (messages.resource.ts), the Account, its IncomingPhoneNumbers and Messaging
 * Services (accounts.resource.ts). The bridge runs it when it has no Twilio account; the
 * tests run one per file, and turn its `knobs`. It also posts inbound texts and status
 * callbacks to the bridge, signed as Twilio signs them (webhooks.ts).
 */
export class TwilioSimulator {
  readonly messages: SimulatedMessage[] = [];
  /** Every request the Messages API received, accepted or not. */
  requestCount = 0;
  /** Every status callback posted to the bridge, in order. */
  readonly callbackResults: StatusCallbackResult[] = [];
  readonly knobs: SimulatorKnobs = healthyTwilio();
  private readonly pendingCallbacks = new Set<Promise<void>>();
  private server?: Server;
  private gate?: Promise<void>;
  private url?: string;

  constructor(private readonly options: SimulatorOptions) {}

  get baseUrl(): string {
    if (!this.url) throw new Error('The simulator is not listening');
    return this.url;
  }

  set webhookUrl(url: string) {
    this.options.webhookUrl = url;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: 'simulator failure' });
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  /**
   * Keeps Messages API answers waiting (a slow Twilio) until the returned function is
   * called; requests are still counted as they arrive.
   */
  holdResponses(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Delivers a text to the bridge's webhook as Twilio does: form-encoded and signed. */
  sendInbound(text: InboundText): Promise<InboundResult> {
    const url = text.url ?? this.options.webhookUrl;
    if (!url) throw new Error('The simulator has no webhook URL to deliver to');
    return postInbound(text, url, this.options);
  }

  /** Posts a signed status callback for a message, in any order or as often as a test wants. */
  async sendStatusCallback(callback: StatusCallbackRequest): Promise<StatusCallbackResult> {
    const message = this.messages.find((m) => m.sid === callback.messageSid);
    const url = callback.url ?? message?.statusCallback;
    if (!url) throw new Error(`No StatusCallback URL for ${callback.messageSid}`);
    const result = await postStatusCallback(
      callback,
      url,
      message,
      this.options,
      this.knobs.callbackOrigin,
    );
    this.callbackResults.push(result);
    return result;
  }

  /** Resolves once every status callback scheduled so far has been answered. */
  async flushCallbacks(): Promise<void> {
    while (this.pendingCallbacks.size > 0) await Promise.all([...this.pendingCallbacks]);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname;
    const { fault } = this.knobs;
    const messages = MESSAGES_PATH.exec(path);
    if (req.method === 'POST' && messages) {
      this.requestCount += 1;
      await this.gate;
      if (fault) return misbehave(fault, res);
      return this.createMessage(req, res, messages[1]);
    }
    const account = ACCOUNT_PATH.exec(path);
    if (req.method === 'GET' && account) {
      if (!this.authorized(req, account[1], res)) return;
      return sendJson(res, 200, accountResource(this.options, this.options.trial !== undefined));
    }
    const numbers = NUMBERS_PATH.exec(path);
    if (req.method === 'GET' && numbers) {
      if (fault) return misbehave(fault, res);
      if (!this.authorized(req, numbers[1], res)) return;
      const page = incomingPhoneNumbersPage(
        this.options.accountSid,
        this.knobs.incomingPhoneNumbers,
        path,
        url.searchParams.get('PhoneNumber'),
      );
      return sendJson(res, 200, page);
    }
    const serviceSid = SERVICE_PATH.exec(path)?.[1];
    if (req.method === 'GET' && serviceSid) {
      if (fault) return misbehave(fault, res);
      if (!this.authorized(req, this.options.accountSid, res)) return;
      const service = this.knobs.messagingServices.get(serviceSid);
      if (!service) return notFound(res, path);
      return sendJson(
        res,
        200,
        messagingServiceResource(this.options.accountSid, serviceSid, service, path),
      );
    }
    if (req.method === 'POST' && path === '/simulator/inbound') {
      const input = JSON.parse((await readBody(req)) || '{}') as InboundText;
      if (typeof input.from !== 'string' || typeof input.body !== 'string') {
        return sendJson(res, 400, { message: 'Post JSON {"from": "+1...", "body": "..."}' });
      }
      const result = await this.sendInbound({ from: input.from, body: input.body, to: input.to });
      return sendJson(res, 200, { messageSid: result.messageSid, webhookStatus: result.status });
    }
    if (req.method === 'GET' && path === '/simulator/messages') {
      return sendJson(res, 200, { messages: this.messages });
    }
    return notFound(res, path);
  }

  /** Answers 401 as Twilio does when the credentials are not this account's. */
  private authorized(req: IncomingMessage, pathSid: string, res: ServerResponse): boolean {
    if (isAuthorized(req, this.options, pathSid)) return true;
    sendTwilioError(res, 401, 20003, 'Authenticate');
    return false;
  }

  private async createMessage(req: IncomingMessage, res: ServerResponse, pathSid: string) {
    if (this.knobs.responseDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.knobs.responseDelayMs));
    }
    if (!this.authorized(req, pathSid, res)) return;
    const form = new URLSearchParams(await readBody(req));
    const accepted = acceptMessage(form, pathSid, this.options.trial, this.knobs.failures);
    if (Array.isArray(accepted)) return sendTwilioError(res, ...accepted);
    this.messages.push(accepted);
    sendJson(res, 201, messageResource(accepted));
    if (accepted.statusCallback) this.track(this.deliver(accepted));
  }

  /** Moves the message through Twilio's statuses, posting a callback for each. */
  private async deliver(message: SimulatedMessage): Promise<void> {
    const chosen = this.knobs.deliveryOutcome;
    const outcome = typeof chosen === 'function' ? chosen(message) : chosen;
    if (!outcome) return;
    const steps = deliverySteps(message, outcome);
    for (const [index, status] of steps.entries()) {
      await new Promise((resolve) => setTimeout(resolve, this.knobs.callbackDelayMs));
      // The service picks its sender when it queues the message.
      message.from ??= this.options.messagingServiceNumber ?? '+15005550006';
      message.status = status;
      const final = index === steps.length - 1;
      await this.sendStatusCallback({
        messageSid: message.sid,
        status,
        errorCode: final && status !== 'delivered' ? (outcome.errorCode ?? 30008) : undefined,
      });
    }
  }

  private track(work: Promise<void>): void {
    this.pendingCallbacks.add(work);
    const done = () => this.pendingCallbacks.delete(work);
    work.then(done, done);
  }
}

function misbehave(fault: NonNullable<SimulatorFault>, res: ServerResponse): void {
  if (fault === 'error500') return sendTwilioError(res, 500, 20500, 'Internal Server Error');
  // A hung request is ended by the caller's timeout or by close().
  if (fault === 'drop') res.socket?.destroy();
}

function notFound(res: ServerResponse, path: string): void {
  sendTwilioError(res, 404, 20404, `The requested resource ${path} was not found`);
}
