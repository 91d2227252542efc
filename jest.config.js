// Unit tests sit beside the code (*.test.ts); integration tests live under test/.
// swc strips types (fast); `npm run typecheck` is the type check.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // The CEL library is an ES module: swc turns it into CommonJS for jest's module system.
    '/node_modules/@marcbachmann/cel-js/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  testMatch: ['<rootDir>/{api,client,apiserver,controllers,scheduler,kubelet,cli,bench,test,examples}/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  maxWorkers: 2,
  testTimeout: 30000,
};
