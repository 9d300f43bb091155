import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestException, Twilio, validateRequest } from 'twilio';
import { BaseUrlRequestClient } from '../base-url-request-client';
import { TwilioSimulator } from './twilio-simulator';

const FROM = '+15005550006';
const TO = '+15551234567';

function account() {
  return {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
  };
}

/** The real SDK, pointed at the simulator through its pluggable HTTP client. */
function sdk(simulator: TwilioSimulator, accountSid: string, authToken: string): Twilio {
  return new Twilio(accountSid, authToken, {
    httpClient: new BaseUrlRequestClient(simulator.baseUrl, { timeout: 5000 }),
  });
}

async function restError(send: Promise<unknown>): Promise<RestException> {
  try {
    await send;
  } catch (error) {
    expect(error).toBeInstanceOf(RestException);
    return error as RestException;
  }
  throw new Error('the simulator accepted the message');
}

describe(TwilioSimulator.name, () => {
  const creds = account();
  let simulator: TwilioSimulator;
  let client: Twilio;

  beforeEach(async () => {
    simulator = new TwilioSimulator(creds);
    await simulator.listen();
    client = sdk(simulator, creds.accountSid, creds.authToken);
  });
  afterEach(() => simulator.close());

  describe('Messages API', () => {
    it('accepts a message and answers in Twilio’s shape', async () => {
      const message = await client.messages.create({ to: TO, from: FROM, body: 'Hello' });

      expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(message).toMatchObject({
        accountSid: creds.accountSid,
        to: TO,
        from: FROM,
        body: 'Hello',
        status: 'queued',
        numSegments: '1',
        direction: 'outbound-api',
        apiVersion: '2010-04-01',
        errorCode: null,
        errorMessage: null,
        uri: `/2010-04-01/Accounts/${creds.accountSid}/Messages/${message.sid}.json`,
      });
      expect(message.dateCreated).toBeInstanceOf(Date);
      expect(Math.abs(message.dateCreated.getTime() - Date.now())).toBeLessThan(5000);
      expect(simulator.messages).toEqual([
        expect.objectContaining({ sid: message.sid, to: TO, from: FROM, body: 'Hello' }),
      ]);
      expect(simulator.requestCount).toBe(1);
    });

    it.each([
      [160, '1'],
      [161, '2'],
      [306, '2'],
      [307, '3'],
    ])('counts a %i-character GSM body as %s segment(s)', async (length, segments) => {
      const message = await client.messages.create({
        to: TO,
        from: FROM,
        body: 'x'.repeat(length),
      });
      expect(message.numSegments).toBe(segments);
    });

    it('lists what it accepted at GET /simulator/messages', async () => {
      const message = await client.messages.create({ to: TO, from: FROM, body: 'Listed' });
      const listed = (await (await fetch(`${simulator.baseUrl}/simulator/messages`)).json()) as {
        messages: { sid: string }[];
      };
      expect(listed.messages.map((m) => m.sid)).toEqual([message.sid]);
    });

    it.each([
      ['a wrong auth token', () => account().authToken, () => creds.accountSid],
      ['another account', () => creds.authToken, () => account().accountSid],
    ])('refuses %s with 401 and code 20003', async (_name, token, sid) => {
      const error = await restError(
        sdk(simulator, sid(), token()).messages.create({ to: TO, from: FROM, body: 'x' }),
      );
      expect(error.status).toBe(401);
      expect(error.code).toBe(20003);
      expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
      expect(simulator.messages).toEqual([]);
      expect(simulator.requestCount).toBe(1);
    });

    it('answers bad credentials with Twilio’s exact error body', async () => {
      const res = await fetch(
        `${simulator.baseUrl}/2010-04-01/Accounts/${creds.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${creds.accountSid}:wrong`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ To: TO, From: FROM, Body: 'x' }).toString(),
        },
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    });

    it('refuses a request without basic auth', async () => {
      const res = await fetch(
        `${simulator.baseUrl}/2010-04-01/Accounts/${creds.accountSid}/Messages.json`,
        {
          method: 'POST',
          body: new URLSearchParams({ To: TO, From: FROM, Body: 'x' }),
        },
      );
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: number }).code).toBe(20003);
    });

    it.each([
      ['+15005550001', 21211],
      ['+15005550002', 21612],
      ['+15005550003', 21408],
      ['+15005550004', 21610],
      ['+15005550009', 21614],
    ])('fails a send to the magic number %s with Twilio error %i', async (to, code) => {
      const error = await restError(client.messages.create({ to, from: FROM, body: 'x' }));
      expect(error.status).toBe(400);
      expect(error.code).toBe(code);
      expect(error.moreInfo).toBe(`https://www.twilio.com/docs/errors/${code}`);
      expect(error.message).toEqual(expect.any(String));
      expect(simulator.messages).toEqual([]);
    });

    it.each([
      ['+15005550001', 21212],
      ['+15005550007', 21606],
    ])('fails a send from the magic number %s with Twilio error %i', async (from, code) => {
      const error = await restError(client.messages.create({ to: TO, from, body: 'x' }));
      expect(error.code).toBe(code);
      expect(simulator.messages).toEqual([]);
    });

    it.each([
      [{ From: FROM, Body: 'x' }, 21604],
      [{ To: TO, Body: 'x' }, 21603],
      [{ To: TO, From: FROM }, 21602],
    ])('refuses an incomplete message %j with code %i', async (form, code) => {
      const res = await fetch(
        `${simulator.baseUrl}/2010-04-01/Accounts/${creds.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`,
          },
          body: new URLSearchParams(form),
        },
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBe(code);
    });

    it('answers an unknown resource with 404 and code 20404', async () => {
      const res = await fetch(
        `${simulator.baseUrl}/2010-04-01/Accounts/${creds.accountSid}/Calls.json`,
      );
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 20404, status: 404 });
    });
  });

  describe('as a trial account', () => {
    let trial: TwilioSimulator;
    let trialClient: Twilio;

    beforeEach(async () => {
      trial = new TwilioSimulator({ ...creds, trial: { verifiedNumbers: [TO] } });
      await trial.listen();
      trialClient = sdk(trial, creds.accountSid, creds.authToken);
    });
    afterEach(() => trial.close());

    it('refuses an unverified recipient with 21608', async () => {
      const error = await restError(
        trialClient.messages.create({ to: '+15559876543', from: FROM, body: 'x' }),
      );
      expect(error.status).toBe(400);
      expect(error.code).toBe(21608);
      expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/21608');
      expect(trial.messages).toEqual([]);
    });

    it('sends to a verified recipient with the trial prefix', async () => {
      const message = await trialClient.messages.create({ to: TO, from: FROM, body: 'Hi' });
      expect(message.body).toBe('Sent from your Twilio trial account - Hi');
      expect(trial.messages).toHaveLength(1);
    });
  });

  describe('inbound delivery', () => {
    let webhook: Server;
    let webhookUrl: string;
    let received: { headers: IncomingMessage['headers']; url: string; form: URLSearchParams }[];

    beforeEach(async () => {
      received = [];
      webhook = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({
            headers: req.headers,
            url: req.url ?? '',
            form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          });
          res.writeHead(200, { 'Content-Type': 'text/xml' });
          res.end('<Response/>');
        });
      });
      await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
      webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/sms/webhook`;
      simulator.webhookUrl = webhookUrl;
    });
    afterEach(() => new Promise<void>((resolve) => webhook.close(() => resolve())));

    function params(form: URLSearchParams): Record<string, string> {
      return Object.fromEntries(form.entries());
    }

    it('posts a form signed with the auth token as Twilio signs it', async () => {
      const result = await simulator.sendInbound({ from: TO, body: 'Hi there & you' });

      expect(result).toEqual({
        status: 200,
        body: '<Response/>',
        messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
        signature: expect.any(String),
      });
      const [request] = received;
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(params(request.form)).toMatchObject({
        MessageSid: result.messageSid,
        SmsSid: result.messageSid,
        AccountSid: creds.accountSid,
        From: TO,
        To: FROM,
        Body: 'Hi there & you',
        NumMedia: '0',
      });
      const signature = request.headers['x-twilio-signature'] as string;
      expect(validateRequest(creds.authToken, signature, webhookUrl, params(request.form))).toBe(
        true,
      );
      expect(
        validateRequest(account().authToken, signature, webhookUrl, params(request.form)),
      ).toBe(false);
    });

    it('signs the URL it is told Twilio called, and keeps a given MessageSid', async () => {
      const messageSid = 'SM' + 'd'.repeat(32);
      const publicUrl = 'https://yourdomain.com/api/sms';
      await simulator.sendInbound({ from: TO, body: 'x', messageSid, signedUrl: publicUrl });

      const [request] = received;
      const signature = request.headers['x-twilio-signature'] as string;
      expect(request.form.get('MessageSid')).toBe(messageSid);
      expect(validateRequest(creds.authToken, signature, publicUrl, params(request.form))).toBe(
        true,
      );
      expect(validateRequest(creds.authToken, signature, webhookUrl, params(request.form))).toBe(
        false,
      );
    });

    it('fakes an inbound text from POST /simulator/inbound', async () => {
      const res = await fetch(`${simulator.baseUrl}/simulator/inbound`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: TO, body: 'From curl' }),
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { messageSid: string; webhookStatus: number };
      expect(answer).toEqual({ messageSid: expect.stringMatching(/^SM/), webhookStatus: 200 });
      expect(received.map((r) => r.form.get('Body'))).toEqual(['From curl']);
      expect(received[0].form.get('MessageSid')).toBe(answer.messageSid);
    });

    it('refuses POST /simulator/inbound without from and body', async () => {
      const res = await fetch(`${simulator.baseUrl}/simulator/inbound`, {
        method: 'POST',
        body: JSON.stringify({ from: TO }),
      });
      expect(res.status).toBe(400);
      expect(received).toEqual([]);
    });
  });
});
