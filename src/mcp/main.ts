import 'reflect-metadata';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { BridgeClient } from '../client/bridge-client';
import { loadBridgeUrl } from '../config/bridge-url';
import { ConfigError } from '../config/config.error';
import { createMcpServer } from './mcp.server';

/**
 * Serves the bridge's tools over stdio (`sms-bridge mcp`, or `node dist/mcp/main.js`).
 * stdout carries the protocol, so anything for a person goes to stderr. `env` replaces
 * the process environment (a caller with its own, such as the CLI's tests).
 */
export async function startMcpServer(env?: Record<string, string | undefined>): Promise<McpServer> {
  const baseUrl = loadBridgeUrl(env);
  const server = createMcpServer(BridgeClient.at(baseUrl));
  await server.connect(new StdioServerTransport());
  console.error(`sms-bridge MCP server on stdio, talking to the bridge at ${baseUrl}`);
  return server;
}

if (require.main === module) {
  startMcpServer().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
