/**
 * The cdktf app entry (`cdktf synth` / `diff` / `deploy`): every configuration in
 * stacks/config/examples, or the file or directory named by APP_FLEETS_CONFIG.
 */
import { App } from "cdktf";
import { synthAtomically } from "../lib/synth/synth-atomically";
import { buildApp } from "./build-app";

const app = new App();
buildApp(app);
synthAtomically(app);
