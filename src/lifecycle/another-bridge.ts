import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { BootFailure } from '../config/boot-failure';
import { answers } from './operator-socket';

/** Says which process is the bridge of a data folder; the operator socket says whether it runs. */
const PID_FILE = 'sms-bridge.pid';

function dataFolderOf(config: AppConfig): string {
  return dirname(config.databasePath);
}

/**
 * Refuses to start a second bridge on a data folder before anything is built or bound: a
 * second `npm start` rebuilt dist/ under the running bridge, then failed on one port after
 * another. Whatever answers on the operator socket is the running bridge (a socket left by
 * a killed one does not answer); the pid file only names it.
 */
export async function refuseAnotherBridge(config: AppConfig): Promise<void> {
  if (!(await answers(config.operatorSocket))) return;
  const folder = dataFolderOf(config);
  let pid = '?';
  try {
    pid = readFileSync(join(folder, PID_FILE), 'utf8').trim() || pid;
  } catch {
    // Started by a version that wrote none: the message still names the folder.
  }
  throw new BootFailure(`another sms-bridge is running (pid ${pid}, data folder ${folder})`);
}

/** Written once the bridge serves its data folder, for refuseAnotherBridge to name it. */
export function writePidFile(config: AppConfig): void {
  writeFileSync(join(dataFolderOf(config), PID_FILE), `${process.pid}\n`, { mode: 0o600 });
}
