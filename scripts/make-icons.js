// Writes the plugin's PNG icons (icons/) with sharp from one SVG drawing: a sun whose
// top is clipped flat, the plugin's idea. Manifest icon schema: `path` plus `scale: [1, 2]`
// means `name@1x.png` and `name@2x.png`; panel icons 23×23 (46×46), the plugin icon 24×24
// (48×48); a light glyph for the dark themes, a dark one for the light themes.
// Run: node scripts/make-icons.js
const path = require('node:path');
const sharp = require('sharp');

const out = path.join(__dirname, '..', 'icons');
const svg = (
  size,
  colour,
) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">
  <g fill="none" stroke="${colour}" stroke-width="1.6" stroke-linecap="round">
    <path d="M5 17 A7 7 0 0 1 19 17 Z" fill="${colour}" fill-opacity="0.35"/>
    <path d="M12 4v2M4.5 9.5l1.5 1M19.5 9.5l-1.5 1M2.5 17h1.5M20 17h1.5"/>
    <path d="M3 20.5h18"/>
  </g>
</svg>`;

const icons = [
  ['panel', 23],
  ['plugin', 24],
];
const themes = { dark: '#e6e6e6', light: '#3a3a3a' };

(async () => {
  for (const [name, size] of icons) {
    for (const [theme, colour] of Object.entries(themes)) {
      for (const scale of [1, 2]) {
        await sharp(Buffer.from(svg(size * scale, colour)))
          .png()
          .toFile(path.join(out, `${name}-${theme}@${scale}x.png`));
      }
    }
  }
})();
