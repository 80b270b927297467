/** The export's file-name pattern and recorded step: checked, one sentence per refusal. */
import { checkNamePattern, fileNameFor, parseExportStep } from '../../src/plugin-core/export-settings';

describe('file-name pattern', () => {
  test('{document} is the title without its extension; unusable characters become "_"', () => {
    expect(fileNameFor('{document}_hdr.jpg', 'beach.psd')).toBe('beach_hdr.jpg');
    expect(fileNameFor('{document} ({document}).JPEG', 'a:b?.tif')).toBe('a_b_ (a_b_).JPEG');
    expect(fileNameFor('{document}.jpg', '.psd')).toBe('Untitled.jpg');
    expect(fileNameFor('  fixed.jpg ', 'x')).toBe('fixed.jpg');
  });

  test.each([
    ['', 'the file name pattern is empty'],
    ['{layer}.jpg', 'the file name pattern may use {document}, not {layer}'],
    ['a/b.jpg', 'holds a character that file names cannot'],
    ['{document}.png', 'must end in .jpg'],
  ])('refuses %j', (pattern, message) => {
    expect(() => checkNamePattern(pattern)).toThrow(message);
  });
});

test('a recorded step needs the settings, a folder token and a pattern', () => {
  const step = {
    gamma: 1.2,
    weights: 'jpeg',
    output: 'layer',
    linearise: 'hdrcnn',
    folderToken: 't',
    pattern: '{document}.jpg',
  };
  expect(parseExportStep(step)).toEqual({
    settings: { gamma: 1.2, weights: 'jpeg', output: 'layer', linearise: 'hdrcnn' },
    folderToken: 't',
    pattern: '{document}.jpg',
  });
  expect(() => parseExportStep({ ...step, folderToken: '' })).toThrow('the output folder is missing');
  expect(() => parseExportStep({ ...step, pattern: 'x.exr' })).toThrow('must end in .jpg');
  expect(() => parseExportStep({ ...step, gamma: 9 })).toThrow(/gamma must be/);
  expect(() => parseExportStep(null)).toThrow('not an object');
});
