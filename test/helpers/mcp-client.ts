import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { builtApp, NODE_PATH } from './build-app';

/** The MCP server as `node dist/mcp/main.js` runs it, from the build the suite shares. */
export class McpBuild {
  private constructor(readonly entry: string) {}

  static shared(): McpBuild {
    return new McpBuild(join(builtApp(), 'mcp', 'main.js'));
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
        NODE_PATH,
        ...env,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'sms-bridge-test', version: '0.0.0' });
    await client.connect(transport);
    return client;
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
