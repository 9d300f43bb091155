import { lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BridgeClient } from '../client/bridge-client';
import { BridgeUnreachableError } from '../client/bridge-unreachable-error';
import { CliError } from './cli-error';

/**
 * The operator's token, from the file the bridge wrote at boot, and its owner: the user the
 * bridge runs as. Read before anything is asked: without it the bridge would only refuse.
 */
function readOperatorToken(file: string, argv: string[]): { token: string; owner: number } {
  try {
    return { token: readFileSync(file, 'utf8').trim(), owner: statSync(file).uid };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `${file} does not exist: the bridge creates it when it starts; is SMS_DATABASE_PATH (or SMS_OPERATOR_TOKEN_FILE) the service's?`
        : `${file} cannot be read (${code ?? (error as Error).message})`;
    throw new CliError(
      'operator_token_unreadable',
      `This command needs the operator token, and ${why}\nRun as the service user or root: sudo sms-bridge ${argv.join(' ')}`,
    );
  }
}

/**
 * The token goes only to a socket that the token's owner (the bridge's user) made, in a
 * directory no one else can write: no other user can then have put a listener there.
 */
function trustedSocket(path: string, owner: number): void {
  const dir = dirname(path);
  let socket;
  let folder;
  try {
    socket = lstatSync(path);
    folder = statSync(dir);
  } catch (error) {
    throw new BridgeUnreachableError(`unix:${path}`, (error as NodeJS.ErrnoException).code ?? '');
  }
  const refuse = (why: string) =>
    new CliError('operator_socket_untrusted', `Not sending the operator token to ${path}: ${why}.`);
  if (!socket.isSocket() || socket.uid !== owner) {
    throw refuse(
      `it is not a socket of uid ${owner}, who owns the token file; is SMS_OPERATOR_SOCKET the service's?`,
    );
  }
  if ((folder.uid !== owner && folder.uid !== 0) || (folder.mode & 0o022) !== 0) {
    throw refuse(
      `other users can write ${dir}, so anyone could have put it there: chmod 700 ${dir}`,
    );
  }
}

/** The bridge over its operator socket, carrying the token, once both are trusted. */
export async function operatorClient(
  env: Record<string, string | undefined> | undefined,
  argv: string[],
): Promise<BridgeClient> {
  // The whole validated config (class-validator and its schema): only the operator's commands need it.
  const { loadConfigFrom } = await import('../config/load-config');
  const config = loadConfigFrom(env);
  const { token, owner } = readOperatorToken(config.operatorTokenFile, argv);
  trustedSocket(config.operatorSocket, owner);
  return BridgeClient.operator(config.operatorSocket, token);
}
