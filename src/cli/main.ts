#!/usr/bin/env node
import { ConfigError } from '../config/config.error';
import { runCli } from './cli';

// The operator CLI (`npx sms-bridge ...`, or /usr/local/bin/sms-bridge from deploy/install.sh).
// `mcp` hands stdin and stdout to the MCP protocol, so it runs apart from the table commands
// (`mcp --help` is theirs), and its SDK is loaded only then: help and --version stay instant.
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === 'mcp') {
  import('../mcp/main')
    .then(({ startMcpServer }) => startMcpServer())
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(2);
    });
} else {
  void runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  }).then((code) => {
    process.exitCode = code;
  });
}
