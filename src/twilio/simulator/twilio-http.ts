import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The account the simulator plays: its credentials sign webhooks and check Basic auth. */
export interface SimulatedAccount {
  accountSid: string;
  authToken: string;
}

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An error in Twilio's REST shape (https://www.twilio.com/docs/usage/twilios-response). */
export function sendTwilioError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
): void {
  sendJson(res, status, {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

/** HTTP Basic with the account's sid and token, on a path of that same account. */
export function isAuthorized(
  req: IncomingMessage,
  account: SimulatedAccount,
  pathSid: string,
): boolean {
  const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return decoded === `${account.accountSid}:${account.authToken}` && pathSid === account.accountSid;
}

/** Twilio's date format in its JSON: RFC 2822 with a numeric zone. */
export const twilioDate = (date: Date) => date.toUTCString().replace('GMT', '+0000');
