'use strict';
// The bare baseline for the webhook benchmark: node:http doing the same work as the
// bridge's POST /sms/webhook with the same libraries and the same durability:
// form parsing (querystring, as body-parser's extended: false), the twilio SDK's
// validateRequest, the account check, the same INSERT on the same schema with the
// same pragmas (WAL, synchronous=FULL), then the same empty TwiML. No framework.
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('node:querystring');
const BetterSqlite3 = require('better-sqlite3');
const { validateRequest } = require('twilio');

const { DB_PATH, AUTH_TOKEN, ACCOUNT_SID, PUBLIC_BASE_URL } = process.env;
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const LIMIT = 64 * 1024;

const db = new BetterSqlite3(DB_PATH);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.exec(readFileSync(join(__dirname, 'baseline-schema.sql'), 'utf8'));
const insert = db.prepare(
  `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, media, received_at)
   VALUES (@sid, @accountSid, @from, @to, @body, @media, @receivedAt)
   ON CONFLICT (sid) DO NOTHING`,
);

function answer(res, status, body, type) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > LIMIT)
      return answer(res, 413, '{"error":{"code":"payload_too_large"}}', 'application/json');
    const params = parse(Buffer.concat(chunks).toString('utf8'));
    const signature = req.headers['x-twilio-signature'];
    const url = PUBLIC_BASE_URL + req.url;
    if (typeof signature !== 'string' || !validateRequest(AUTH_TOKEN, signature, url, params)) {
      return answer(res, 403, '{"error":{"code":"invalid_signature"}}', 'application/json');
    }
    if (params.AccountSid !== ACCOUNT_SID) {
      return answer(res, 403, '{"error":{"code":"wrong_account"}}', 'application/json');
    }
    insert.run({
      sid: params.MessageSid,
      accountSid: params.AccountSid,
      from: params.From,
      to: params.To,
      body: params.Body ?? '',
      media: '[]',
      receivedAt: new Date().toISOString(),
    });
    answer(res, 200, TWIML, 'text/xml; charset=utf-8');
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
