/** Documents and layers: app.activeDocument / documents / createDocument, Document and Layer members the plugin uses. */
import { createPhotoshopSimulator } from './index';
import type { PhotoshopSimulator } from './index';

let s: PhotoshopSimulator;
beforeEach(() => {
  s = createPhotoshopSimulator();
});
const modal = <T>(fn: () => Promise<T>) => s.photoshop.core.executeAsModal(fn, { commandName: 'test' });
const C = () => s.photoshop.constants;
const names = (layers: { name: string }[]) => layers.map((l) => l.name);

test('activeDocument is null with no document; documents lists the open ones', () => {
  expect(s.photoshop.app.activeDocument).toBeNull();
  const a = s.sim.addDocument({ name: 'a.psd', width: 2, height: 2 });
  const b = s.sim.addDocument({ name: 'b.psd', width: 3, height: 1 });
  expect(s.photoshop.app.activeDocument!.id).toBe(b.id);
  expect(s.photoshop.app.documents.map((d) => [d.id, d.title, d.name, d.width, d.height])).toEqual([
    [a.id, 'a.psd', 'a.psd', 2, 2],
    [b.id, 'b.psd', 'b.psd', 3, 1],
  ]);
  expect([b.mode, b.bitsPerChannel, b.typename]).toEqual([
    C().DocumentMode.RGB,
    C().BitsPerChannelType.EIGHT,
    'Document',
  ]);
});

test('createDocument uses the documented defaults and the given options', async () => {
  const [def, hdr] = await modal(async () => [
    await s.photoshop.app.createDocument(),
    await s.photoshop.app.createDocument({
      name: 'hdr',
      width: 8,
      height: 4,
      resolution: 72,
      mode: C().NewDocumentMode.RGB,
      depth: 32,
      fill: C().DocumentFill.TRANSPARENT,
      profile: 'sRGB IEC61966-2.1',
    }),
  ]);
  expect([def!.width, def!.height, def!.resolution, def!.mode, def!.bitsPerChannel, names(def!.layers)]).toEqual([
    2100,
    1500,
    300,
    C().DocumentMode.RGB,
    C().BitsPerChannelType.EIGHT,
    ['Background'],
  ]);
  expect([
    hdr!.name,
    hdr!.bitsPerChannel,
    hdr!.colorProfileName,
    names(hdr!.layers),
    hdr!.layers[0].isBackgroundLayer,
  ]).toEqual(['hdr', C().BitsPerChannelType.THIRTYTWO, 'sRGB IEC61966-2.1 (Linear RGB Profile)', ['Layer 1'], false]);
  expect(s.photoshop.app.activeDocument!.id).toBe(hdr!.id);
  await expect(s.photoshop.app.createDocument()).rejects.toMatchObject({ simKind: 'outside-modal' });
});

test('createPixelLayer goes above the selected layer, takes the options and becomes the selection', async () => {
  const doc = s.sim.addDocument({
    width: 2,
    height: 2,
    layers: [{ name: 'top' }, { name: 'mid', active: true }, { background: true }],
  });
  const layer = await modal(() => doc.createPixelLayer({ name: 'HDR', opacity: 80, blendMode: C().BlendMode.SCREEN }));
  expect(names(doc.layers)).toEqual(['top', 'HDR', 'mid', 'Background']);
  expect([layer!.kind, layer!.opacity, layer!.blendMode, layer!.visible]).toEqual([
    C().LayerKind.NORMAL,
    80,
    C().BlendMode.SCREEN,
    true,
  ]);
  expect(doc.activeLayers.map((l) => l.id)).toEqual([layer!.id]);
  const unnamed = await modal(() => doc.createPixelLayer());
  expect(unnamed!.name).toBe('Layer 1');
});

