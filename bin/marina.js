#!/usr/bin/env -S node --max-semi-space-size=32
// The marina command. Runs the compiled CLI in dist/ (built by scripts/setup.sh). The V8 flag is
// cli/nodeFlags.ts's serverNodeFlags, for components started through this file.
require('../dist/cli/main.js');
