import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { TwilioSimulator } from '../../src/twilio/simulator/twilio-simulator';
import { builtApp, NODE_PATH } from './build-app';
import { freePort } from './free-port';

/**
 * A Twilio simulator of its own, listening and delivering to the bridge, and the settings of
 * that bridge: on a free port, its database at `databasePath` and no env file beside it.
 */
export async function simulatedBridge(
  databasePath: string,
): Promise<{ simulator: TwilioSimulator; env: Record<string, string> }> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const simulator = new TwilioSimulator({ accountSid, authToken });
  await simulator.listen();
  const port = await freePort();
  simulator.webhookUrl = `http://127.0.0.1:${port}/sms/webhook`;
  const env = {
    NODE_ENV: 'test',
    PORT: String(port),
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_PHONE_NUMBER: '+15005550006',
    TWILIO_API_BASE_URL: simulator.baseUrl,
    SMS_DATABASE_PATH: databasePath,
    SMS_BRIDGE_ENV_FILE: join(dirname(databasePath), 'absent.env'),
  };
  return { simulator, env };
}

/** The bridge as its own process (node dist/main.js), so that it can be killed for real. */
export class BridgeProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(private readonly env: Record<string, string>) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /**
   * Starts it (on `port`, if given, from then on) and waits for a healthy /health.
   * A restart takes a fresh port: the old one may have gone to another test meanwhile.
   * The wait is long: a boot takes 1 s on an idle machine and over 15 s on a loaded 2-core one.
   */
  async start(port?: number, timeoutMs = 60_000): Promise<void> {
    if (port !== undefined) this.env.PORT = String(port);
    this.output = '';
    const child = spawn(process.execPath, [join(builtApp(), 'main.js')], {
      // The build lives in a temp dir: node_modules is found through NODE_PATH.
      env: { PATH: process.env.PATH, NODE_PATH, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      const healthy = await fetch(`${this.url}/health`)
        .then((res) => res.ok)
        .catch(() => false);
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.child.kill('SIGKILL');
    throw new Error(`The bridge did not become healthy:\n${this.output.slice(-2000)}`);
  }

  /** kill -9: no shutdown hook, no flush, no goodbye. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
