#!/usr/bin/env node
// Entry point of the npm `bin`; the CLI is compiled to dist-cli by `npm run build`.
require('../dist-cli/src/cli/main.js').run(process.argv.slice(2));
