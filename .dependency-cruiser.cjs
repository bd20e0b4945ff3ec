/**
 * The house's layer rules, checked by `npm run lint:architecture` (part of `npm test`): floors below,
 * capabilities above, imports point down, no circles. Floors: common, config, database, redis, queue,
 * rules (the pure engine and the loaded rule sets). Every other folder of src/ is a capability.
 */
const FLOORS = '(common|config|database|redis|queue|rules)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports: two modules that each need the other are one module, or need a third below both.',
      from: { path: '^(src|migrations)/' },
      to: { circular: true },
    },
    {
      name: 'floors-point-down',
      severity: 'error',
      comment: 'A floor (common, config, database, redis, queue, rules) imports no capability: capabilities build on floors, never the reverse.',
      from: { path: `^src/${FLOORS}/` },
      to: { path: '^src/', pathNot: `^src/${FLOORS}/` },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'A migration runs the same in a year as today: it uses floors (ids), never a capability whose code moves on.',
      from: { path: '^migrations/' },
      to: { path: '^src/', pathNot: `^src/${FLOORS}/` },
    },
    {
      name: 'rules-engine-is-pure',
      severity: 'error',
      comment: 'rules/engine is pure: its own files only, no Nest, no TypeORM, no I/O.',
      from: { path: '^src/rules/engine/' },
      to: { pathNot: '^src/rules/engine/' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      comment: 'The service ships without its tests and benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
