/**
 * Import rules checked by `npm run lint`. The foundation (config, common, storage) is what
 * every feature module stands on, so it may not depend on any of them: a change there
 * could otherwise pull a feature's rules (and tables) into everything.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const FEATURES =
  '^src/(cli|docs|forward|health|inbox|lifecycle|logging|maintenance|mcp|metrics|outbound|safety|twilio)/';

module.exports = {
  forbidden: [
    {
      name: 'foundation-depends-on-no-feature',
      comment: 'config/, common/ and storage/ may not import a feature module.',
      severity: 'error',
      from: { path: '^src/(config|common|storage)/' },
      to: { path: FEATURES },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of imports makes two modules one; split the shared part out.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-from-tests',
      comment: 'The service never ships test code; specs may use the test helpers.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports is dead code (entry points and specs aside).',
      severity: 'error',
      from: {
        orphan: true,
        path: '^src/',
        pathNot: ['\\.spec\\.ts$', '^src/(main|cli/main|mcp/main)\\.ts$', '\\.d\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
