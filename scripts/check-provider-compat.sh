#!/usr/bin/env bash
# Compatibility check against another @cdktf/provider-aws major (default: the newest 21.x, i.e.
# AWS provider 6.x): type-checks lib/, stacks/ and bin/ against it and synthesizes the example
# app with it. Uses the npm registry; not part of `npm test`, which stays offline.
#   npm run compat:provider            # newest 21.x
#   npm run compat:provider -- 21.9.1  # a given version
set -euo pipefail
version="${1:-21}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
echo '{"name":"provider-compat-check","private":true}' > package.json
# Peers (cdktf, constructs) are linked from this checkout below, so both sides share one copy.
npm install --no-audit --no-fund --ignore-scripts --legacy-peer-deps --no-package-lock "@cdktf/provider-aws@${version}" >/dev/null
installed="$(node -p 'require("./node_modules/@cdktf/provider-aws/package.json").version')"
for dep in cdktf constructs typescript tsx @types/node @types/jest; do
  mkdir -p "node_modules/$(dirname "$dep")"
  ln -s "$repo/node_modules/$dep" "node_modules/$dep"
done
cp -r "$repo/lib" "$repo/stacks" "$repo/bin" .
cat > tsconfig.json <<'JSON'
{
  "extends": "./tsconfig.base.json",
  "compilerOptions": { "noEmit": true, "types": ["node"], "rootDir": "." },
  "include": ["lib/**/*.ts", "stacks/**/*.ts", "bin/**/*.ts"]
}
JSON
cp "$repo/tsconfig.json" tsconfig.base.json

echo "type-checking against @cdktf/provider-aws ${installed}"
node node_modules/typescript/bin/tsc -p tsconfig.json

echo "synthesizing the example app with @cdktf/provider-aws ${installed}"
node --import tsx -e '
  const { App } = require("cdktf");
  const { buildApp } = require("./stacks/build-app");
  const app = new App({ outdir: "out" });
  buildApp(app);
  app.synth();
'
for stack in out/stacks/*/; do
  node -e '
    const json = require(process.argv[1] + "cdk.tf.json");
    const aws = json.terraform.required_providers.aws;
    console.log(`  ${process.argv[1]}: hashicorp/aws ${aws.version}, ${Object.keys(json.resource).length} resource types`);
  ' "$PWD/$stack"
done
echo "OK: compatible with @cdktf/provider-aws ${installed}"
