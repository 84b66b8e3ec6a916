/**
 * Dependency rules that `npm run lint` checks with dependency-cruiser: no import circles, and the layer order
 * docs/architecture.md describes. A module may import its own layer and the layers below it, never one above;
 * in a layer marked `peers` the parts may not import each other either. Tests may import anything.
 */

/** Bottom first. A path ending in `/` is a folder, any other a single file. */
const LAYERS = [
  // The contract is the one description every layer above derives its resource facts from.
  { name: 'contract', paths: ['contracts/'] },
  {
    name: 'base',
    peers: true,
    paths: ['mock-server/world/', 'mock-server/clock.ts', 'mock-server/errors.ts'],
  },
  {
    name: 'helpers',
    peers: true,
    paths: ['mock-server/odata/', 'mock-server/http/', 'mock-server/validation/', 'mock-server/options.ts'],
  },
  { name: 'seed', paths: ['mock-server/seed/'] },
  { name: 'views', paths: ['mock-server/views/'] },
  { name: 'store', paths: ['mock-server/store/'] },
  { name: 'world-cache', paths: ['mock-server/world-cache/'] },
  { name: 'ledger', paths: ['mock-server/ledger/'] },
  // Scenario files: applied to a world through the posting engine, before any tenant serves it.
  { name: 'scenarios', paths: ['mock-server/scenarios/'] },
  { name: 'oauth', paths: ['mock-server/oauth/'] },
  { name: 'gateway-faults', peers: true, paths: ['mock-server/gateway/', 'mock-server/faults/'] },
  { name: 'journal', paths: ['mock-server/journal/'] },
  { name: 'resources', paths: ['mock-server/resources/'] },
  { name: 'runtime', paths: ['mock-server/runtime.ts'] },
  {
    name: 'control',
    peers: true,
    paths: ['mock-server/admin/', 'mock-server/dashboard/', 'mock-server/tenants/'],
  },
  {
    name: 'entry',
    paths: [
      'mock-server/app.ts',
      'mock-server/server.ts',
      'mock-server/cli.ts',
      'mock-server/startup-progress.ts',
      'mock-server/index.ts',
      'mock-server/msw.ts',
    ],
  },
];

const TESTS = '\\.test\\.ts$|\\.test-d\\.ts$';

const pattern = (path) => `^${path.replaceAll('.', '\\.')}${path.endsWith('/') ? '' : '$'}`;
const anyOf = (paths) => paths.map(pattern).join('|');

const upward = LAYERS.flatMap((lower, index) =>
  LAYERS.slice(index + 1).map((upper) => ({
    name: `${lower.name}-not-${upper.name}`,
    comment: `${lower.name} (${lower.paths.join(', ')}) may not import ${upper.name} (${upper.paths.join(', ')})`,
    severity: 'error',
    from: { path: anyOf(lower.paths), pathNot: TESTS },
    to: { path: anyOf(upper.paths) },
  })),
);

const peers = LAYERS.filter((layer) => layer.peers).flatMap((layer) =>
  layer.paths.flatMap((from) =>
    layer.paths
      .filter((to) => to !== from)
      .map((to) => ({
        name: `${layer.name}-peers`,
        comment: `${from} and ${to} share the ${layer.name} layer and may not import each other`,
        severity: 'error',
        from: { path: pattern(from), pathNot: TESTS },
        to: { path: pattern(to) },
      })),
  ),
);

const LAYERED = anyOf(LAYERS.flatMap((layer) => layer.paths));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: move what the modules share into a module both can import',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...peers,
    {
      name: 'unlayered',
      comment:
        'every module under mock-server/ belongs to a layer: add it to LAYERS and docs/architecture.md',
      severity: 'error',
      from: { path: '^mock-server/', pathNot: `${LAYERED}|${TESTS}` },
      to: {},
    },
    {
      name: 'to-unlayered',
      comment:
        'every module under mock-server/ belongs to a layer: add it to LAYERS and docs/architecture.md',
      severity: 'error',
      from: {},
      to: { path: '^mock-server/', pathNot: LAYERED },
    },
    {
      name: 'client-not-server',
      comment:
        'the integration client works against any Sage 200 API: only its sync command (client/cli.ts) starts an ' +
        'in-process sandbox, through the package entry point mock-server/index.ts',
      severity: 'error',
      from: { path: '^client/', pathNot: `^client/cli\\.ts$|${TESTS}` },
      to: { path: '^mock-server/' },
    },
    {
      name: 'client-cli-entry-only',
      comment: 'client/cli.ts reaches the sandbox through the package entry point mock-server/index.ts only',
      severity: 'error',
      from: { path: '^client/cli\\.ts$' },
      to: { path: '^mock-server/', pathNot: '^mock-server/index\\.ts$' },
    },
    {
      name: 'server-not-client',
      comment: 'the sandbox and the contract do not depend on the integration client',
      severity: 'error',
      from: { path: '^(mock-server|contracts)/', pathNot: TESTS },
      to: { path: '^client/' },
    },
    {
      name: 'not-test-or-bench',
      comment: 'shipped code does not import the tests, their support files or the benchmark',
      severity: 'error',
      from: { path: '^(mock-server|contracts|client)/', pathNot: TESTS },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count: a layer that needs another's types depends on it as much as on its values.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.d.ts', '.js'],
      conditionNames: ['import', 'types', 'node', 'default'],
      exportsFields: ['exports'],
    },
    skipAnalysisNotInRules: true,
  },
};
