import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? files(path) : [path];
    })
    .sort();
}

const isSource = (file: string) => file.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(file);

/**
 * The app as `npm run build` lays it out (dist/ beside package.json), in `outDir`.
 * Transpiled file by file (the project uses isolatedModules), which takes a second where a
 * type-checking build takes twenty: `npx tsc --noEmit` checks the types.
 */
function buildInto(outDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const dist = join(outDir, 'dist');
  for (const file of files(SRC).filter(isSource)) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { ...config.options, sourceMap: false, declaration: false },
      fileName: file,
    });
    const target = join(dist, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  copyFileSync(join(ROOT, 'package.json'), join(outDir, 'package.json'));
}

/**
 * The dist/ directory of the current sources, built once for every test file and run that
 * needs the app as a process: the build's directory is named by a hash of what goes into
 * it, so an edited source gets a new build and an unchanged one is never built twice.
 * Read-only to its users: a test keeps its data in a directory of its own.
 */
export function builtApp(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...files(SRC),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
    join(ROOT, 'package.json'),
    // How the build is made is an input too.
    __filename,
  ];
  for (const file of inputs)
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  hash.update(ts.version);
  const outDir = join(tmpdir(), `sms-bridge-build-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(outDir)) {
    // Built aside and renamed into place: a file that runs alongside never sees half a build.
    const partial = mkdtempSync(`${outDir}-partial-`);
    buildInto(partial);
    // mkdtemp makes it private; the boot tests run the build as another user (nobody).
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, outDir);
    } catch (error) {
      // Another test file built the same sources first: its build is as good as ours.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(outDir)) throw error;
    }
  }
  return join(outDir, 'dist');
}

/** Lets a build outside the repository find the repository's node_modules. */
export const NODE_PATH = join(ROOT, 'node_modules');
