import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bridge's version; package.json sits two levels up from both src/common and dist/common. */
export const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
