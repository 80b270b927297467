/** Settings: the checks on recorded Action info and the lenient localStorage round trip. */
import {
  actionInfo,
  DEFAULT_SETTINGS,
  formatGamma,
  loadSettings,
  parseSettings,
  saveSettings,
  SETTINGS_KEY,
  SettingsError,
} from '../../src/plugin-core/settings';

const memory = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

test('a complete object passes; missing fields take the defaults (steps from older versions)', () => {
  const full = { gamma: 1.25, weights: 'jpeg', output: 'document', linearise: 'hdrcnn' } as const;
  expect(parseSettings(full)).toEqual(full);
  expect(parseSettings({ gamma: 0.5 })).toEqual({ ...DEFAULT_SETTINGS, gamma: 0.5 });
  expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
});

test.each([
  [null, 'not an object'],
  [[1], 'not an object'],
  [{ gamma: 2.01 }, 'gamma must be a number from 0.5 to 2, got 2.01'],
  [{ gamma: '1' }, 'got "1"'],
  [{ gamma: NaN }, 'got null'],
  [{ weights: 'mine' }, 'weights must be one of clean, jpeg, file, got "mine"'],
  [{ output: 3 }, 'output must be one of layer, document'],
  [{ linearise: 'srgb' }, 'linearise must be one of photoshop, hdrcnn'],
])('%j is refused: %s', (raw, message) => {
  expect(() => parseSettings(raw)).toThrow(SettingsError);
  expect(() => parseSettings(raw)).toThrow(message);
});

test('actionInfo holds the settings and nothing else; it parses back', () => {
  const s = { ...DEFAULT_SETTINGS, gamma: 1.1, extra: 'x' } as typeof DEFAULT_SETTINGS;
  expect(actionInfo(s)).toEqual({ gamma: 1.1, weights: 'clean', output: 'layer', linearise: 'photoshop' });
  expect(parseSettings(JSON.parse(JSON.stringify(actionInfo(s))))).toEqual({ ...DEFAULT_SETTINGS, gamma: 1.1 });
});

test('saved settings load back; anything unreadable gives the defaults', () => {
  const store = memory();
  expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
  saveSettings(store, { ...DEFAULT_SETTINGS, gamma: 1.3, output: 'document' });
  expect(loadSettings(store)).toEqual({ ...DEFAULT_SETTINGS, gamma: 1.3, output: 'document' });
  for (const bad of ['{', '"text"', '{"gamma": 7}']) {
    store.setItem(SETTINGS_KEY, bad);
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
  }
});

test('formatGamma rounds to hundredths without trailing zeros', () => {
  expect([1, 1.2, 1.25, 1.2000000000000002, 0.749].map(formatGamma)).toEqual(['1', '1.2', '1.25', '1.2', '0.75']);
});
