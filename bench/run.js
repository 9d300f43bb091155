'use strict';
// npm run bench [-- --quick]: the bridge (built dist/) against a bare node:http baseline,
// on loopback, each scenario bounded. Prints one table, writes bench/results/<time>.json
// and the table in docs/BENCHMARKS.md. --quick: short runs to check the harness itself.
// PostgreSQL rows: on SMS_BENCH_POSTGRES_URL, or on a throwaway server (.ci/postgres) when
// Debian's PostgreSQL is installed; skipped with the reason otherwise.
const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} = require('node:fs');
const { createServer } = require('node:net');
const os = require('node:os');
const { dirname, join } = require('node:path');
const autocannon = require('autocannon');
const BetterSqlite3 = require('better-sqlite3');
const { Client } = require('pg');
const { getExpectedTwilioSignature } = require('twilio');
const { TcpProxy } = require('./tcp-proxy');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

const QUICK = process.argv.includes('--quick');
// --only=send,sendRam: just those scenarios, printed as JSON; no table, no files written.
const ONLY = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const SECONDS = QUICK ? 1 : 6;
const ROUNDS = QUICK ? 1 : 3;
const SEED_ROWS = QUICK ? 100_000 : 1_000_000;
const RSS_WEBHOOKS = QUICK ? 10_000 : 100_000;
const RSS_MAX_SECONDS = 180;
const BOOTS = QUICK ? 2 : 5;
const PUBLIC_BASE_URL = 'https://bench.example';
const BRIDGE_NUMBER = '+15005550006';
const CLOCK_TICKS = 100;
/** The node flags the systemd unit (and `npm start`) run the bridge with. */
const UNIT_NODE_FLAGS = /^ExecStart=.*$/m
  .exec(readFileSync(join(ROOT, 'deploy', 'sms-bridge.service'), 'utf8'))[0]
  .split(' ')
  .filter((arg) => arg.startsWith('--max-'));
/** Inbound texts come from many phones; see signedWebhook. */
const SENDERS = 10_000;
/** Added one-way delay of each PostgreSQL configuration; 0 is loopback with no proxy. */
const POSTGRES_DELAYS_MS = [0, 1, 5];
/** Concurrent sends per bridge on PostgreSQL: its pool holds 10 connections. */
const POSTGRES_SEND_CONNECTIONS = 10;
/**
 * Longer than the bridge's default bounds on a statement (5 s, and 1 s of client grace) and
 * on a connect (5 s), so that the stalled webhooks' 503s land inside the run.
 */
const STALL_SECONDS = 10;
const TARGETS = {
  webhookCpuRatio: 3,
  sendOverheadMeanMs: 3,
  inboxP50Ms: 5,
  rssMb: 150,
  rssGrowthMb: 10,
  bootMs: 1500,
  stalledHealthP99Ms: 100,
};

const work = mkdtempSync(join(os.tmpdir(), 'sms-bridge-bench-'));
/**
 * A RAM disk, where fsync costs nothing: the same scenarios there show what the code
 * costs apart from the disk's durability, and let 100k webhooks fit in a bounded run.
 */
const ramDisk = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/sms-bridge-bench-') : null;
const children = new Set();

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function credentials() {
  return {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
  };
}

function spawnChild(args, env) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stdout.on('data', (chunk) => (child.output += chunk));
  child.stderr.on('data', (chunk) => (child.output += chunk));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${child.output}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no answer from ${url}:\n${child.output}`);
}

/** The bridge as production runs it: node dist/main.js. */
async function startBridge(
  name,
  { port, creds, apiBaseUrl, dbPath, dir = work, nodeArgs = [], databaseUrl },
) {
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    TWILIO_ACCOUNT_SID: creds.accountSid,
    TWILIO_AUTH_TOKEN: creds.authToken,
    TWILIO_PHONE_NUMBER: BRIDGE_NUMBER,
    TWILIO_API_BASE_URL: apiBaseUrl,
    SMS_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
    SMS_DATABASE_PATH: dbPath ?? join(dir, `${name}.db`),
    SMS_BRIDGE_ENV_FILE: join(work, 'absent.env'),
    // The rails stay on but wide: the bench measures the path (every check still runs), not
    // the policy. Approval cannot be off in production; the recipient is pre-approved below.
    SMS_DAILY_LIMIT: '100000000',
    SMS_DAILY_LIMIT_PER_RECIPIENT: '100000000',
    SMS_SEND_RATE_PER_MINUTE: '100000000',
    SMS_WEBHOOK_RATE_PER_MINUTE: '100000000',
    SMS_INBOUND_PER_SENDER_PER_MINUTE: '10000',
    ...(databaseUrl && { SMS_DATABASE_URL: databaseUrl }),
  };
  const started = process.hrtime.bigint();
  const child = spawnChild([...nodeArgs, join(DIST, 'main.js')], env);
  await waitFor(`http://127.0.0.1:${port}/health`, child);
  child.bootMs = Number(process.hrtime.bigint() - started) / 1e6;
  child.url = `http://127.0.0.1:${port}`;
  await preApprove(child.url, join(dirname(env.SMS_DATABASE_PATH), 'operator.token'));
  return child;
}

