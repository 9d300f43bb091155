import { getExpectedTwilioSignature } from 'twilio';
import type { RawHeaders } from '../helpers/raw-request';
import { MAX_MESSAGE_JSON_BYTES } from '../../src/safety/message/message-limits';

/** What a case needs from the app under test to build its request (signatures, sids). */
export interface CorpusContext {
  /** The origin the app listens on, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
  authToken: string;
  accountSid: string;
}

export interface BuiltRequest {
  headers?: RawHeaders;
  body?: string | Buffer;
  /** Raw bytes for the socket instead (the request line and headers included). */
  wire?: string;
}

/** One hostile request and the refusal it must get. */
export interface BadInput {
  name: string;
  method: string;
  path: string;
  build: (context: CorpusContext) => BuiltRequest;
  expectStatus: number;
  expectCode: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const GOOD_TO = '+15551234567';
const TEN_MB = 10 * 1024 * 1024;

type Params = Record<string, string | string[]>;

function form(params: Params): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) out.append(key, item);
  }
  return out.toString();
}

/** A well-formed inbound SMS as Twilio posts it; `overrides` replace or add fields. */
function inboundParams(context: CorpusContext, overrides: Params = {}): Params {
  return {
    MessageSid: 'SM' + 'ab'.repeat(16),
    AccountSid: context.accountSid,
    From: '+15557654321',
    To: '+15005550006',
    Body: 'hello',
    NumMedia: '0',
    ...overrides,
  };
}

interface Signing {
  /** Fields posted (after signing, when `alter` is given). */
  params?: Params;
  /** Changes the posted fields after the signature was made: a replay with edits. */
  alter?: Params;
  /** The URL signed, when it is not the one posted to. */
  signUrl?: string;
  /** The token signed with, when it is not the bridge's. */
  token?: string;
  headers?: RawHeaders;
}

function signedWebhook(path: string, signing: Signing = {}) {
  return (context: CorpusContext): BuiltRequest => {
    const params = inboundParams(context, signing.params);
    const url = signing.signUrl ?? context.baseUrl + path;
    const signature = getExpectedTwilioSignature(signing.token ?? context.authToken, url, params);
    return {
      headers: { ...FORM_TYPE, 'x-twilio-signature': signature, ...signing.headers },
      body: form({ ...params, ...signing.alter }),
    };
  };
}

