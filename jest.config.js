// Unit tests sit beside the code (*.test.ts); integration tests live under test/.
// swc strips types (fast); `npm run typecheck` is the type check.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/{api,client,apiserver,controllers,scheduler,kubelet,cli,bench,test}/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  maxWorkers: 2,
  testTimeout: 30000,
};
