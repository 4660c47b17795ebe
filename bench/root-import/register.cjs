/**
 * Preload for the root-import variant: every `require` that resolves to lib/aws/resources is
 * answered by resources-via-root instead, which takes the same classes from the package root.
 * The app code is unchanged, so the difference measured is the import style alone.
 *   node --require ./bench/root-import/register.cjs --import tsx <app.ts>
 */
const Module = require("node:module");
const { join } = require("node:path");

const RESOURCES = /[\\/]lib[\\/]aws[\\/]resources\.(ts|js)$/;
const original = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const resolved = original.call(this, request, parent, ...rest);
  const match = RESOURCES.exec(resolved);
  if (!match || (parent && /resources-via-root\.(ts|js)$/.test(parent.filename))) return resolved;
  return join(__dirname, `resources-via-root.${match[1]}`);
};
