import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from './helpers/bridge-process';
import { builtApp, NODE_PATH } from './helpers/build-app';
import { freePort } from './helpers/free-port';
import { itOnSqlite } from './helpers/test-database';

/** One command of the quickstart and the answer the README shows under it. */
interface Step {
  command: string;
  answer: string[];
}

/**
 * The README's "Try it" shell block as a reader pastes it: a line ending in `\` goes on,
 * `#` lines right under a command are its answer, other `#` lines are prose.
 */
function quickstart(): Step[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  const steps: Step[] = [];
  let current: Step | undefined;
  let continued = false;
  for (const line of block.split('\n')) {
    if (continued) {
      current!.command += `\n${line}`;
    } else if (line.trim() === '') {
      current = undefined;
    } else if (line.startsWith('#')) {
      current?.answer.push(line.replace(/^# ?/, ''));
    } else {
      current = { command: line, answer: [] };
      steps.push(current);
    }
    continued = line.endsWith('\\');
  }
  return steps;
}

/** An answer line as the README writes it: `…` stands for anything, spaces for any spacing. */
function answerPattern(line: string): RegExp {
  const escaped = line
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
    .join('[\\s\\S]*');
  return new RegExp(escaped);
}

/** The line the terminal prints after each command, with its exit status. */
const FINISHED = /\n@@status (\d+)\n$/;

/** One bash for the whole block, as in a terminal: variables set by a line reach the next. */
class Terminal {
  private output = '';
  private readonly shell: ChildProcessWithoutNullStreams;

  constructor(cwd: string, env: Record<string, string>) {
    this.shell = spawn('bash', ['--noprofile', '--norc'], { cwd, env });
    this.shell.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.shell.stdin.write('exec 2>&1\nset -o pipefail\n');
  }

  async run(command: string): Promise<{ status: number; output: string }> {
    this.output = '';
    this.shell.stdin.write(`${command}\nprintf '\\n@@status %s\\n' "$?"\n`);
    let done = FINISHED.exec(this.output);
    while (!done) {
      if (this.shell.exitCode !== null) throw new Error(`bash exited:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      done = FINISHED.exec(this.output);
    }
    return { status: Number(done[1]), output: this.output.slice(0, done.index) };
  }

  close(): void {
    this.shell.stdin.end();
  }
}

describe("the README's quickstart", () => {
  let home: string;
  let bridge: BridgeProcess;
  let ports: { bridge: number; simulator: number };

  beforeAll(async () => {
    // The reader's checkout: dist/ as `npm start` builds it, data/ beside it.
    home = mkdtempSync(join(tmpdir(), 'sms-bridge-quickstart-'));
    symlinkSync(builtApp(), join(home, 'dist'));
    ports = { bridge: await freePort(), simulator: await freePort() };
    bridge = new BridgeProcess({
      PORT: String(ports.bridge),
      SMS_SIMULATOR_PORT: String(ports.simulator),
      SMS_DATABASE_PATH: join(home, 'data', 'sms-bridge.db'),
      SMS_BRIDGE_ENV_FILE: join(home, 'absent.env'),
    });
    await bridge.start();
  }, 90_000);

  afterAll(async () => {
    await bridge?.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  });

  itOnSqlite('the quickstart runs the SQLite bridge of `npm start`')(
    'works pasted line by line into a second terminal, each command answering as shown',
    async () => {
      const steps = quickstart();
      expect(steps.length).toBeGreaterThan(5);
      // The README's own instructions for other ports: export them, and use them for 3032 and 3033.
      const terminal = new Terminal(home, {
        PATH: process.env.PATH!,
        NODE_PATH,
        PORT: String(ports.bridge),
        SMS_SIMULATOR_PORT: String(ports.simulator),
        SMS_BRIDGE_ENV_FILE: join(home, 'absent.env'),
      });
      try {
        for (const { command, answer } of steps) {
          const pasted = command
            .replaceAll(':3032', `:${ports.bridge}`)
            .replaceAll(':3033', `:${ports.simulator}`);
          // A read may be repeated, as the README says of the delivery report; nothing else is.
          const repeatable = /^curl /.test(pasted) && !pasted.includes(' -X ');
          const deadline = Date.now() + 10_000;
          let ran = await terminal.run(pasted);
          const matches = () =>
            answer.length === 0
              ? ran.output.trim() === ''
              : answer.every((line) => answerPattern(line).test(ran.output));
          while (repeatable && ran.status === 0 && !matches() && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            ran = await terminal.run(pasted);
          }
          expect({ command, status: ran.status, output: ran.output }).toEqual({
            command,
            status: 0,
            output: ran.output,
          });
          expect({ command, answers: matches(), output: ran.output }).toEqual({
            command,
            answers: true,
            output: ran.output,
          });
        }
      } finally {
        terminal.close();
      }
    },
    60_000,
  );
});