test('layer kinds, groups and parents', () => {
  const K = C().LayerKind;
  const doc = s.sim.addDocument({
    width: 2,
    height: 2,
    layers: [
      { name: 'text', kind: K.TEXT },
      { name: 'so', kind: K.SMARTOBJECT, fill: [1, 2, 3] },
      { name: 'curves', kind: K.CURVES },
      { name: 'grp', children: [{ name: 'inner', fill: [1, 2, 3] }] },
      { background: true },
    ],
  });
  expect(doc.layers.map((l) => l.kind)).toEqual([K.TEXT, K.SMARTOBJECT, K.CURVES, K.GROUP, K.NORMAL]);
  const inner = doc.layers[3].layers![0];
  s.sim.addLayer(doc, { name: 'px', pixels: { left: 1, top: 1, width: 1, height: 1, data: [1, 2, 3] } });
  expect(doc.layers[0].bounds).toEqual({ left: 1, top: 1, right: 2, bottom: 2, width: 1, height: 1 });
  expect([doc.layers[4].bounds.width, doc.layers[3].bounds]).toEqual([
    2,
    { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 },
  ]); // group, curves
  expect([inner.name, inner.parent!.name, doc.layers[0].parent, doc.layers[0].layers]).toEqual([
    'inner',
    'grp',
    null,
    null,
  ]);
  expect(() => s.sim.addLayer(doc, { kind: K.LEVELS, fill: [0, 0, 0] })).toThrow(/no pixels/);
});

test('move: PLACEBEFORE is above, PLACEAFTER below, PLACEINSIDE into a group; the background stays put', async () => {
  const P = C().ElementPlacement;
  const doc = s.sim.addDocument({
    width: 2,
    height: 2,
    layers: [{ name: 'a' }, { name: 'b' }, { name: 'g', children: [] }, { background: true }],
  });
  const [a, b, g, bg] = doc.layers;
  await modal(async () => {
    b.move(a, P.PLACEBEFORE);
    expect(names(doc.layers)).toEqual(['b', 'a', 'g', 'Background']);
    b.move(a, P.PLACEAFTER);
    expect(names(doc.layers)).toEqual(['a', 'b', 'g', 'Background']);
    a.move(g, P.PLACEINSIDE);
    expect([names(doc.layers), names(g.layers!)]).toEqual([['b', 'g', 'Background'], ['a']]);
    expect(() => b.move(bg, P.PLACEAFTER)).toThrow(/below the background/);
    expect(() => bg.move(b, P.PLACEBEFORE)).toThrow(/cannot be moved/);
    expect(() => g.move(a, P.PLACEBEFORE)).toThrow(/itself/);
  });
  expect(() => a.move(b, P.PLACEBEFORE)).toThrow(expect.objectContaining({ simKind: 'outside-modal' }));
});

test('delete removes the layer; stale handles then fail; the last layer cannot go', async () => {
  const doc = s.sim.addDocument({ width: 2, height: 2, layers: [{ name: 'a', active: true }, { background: true }] });
  const a = doc.layers[0];
  await modal(async () => a.delete());
  expect(names(doc.layers)).toEqual(['Background']);
  expect(doc.activeLayers).toEqual([]);
  expect(() => a.name).toThrow(expect.objectContaining({ simKind: 'not-found' }));
  await expect(modal(async () => doc.layers[0].delete())).rejects.toMatchObject({ simKind: 'invalid-argument' });
});

test('visible, name and opacity are changes: modal only, one history state each', async () => {
  const doc = s.sim.addDocument({ width: 1, height: 1, layers: [{ name: 'a' }, { background: true }] });
  const a = doc.layers[0];
  expect(() => {
    a.visible = false;
  }).toThrow(expect.objectContaining({ simKind: 'outside-modal' }));
  await modal(async () => {
    a.visible = false;
    a.name = 'renamed';
    a.opacity = 50;
  });
  expect([a.visible, a.name, a.opacity]).toEqual([false, 'renamed', 50]);
  expect(s.sim.history(doc)).toEqual(['Hide Layer', 'Rename Layer', 'Layer Opacity']);
});

