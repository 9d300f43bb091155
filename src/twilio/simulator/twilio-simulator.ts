import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FormParams, postSigned } from './signed-post';
import { simulatedSegments } from './simulated-segments';

/** A message the simulator accepted, as Twilio's Messages API would return it. */
export interface SimulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** Null while a Messaging Service has not picked a number, as in Twilio's answer. */
  from: string | null;
  body: string;
  status: string;
  numSegments: number;
  dateCreated: Date;
  /** The MaxPrice the sender set, if any. */
  maxPrice?: string;
  messagingServiceSid: string | null;
  mediaUrls: string[];
  statusCallback: string | null;
}

/** How a message's delivery ends, as the status callbacks will report it. */
export interface DeliveryOutcome {
  status: 'delivered' | 'undelivered' | 'failed';
  errorCode?: number;
}

export interface StatusCallbackRequest {
  messageSid: string;
  status: string;
  errorCode?: number;
  /** Defaults to the StatusCallback the message was sent with. */
  url?: string;
  /** Extra or replacement form fields. */
  params?: FormParams;
}

export interface StatusCallbackResult {
  messageSid: string;
  messageStatus: string;
  /** The bridge's HTTP status; 0 when it could not be reached. */
  status: number;
  body: string;
}

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

export interface InboundText {
  from: string;
  body: string;
  to?: string;
  messageSid?: string;
  /** Extra or replacement form fields, exactly as Twilio would post them. */
  params?: Record<string, string | string[]>;
  /** The URL to sign, when Twilio would have called a different one than it reaches (a proxy). */
  signedUrl?: string;
  /** The URL to post to; defaults to the webhook URL. */
  url?: string;
  /** More request headers, e.g. the X-Forwarded-* a proxy adds. */
  headers?: Record<string, string>;
}

export interface InboundResult {
  status: number;
  body: string;
  messageSid: string;
  /** The X-Twilio-Signature sent. */
  signature: string;
}

interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/**
 * How the Messages API misbehaves, for fault tests: answer 500, never answer, or drop
 * the connection without a word. null is a healthy Twilio.
 */
export type SimulatorFault = 'error500' | 'hang' | 'drop' | null;

const TRIAL_PREFIX = 'Sent from your Twilio trial account - ';

/**
 * Twilio's documented magic numbers for test credentials
 * (https://www.twilio.com/docs/iam/test-credentials): each makes the Messages API fail
 * the way the real one does for such a recipient or sender.
 */
