import { userInfo } from 'node:os';
import { inspect } from 'node:util';
import { BootFailure } from '../config/boot-failure';
import { ConfigError } from '../config/config.error';
import { PortInUseError } from './port-in-use.error';

/** What a refused file-system call means to the person who can fix it. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
};

const ACTIONS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  chmod: 'change the mode of',
};

/**
 * The line a failed boot prints on stderr. What the operator can fix (a bad configuration,
 * a busy port, a folder the service user may not write) is said plainly, without the Nest
 * injector's stack; anything else is a bug, and its stack helps.
 */
export function bootFailureMessage(error: unknown): string {
  if (
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof BootFailure
  ) {
    return error.message;
  }
  const { code, syscall, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (code && REASONS[code] && syscall && path) {
    const action = ACTIONS[syscall] ?? syscall;
    return `cannot ${action} ${path} as user ${userInfo().username}: ${REASONS[code]}`;
  }
  return inspect(error, { colors: false });
}
