/**
 * The cdktf app entry (`cdktf synth` / `diff` / `deploy`): every configuration in
 * stacks/config/examples, or the file or directory named by APP_FLEETS_CONFIG.
 */
import { App } from "cdktf";
import { AppFleetsPolicy } from "../lib/policy/app-fleets-policy";
import { synthAtomically } from "../lib/synth/synth-atomically";
import { buildApp } from "./build-app";

const app = new App();
buildApp(app);
// After every stack exists: the pack attaches to each stack (cdktf runs no aspects on an App).
AppFleetsPolicy.applyTo(app);
synthAtomically(app);