const MAGIC_TO: Record<string, [number, (to: string, from: string) => string]> = {
  '+15005550001': [21211, (to) => `The 'To' number ${to} is not a valid phone number.`],
  '+15005550002': [
    21612,
    (to, from) =>
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.`,
  ],
  '+15005550003': [
    21408,
    (to) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
  ],
  '+15005550004': [21610, () => 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [21614, (to) => `'To' number ${to} is not a valid mobile number`],
};
const MAGIC_FROM: Record<string, [number, (from: string) => string]> = {
  '+15005550001': [
    21212,
    (from) =>
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  ],
  '+15005550007': [
    21606,
    (from) =>
      `The 'From' phone number provided (${from}) is not a valid, message-capable Twilio phone number for this destination.`,
  ],
};

/**
 * A small fake of Twilio's Messages API, spoken over real HTTP so the real SDK can
 * talk to it. The bridge runs it when it has no Twilio account; the tests run one
 * per file. It also delivers inbound texts to the bridge, signed as Twilio signs them.
 */
export class TwilioSimulator {
  readonly messages: SimulatedMessage[] = [];
  /** Every request the Messages API received, accepted or not. */
  requestCount = 0;
  /** Twilio errors to answer for sends to a number, for codes no magic number triggers. */
  readonly failures = new Map<string, { status: number; code: number; message: string }>();
  /** How long the Messages API takes to answer, to make requests overlap. */
  responseDelayMs = 0;
  /**
   * How each accepted message's delivery ends: one outcome for all, or per message.
   * Null: no callbacks at all, for a test that posts its own with sendStatusCallback.
   */
  deliveryOutcome:
    DeliveryOutcome | null | ((message: SimulatedMessage) => DeliveryOutcome | null) = {
    status: 'delivered',
  };
  /** Every status callback posted to the bridge, in order. */
  readonly callbackResults: StatusCallbackResult[] = [];
  /**
   * Where callbacks for public URLs really go, as Caddy in front of the bridge would
   * forward them: the path is kept, the public URL is what gets signed.
   */
  callbackOrigin?: string;
  /** Pause before each callback, as Twilio's come after its API answered. */
  callbackDelayMs = 5;
  private readonly pendingCallbacks = new Set<Promise<void>>();
  fault: SimulatorFault = null;
  /**
   * The account's phone numbers and where each one's "A message comes in" webhook points
   * (SmsUrl; null when unset), as IncomingPhoneNumbers lists them.
   */
  readonly incomingPhoneNumbers = new Map<string, string | null>();
  /** The account's Messaging Services: their inbound request URL, or the number's webhook. */
  readonly messagingServices = new Map<
    string,
    { inboundRequestUrl: string | null; useInboundWebhookOnNumber: boolean }
  >();
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
        if (!res.headersSent) this.json(res, 500, { message: 'simulator failure' });
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
  async sendInbound(text: InboundText): Promise<InboundResult> {
    const url = text.url ?? this.options.webhookUrl;
    if (!url) throw new Error('The simulator has no webhook URL to deliver to');
    const messageSid = text.messageSid ?? newSid('SM');
    const params: Record<string, string | string[]> = {
      ToCountry: 'US',
      SmsMessageSid: messageSid,
      NumMedia: '0',
      SmsSid: messageSid,
      SmsStatus: 'received',
      Body: text.body,
      To: text.to ?? '+15005550006',
      NumSegments: '1',
      MessageSid: messageSid,
      AccountSid: this.options.accountSid,
      From: text.from,
      ApiVersion: '2010-04-01',
      ...text.params,
    };
    const response = await postSigned({
      url,
      signedUrl: text.signedUrl ?? url,
      params,
      authToken: this.options.authToken,
      headers: text.headers,
    });
    return { ...response, messageSid };
  }

  /** Posts a signed status callback for a message, in any order or as often as a test wants. */
  async sendStatusCallback(callback: StatusCallbackRequest): Promise<StatusCallbackResult> {
    const message = this.messages.find((m) => m.sid === callback.messageSid);
    const url = callback.url ?? message?.statusCallback;
    if (!url) throw new Error(`No StatusCallback URL for ${callback.messageSid}`);
    const params: FormParams = {
      AccountSid: this.options.accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: callback.messageSid,
      SmsSid: callback.messageSid,
      MessageStatus: callback.status,
      SmsStatus: callback.status,
      ...(message?.to ? { To: message.to } : {}),
      ...(message?.from ? { From: message.from } : {}),
      ...(message?.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      ...(callback.errorCode !== undefined ? { ErrorCode: String(callback.errorCode) } : {}),
      ...callback.params,
    };
    const target = this.callbackOrigin ? new URL(url) : undefined;
    let result: StatusCallbackResult;
    try {
      const response = await postSigned({
        url: target ? this.callbackOrigin + target.pathname + target.search : url,
        signedUrl: url,
        params,
        authToken: this.options.authToken,
        // What Caddy adds when it forwards Twilio's request.
        headers: target
          ? {
              'X-Forwarded-For': '54.172.60.0',
              'X-Forwarded-Proto': 'https',
              'X-Forwarded-Host': target.host,
            }
          : {},
      });
      result = { messageSid: callback.messageSid, messageStatus: callback.status, ...response };
    } catch (error) {
      const body = (error as Error).message;
      result = { messageSid: callback.messageSid, messageStatus: callback.status, status: 0, body };
    }
    this.callbackResults.push(result);
    return result;
  }

  /** Resolves once every status callback scheduled so far has been answered. */
  async flushCallbacks(): Promise<void> {
    while (this.pendingCallbacks.size > 0) await Promise.all([...this.pendingCallbacks]);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (req.method === 'POST' && messagesPath) {
      this.requestCount += 1;
      await this.gate;
      if (this.fault) return this.misbehave(this.fault, res);
      return this.createMessage(req, res, messagesPath[1]);
    }
    const accountPath = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(path);
    if (req.method === 'GET' && accountPath) {
      if (!this.authorized(req, accountPath[1])) {
        return this.twilioError(res, 401, 20003, 'Authenticate');
      }
      return this.json(res, 200, this.accountResource());
    }
    const numbersPath = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/.exec(path);
    if (req.method === 'GET' && numbersPath) {
      if (this.fault) return this.misbehave(this.fault, res);
      if (!this.authorized(req, numbersPath[1])) {
        return this.twilioError(res, 401, 20003, 'Authenticate');
      }
      const wanted = new URL(req.url ?? '/', 'http://simulator').searchParams.get('PhoneNumber');
      return this.json(res, 200, this.incomingPhoneNumbersPage(path, wanted));
    }
    const servicePath = /^\/v1\/Services\/(MG[0-9a-f]{32})$/.exec(path);
    if (req.method === 'GET' && servicePath) {
      if (this.fault) return this.misbehave(this.fault, res);
      if (!this.authorized(req, this.options.accountSid)) {
        return this.twilioError(res, 401, 20003, 'Authenticate');
      }
      const service = this.messagingServices.get(servicePath[1]);
      if (!service) {
        return this.twilioError(res, 404, 20404, `The requested resource ${path} was not found`);
      }
      return this.json(res, 200, {
        sid: servicePath[1],
        account_sid: this.options.accountSid,
        friendly_name: 'Simulated service',
        inbound_request_url: service.inboundRequestUrl,
        inbound_method: 'POST',
        use_inbound_webhook_on_number: service.useInboundWebhookOnNumber,
        url: `https://messaging.twilio.com${path}`,
      });
    }
    if (req.method === 'POST' && path === '/simulator/inbound') {
      const input = JSON.parse((await readBody(req)) || '{}') as InboundText;
      if (typeof input.from !== 'string' || typeof input.body !== 'string') {
        return this.json(res, 400, { message: 'Post JSON {"from": "+1...", "body": "..."}' });
      }
      const result = await this.sendInbound({ from: input.from, body: input.body, to: input.to });
      return this.json(res, 200, { messageSid: result.messageSid, webhookStatus: result.status });
    }
    if (req.method === 'GET' && path === '/simulator/messages') {
      return this.json(res, 200, { messages: this.messages });
    }
    return this.twilioError(res, 404, 20404, `The requested resource ${path} was not found`);
  }

  private async createMessage(req: IncomingMessage, res: ServerResponse, pathSid: string) {
    if (this.responseDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.responseDelayMs));
    }
    if (!this.authorized(req, pathSid)) {
      return this.twilioError(res, 401, 20003, 'Authenticate');
    }
    const form = new URLSearchParams(await readBody(req));
    const to = form.get('To');
    const from = form.get('From');
    const body = form.get('Body') ?? '';
    const mediaUrls = form.getAll('MediaUrl');
    const service = form.get('MessagingServiceSid');
    if (!to) return this.twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!from && !service) {
      return this.twilioError(res, 400, 21603, "A 'From' phone number is required.");
    }
    if (service && !/^MG[0-9a-f]{32}$/.test(service)) {
      return this.twilioError(res, 400, 21701, 'The Messaging Service Sid is invalid.');
    }
    if (!body && mediaUrls.length === 0) {
      return this.twilioError(res, 400, 21602, 'Message body is required.');
    }
    const fromRule = from ? MAGIC_FROM[from] : undefined;
    if (from && fromRule) return this.twilioError(res, 400, fromRule[0], fromRule[1](from));
    const failure = this.failures.get(to);
    if (failure) return this.twilioError(res, failure.status, failure.code, failure.message);
    const toRule = MAGIC_TO[to];
    if (toRule) return this.twilioError(res, 400, toRule[0], toRule[1](to, from ?? service!));
    const trial = this.options.trial;
    if (trial && !trial.verifiedNumbers.includes(to)) {
      return this.twilioError(
        res,
        400,
        21608,
        `The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers`,
      );
    }
    const sentBody = trial ? TRIAL_PREFIX + body : body;
    const message: SimulatedMessage = {
      sid: newSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid: pathSid,
      to,
      from,
      body: sentBody,
      // A Messaging Service accepts first and queues once it has picked a sender.
      status: service ? 'accepted' : 'queued',
      numSegments: mediaUrls.length > 0 ? 1 : simulatedSegments(sentBody),
      dateCreated: new Date(),
      messagingServiceSid: service,
      mediaUrls,
      statusCallback: form.get('StatusCallback'),
      maxPrice: form.get('MaxPrice') ?? undefined,
    };
    this.messages.push(message);
    this.json(res, 201, toResource(message));
    if (message.statusCallback) this.track(this.deliver(message));
  }

  /** Moves the message through Twilio's statuses, posting a callback for each. */
  private async deliver(message: SimulatedMessage): Promise<void> {
    const outcome =
      typeof this.deliveryOutcome === 'function'
        ? this.deliveryOutcome(message)
        : this.deliveryOutcome;
    if (!outcome) return;
    const steps: string[] = message.status === 'accepted' ? ['queued'] : [];
    if (outcome.status !== 'failed') steps.push('sent');
    steps.push(outcome.status);
    for (const [index, status] of steps.entries()) {
      await new Promise((resolve) => setTimeout(resolve, this.callbackDelayMs));
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

  /** The Account resource (https://www.twilio.com/docs/iam/api/account): a trial or a full account. */
  private accountResource() {
    const sid = this.options.accountSid;
    return {
      sid,
      owner_account_sid: sid,
      friendly_name: 'Simulated account',
      status: 'active',
      type: this.options.trial ? 'Trial' : 'Full',
      // Twilio does return the token here: the bridge must keep it out of everything it shows.
      auth_token: this.options.authToken,
      date_created: new Date(0).toUTCString().replace('GMT', '+0000'),
      date_updated: new Date(0).toUTCString().replace('GMT', '+0000'),
      uri: `/2010-04-01/Accounts/${sid}.json`,
      subresource_uris: {},
    };
  }

  /** One page of IncomingPhoneNumbers (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource). */
  private incomingPhoneNumbersPage(path: string, wanted: string | null) {
    const sid = this.options.accountSid;
    const numbers = [...this.incomingPhoneNumbers.entries()].filter(
      ([number]) => wanted === null || number === wanted,
    );
    return {
      incoming_phone_numbers: numbers.map(([number, smsUrl], index) => ({
        sid: `PN${index.toString(16).padStart(32, '0')}`,
        account_sid: sid,
        phone_number: number,
        friendly_name: number,
        sms_url: smsUrl,
        sms_method: 'POST',
        capabilities: { sms: true, mms: true, voice: true },
        uri: `/2010-04-01/Accounts/${sid}/IncomingPhoneNumbers/PN${index}.json`,
      })),
      page: 0,
      page_size: 50,
      start: 0,
      end: Math.max(0, numbers.length - 1),
      first_page_uri: path,
      next_page_uri: null,
      previous_page_uri: null,
      uri: path,
    };
  }

  private misbehave(fault: NonNullable<SimulatorFault>, res: ServerResponse): void {
    if (fault === 'error500') return this.twilioError(res, 500, 20500, 'Internal Server Error');
    // A hung request is ended by the caller's timeout or by close().
    if (fault === 'drop') res.socket?.destroy();
  }

  private authorized(req: IncomingMessage, pathSid: string): boolean {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'Basic' || !encoded) return false;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const expected = `${this.options.accountSid}:${this.options.authToken}`;
    return decoded === expected && pathSid === this.options.accountSid;
  }

  private twilioError(res: ServerResponse, status: number, code: number, message: string): void {
    const body: TwilioErrorBody = {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    };
    this.json(res, status, body);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The Message resource in Twilio's JSON shape (snake_case, RFC 2822 dates). */
function toResource(message: SimulatedMessage) {
  const date = message.dateCreated.toUTCString().replace('GMT', '+0000');
  return {
    account_sid: message.accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: {
      media: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json`,
    },
    to: message.to,
    uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
  };
}
