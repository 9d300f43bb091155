/**
 * `npm start` runs this (prestart) from the previous build, before `nest start` rebuilds
 * dist/ under a bridge that may be running from it.
 */
import { loadServiceConfig } from '../config/service-env-file';
import { refuseAnotherBridge } from './another-bridge';
import { bootFailureMessage } from './boot-failure-message';

refuseAnotherBridge(loadServiceConfig().config).catch((error: unknown) => {
  process.stderr.write(`${bootFailureMessage(error)}\n`);
  process.exit(1);
});