describe('bitsPerChannel', () => {
  /** The sRGB EOTF (IEC 61966-2-1), the simulator's documented linearisation. */
  const eotf = (v: number) => (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));

  test('8 → 32 linearises colour with the sRGB EOTF of v/255 and keeps alpha linear', async () => {
    const doc = s.sim.addDocument({
      width: 4,
      height: 1,
      layers: [
        {
          name: 'px',
          pixels: { width: 4, height: 1, data: [0, 10, 128, 255, 255, 255, 188, 128, 20, 30, 40, 0, 255, 0, 0, 255] },
        },
      ],
    });
    await modal(async () => {
      doc.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
    });
    const px = s.sim.pixels(doc, doc.layers[0])!;
    const expected = [eotf(0), eotf(10 / 255), eotf(128 / 255), 1, 1, 1, eotf(188 / 255), 128 / 255];
    expected.forEach((v, i) => expect(px.data[i]).toBeCloseTo(v, 6));
    expect(px.bounds).toEqual({ left: 0, top: 0, right: 4, bottom: 1 }); // the alpha-0 pixel still counts: it is inside the box
    expect([doc.bitsPerChannel, doc.colorProfileName]).toEqual([
      C().BitsPerChannelType.THIRTYTWO,
      'sRGB IEC61966-2.1 (Linear RGB Profile)',
    ]);
    expect(s.sim.history(doc)).toEqual(['32 Bits/Channel']);
  });

  test('16 → 32 uses v/32768; 8 → 16 scales to 0..32768', async () => {
    const d16 = s.sim.addDocument({
      width: 1,
      height: 1,
      depth: 16,
      layers: [{ background: true, fill: [16384, 32768, 0] }],
    });
    const d8 = s.sim.addDocument({ width: 1, height: 1, layers: [{ background: true, fill: [255, 128, 1] }] });
    await modal(async () => {
      d16.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
      d8.bitsPerChannel = C().BitsPerChannelType.SIXTEEN;
    });
    expect(s.sim.pixels(d16, d16.layers[0])!.data[0]).toBeCloseTo(eotf(0.5), 6);
    expect([...s.sim.pixels(d8, d8.layers[0])!.data]).toEqual([32768, Math.round((128 * 32768) / 255), 129, 32768]);
  });

  test('32 bits needs RGB or Grayscale; outside a modal scope it throws', async () => {
    const cmyk = s.sim.addDocument({ width: 1, height: 1, mode: C().DocumentMode.CMYK, layers: [{ name: 'x' }] });
    await expect(
      modal(async () => {
        cmyk.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
      }),
    ).rejects.toMatchObject({ simKind: 'invalid-argument' });
    const rgb = s.sim.addDocument({ width: 1, height: 1 });
    expect(() => {
      rgb.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
    }).toThrow(expect.objectContaining({ simKind: 'outside-modal' }));
    const odd = s.sim.addDocument({ width: 1, height: 1, profile: 'ProPhoto RGB' });
    await expect(
      modal(async () => {
        odd.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
      }),
    ).rejects.toMatchObject({ simKind: 'not-modelled' });
  });
});

test('closeWithoutSaving closes and moves activeDocument on; handles of the closed document fail', async () => {
  const a = s.sim.addDocument({ width: 1, height: 1 });
  const b = s.sim.addDocument({ width: 1, height: 1 });
  expect(() => b.closeWithoutSaving()).toThrow(expect.objectContaining({ simKind: 'outside-modal' }));
  await modal(async () => b.closeWithoutSaving());
  expect(s.photoshop.app.activeDocument!.id).toBe(a.id);
  expect(() => b.width).toThrow(expect.objectContaining({ simKind: 'not-found' }));
  await modal(async () => a.closeWithoutSaving());
  expect([s.photoshop.app.activeDocument, s.photoshop.app.documents]).toEqual([null, []]);
});

test('an untagged document: colorProfileName is "None"; "None" is no profile to pass', async () => {
  const doc = s.sim.addDocument({
    width: 2,
    height: 1,
    untagged: true,
    layers: [{ name: 'a', fill: [10, 20, 30] }, { background: true }],
  });
  expect(doc.colorProfileName).toBe('None');
  await modal(async () => {
    await expect(s.photoshop.app.createDocument({ profile: 'None' })).rejects.toThrow(/no colour profile named "None"/);
    const rgb = { width: 1, height: 1, components: 3, colorSpace: 'RGB' as const };
    await expect(
      s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array(3), { ...rgb, colorProfile: 'None' }),
    ).rejects.toThrow(/"None"/);
    const { imageData } = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
    expect(imageData.colorProfile).toBe('');
    doc.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO; // through the working space (sRGB)
  });
  expect(doc.colorProfileName).toBe('None');
});
