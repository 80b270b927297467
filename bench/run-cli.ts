/** Runs the CLI in this process and prints its peak RSS: `node run-cli.js <cli args…>`. */
import { main } from '../src/cli/main';
import { peakRssMiB } from './stats';

const started = performance.now();
main(process.argv.slice(2)).then(
  (code) => {
    console.log(JSON.stringify({ code, seconds: (performance.now() - started) / 1000, peakRssMiB: peakRssMiB() }));
    process.exit(code);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
