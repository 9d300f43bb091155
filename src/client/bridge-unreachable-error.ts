import { BridgeError } from './bridge-error';

/**
 * The bridge did not answer at all: not running, wrong address, or hung. `reason` is kept
 * apart so that a caller can say it in its own words (the CLI points an operator at the
 * journal, an agent gets this sentence).
 */
export class BridgeUnreachableError extends BridgeError {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(
      0,
      'bridge_unreachable',
      `The SMS bridge at ${baseUrl} did not answer (${reason}). Is it running? (systemctl status sms-bridge)`,
    );
    this.name = 'BridgeUnreachableError';
  }
}
