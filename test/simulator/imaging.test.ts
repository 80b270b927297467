/** The Imaging API simulation against the documented behaviours (ps-reference/media/imaging.md). */
import { createPhotoshopSimulator } from './index';
import type { PhotoshopSimulator } from './index';

let s: PhotoshopSimulator;
beforeEach(() => {
  s = createPhotoshopSimulator();
});

const modal = <T>(fn: () => Promise<T>) => s.photoshop.core.executeAsModal(fn, { commandName: 'test' });
const C = () => s.photoshop.constants;

/** A 2×1 RGB document of the given depth with a 2×1 layer at (1, 1) on a 4×3 canvas. */
function rgbDoc(depth: 8 | 16 | 32, layerData: number[]) {
  return s.sim.addDocument({
    width: 4,
    height: 3,
    depth,
    layers: [{ name: 'L', pixels: { left: 1, top: 1, width: 2, height: 1, data: layerData } }, { background: true }],
  });
}

describe('value ranges per depth', () => {
  test('8-bit: Uint8Array 0..255', async () => {
    const doc = rgbDoc(8, [0, 128, 255, 10, 20, 30]);
    const data = await modal(async () => {
      const { imageData } = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      expect([imageData.componentSize, imageData.components, imageData.hasAlpha, imageData.pixelFormat]).toEqual([
        8,
        4,
        true,
        'RGBA',
      ]);
      return imageData.getData({ chunky: true });
    });
    expect(data).toBeInstanceOf(Uint8Array);
    expect([...data]).toEqual([0, 128, 255, 255, 10, 20, 30, 255]);
  });

  test('16-bit: Uint16Array 0..32768, 0..65535 with fullRange', async () => {
    const doc = rgbDoc(16, [0, 16384, 32768, 1, 2, 3]);
    const [reduced, full] = await modal(async () => {
      const { imageData } = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      return [await imageData.getData({ chunky: true }), await imageData.getData({ chunky: true, fullRange: true })];
    });
    expect(reduced).toBeInstanceOf(Uint16Array);
    expect([...reduced.slice(0, 4)]).toEqual([0, 16384, 32768, 32768]);
    expect([...full.slice(0, 4)]).toEqual([0, 32768, 65535, 65535]);
  });

  test('32-bit: Float32Array with values above 1', async () => {
    const doc = rgbDoc(32, [0, 0.5, 7.25, 1, 2, 3]);
    const data = await modal(async () =>
      (await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id })).imageData.getData({
        chunky: true,
      }),
    );
    expect(data).toBeInstanceOf(Float32Array);
    expect([...data]).toEqual([0, 0.5, 7.25, 1, 1, 2, 3, 1]);
  });

  test('componentSize 16 from an 8-bit document scales; crossing 32 bits is refused as not modelled', async () => {
    const doc = rgbDoc(8, [255, 0, 51, 0, 0, 0]);
    await modal(async () => {
      const { imageData } = await s.photoshop.imaging.getPixels({
        documentID: doc.id,
        layerID: doc.layers[0].id,
        componentSize: 16,
      });
      expect([...(await imageData.getData({})).slice(0, 3)]).toEqual([32768, 0, 6554]);
      await expect(s.photoshop.imaging.getPixels({ documentID: doc.id, componentSize: 32 })).rejects.toMatchObject({
        simKind: 'not-modelled',
      });
    });
  });

  test('grayscale: 1 component opaque, 2 with alpha', async () => {
    const doc = s.sim.addDocument({
      width: 2,
      height: 1,
      mode: C().DocumentMode.GRAYSCALE,
      layers: [
        { name: 'g', pixels: { width: 2, height: 1, data: [5, 6] } },
        { background: true, fill: [9] },
      ],
    });
    await modal(async () => {
      const layer = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      const bg = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[1].id });
      expect([layer.imageData.components, layer.imageData.colorSpace, layer.imageData.pixelFormat]).toEqual([
        2,
        'Grayscale',
        'GrayscaleAlpha',
      ]);
      expect([bg.imageData.components, [...(await bg.imageData.getData({}))]]).toEqual([1, [9, 9]]);
    });
  });
});

