import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const ROOT = resolve(__dirname, '..', '..');

/**
 * The MCP server compiled as `node dist/mcp/main.js` would run it: only its own import
 * graph, into a temp directory, so a test file pays for seconds, not a full build.
 */
export class McpBuild {
  private constructor(readonly dir: string) {}

  static async compile(): Promise<McpBuild> {
    const dir = mkdtempSync(join(tmpdir(), 'sms-bridge-mcp-'));
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.build.json'),
        compilerOptions: {
          rootDir: join(ROOT, 'src'),
          outDir: join(dir, 'dist'),
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          incremental: false,
          sourceMap: false,
        },
        files: [join(ROOT, 'src', 'mcp', 'main.ts')],
        include: [],
      }),
    );
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      tsconfig,
    ]);
    // The server's version is read from package.json, two levels above dist/mcp, as installed.
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    return new McpBuild(dir);
  }

  get entry(): string {
    return join(this.dir, 'dist', 'mcp', 'main.js');
  }

  /** Connects to a test app's bridge, as an agent configured with its URL would. */
  connectTo(t: { url: string; dir: string }): Promise<Client> {
    return this.connect({
      SMS_BRIDGE_URL: t.url,
      SMS_BRIDGE_ENV_FILE: join(t.dir, 'absent.env'),
    });
  }

  /** Spawns the server as an agent would and connects an SDK client to it over stdio. */
  async connect(env: Record<string, string>): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [this.entry],
      env: {
        ...getDefaultEnvironment(),
        // The build lives outside the repo; its requires resolve against the repo's packages.
        NODE_PATH: join(ROOT, 'node_modules'),
        ...env,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'sms-bridge-test', version: '0.0.0' });
    await client.connect(transport);
    return client;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The text a tool answered with, all blocks joined. */
export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
