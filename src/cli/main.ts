#!/usr/bin/env node
import { runCli } from './cli';

// The operator CLI (`npx sms-bridge ...`, or /usr/local/bin/sms-bridge from deploy/install.sh).
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
);
