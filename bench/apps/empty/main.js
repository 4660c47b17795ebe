// The smallest cdktf app, in plain JavaScript: one empty stack. `cdktf synth` here measures the
// CLI's own cost (its start, its app process, its output handling) with no TypeScript loader in it.
const { App, TerraformStack } = require("cdktf");

const app = new App();
new TerraformStack(app, "empty");
app.synth();
