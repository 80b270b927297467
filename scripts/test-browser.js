#!/usr/bin/env node
// `npm run test:browser`: the engine page in Debian's Chromium. Without a Chromium it says so in
// one line and passes, so `npm test` works on a machine that has only Node and npm; .ci/run
// installs Chromium, so CI always runs the suite. Arguments go to jest.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`test:browser skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(0);
}
const steps = [
  ['webpack', '--mode', 'production', '--config-name', 'engine'],
  ['jest', '--config', 'jest.browser.config.js', ...process.argv.slice(2)],
];
for (const [command, ...args] of steps) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1); // null: killed by a signal, or not started
}
