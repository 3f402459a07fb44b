/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sucrase strips types only (pure JavaScript, no native binaries); `tsc --noEmit` type-checks.
  transform: { '^.+\\.ts$': '@sucrase/jest-plugin' },
  // Renders of the whole example platform take a few seconds on a 2-core machine.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