/** The operator approves the benchmark's recipient, as `sms-bridge approve-number` would. */
async function preApprove(url, tokenFile) {
  const res = await fetch(`${url}/sms/contacts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`,
    },
    body: JSON.stringify({ number: '+15551234567' }),
  });
  if (res.status !== 201)
    throw new Error(`pre-approval refused: ${res.status} ${await res.text()}`);
}

/** A helper server of this folder (baseline, simulator) as a child process. */
async function startHelper(script, port, env) {
  const child = spawnChild([join(__dirname, script)], { PORT: String(port), ...env });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', () => child.output.includes('listening') && resolve());
    child.once('exit', () => reject(new Error(`${script} exited:\n${child.output}`)));
  });
  child.url = `http://127.0.0.1:${port}`;
  return child;
}

function startBaseline(port, creds, dir) {
  return startHelper('baseline-server.js', port, {
    DB_PATH: join(dir, 'baseline.db'),
    AUTH_TOKEN: creds.authToken,
    ACCOUNT_SID: creds.accountSid,
    PUBLIC_BASE_URL,
  });
}

/**
 * A signed inbound SMS with a fresh MessageSid, as Twilio would post it, from one of
 * SENDERS numbers. One number posting thousands a second measures the per-sender limit's
 * suppression (a count up to the cap and an audit row per text), not the webhook path.
 */
function signedWebhook(creds, path) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const from = `+1555${String(Math.floor(Math.random() * SENDERS)).padStart(7, '0')}`;
  const params = {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: 'benchmark text',
    To: BRIDGE_NUMBER,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: creds.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  };
  return {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(
        creds.authToken,
        PUBLIC_BASE_URL + path,
        params,
      ),
    },
    body: new URLSearchParams(params).toString(),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU time (user + system) a process has used so far, from /proc/<pid>/stat; NaN off Linux. */
