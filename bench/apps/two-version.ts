/**
 * Our two-version app for the peer comparisons: the example staging configuration (two fleets,
 * weighted and pinned routes, override header, host pins, access logs, dashboard), built by the
 * same buildApp that `cdktf synth` uses.
 *   APP_FLEETS_CONFIG=stacks/config/examples/two-version.staging.json node --import tsx bench/apps/two-version.ts
 * With bench/root-import/register.cjs preloaded, the same app imports the provider from its root.
 */
// First: the modules below load through the start-up speedups of `cdktf synth`.
import "./fast-start";
import { App } from "cdktf";
import { buildApp, configFiles } from "../../stacks/build-app";

const app = new App();
buildApp(app, configFiles());
app.synth();
