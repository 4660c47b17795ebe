/**
 * Imported first by the bench apps, so that the modules they import next load the way `cdktf synth`
 * loads the app (scripts/run-app.cjs): through lib/synth/fast-start.ts.
 */
import { startFast } from "../../lib/synth/fast-start";

startFast();
