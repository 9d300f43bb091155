import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwilioSimulator } from '../../src/twilio/simulator/twilio-simulator';
import { BridgeProcess, simulatedBridge } from '../helpers/bridge-process';
import { freePort } from '../helpers/free-port';
import { dropStoreFor, storeEnvFor } from '../helpers/test-database';

const WORKERS = 16;

describe('kill -9 in the middle of an inbound flood', () => {
  let dataDir: string;
  let simulator: TwilioSimulator;
  let bridge: BridgeProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sms-bridge-crash-'));
    const databasePath = join(dataDir, 'sms-bridge.db');
    const simulated = await simulatedBridge(databasePath);
    simulator = simulated.simulator;
    bridge = new BridgeProcess({ ...simulated.env, ...(await storeEnvFor(databasePath)) });
    await bridge.start();
  }, 60_000);

  afterAll(async () => {
    await bridge.kill();
    await simulator.close();
    await dropStoreFor(join(dataDir, 'sms-bridge.db'));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every message it answered 200 for', async () => {
    const acknowledged: string[] = [];
    let failed = 0;
    let killed = false;
    const worker = async () => {
      for (let n = 0; ; n++) {
        try {
          const result = await simulator.sendInbound({ from: '+15557654321', body: `flood ${n}` });
          if (result.status === 200) acknowledged.push(result.messageSid);
        } catch {
          // Refused or reset: the bridge is gone; nothing was acknowledged.
          failed += 1;
          if (killed) return;
        }
      }
    };
    const flood = Promise.all(Array.from({ length: WORKERS }, worker));
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await bridge.kill('SIGKILL');
    await flood;
    expect(failed).toBeGreaterThanOrEqual(WORKERS);

    await bridge.start(await freePort());
    const stored = new Set<string>();
    let since = '1970-01-01T00:00:00Z';
    for (let more = true; more;) {
      const res = await fetch(
        `${bridge.url}/sms/inbox?since=${since}&limit=500&includeSuppressed=true`,
      );
      const page = (await res.json()) as {
        messages: { sid: string }[];
        nextCursor: string;
        hasMore: boolean;
      };
      page.messages.forEach((message) => stored.add(message.sid));
      since = page.nextCursor;
      more = page.hasMore;
    }
    expect(acknowledged.filter((sid) => !stored.has(sid))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
  }, 60_000);
});
