/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Transpile only: type checking is `npm run typecheck`, not a cost paid in every test file.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  maxWorkers: 2,
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
