import { COMMANDS } from './commands';

export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) =>
      `  ${command.operator ? '*' : ' '} ${name.padEnd(width)}  ${command.summary}`,
  );
  return `Usage: sms-bridge COMMAND [options]
       sms-bridge help COMMAND, or COMMAND --help: its arguments and options

Talks to the running bridge over its local API: SMS_BRIDGE_URL, or HOST and PORT
from /opt/openclaw.env (SMS_BRIDGE_ENV_FILE names another) or the environment.

Commands:
${lines.join('\n')}

* The operator's: they read the operator token (SMS_OPERATOR_TOKEN_FILE), which
  only the service user and root can read: run them with sudo. They send it only
  over the bridge's Unix socket (SMS_OPERATOR_SOCKET), never to a TCP port.

Options:
  --json     the bridge's JSON answer instead of a table; a failure is printed
             on stdout as {"error":{"code","message"}}, with the exit status
  --help     this text
  --version  the version of this CLI

Exit status: 0 done, 1 the bridge refused or is not ready, 2 usage or
configuration error, 3 the bridge is not running or not reachable.
`;
}

export function commandHelp(name: string): string {
  const command = COMMANDS[name];
  const operator = command.operator
    ? "\nThe operator's: run it as the service user or root (sudo). It sends the token\nto the bridge over its Unix socket only.\n"
    : '';
  return (
    `Usage: sms-bridge ${name} ${command.usage}`.trimEnd() +
    `\n\n${command.summary[0].toUpperCase()}${command.summary.slice(1)}.\n${command.details ? `${command.details}\n` : ''}${operator}\n--json prints the bridge's JSON answer instead.\n`
  );
}
