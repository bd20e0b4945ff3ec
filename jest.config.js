/**
 * Nest 12 ships as ES modules, which Jest loads only in its native ESM mode
 * (`NODE_OPTIONS=--experimental-vm-modules`, set by the npm scripts).
 * Projects: pure unit tests, end-to-end tests against real MariaDB/MySQL and Redis (both `npm test`),
 * and the cluster test (Galera, Redis Cluster; `npm run test:cluster`).
 */
const REQUIRED_ESM = ['content-disposition'];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    // ESM-only packages that CommonJS dependencies require(): Node loads those natively, Jest (before
    // Node 24.9) does not, so they are compiled to CommonJS for the tests.
    [`/node_modules/(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['babel-jest', { plugins: ['@babel/plugin-transform-modules-commonjs'] }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${REQUIRED_ESM.join('|')})/)`],
};

export default {
  // Global, not per project: end-to-end tests wait for queues and processes.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // `npm run test:cluster` only: minutes long, with clusters of its own.
    { ...common, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'] },
  ],
};
