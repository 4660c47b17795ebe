// Preloaded into node children when GNU time is missing: writes this process's peak RSS (KiB) on exit.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
