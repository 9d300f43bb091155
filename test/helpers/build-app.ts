import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The app as `npm run build` lays it out (dist/ beside package.json, migrations copied),
 * in `outDir`, for tests that run it as a process. Transpiled file by file (the project
 * uses isolatedModules), which takes a second where a type-checking build takes twenty:
 * `npx tsc --noEmit` checks the types.
 */
export function buildApp(outDir: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const dist = join(outDir, 'dist');
  const src = join(ROOT, 'src');
  for (const file of sources(src)) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { ...config.options, sourceMap: false, declaration: false },
      fileName: file,
    });
    const target = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  cpSync(join(src, 'storage', 'migrations'), join(dist, 'storage', 'migrations'), {
    recursive: true,
  });
  copyFileSync(join(ROOT, 'package.json'), join(outDir, 'package.json'));
  return dist;
}

/** Lets a build outside the repository find the repository's node_modules. */
export const NODE_PATH = join(ROOT, 'node_modules');
