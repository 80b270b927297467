// `npm run package`: dist/ → hdr-reconstruct-<version>.ccx, the zip Creative Cloud installs
// (and the UXP Developer Tool's "Package" makes): dist's contents at the root, manifest.json
// among them. fflate's zipSync; file order sorted so the archive is reproducible.
const fs = require('node:fs');
const path = require('node:path');
const { zipSync } = require('fflate');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'manifest.json'))) {
  console.error('dist/manifest.json is missing: run `npm run build` first');
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.json'), 'utf8'));

const files = {};
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else
      files[path.relative(dist, full).split(path.sep).join('/')] = [
        new Uint8Array(fs.readFileSync(full)),
        { mtime: new Date('2020-01-01T00:00:00Z') },
      ];
  }
};
walk(dist);
const out = path.join(root, `hdr-reconstruct-${manifest.version}.ccx`);
fs.writeFileSync(out, zipSync(files, { level: 9 }));
console.log(
  `${path.relative(root, out)}: ${Object.keys(files).length} files, ${(fs.statSync(out).size / 1048576).toFixed(1)} MB`,
);
