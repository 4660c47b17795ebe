/** The smallest cdktf app: one empty stack. `cdktf synth` here measures the CLI's own cost. */
import { App, TerraformStack } from "cdktf";

const app = new App();
new TerraformStack(app, "empty");
app.synth();
