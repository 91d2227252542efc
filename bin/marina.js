#!/usr/bin/env node
// The marina command. Runs the compiled CLI in dist/ (built by scripts/setup.sh).
require('../dist/cli/main.js');