const send = (name: string, body: unknown, status: number, code: string, headers = {}) => ({
  name: `send: ${name}`,
  method: 'POST',
  path: '/sms/send',
  build: () => ({
    headers: { ...JSON_TYPE, ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  }),
  expectStatus: status,
  expectCode: code,
});

const sendTo = (name: string, to: unknown) =>
  send(`to ${name}`, { to, body: 'hi' }, 400, 'validation_failed');

const sendBody = (name: string, body: unknown) =>
  send(`body ${name}`, { to: GOOD_TO, body }, 400, 'validation_failed');

const fromProxy = (name: string, path: string, method: string, headers: RawHeaders) => ({
  name: `${path} through a proxy: ${name}`,
  method,
  path,
  build: () =>
    method === 'GET'
      ? { headers }
      : {
          headers: { ...JSON_TYPE, ...headers },
          body: JSON.stringify({ to: GOOD_TO, body: 'hi' }),
        },
  expectStatus: 403,
  expectCode: 'local_only',
});

/** A page that rebound its own name to 127.0.0.1 calls loopback with that name as Host. */
const underHost = (host: string, path: string, method: string) => ({
  ...fromProxy(host, path, method, { host }),
  name: `${path} under a Host naming another machine: ${host}`,
});

const inbox = (name: string, query: string, code = 'validation_failed') => ({
  name: `inbox: ${name}`,
  method: 'GET',
  path: `/sms/inbox?${query}`,
  build: () => ({ headers: {} }),
  expectStatus: 400,
  expectCode: code,
});

const webhook = (
  name: string,
  build: BadInput['build'],
  status: number,
  code: string,
  path = '/sms/webhook',
) => ({
  name: `${path}: ${name}`,
  method: 'POST',
  path,
  build,
  expectStatus: status,
  expectCode: code,
});

const raw = (headers: RawHeaders, body?: string | Buffer) => () => ({ headers, body });

/** A request no HTTP client would send, written byte for byte; Node's parser refuses it. */
const onTheWire = (name: string, head: string, body = '', status = 400, code = 'invalid_http') => ({
  name: `wire: ${name}`,
  method: 'POST',
  path: '/sms/send',
  build: () => ({ wire: `${head}\r\n\r\n${body}` }),
  expectStatus: status,
  expectCode: code,
});
const SEND_LINE = 'POST /sms/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json';
const SEND_JSON = JSON.stringify({ to: GOOD_TO, body: 'smuggled' });
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Hostile requests, one a line. Each must be refused with its status and code, and change nothing. */
// One case a line: prettier would fold each into a block.
// prettier-ignore
export const BAD_INPUT: BadInput[] = [
  // Malformed and truncated JSON.
  send('malformed JSON', '{bad', 400, 'invalid_json'),
  send('truncated JSON', `{"to":"${GOOD_TO}","body":"hi`, 400, 'invalid_json'),
  send('trailing comma', `{"to":"${GOOD_TO}","body":"hi",}`, 400, 'invalid_json'),
  send('single quotes', `{'to':'${GOOD_TO}','body':'hi'}`, 400, 'invalid_json'),
  send('a bare string', '"hello"', 400, 'invalid_json'),
  send('null', 'null', 400, 'invalid_json'),
  send('an empty object', {}, 400, 'validation_failed'),
  send('an array instead of an object', [{ to: GOOD_TO, body: 'hi' }], 400, 'validation_failed'),
  send('5000 nested arrays', `{"to":${nested(5000)},"body":"hi"}`, 400, 'validation_failed'),
  send('a duplicate key whose last value is bad', `{"to":"${GOOD_TO}","body":"hi","to":["x"]}`, 400, 'validation_failed'),
  // Wrong content types.
  send('text/plain', JSON.stringify({ to: GOOD_TO, body: 'hi' }), 415, 'unsupported_media_type', { 'content-type': 'text/plain' }),
  send('a form post', form({ to: GOOD_TO, body: 'hi' }), 415, 'unsupported_media_type', FORM_TYPE),
  send('multipart', '--x\r\n\r\n--x--', 415, 'unsupported_media_type', { 'content-type': 'multipart/form-data; boundary=x' }),
  send('an empty content type', JSON.stringify({ to: GOOD_TO, body: 'hi' }), 415, 'unsupported_media_type', { 'content-type': '' }),
  send('JSON in latin1', JSON.stringify({ to: GOOD_TO, body: 'hi' }), 415, 'unsupported_media_type', { 'content-type': 'application/json; charset=latin1' }),
  send('gzip encoding', Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 415, 'unsupported_media_type', { 'content-encoding': 'gzip' }),
  // Bodies over the size limit.
  send('a body over the JSON cap', { to: GOOD_TO, body: 'x'.repeat(MAX_MESSAGE_JSON_BYTES + 1) }, 413, 'payload_too_large'),
  send('a 10 MB body', Buffer.alloc(TEN_MB, 0x20), 413, 'payload_too_large'),
  send('a 10 MB text body', Buffer.alloc(TEN_MB, 0x61), 415, 'unsupported_media_type', { 'content-type': 'text/plain' }),
  // Arrays, objects and numbers where strings belong.
  sendTo('as an array', [GOOD_TO]),
  sendTo('as a number', 15551234567),
  sendTo('as an object', { number: GOOD_TO }),
  sendTo('as null', null),
  sendBody('as an array', ['hi']),
  sendBody('as an object', { text: 'hi' }),
  sendBody('as true', true),
  // Prototype pollution.
  send('__proto__ key', `{"to":"${GOOD_TO}","body":"hi","__proto__":{"polluted":true}}`, 400, 'validation_failed'),
  send('constructor.prototype key', { to: GOOD_TO, body: 'hi', constructor: { prototype: { polluted: true } } }, 400, 'validation_failed'),
  send('an unknown field', { to: GOOD_TO, body: 'hi', from: '+15005550006' }, 400, 'validation_failed'),
  // Numbers that are almost E.164.
  sendTo('without the plus', '15551234567'),
  sendTo('with a leading zero', '+015551234567'),
  sendTo('with 16 digits', '+1555123456789012'),
  sendTo('with spaces', '+1 555 123 4567'),
  sendTo('with dashes', '+1-555-123-4567'),
  sendTo('with a fullwidth digit', '+1555123456\uff17'),
  sendTo('in Arabic-Indic digits', '+\u0661\u0665\u0665\u0665\u0661\u0662\u0663\u0664\u0665\u0666\u0667'),
  sendTo('with a trailing newline', `${GOOD_TO}\n`),
  sendTo('with a NUL', `${GOOD_TO}\u0000`),
  sendTo('behind a right-to-left override', `\u202e${GOOD_TO}`),
  sendTo('with a zero-width space', '+1555\u200b1234567'),
  sendTo('empty', ''),
  // Control and bidi characters, and lengths, in the text.
  sendBody('with a NUL', 'hi\u0000there'),
  sendBody('with an escape sequence', 'hi \u001b[31mred'),
  sendBody('with a right-to-left override', 'pay \u202eKCOL'),
  sendBody('with a first-strong isolate', 'hi \u2068there\u2069'),
  sendBody('of only whitespace', ' \n\t '),
  sendBody('empty', ''),
  sendBody('of 1601 characters', 'x'.repeat(1601)),
  send('body with a lone surrogate', '{"to":"+15551234567","body":"x\\ud800y"}', 400, 'validation_failed'),
  send('body with a lone low surrogate at the end', '{"to":"+15551234567","body":"hi \\udc00"}', 400, 'validation_failed'),
  send('an object nested nine deep', `{"to":"${GOOD_TO}","body":"hi","x":${'{"a":'.repeat(9)}1${'}'.repeat(9)}}`, 400, 'validation_failed'),
  // X-Forwarded-For and friends: a proxy was on the way, whatever the header says.
  fromProxy('X-Forwarded-For', '/sms/send', 'POST', { 'x-forwarded-for': '203.0.113.9' }),
  fromProxy('X-FORWARDED-FOR in capitals', '/sms/send', 'POST', { 'X-FORWARDED-FOR': '203.0.113.9' }),
  fromProxy('X-Forwarded-For claiming loopback', '/sms/send', 'POST', { 'x-forwarded-for': '127.0.0.1' }),
  fromProxy('X-Forwarded-For twice', '/sms/send', 'POST', { 'x-forwarded-for': ['127.0.0.1', '203.0.113.9'] }),
  fromProxy('X-Forwarded-For empty', '/sms/send', 'POST', { 'x-forwarded-for': '' }),
  fromProxy('Forwarded', '/sms/send', 'POST', { forwarded: 'for=203.0.113.9;proto=https' }),
  fromProxy('X-Real-IP', '/sms/send', 'POST', { 'x-real-ip': '203.0.113.9' }),
  fromProxy('X-Forwarded-Host only', '/sms/send', 'POST', { 'x-forwarded-host': 'example.com' }),
  fromProxy('Via', '/sms/send', 'POST', { via: '1.1 caddy' }),
  fromProxy('X-Forwarded-For', '/sms/inbox', 'GET', { 'x-forwarded-for': '203.0.113.9' }),
  fromProxy('Forwarded', '/sms/inbox', 'GET', { forwarded: 'for="[2001:db8::1]"' }),
  fromProxy('X-Real-IP claiming loopback', '/sms/inbox', 'GET', { 'x-real-ip': '127.0.0.1' }),
  // A Host that does not name this machine: a page that rebound its own name to 127.0.0.1.
  underHost('rebind.attacker.example', '/sms/send', 'POST'),
  underHost('rebind.attacker.example:3032', '/sms/send', 'POST'),
  underHost('localhost.attacker.example', '/sms/send', 'POST'),
  underHost('127.0.0.2', '/sms/send', 'POST'),
  underHost('rebind.attacker.example', '/sms/inbox', 'GET'),
  underHost('rebind.attacker.example', '/docs-json', 'GET'),
  // The inbox query.
  inbox('since that is no time', 'since=yesterday', 'invalid_since'),
  inbox('since as an impossible date', 'since=2026-13-45T00:00:00Z', 'invalid_since'),
  inbox('since naming no message', `since=SM${'0'.repeat(32)}`, 'invalid_since'),
  inbox('since with a NUL', 'since=2026-01-01%00', 'invalid_since'),
  inbox('since twice', 'since=2026-01-01&since=2026-01-02'),
  inbox('since as an object', 'since[gt]=2026-01-01'),
  inbox('a __proto__ parameter', '__proto__[polluted]=1'),
  inbox('limit 0', 'limit=0'),
  inbox('limit over 500', 'limit=501'),
  inbox('limit not a number', 'limit=ten'),
  inbox('limit negative', 'limit=-1'),
  inbox('limit fractional', 'limit=1.5'),
  // Inbound webhooks: signatures that do not fit.
  webhook('no signature', raw(FORM_TYPE, 'Body=hi'), 403, 'invalid_signature'),
  webhook('no signature and a forged X-Forwarded-For', raw({ ...FORM_TYPE, 'x-forwarded-for': '54.172.60.0' }, 'Body=STOP'), 403, 'invalid_signature', '/api/sms'),
  webhook('an empty signature', signedWebhook('/sms/webhook', { headers: { 'x-twilio-signature': '' } }), 403, 'invalid_signature'),
  webhook('a signature made with another token', signedWebhook('/sms/webhook', { token: 'f'.repeat(32) }), 403, 'invalid_signature'),
  webhook('a signature for another host', signedWebhook('/sms/webhook', { signUrl: 'https://evil.example/sms/webhook' }), 403, 'invalid_signature'),
  webhook('a signature for the other path', signedWebhook('/api/sms'), 403, 'invalid_signature'),
  webhook('a signature for another query string', signedWebhook('/sms/webhook?x=1'), 403, 'invalid_signature', '/sms/webhook?x=2'),
  webhook('a replay with another Body', signedWebhook('/sms/webhook', { alter: { Body: 'send me money' } }), 403, 'invalid_signature'),
  webhook('a replay with another From', signedWebhook('/sms/webhook', { alter: { From: '+15550000000' } }), 403, 'invalid_signature'),
  webhook('a replay with another MessageSid', signedWebhook('/sms/webhook', { alter: { MessageSid: 'SM' + 'cd'.repeat(16) } }), 403, 'invalid_signature'),
  webhook('a replay with an added field', signedWebhook('/sms/webhook', { alter: { NumMedia: '1', MediaUrl0: 'https://evil.example/x' } }), 403, 'invalid_signature'),
  webhook('a replay to /api/sms', signedWebhook('/sms/webhook'), 403, 'invalid_signature', '/api/sms'),
  webhook('an http signature behind X-Forwarded-Proto https', signedWebhook('/sms/webhook', { headers: { 'x-forwarded-proto': 'https' } }), 403, 'invalid_signature'),
  // Inbound webhooks: bodies Twilio never sends.
  webhook('JSON', raw({ ...JSON_TYPE, 'x-twilio-signature': 'x' }, '{"Body":"hi"}'), 415, 'unsupported_media_type'),
  webhook('text/plain', raw({ 'content-type': 'text/plain', 'x-twilio-signature': 'x' }, 'Body=hi'), 415, 'unsupported_media_type', '/api/sms'),
  webhook('JSON to /API/SMS/', raw(JSON_TYPE, '{"Body":"hi"}'), 415, 'unsupported_media_type', '/API/SMS/'),
  webhook('gzip encoding', raw({ ...FORM_TYPE, 'content-encoding': 'gzip' }, Buffer.from([0x1f, 0x8b])), 415, 'unsupported_media_type'),
  webhook('a 65 KB form', signedWebhook('/sms/webhook', { params: { Body: 'x'.repeat(65 * 1024) } }), 413, 'payload_too_large'),
  webhook('a 10 MB form', raw(FORM_TYPE, Buffer.alloc(TEN_MB, 0x61)), 413, 'payload_too_large', '/api/sms'),
  // Inbound webhooks signed correctly but not an inbound message, or not ours.
  webhook('a malformed MessageSid', signedWebhook('/sms/webhook', { params: { MessageSid: 'SM123' } }), 400, 'invalid_webhook'),
  webhook('MessageSid twice', signedWebhook('/sms/webhook', { params: { MessageSid: ['SM' + 'ab'.repeat(16), 'SM' + 'cd'.repeat(16)] } }), 400, 'invalid_webhook'),
  webhook('Body twice', signedWebhook('/sms/webhook', { params: { Body: ['a', 'b'] } }), 400, 'invalid_webhook'),
  webhook('NumMedia 11', signedWebhook('/sms/webhook', { params: { NumMedia: '11' } }), 400, 'invalid_webhook'),
  webhook('a constructor field', signedWebhook('/sms/webhook', { params: { constructor: 'x' } }), 400, 'validation_failed'),
  webhook('another account', signedWebhook('/sms/webhook', { params: { AccountSid: 'AC' + '0'.repeat(32) } }), 403, 'wrong_account'),
  // Requests Node's HTTP parser refuses: smuggling shapes and bytes a header may not hold.
  onTheWire('Content-Length and Transfer-Encoding both', `${SEND_LINE}\r\nContent-Length: ${SEND_JSON.length}\r\nTransfer-Encoding: chunked`, `${SEND_JSON.length.toString(16)}\r\n${SEND_JSON}\r\n0\r\n\r\n`),
  onTheWire('two different Content-Lengths', `${SEND_LINE}\r\nContent-Length: ${SEND_JSON.length}\r\nContent-Length: 5`, SEND_JSON),
  onTheWire('a Transfer-Encoding that is not chunked', `${SEND_LINE}\r\nTransfer-Encoding: gzip, identity`, SEND_JSON),
  onTheWire('a space before the colon', `${SEND_LINE}\r\nContent-Length : ${SEND_JSON.length}`, SEND_JSON),
  onTheWire('a NUL in a header', `${SEND_LINE}\r\nX-Note: a\u0000b\r\nContent-Length: ${SEND_JSON.length}`, SEND_JSON),
  onTheWire('a bare LF in the request line', `POST /sms/send HTTP/1.1\nHost: 127.0.0.1\r\nContent-Length: 0`),
  onTheWire('an X-Forwarded-For folded onto two lines', `${SEND_LINE}\r\nX-Forwarded-For: 203.0.113.9,\r\n 127.0.0.1\r\nContent-Length: ${SEND_JSON.length}`, SEND_JSON),
  onTheWire('32 KB of headers', `${SEND_LINE}\r\nX-Pad: ${'a'.repeat(32 * 1024)}\r\nContent-Length: ${SEND_JSON.length}`, SEND_JSON, 431, 'headers_too_large'),
  // Routes and methods that do not exist.
  { name: 'POST /health', method: 'POST', path: '/health', build: raw(JSON_TYPE, '{}'), expectStatus: 404, expectCode: 'not_found' },
  { name: 'DELETE /sms/send', method: 'DELETE', path: '/sms/send', build: raw({}), expectStatus: 404, expectCode: 'not_found' },
  { name: 'GET /%2e%2e/etc/passwd', method: 'GET', path: '/%2e%2e/%2e%2e/etc/passwd', build: raw({}), expectStatus: 404, expectCode: 'not_found' },
  // The routes of the safety rails, the outbox, operations and delivery status.
  { name: 'approvals: to as an array', method: 'POST', path: '/sms/approvals', build: raw(JSON_TYPE, JSON.stringify({ to: [GOOD_TO], reason: 'x' })), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'approvals: no reason', method: 'POST', path: '/sms/approvals', build: raw(JSON_TYPE, JSON.stringify({ to: GOOD_TO })), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'approvals: a __proto__ key', method: 'POST', path: '/sms/approvals', build: raw(JSON_TYPE, '{"to":"+15551234567","reason":"x","__proto__":{"admin":true}}'), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'approvals: a body with a lone surrogate', method: 'POST', path: '/sms/approvals', build: raw(JSON_TYPE, '{"to":"+15551234567","reason":"x","body":"x\\ud800y"}'), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'approvals: a premium-rate number', method: 'POST', path: '/sms/approvals', build: raw(JSON_TYPE, JSON.stringify({ to: '+19005550123', reason: 'x' })), expectStatus: 403, expectCode: 'destination_not_allowed' },
  { name: 'approve without the operator token', method: 'POST', path: '/sms/approvals/00000000-0000-0000-0000-000000000000/approve', build: raw({}), expectStatus: 403, expectCode: 'operator_only' },
  { name: 'deny with a forged token', method: 'POST', path: '/sms/approvals/00000000-0000-0000-0000-000000000000/deny', build: raw({ authorization: 'Bearer ' + 'a'.repeat(64) }), expectStatus: 403, expectCode: 'operator_only' },
  { name: 'pre-approve without the operator token', method: 'POST', path: '/sms/contacts', build: raw(JSON_TYPE, JSON.stringify({ number: GOOD_TO })), expectStatus: 403, expectCode: 'operator_only' },
  { name: 'backup without the operator token', method: 'POST', path: '/sms/backup', build: raw({}), expectStatus: 403, expectCode: 'operator_only' },
  { name: 'outbox: limit 0', method: 'GET', path: '/sms/outbox?limit=0', build: raw({}), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'outbox: an unknown status', method: 'GET', path: '/sms/outbox?status=exploded', build: raw({}), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'outbox: since that is neither time nor sid', method: 'GET', path: '/sms/outbox?since=yesterday', build: raw({}), expectStatus: 400, expectCode: 'invalid_since' },
  { name: 'messages: an unknown sid', method: 'GET', path: '/sms/messages/SM' + '0'.repeat(32), build: raw({}), expectStatus: 404, expectCode: 'message_not_found' },
  { name: 'audit: a negative cursor', method: 'GET', path: '/sms/audit?after=-1', build: raw({}), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'status callback without a signature', method: 'POST', path: '/api/sms/status', build: raw(FORM_TYPE, form({ MessageSid: 'SM' + 'ab'.repeat(16), MessageStatus: 'delivered' })), expectStatus: 403, expectCode: 'invalid_signature' },
  { name: 'status callback as JSON', method: 'POST', path: '/sms/status', build: raw(JSON_TYPE, '{"MessageStatus":"delivered"}'), expectStatus: 415, expectCode: 'unsupported_media_type' },
  fromProxy('X-Forwarded-For', '/metrics', 'GET', { 'x-forwarded-for': '203.0.113.7' }),
  fromProxy('X-Forwarded-For', '/docs-json', 'GET', { 'x-forwarded-for': '203.0.113.7' }),
  fromProxy('X-Forwarded-For', '/health/ready', 'GET', { 'x-forwarded-for': '203.0.113.7' }),
  fromProxy('Forwarded', '/sms/approvals', 'GET', { forwarded: 'for=203.0.113.7' }),
];