describe('bounds', () => {
  test('an offset layer reports and returns only its pixels', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    expect(doc.layers[0].bounds).toEqual({ left: 1, top: 1, right: 3, bottom: 2, width: 2, height: 1 });
    await modal(async () => {
      const r = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      expect([r.sourceBounds, r.level, r.imageData.width, r.imageData.height]).toEqual([
        { left: 1, top: 1, right: 3, bottom: 2 },
        0,
        2,
        1,
      ]);
    });
  });

  test('requested bounds are trimmed to the pixel region; {left, top, width, height} works too', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    await modal(async () => {
      const a = await s.photoshop.imaging.getPixels({
        documentID: doc.id,
        layerID: doc.layers[0].id,
        sourceBounds: { left: 2, top: 0, right: 10, bottom: 10 },
      });
      expect(a.sourceBounds).toEqual({ left: 2, top: 1, right: 3, bottom: 2 });
      expect([...(await a.imageData.getData({}))]).toEqual([4, 5, 6, 255]);
      const b = await s.photoshop.imaging.getPixels({
        documentID: doc.id,
        sourceBounds: { left: 3, top: 2, width: 5, height: 5 } as never,
      });
      expect(b.sourceBounds).toEqual({ left: 3, top: 2, right: 4, bottom: 3 });
    });
  });

  test('a region without pixels is an error', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    await modal(async () => {
      await expect(
        s.photoshop.imaging.getPixels({
          documentID: doc.id,
          layerID: doc.layers[0].id,
          sourceBounds: { left: 0, top: 0, right: 1, bottom: 1 },
        }),
      ).rejects.toMatchObject({ simKind: 'no-pixels', message: 'No pixels in the requested area' });
      const empty = await doc.createPixelLayer({ name: 'empty' });
      expect(empty!.bounds).toEqual({ left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 });
      await expect(s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: empty!.id })).rejects.toMatchObject({
        simKind: 'no-pixels',
      });
    });
  });

  test('the composite covers the canvas; applyAlpha mattes on white', async () => {
    const doc = s.sim.addDocument({
      width: 2,
      height: 1,
      layers: [{ name: 'half', pixels: { width: 1, height: 1, data: [0, 0, 0, 128] } }],
    });
    await modal(async () => {
      const comp = await s.photoshop.imaging.getPixels({ documentID: doc.id });
      expect(comp.sourceBounds).toEqual({ left: 0, top: 0, right: 2, bottom: 1 });
      expect([...(await comp.imageData.getData({}))]).toEqual([0, 0, 0, 128, 0, 0, 0, 0]);
      const matted = await s.photoshop.imaging.getPixels({
        documentID: doc.id,
        layerID: doc.layers[0].id,
        applyAlpha: true,
      });
      expect([matted.imageData.components, [...(await matted.imageData.getData({}))]]).toEqual([3, [127, 127, 127]]);
    });
  });
});

