import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio';

/** A message the simulator accepted, as Twilio's Messages API would return it. */
export interface SimulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  numSegments: number;
  dateCreated: Date;
}

export interface SimulatorOptions {
  accountSid: string;
  authToken: string;
  /** The bridge's inbound webhook, where simulated texts are delivered. */
  webhookUrl?: string;
  /** Act as a trial account: only these recipients may be texted (error 21608 otherwise). */
  trial?: { verifiedNumbers: string[] };
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
}

export interface InboundResult {
  status: number;
  body: string;
  messageSid: string;
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
  fault: SimulatorFault = null;
  private server?: Server;
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
    const signature = getExpectedTwilioSignature(
      this.options.authToken,
      text.signedUrl ?? url,
      params,
    );
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(key, item);
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': signature,
        'User-Agent': 'TwilioProxy/1.1',
      },
      body: form.toString(),
    });
    return { status: response.status, body: await response.text(), messageSid };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (req.method === 'POST' && messagesPath) {
      this.requestCount += 1;
      if (this.fault) return this.misbehave(this.fault, res);
      return this.createMessage(req, res, messagesPath[1]);
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
    if (!this.authorized(req, pathSid)) {
      return this.twilioError(res, 401, 20003, 'Authenticate');
    }
    const form = new URLSearchParams(await readBody(req));
    const to = form.get('To');
    const from = form.get('From');
    const body = form.get('Body');
    if (!to) return this.twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!from) return this.twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!body) return this.twilioError(res, 400, 21602, 'Message body is required.');
    const fromRule = MAGIC_FROM[from];
    if (fromRule) return this.twilioError(res, 400, fromRule[0], fromRule[1](from));
    const toRule = MAGIC_TO[to];
    if (toRule) return this.twilioError(res, 400, toRule[0], toRule[1](to, from));
    const trial = this.options.trial;
    if (trial && !trial.verifiedNumbers.includes(to)) {
      return this.twilioError(
        res,
        400,
        21608,
        `The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers`,
      );
    }
    const message: SimulatedMessage = {
      sid: newSid('SM'),
      accountSid: pathSid,
      to,
      from,
      body: trial ? TRIAL_PREFIX + body : body,
      status: 'queued',
      numSegments: Math.max(1, Math.ceil(body.length / 153)),
      dateCreated: new Date(),
    };
    this.messages.push(message);
    return this.json(res, 201, toResource(message));
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
    messaging_service_sid: null,
    num_media: '0',
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