function cpuMs(pid) {
  if (!existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ, 100 on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * autocannon with exact latencies: its histogram keeps whole milliseconds, too coarse
 * for a 2 ms budget, so every response time is collected from its 'response' event.
 */
async function load(server, { connections, seconds, amount, maxSeconds, request, expectStatus }) {
  const latencies = [];
  let unexpected = 0;
  const expected = [expectStatus].flat();
  /** How many answers of each status, the expected ones included. */
  const statuses = {};
  const cpuBefore = cpuMs(server.pid);
  const instance = autocannon({
    url: server.url,
    connections,
    requests: [request],
    ...(amount ? { amount } : { duration: seconds }),
  });
  // autocannon ignores duration when given an amount; this bounds such a run.
  const bound = maxSeconds && setTimeout(() => instance.stop(), maxSeconds * 1000);
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (expected.includes(status)) latencies.push(ms);
    else unexpected += 1;
  });
  let result;
  try {
    result = await instance;
  } finally {
    clearTimeout(bound);
  }
  const cpu = cpuMs(server.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return withLatencies(latencies, {
    requests: latencies.length,
    // What the server itself burned per answer: steadier than latency on a shared machine.
    cpuMsPerRequest: cpu / Math.max(1, latencies.length),
    unexpected: unexpected + result.errors + result.timeouts,
    statuses,
    reqPerSec: latencies.length / result.duration,
    seconds: result.duration,
    cpuMs: cpu,
    mean: mean(latencies),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  });
}

function mean(values) {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

/** Keeps the raw latencies with a result for merging, out of its JSON. */
function withLatencies(latencies, result) {
  return Object.defineProperty(result, 'latencies', { value: latencies, enumerable: false });
}

/**
 * Several runs as one: their answers and CPU added up, over their time added up (one server
 * run after run) or, for runs side by side (two bridges at once), the longest of them.
 */
function merge(runs, { sideBySide = false } = {}) {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = sideBySide
    ? Math.max(...runs.map((run) => run.seconds))
    : runs.reduce((sum, run) => sum + run.seconds, 0);
  const cpu = runs.reduce((sum, run) => sum + run.cpuMs, 0);
  return withLatencies(latencies, {
    requests: latencies.length,
    cpuMsPerRequest: cpu / Math.max(1, latencies.length),
    unexpected: runs.reduce((sum, run) => sum + run.unexpected, 0),
    statuses: addStatuses(runs),
    reqPerSec: latencies.length / seconds,
    seconds,
    cpuMs: cpu,
    mean: mean(latencies),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  });
}

function addStatuses(runs) {
  const statuses = {};
  for (const [status, count] of runs.flatMap((run) => Object.entries(run.statuses))) {
    statuses[status] = (statuses[status] ?? 0) + count;
  }
  return statuses;
}

function round(value, digits = 2) {
  return value === null || value === undefined ? null : Number(value.toFixed(digits));
}

async function webhookScenario(dir) {
  const creds = credentials();
  const bridge = await startBridge('webhook', {
    dir,
    port: await freePort(),
    creds,
    apiBaseUrl: 'http://127.0.0.1:9',
  });
  const baseline = await startBaseline(await freePort(), creds, dir);
  const run = (server, seconds, connections = 50) =>
    load(server, {
      connections,
      seconds,
      expectStatus: 200,
      request: { setupRequest: () => signedWebhook(creds, '/sms/webhook') },
    });
  try {
    // Warm both (JIT, page cache), then measure them back to back in this run.
    await run(bridge, 1);
    await run(baseline, 1);
    // Alternated in short rounds: the disk's fsync time drifts with what else the machine
    // does, and measuring one server after the other would hand the drift to the ratio.
    const bridgeRuns = [];
    const baselineRuns = [];
    for (let round = 0; round < ROUNDS; round++) {
      bridgeRuns.push(await run(bridge, SECONDS / ROUNDS));
      baselineRuns.push(await run(baseline, SECONDS / ROUNDS));
    }
    const ofBridge = merge(bridgeRuns);
    const ofBaseline = merge(baselineRuns);
    // Below saturation, where latency is the server's and not the queue's (Little's law).
    const light = await run(bridge, SECONDS, 5);
    return {
      bridge: ofBridge,
      baseline: ofBaseline,
      light,
      ratio: ofBridge.reqPerSec / ofBaseline.reqPerSec,
      cpuRatio: ofBridge.cpuMsPerRequest / ofBaseline.cpuMsPerRequest,
    };
  } finally {
    await stop(bridge);
    await stop(baseline);
  }
}

/**
 * The part of a send the bridge cannot shed: the twilio SDK's own client (the bridge's
 * TwilioClient, from dist/) calling the same simulator, one call at a time, in this process.
 */
async function sdkSends(creds, simulatorUrl, seconds) {
  const { TwilioClient } = require(join(DIST, 'twilio', 'twilio.client.js'));
  const { MetricsService } = require(join(DIST, 'metrics', 'metrics.service.js'));
  const client = new TwilioClient(
    { ...creds, phoneNumber: BRIDGE_NUMBER, apiBaseUrl: simulatorUrl, timeoutMs: 10_000 },
    new MetricsService(),
  );
  const message = { to: '+15551234567', body: 'benchmark text' };
  for (let i = 0; i < 200; i++) await client.send(message);
  const latencies = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const sent = process.hrtime.bigint();
    await client.send(message);
    latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    reqPerSec: latencies.length / seconds,
    mean: mean(latencies),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The Twilio simulator, in a process of its own, for the account of `creds`. */
async function startSimulator(creds) {
  return startHelper('simulator-server.js', await freePort(), {
    ACCOUNT_SID: creds.accountSid,
    AUTH_TOKEN: creds.authToken,
  });
}

/** The agent's send to the pre-approved recipient. */
const SEND = {
  method: 'POST',
  path: '/sms/send',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ to: '+15551234567', body: 'benchmark text' }),
};

async function sendScenario(dir) {
  const creds = credentials();
  const simulator = await startSimulator(creds);
  const bridge = await startBridge('send', {
    dir,
    port: await freePort(),
    creds,
    apiBaseUrl: simulator.url,
  });
  const auth = Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64');
  const direct = {
    method: 'POST',
    path: `/2010-04-01/Accounts/${creds.accountSid}/Messages.json`,
    headers: {
      authorization: `Basic ${auth}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      To: '+15551234567',
      From: BRIDGE_NUMBER,
      Body: 'benchmark text',
    }).toString(),
  };
  // One connection: the question is how long one send takes, not how many fit.
  const run = (server, request, expectStatus, seconds) =>
    load(server, { connections: 1, seconds, request, expectStatus });
  try {
    await run(simulator, direct, 201, 1);
    await run(bridge, SEND, 201, 1);
    const ofSimulator = await run(simulator, direct, 201, SECONDS);
    const ofSdk = await sdkSends(creds, simulator.url, SECONDS);
    const ofBridge = await run(bridge, SEND, 201, SECONDS);
    return {
      bridge: ofBridge,
      simulator: ofSimulator,
      sdk: ofSdk,
      overheadP50: ofBridge.p50 - ofSimulator.p50,
      overheadMean: ofBridge.mean - ofSimulator.mean,
    };
  } finally {
    await stop(bridge);
    await stop(simulator);
  }
}

/**
 * The PostgreSQL server the bench runs on: SMS_BENCH_POSTGRES_URL, or a throwaway one from
 * Debian's binaries (.ci/postgres); { skipped } with the reason when there is neither.
 */
function postgresServer() {
  const given = process.env.SMS_BENCH_POSTGRES_URL;
  if (given) return { url: given, stop() {} };
  if (!existsSync('/usr/lib/postgresql')) {
    return { skipped: 'no SMS_BENCH_POSTGRES_URL, and no PostgreSQL under /usr/lib/postgresql' };
  }
  const script = join(ROOT, '.ci', 'postgres');
  const dir = mkdtempSync(join(os.tmpdir(), 'sms-bridge-bench-pg-'));
  try {
    const url = execFileSync(script, ['start', dir], { encoding: 'utf8' }).trim();
    return {
      url,
      stop() {
        execFileSync(script, ['stop', dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `.ci/postgres could not start a server: ${error.message.split('\n')[0]}` };
  }
}

async function onSession(url, statement) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database of its own on the server, so that each configuration starts empty. */
async function freshDatabase(serverUrl) {
  const name = `sms_bench_${randomBytes(6).toString('hex')}`;
  await onSession(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onSession(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The database's URL through a TcpProxy adding `delayMs` each way; loopback itself for 0. */
async function behindProxy(databaseUrl, delayMs) {
  const url = new URL(databaseUrl);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) }, delayMs);
  url.port = String(await proxy.listen());
  return { url: url.toString(), proxy };
}

/** Bridges on one database, each with its own directory (operator token, audit file). */
async function startBridgesOn(databaseUrl, count, { creds, apiBaseUrl, label }) {
  const bridges = [];
  // One after the other: the first migrates the fresh database.
  for (let i = 0; i < count; i++) {
    const dir = join(work, `${label}-${i}`);
    mkdirSync(dir);
    bridges.push(
      await startBridge(`${label}-${i}`, {
        dir,
        databaseUrl,
        creds,
        apiBaseUrl,
        port: await freePort(),
      }),
    );
  }
  return bridges;
}

/** The same load on each bridge at once, as one result over both. */
async function loadSideBySide(bridges, options) {
  const runs = await Promise.all(bridges.map((bridge) => load(bridge, options)));
  return merge(runs, { sideBySide: true });
}

/** Webhooks and sends, on one bridge and on two bridges of one database. */
async function postgresThroughput(serverUrl, delayMs, creds, simulator) {
  const database = await freshDatabase(serverUrl);
  const { url, proxy } =
    delayMs > 0 ? await behindProxy(database.url, delayMs) : { url: database.url };
  const bridges = await startBridgesOn(url, 2, {
    creds,
    apiBaseUrl: simulator.url,
    label: `pg-${delayMs}ms`,
  });
  const webhooks = (servers, seconds) =>
    loadSideBySide(servers, {
      connections: 50,
      seconds,
      expectStatus: 200,
      request: { setupRequest: () => signedWebhook(creds, '/sms/webhook') },
    });
  const sends = (servers, seconds) =>
    loadSideBySide(servers, {
      connections: POSTGRES_SEND_CONNECTIONS,
      seconds,
      expectStatus: 201,
      request: SEND,
    });
  try {
    await webhooks(bridges, 1);
    await sends(bridges, 1);
    return {
      delayMs,
      webhook: {
        one: await webhooks(bridges.slice(0, 1), SECONDS),
        two: await webhooks(bridges, SECONDS),
      },
      send: { one: await sends(bridges.slice(0, 1), SECONDS), two: await sends(bridges, SECONDS) },
      bootMs: bridges.map((bridge) => round(bridge.bootMs)),
    };
  } finally {
    for (const bridge of bridges) await stop(bridge);
    await proxy?.close();
    await database.drop();
  }
}

/**
 * A database that stops passing bytes (no reset) under a bridge taking webhooks: how fast
 * /health answers meanwhile, and how fast the webhooks get their honest 503.
 */
async function postgresStall(serverUrl, creds, simulator) {
  const database = await freshDatabase(serverUrl);
  const { url, proxy } = await behindProxy(database.url, 0);
  const [bridge] = await startBridgesOn(url, 1, {
    creds,
    apiBaseUrl: simulator.url,
    label: 'pg-stall',
  });
  const webhooks = (expectStatus, seconds) =>
    load(bridge, {
      connections: 10,
      seconds,
      expectStatus,
      request: { setupRequest: () => signedWebhook(creds, '/sms/webhook') },
    });
  try {
    // The pool's connections open and warm before the network goes silent.
    await webhooks(200, 1);
    proxy.stall();
    const [health, stalledWebhooks] = await Promise.all([
      load(bridge, {
        connections: 1,
        seconds: STALL_SECONDS,
        // 503 storage_unavailable is /health's honest answer once the database is found unusable.
        expectStatus: [200, 503],
        request: { method: 'GET', path: '/health' },
      }),
      webhooks(503, STALL_SECONDS),
    ]);
    return { health, webhook: stalledWebhooks };
  } finally {
    proxy.resume();
    await stop(bridge);
    await proxy.close();
    await database.drop();
  }
}

async function postgresScenario() {
  const server = postgresServer();
  if (server.skipped) return { skipped: server.skipped };
  const creds = credentials();
  const simulator = await startSimulator(creds);
  try {
    const configurations = [];
    for (const delayMs of POSTGRES_DELAYS_MS) {
      configurations.push(await postgresThroughput(server.url, delayMs, creds, simulator));
    }
    return { configurations, stall: await postgresStall(server.url, creds, simulator) };
  } finally {
    await stop(simulator);
    server.stop();
  }
}

/** Fills the bridge's own schema with `rows` inbound messages, one second apart, in one transaction. */
function seedInbox(dbPath, rows) {
  const db = new BetterSqlite3(dbPath);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, media, received_at)
     VALUES (?, 'AC00000000000000000000000000000000', '+15557654321', ?, ?, '[]', ?)`,
  );
  const start = Date.parse('2026-01-01T00:00:00Z');
  const started = Date.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const sid = `SM${i.toString(16).padStart(32, '0')}`;
      insert.run(
        sid,
        BRIDGE_NUMBER,
        `seeded message ${i}`,
        new Date(start + i * 1000).toISOString(),
      );
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    seedSeconds: (Date.now() - started) / 1000,
    timeAt: (i) => new Date(start + i * 1000).toISOString(),
  };
}

async function inboxScenario() {
  const creds = credentials();
  const dbPath = join(work, 'inbox.db');
  const port = await freePort();
  // First boot lays down the schema; the seed then goes straight into the file.
  await stop(await startBridge('inbox', { port, creds, apiBaseUrl: 'http://127.0.0.1:9', dbPath }));
  const seed = seedInbox(dbPath, SEED_ROWS);
  const bridge = await startBridge('inbox', {
    port,
    creds,
    apiBaseUrl: 'http://127.0.0.1:9',
    dbPath,
  });
  const since = (i) => ({
    method: 'GET',
    path: `/sms/inbox?since=${encodeURIComponent(seed.timeAt(i))}`,
  });
  const run = (request, seconds) =>
    load(bridge, { connections: 1, seconds, request, expectStatus: 200 });
  try {
    await run(since(SEED_ROWS - 50), 1);
    // An agent polling for what is new (the last 50), and one catching up from the middle.
    const recent = await run(since(SEED_ROWS - 50), SECONDS);
    const middle = await run(since(SEED_ROWS / 2), SECONDS);
    return { rows: SEED_ROWS, seedSeconds: seed.seedSeconds, recent, middle };
  } finally {
    await stop(bridge);
  }
}

async function bootScenario() {
  const creds = credentials();
  const times = [];
  for (let i = 0; i < BOOTS; i++) {
    // A fresh database each time: the first boot of an install migrates too.
    const bridge = await startBridge(`boot-${i}`, {
      port: await freePort(),
      creds,
      apiBaseUrl: 'http://127.0.0.1:9',
    });
    times.push(bridge.bootMs);
    await stop(bridge);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { boots: times.length, p50: percentile(sorted, 50), max: sorted.at(-1) };
}

function rssMb(pid) {
  if (!existsSync(`/proc/${pid}/status`)) {
    return (
      Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024
    );
  }
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function rssScenario(dir, nodeArgs, floods) {
  const creds = credentials();
  const bridge = await startBridge(`rss${nodeArgs.length}`, {
    dir,
    nodeArgs,
    port: await freePort(),
    creds,
    apiBaseUrl: 'http://127.0.0.1:9',
  });
  try {
    const idle = rssMb(bridge.pid);
    const started = Date.now();
    // In quarters, so the samples show a plateau (heap sizing) or a climb (a leak).
    const samples = [];
    let webhooks = 0;
    let unexpected = 0;
    for (let quarter = 0; quarter < 4 * floods; quarter++) {
      // A fresh sid per request costs the bench one HMAC; cycling pre-signed ones would repeat sids.
      const result = await load(bridge, {
        connections: 50,
        amount: RSS_WEBHOOKS / 4,
        maxSeconds: RSS_MAX_SECONDS / 4,
        expectStatus: 200,
        request: { setupRequest: () => signedWebhook(creds, '/sms/webhook') },
      });
      webhooks += result.requests;
      unexpected += result.unexpected;
      samples.push({ webhooks, rssMb: round(rssMb(bridge.pid), 1) });
    }
    // After the first flood, and the growth across the second (a leak climbs, a heap levels).
    const afterFirst = samples[3].rssMb;
    return {
      webhooks,
      seconds: (Date.now() - started) / 1000,
      idleMb: idle,
      afterMb: afterFirst,
      growthMb: floods > 1 ? samples.at(-1).rssMb - afterFirst : null,
      nodeArgs,
      samples,
      unexpected,
    };
  } finally {
    await stop(bridge);
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    nproc: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    node: process.version,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.type()} ${os.release()}`,
  };
}

// prettier-ignore
function table(r) {
  const ms = (v) => (v === null || v === undefined ? '-' : v.toFixed(2));
  const ok = (pass) => (pass ? 'met' : 'MISSED');
  const row = (name, m, vs = '', target = '', result = '') => [
    name,
    m.reqPerSec.toFixed(0),
    ms(m.p50),
    ms(m.p99),
    Number.isFinite(m.cpuMsPerRequest) ? m.cpuMsPerRequest.toFixed(2) : '-',
    vs,
    target,
    result,
  ];
  const pct = (ratio) => `${(ratio * 100).toFixed(0)}%`;
  const vsBaseline = (w) => `${pct(w.ratio)} req/s, ${w.cpuRatio.toFixed(1)}x CPU`;
  const webhookOk = (w) => ok(w.cpuRatio <= TARGETS.webhookCpuRatio && w.bridge.unexpected === 0);
  const over = (send) => `+${ms(send.overheadMean)} ms mean (+${ms(send.overheadP50)} p50)`;
  const { webhook, webhookRam, send, sendRam, inbox, boot, rss, rssDefaultHeap } = r;
  const flood = RSS_WEBHOOKS / 1000;
  const growth = rss.growthMb === null ? '-' : `${rss.growthMb >= 0 ? '+' : ''}${rss.growthMb.toFixed(0)} MB`;
  return [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'vs baseline', 'target', 'result'],
    row('(a) webhook, bridge, 50 conns', webhook.bridge, vsBaseline(webhook), 'CPU <= 3x, 0 non-2xx', webhookOk(webhook)),
    row('(a) webhook, bare baseline', webhook.baseline, '100%'),
    row('(a) webhook, bridge, 5 conns', webhook.light, '', '(p99 below saturation)'),
    row('(a) webhook, bridge, RAM disk', webhookRam.bridge, vsBaseline(webhookRam), '(no fsync: code alone)', webhookOk(webhookRam)),
    row('(a) webhook, bare baseline, RAM disk', webhookRam.baseline, '100%'),
    row('(b) send, bridge, 1 conn', send.bridge, over(send), '(2 fsyncs a send)'),
    row('(b) simulator alone, 1 conn', send.simulator),
    row('(b) twilio SDK client alone to the simulator', send.sdk),
    row('(b) send, bridge, RAM disk', sendRam.bridge, over(sendRam), 'overhead < 3 ms mean', ok(sendRam.overheadMean < TARGETS.sendOverheadMeanMs)),
    row('(b) simulator alone, RAM disk run', sendRam.simulator),
    row('(b) twilio SDK client alone, RAM disk run', sendRam.sdk),
    row(`(c) inbox since (newest 50), ${inbox.rows} rows`, inbox.recent, '', 'p50 < 5 ms', ok(inbox.recent.p50 < TARGETS.inboxP50Ms)),
    row(`(c) inbox since (middle), ${inbox.rows} rows`, inbox.middle, '', 'p50 < 5 ms', ok(inbox.middle.p50 < TARGETS.inboxP50Ms)),
    [`(d) boot to healthy /health, ${boot.boots} boots`, '-', ms(boot.p50), `max ${ms(boot.max)}`, '-', '', '< 1500 ms', ok(boot.max < TARGETS.bootMs)],
    [`(e) RSS after ${flood}k webhooks, as the unit runs it (${rss.nodeArgs.join(' ')})`, '-', '-', '-', '-', `${rss.afterMb.toFixed(0)} MB (idle ${rss.idleMb.toFixed(0)} MB)`, '< 150 MB', ok(rss.afterMb < TARGETS.rssMb)],
    [`(e) the same, across a second ${flood}k`, '-', '-', '-', '-', growth, `< +${TARGETS.rssGrowthMb} MB`, ok(rss.growthMb !== null && rss.growthMb < TARGETS.rssGrowthMb)],
    [`(e) RSS after ${flood}k webhooks, Node's default heap`, '-', '-', '-', '-', `${rssDefaultHeap.afterMb.toFixed(0)} MB (idle ${rssDefaultHeap.idleMb.toFixed(0)} MB)`, '(for comparison)', ''],
    ...postgresRows(r.postgres, row, ok),
  ];
}

// prettier-ignore
function postgresRows(pg, row, ok) {
  if (pg.skipped) return [[`(f) PostgreSQL: skipped (${pg.skipped})`, '-', '-', '-', '-', '', '', '']];
  const where = (c) => (c.delayMs ? `+${c.delayMs} ms each way` : 'loopback');
  const sends = POSTGRES_SEND_CONNECTIONS;
  const { health, webhook } = pg.stall;
  const healthOk = health.p99 !== null && health.p99 < TARGETS.stalledHealthP99Ms && health.unexpected === 0;
  return [
    ...pg.configurations.flatMap((c) => [
      row(`(f) PostgreSQL ${where(c)}: webhook, 1 bridge, 50 conns`, c.webhook.one),
      row(`(f) PostgreSQL ${where(c)}: webhook, 2 bridges, 50 conns each`, c.webhook.two),
      row(`(f) PostgreSQL ${where(c)}: send, 1 bridge, ${sends} conns`, c.send.one),
      row(`(f) PostgreSQL ${where(c)}: send, 2 bridges, ${sends} conns each`, c.send.two),
    ]),
    row(`(g) PostgreSQL stalled: GET /health, 1 conn, ${STALL_SECONDS} s`, health, statusCounts(health), 'p99 < 100 ms', ok(healthOk)),
    row('(g) PostgreSQL stalled: webhooks answered 503, 10 conns', webhook, `${webhook.unexpected} other answers`, '(a fast, honest error)'),
  ];
}

function statusCounts(result) {
  return Object.entries(result.statuses)
    .map(([status, count]) => `${count} x ${status}`)
    .join(', ');
}

/** What the table leaves out of the PostgreSQL rows: answers not counted, boot times. */
function postgresNotes(pg) {
  if (pg.skipped) return '';
  const notCounted = pg.configurations.flatMap((c) =>
    ['webhook', 'send'].flatMap((kind) =>
      [c[kind].one, c[kind].two].map((m) => `${m.unexpected} (${statusCounts(m)})`),
    ),
  );
  const boots = pg.configurations.map((c) => `${c.bootMs.join(' and ')} ms`);
  return ` PostgreSQL answers not counted (not 200 for webhooks, not 201 for sends; errors and timeouts included), row by row, with the statuses seen: ${notCounted.join(', ')}; boot to healthy of each configuration's two bridges: ${boots.join('; ')}.`;
}

function markdown(rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

function writeDoc(results, rows) {
  const path = join(ROOT, 'docs', 'BENCHMARKS.md');
  const m = results.machine;
  const block = [
    '<!-- bench:start (written by npm run bench; edit outside these markers) -->',
    `Run ${results.at}${results.quick ? ' (QUICK: harness check, not a measurement)' : ''} on ${m.nproc} x ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; load average before the run ${results.loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}.`,
    '',
    markdown(rows),
    '',
    `Raw numbers: \`bench/results/${results.file}\`. Webhook errors or non-200s: bridge ${results.webhook.bridge.unexpected}, baseline ${results.webhook.baseline.unexpected}; sends not 201: ${results.send.bridge.unexpected}; seed of ${results.inbox.rows} rows took ${results.inbox.seedSeconds.toFixed(1)} s; RSS run took ${results.rss.seconds.toFixed(0)} s, RSS by webhooks so far: ${results.rss.samples.map((x) => `${x.webhooks}: ${x.rssMb} MB`).join(', ')}; with Node's default heap: ${results.rssDefaultHeap.samples.map((x) => `${x.webhooks}: ${x.rssMb} MB`).join(', ')}.${postgresNotes(results.postgres)}`,
    '<!-- bench:end -->',
  ].join('\n');
  let doc;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
  }
  const replaced = doc.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, block);
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(path, replaced);
}

async function main() {
  const at = new Date().toISOString();
  const results = {
    at,
    quick: QUICK,
    machine: machine(),
    targets: TARGETS,
    loadBefore: os.loadavg().map((v) => round(v)),
  };
  const step = async (name, fn) => {
    if (ONLY && !ONLY.includes(name)) return;
    process.stderr.write(`bench: ${name}... `);
    const started = Date.now();
    results[name] = await fn();
    process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  };
  const fast = ramDisk ?? work;
  await step('webhook', () => webhookScenario(work));
  await step('webhookRam', () => webhookScenario(fast));
  await step('send', () => sendScenario(work));
  await step('sendRam', () => sendScenario(fast));
  await step('inbox', inboxScenario);
  await step('boot', bootScenario);
  // At ~6 ms per fsync 100k durable commits take minutes; memory does not depend on the disk.
  // As the systemd unit and `npm start` run it, over two floods: a leak would climb in the second.
  await step('rss', () => rssScenario(fast, UNIT_NODE_FLAGS, 2));
  // With Node's default heap, for comparison: V8 sizes the heap to the allocation rate.
  await step('rssDefaultHeap', () => rssScenario(fast, [], 1));
  await step('postgres', postgresScenario);
  results.loadAfter = os.loadavg().map((v) => round(v));
  if (ONLY) return console.log(JSON.stringify(results, null, 2));
  const rows = table(results);
  results.file = `${at.replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}.json`;
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', results.file), JSON.stringify(results, null, 2) + '\n');
  writeDoc(results, rows);
  console.log(
    `\nsms-bridge bench, ${at}${QUICK ? ' (quick)' : ''}: ${results.machine.nproc} x ${results.machine.cpu}, Node ${results.machine.node}`,
  );
  console.table(
    rows.slice(1).map((row) => Object.fromEntries(rows[0].map((head, i) => [head, row[i]]))),
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) await stop(child);
    rmSync(work, { recursive: true, force: true });
    if (ramDisk) rmSync(ramDisk, { recursive: true, force: true });
  });