describe('PhotoshopImageData', () => {
  test('getData({chunky: false}) is planar; dispose() is synchronous and later reads fail', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    await modal(async () => {
      const { imageData } = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      expect([...(await imageData.getData({ chunky: false }))]).toEqual([1, 4, 2, 5, 3, 6, 255, 255]);
      expect(imageData.dispose()).toBeUndefined();
      await expect(imageData.getData({})).rejects.toMatchObject({ simKind: 'disposed' });
      await expect(
        s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: doc.layers[0].id, imageData }),
      ).rejects.toMatchObject({ simKind: 'disposed' });
    });
  });

  test('createImageDataFromBuffer: the typed array sets the depth; length and components are checked', async () => {
    const create = s.photoshop.imaging.createImageDataFromBuffer;
    const rgb = { width: 2, height: 1, components: 3, colorSpace: 'RGB' };
    expect((await create(new Uint8Array(6), rgb)).componentSize).toBe(8);
    expect((await create(new Uint16Array(6), rgb)).componentSize).toBe(16);
    const f = await create(new Float32Array(8), { ...rgb, components: 4 });
    expect([f.componentSize, f.hasAlpha, f.chunky]).toEqual([32, true, true]);
    await expect(create(new Uint8Array(5), rgb)).rejects.toMatchObject({ simKind: 'invalid-argument' });
    await expect(create(new Uint8Array(4), { ...rgb, components: 2 })).rejects.toMatchObject({
      simKind: 'invalid-argument',
    });
    await expect(create(new Int16Array(6) as never, rgb)).rejects.toMatchObject({ simKind: 'invalid-argument' });
    await expect(create(new Uint16Array([40000, 0, 0, 0, 0, 0]), rgb)).rejects.toMatchObject({
      simKind: 'invalid-argument',
    });
    const full = await create(new Uint16Array([65535, 0, 0, 0, 0, 0]), { ...rgb, fullRange: true });
    expect((await full.getData({}))[0]).toBe(32768);
    // "(Linear RGB Profile)" must not be part of a profile passed in.
    await expect(
      create(new Float32Array(6), { ...rgb, colorProfile: 'sRGB IEC61966-2.1 (Linear RGB Profile)' }),
    ).rejects.toMatchObject({ simKind: 'invalid-argument' });
    const planar = await create(new Uint8Array([1, 4, 2, 5, 3, 6]), { ...rgb, chunky: false });
    expect([...(await planar.getData({ chunky: true }))]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('putPixels', () => {
  test('defaults to (0, 0) and replaces; targetBounds places; replace: false keeps other pixels', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    await modal(async () => {
      const layer = await doc.createPixelLayer({ name: 'out' });
      const img = await s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array([9, 9, 9]), {
        width: 1,
        height: 1,
        components: 3,
        colorSpace: 'RGB',
      });
      await s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: layer!.id, imageData: img });
      expect(layer!.bounds).toMatchObject({ left: 0, top: 0, right: 1, bottom: 1 });
      await s.photoshop.imaging.putPixels({
        documentID: doc.id,
        layerID: layer!.id,
        imageData: img,
        targetBounds: { left: 3, top: 2, width: 1, height: 1 },
      });
      expect(layer!.bounds).toMatchObject({ left: 3, top: 2, right: 4, bottom: 3 });
      await s.photoshop.imaging.putPixels({
        documentID: doc.id,
        layerID: layer!.id,
        imageData: img,
        targetBounds: { left: 0, top: 0, right: 1, bottom: 1 },
        replace: false,
      });
      expect(layer!.bounds).toMatchObject({ left: 0, top: 0, right: 4, bottom: 3 });
      expect(s.sim.pixels(doc, layer!)!.data.slice(0, 4)).toEqual(new Float32Array([9, 9, 9, 255]));
    });
    expect(s.sim.history(doc)).toEqual(['New Layer', 'Put Pixels', 'Put Pixels', 'Put Pixels']);
  });

  test('only pixel layers; depth and colour space must match the document', async () => {
    const doc = s.sim.addDocument({
      width: 2,
      height: 2,
      layers: [
        { name: 'T', kind: C().LayerKind.TEXT, fill: [1, 2, 3] },
        { name: 'G', children: [] },
        { background: true },
      ],
    });
    await modal(async () => {
      const img8 = await s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array(3), {
        width: 1,
        height: 1,
        components: 3,
        colorSpace: 'RGB',
      });
      const imgF = await s.photoshop.imaging.createImageDataFromBuffer(new Float32Array(3), {
        width: 1,
        height: 1,
        components: 3,
        colorSpace: 'RGB',
      });
      const imgG = await s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array(1), {
        width: 1,
        height: 1,
        components: 1,
        colorSpace: 'Grayscale',
      });
      for (const id of [doc.layers[0].id, doc.layers[1].id]) {
        await expect(
          s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: id, imageData: img8 }),
        ).rejects.toMatchObject({ simKind: 'invalid-argument' });
      }
      const px = await doc.createPixelLayer();
      await expect(
        s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: px!.id, imageData: imgF }),
      ).rejects.toMatchObject({ simKind: 'not-modelled' });
      await expect(
        s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: px!.id, imageData: imgG }),
      ).rejects.toMatchObject({ simKind: 'not-modelled' });
      await expect(
        s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: 999, imageData: img8 }),
      ).rejects.toMatchObject({ simKind: 'not-found' });
    });
  });

  test('a missing or negative documentID means the active document', async () => {
    rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    const active = rgbDoc(8, [7, 8, 9, 10, 11, 12]);
    await modal(async () => {
      const r = await s.photoshop.imaging.getPixels({ documentID: -1, layerID: active.layers[0].id });
      expect((await r.imageData.getData({}))[0]).toBe(7);
    });
  });

  test('32-bit round trip keeps HDR values', async () => {
    const doc = s.sim.addDocument({ width: 1, height: 1, depth: 32 });
    await modal(async () => {
      const layer = await doc.createPixelLayer();
      const img = await s.photoshop.imaging.createImageDataFromBuffer(new Float32Array([12.5, 0.25, 0]), {
        width: 1,
        height: 1,
        components: 3,
        colorSpace: 'RGB',
        colorProfile: 'sRGB IEC61966-2.1',
      });
      await s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: layer!.id, imageData: img });
      const back = await s.photoshop.imaging.getPixels({ documentID: doc.id, layerID: layer!.id });
      expect([...(await back.imageData.getData({}))]).toEqual([12.5, 0.25, 0, 1]);
      expect(back.imageData.colorProfile).toBe('sRGB IEC61966-2.1 (Linear RGB Profile)');
    });
  });

  test('getPixels outside a modal scope is refused by default, allowed with getPixelsNeedsModal: false', async () => {
    const doc = rgbDoc(8, [1, 2, 3, 4, 5, 6]);
    await expect(s.photoshop.imaging.getPixels({ documentID: doc.id })).rejects.toMatchObject({
      simKind: 'outside-modal',
    });
    const relaxed = createPhotoshopSimulator({ getPixelsNeedsModal: false });
    const d2 = relaxed.sim.addDocument({ width: 1, height: 1 });
    expect((await relaxed.photoshop.imaging.getPixels({ documentID: d2.id })).imageData.components).toBe(3);
  });
});

