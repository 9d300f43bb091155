/**
 * Import rules checked by `npm run lint`; test/dependency-rules.spec.ts shows each one
 * failing on the import it forbids.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** The folders through which a text leaves: each one's rules belong to the send pipeline. */
const DOORS = '^src/(outbound|schedule|operator-texts|inbox|webhooks|conversations|forward)/';

/**
 * The way out, in layers from the bottom: each imports only the layers below it, so their
 * Nest modules never import each other in a circle (such a cycle was once dodged by a
 * service handed over at boot). Folders in one layer may import each other.
 */
const SENDING_LAYERS = ['sending', 'inbox|schedule|operator-texts', 'outbound', 'webhooks'];

module.exports = {
  forbidden: [
    {
      name: 'foundation-depends-on-no-feature',
      comment:
        'config/, common/ and storage/ are what every feature stands on: they import nothing else of src/, so a change there never pulls a feature (and its tables) into everything.',
      severity: 'error',
      from: { path: '^src/(config|common|storage)/' },
      to: { path: '^src/', pathNot: '^src/(config|common|storage)/' },
    },
    {
      name: 'only-the-pipeline-sends',
      comment:
        'Every text leaves through src/sending/, where the rules run in one order for every door; twilio/ itself wires and checks the client.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(sending|twilio)/' },
      to: { path: '^src/twilio/twilio\\.client\\.ts$' },
    },
    {
      name: 'rules-import-no-door',
      comment:
        'safety/ and twilio/ are what the doors stand on; a rule that reached into a door would run on one path and not the others.',
      severity: 'error',
      from: { path: '^src/(safety|twilio)/' },
      to: { path: DOORS },
    },
    ...SENDING_LAYERS.slice(0, -1).map((layer, i) => ({
      name: 'doors-point-down',
      comment:
        'sending/ is below every door, outbound/ sends what inbox/, schedule/ and operator-texts/ keep or announce, and webhooks/ hands what Twilio posts to each: an import upward would close a cycle of modules.',
      severity: 'error',
      from: { path: `^src/(${layer})/` },
      to: { path: `^src/(${SENDING_LAYERS.slice(i + 1).join('|')})/` },
    })),
    {
      name: 'repository-stays-in-its-module',
      comment:
        'A module owns its tables: another folder asks it through its service, never through its repository.',
      severity: 'error',
      // A spec may set up another module's rows through its repository; the code may not.
      from: { path: '^src/([^/]+)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'clients-only-over-http',
      comment:
        'The CLI and the MCP server reach the bridge through client/ (HTTP), so its guards, approvals, limits and audit apply; never a service, repository or storage file.',
      severity: 'error',
      from: { path: '^src/(cli|mcp)/' },
      to: { path: '^src/', pathNot: '^src/(cli|mcp|client|common|config)/' },
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
