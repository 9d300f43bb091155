#!/usr/bin/env node
// A small client of the SMS bridge's local API for agents: JSON in, JSON out, no
// dependencies (Node 18+). Exit 0 on success, 1 when the bridge refused (the error body
// is printed), 2 when the bridge is not reachable or the command is wrong.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const BASE = (process.env.SMS_BRIDGE_URL ?? 'http://localhost:3032').replace(/\/+$/, '');
const CURSOR_FILE =
  process.env.SMS_BRIDGE_CURSOR_FILE ?? join(homedir(), '.cache', 'sms-bridge', 'inbox-cursor');

const USAGE = `usage: sms.mjs <command>
  send TO BODY [--key IDEMPOTENCY_KEY]   send a text (TO in E.164, e.g. +12025551234)
  new                                    replies since the last 'new' (remembers the cursor)
  inbox [--since CURSOR] [--limit N]     read the inbox
  status SID                             delivery status of a message
  contacts                               known numbers and their state
  ask TO REASON [--body TEXT]            ask the operator to approve a new contact
  limits                                 today's send budget`;

function fail(message) {
  console.error(message);
  process.exit(2);
}

function parse(args) {
  const positional = [];
  const options = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      if (i + 1 >= args.length) fail(`${args[i]} needs a value\n${USAGE}`);
      options[args[i].slice(2)] = args[++i];
    } else positional.push(args[i]);
  }
  return { positional, options };
}

async function call(method, path, { query = {}, body, headers = {} } = {}) {
  const url = new URL(BASE + path);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    fail(`The SMS bridge at ${BASE} is not answering (${error.cause?.code ?? error.message}).`);
  }
  const text = await response.text();
  console.log(text);
  if (!response.ok) process.exit(1);
  return JSON.parse(text);
}

function readCursor() {
  try {
    return readFileSync(CURSOR_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const [command, ...rest] = process.argv.slice(2);
const { positional, options } = parse(rest);
const need = (n) => positional.length >= n || fail(USAGE);

switch (command) {
  case 'send':
    need(2);
    await call('POST', '/sms/send', {
      body: { to: positional[0], body: positional[1] },
      headers: options.key ? { 'Idempotency-Key': options.key } : {},
    });
    break;
  case 'new': {
    const page = await call('GET', '/sms/inbox', { query: { since: readCursor(), limit: '100' } });
    if (page.nextCursor) {
      mkdirSync(dirname(CURSOR_FILE), { recursive: true });
      writeFileSync(CURSOR_FILE, page.nextCursor + '\n');
    }
    break;
  }
  case 'inbox':
    await call('GET', '/sms/inbox', { query: { since: options.since, limit: options.limit } });
    break;
  case 'status':
    need(1);
    await call('GET', `/sms/messages/${encodeURIComponent(positional[0])}`);
    break;
  case 'contacts':
    await call('GET', '/sms/contacts');
    break;
  case 'ask':
    need(2);
    await call('POST', '/sms/approvals', {
      body: { to: positional[0], reason: positional[1], body: options.body },
    });
    break;
  case 'limits':
    await call('GET', '/sms/limits');
    break;
  default:
    fail(USAGE);
}
