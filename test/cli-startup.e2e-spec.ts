import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp, NODE_PATH } from './helpers/build-app';

/** What made `sms-bridge --version` take a second: none of it is needed to print help. */
const HEAVY = [
  '@modelcontextprotocol/sdk',
  'zod',
  'ajv',
  'class-validator',
  'class-transformer',
  'better-sqlite3',
  '@nestjs/core',
  'twilio',
];

describe('sms-bridge CLI start-up', () => {
  let dir: string;
  let main: string;
  let hook: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-cli-startup-'));
    main = join(builtApp(), 'cli', 'main.js');
    // Preloaded into the CLI's process: at exit, the packages it required, one per line.
    hook = join(dir, 'loaded-packages.js');
    writeFileSync(
      hook,
      `process.on('exit', () => {
        const names = Object.keys(require.cache)
          .map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file)?.[1])
          .filter(Boolean);
        require('node:fs').writeFileSync(process.env.LOADED_OUT, [...new Set(names)].join('\\n'));
      });`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The packages the built CLI loaded to answer `argv`. */
  function packagesLoadedBy(...argv: string[]): string[] {
    const out = join(dir, 'loaded.txt');
    writeFileSync(out, '');
    const run = spawnSync(process.execPath, ['--require', hook, main, ...argv], {
      env: {
        PATH: process.env.PATH,
        NODE_PATH,
        LOADED_OUT: out,
        SMS_BRIDGE_ENV_FILE: join(dir, 'absent.env'),
        // Nothing listens on port 1: a command that runs fails fast, having loaded its modules.
        SMS_BRIDGE_URL: 'http://127.0.0.1:1',
      },
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    return readFileSync(out, 'utf8').split('\n').filter(Boolean);
  }

  it.each(['--version', '--help', 'help', 'help backup', 'send --help'])(
    'answers %s without loading the MCP SDK, the validators or the database driver',
    (line) => {
      const loaded = packagesLoadedBy(...line.split(' '));
      expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
    },
  );

  it('loads the config validation when a command runs, so the check above can see it', () => {
    expect(packagesLoadedBy('inbox')).toEqual(expect.arrayContaining(['class-validator']));
  });
});