describe('targetSize and encodeImageData', () => {
  test('targetSize scales down by averaging; one dimension keeps the aspect ratio; larger is refused', async () => {
    // 4×2 grey layer: left half 0, right half 200; then scaled to 2×1 (height from the ratio).
    const doc = s.sim.addDocument({
      width: 4,
      height: 2,
      mode: C().DocumentMode.GRAYSCALE,
      layers: [{ background: true, pixels: { width: 4, height: 2, data: [0, 0, 200, 200, 0, 100, 200, 100] } }],
    });
    const [small, refused] = await modal(async () => {
      const { imageData, sourceBounds, level } = await s.photoshop.imaging.getPixels({
        documentID: doc.id,
        layerID: doc.layers[0].id,
        targetSize: { width: 2 },
      });
      const data = [...(await imageData.getData({ chunky: true }))];
      const big = s.photoshop.imaging.getPixels({ documentID: doc.id, targetSize: { width: 8 } }).catch((e) => e);
      return [{ size: [imageData.width, imageData.height], data, sourceBounds, level }, await big];
    });
    expect(small).toEqual({
      size: [2, 1],
      data: [25, 175],
      sourceBounds: { left: 0, top: 0, right: 4, bottom: 2 },
      level: 0,
    });
    expect(refused).toMatchObject({ simKind: 'not-modelled' });
  });

  test('encodeImageData: a base64 JPEG of 8-bit RGB data; the simulator keeps its pixels; other data refused', async () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);
    const imageData = await s.photoshop.imaging.createImageDataFromBuffer(rgb, {
      width: 2,
      height: 1,
      components: 3,
      colorSpace: 'RGB',
      colorProfile: 'sRGB IEC61966-2.1',
    });
    const text = (await s.photoshop.imaging.encodeImageData({ imageData, base64: true })) as string;
    expect(Buffer.from(text, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // JPEG SOI
    expect(s.sim.encodedImage(`data:image/jpeg;base64,${text}`)).toEqual({ width: 2, height: 1, rgb });
    const bytes = await s.photoshop.imaging.encodeImageData({ imageData });
    expect(Array.isArray(bytes) && bytes[0]).toBe(0xff);
    const grey = await s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array([1]), {
      width: 1,
      height: 1,
      components: 1,
      colorSpace: 'Grayscale',
    });
    await expect(s.photoshop.imaging.encodeImageData({ imageData: grey, base64: true })).rejects.toMatchObject({
      simKind: 'invalid-argument',
    });
  });
});

describe('notifications', () => {
  test('select (layers, another document), open and close reach listeners after the call; removed listeners hear nothing', async () => {
    const heard: Array<[string, unknown]> = [];
    const listener = (event: string, d: unknown) => void heard.push([event, (d as { documentID: number }).documentID]);
    await s.photoshop.action.addNotificationListener(['select', 'open', 'close'], listener);
    const a = s.sim.addDocument({ width: 1, height: 1 });
    const b = s.sim.addDocument({ width: 1, height: 1 });
    s.sim.selectLayers(a, [a.layers[0]]);
    s.sim.activateDocument(a);
    expect(heard).toEqual([]); // delivered after the current task
    await new Promise((r) => setTimeout(r, 0));
    expect(heard).toEqual([
      ['open', a.id],
      ['open', b.id],
      ['select', a.id],
      ['select', a.id],
    ]);
    expect(s.photoshop.app.activeDocument!.id).toBe(a.id);
    await s.photoshop.action.removeNotificationListener(['select', 'open', 'close'], listener);
    s.sim.selectLayers(b, []);
    await new Promise((r) => setTimeout(r, 0));
    expect(heard).toHaveLength(4);
  });
});
