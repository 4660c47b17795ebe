/** Reads a size (fleets, routes) for a generated bench app from argv or the environment. */
export function sizeArg(position: number, envName: string, fallback: number): number {
  const raw = process.argv[2 + position] ?? process.env[envName];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${envName} (argument ${position + 1}) is "${raw}"; expected a whole number >= 0, e.g. 10`);
  }
  return n;
}
