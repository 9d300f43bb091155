import { ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Compiles src/ as the build does, into a temp dir laid out like the repo (dist/ and
 * package.json beside it), and returns that dir. Transpiling file by file takes a second
 * where a type-checked build takes many; `npx tsc` already checks the types.
 */
export function buildBridge(): string {
  const out = mkdtempSync(join(tmpdir(), 'sms-bridge-build-'));
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), (path) =>
    readFileSync(path, 'utf8'),
  );
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const target = join(out, 'dist', relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { ...options, sourceMap: false, incremental: false },
      fileName: file,
    });
    writeFileSync(target, outputText);
  }
  cpSync(join(ROOT, 'src', 'storage', 'migrations'), join(out, 'dist', 'storage', 'migrations'), {
    recursive: true,
  });
  copyFileSync(join(ROOT, 'package.json'), join(out, 'package.json'));
  return out;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The bridge as its own process (node dist/main.js), so that it can be killed for real. */
export class BridgeProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(
    private readonly buildDir: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /**
   * Starts it (on `port`, if given, from then on) and waits for a healthy /health.
   * A restart takes a fresh port: the old one may have gone to another test meanwhile.
   */
  async start(port?: number, timeoutMs = 15_000): Promise<void> {
    if (port !== undefined) this.env.PORT = String(port);
    this.output = '';
    const child = spawn(process.execPath, [join(this.buildDir, 'dist', 'main.js')], {
      // The build lives in a temp dir: node_modules is found through NODE_PATH.
      env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), ...this.env },
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
