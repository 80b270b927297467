/** executeAsModal, history suspension and cancellation (ps-reference/media/executeasmodal.md). */
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { createPhotoshopSimulator } from './index';
import type { PhotoshopSimulator, SimDocument } from './index';

let s: PhotoshopSimulator;
beforeEach(() => {
  s = createPhotoshopSimulator({ modalWaitMs: 30 });
});
const C = () => s.photoshop.constants;
const names = (doc: SimDocument) => doc.layers.map((l) => l.name);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A plugin-like command: one undo step that converts to 32 bits and writes a new layer. */
function reconstruct(doc: SimDocument) {
  const { core, imaging, constants } = s.photoshop;
  return core.executeAsModal(
    async (ctx) => {
      const suspension = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'HDR Reconstruct' });
      doc.bitsPerChannel = constants.BitsPerChannelType.THIRTYTWO;
      const src = await imaging.getPixels({ documentID: doc.id, layerID: doc.layers[0].id });
      const data = (await src.imageData.getData({ chunky: true })) as Float32Array;
      src.imageData.dispose();
      ctx.reportProgress({ value: 0.5 });
      const layer = await doc.createPixelLayer({ name: 'HDR' });
      const out = await imaging.createImageDataFromBuffer(
        data.map((v) => v * 4),
        { width: src.imageData.width, height: src.imageData.height, components: 3, colorSpace: 'RGB' },
      );
      try {
        await imaging.putPixels({
          documentID: doc.id,
          layerID: layer!.id,
          imageData: out,
          targetBounds: src.sourceBounds,
        });
      } finally {
        out.dispose();
      }
      await ctx.hostControl.resumeHistory(suspension, true);
    },
    { commandName: 'HDR Reconstruct' },
  );
}

const newPhoto = () => s.sim.addDocument({ width: 3, height: 2, layers: [{ background: true, fill: [200, 100, 50] }] });

test('state changes outside executeAsModal throw; inside they work', async () => {
  const doc = newPhoto();
  await expect(doc.createPixelLayer()).rejects.toMatchObject({ simKind: 'outside-modal' });
  const img = await s.photoshop.imaging.createImageDataFromBuffer(new Uint8Array(3), {
    width: 1,
    height: 1,
    components: 3,
    colorSpace: 'RGB',
  });
  await expect(
    s.photoshop.imaging.putPixels({ documentID: doc.id, layerID: doc.layers[0].id, imageData: img }),
  ).rejects.toMatchObject({ simKind: 'outside-modal' });
  expect(s.photoshop.core.isModal()).toBe(false);
  await s.photoshop.core.executeAsModal(
    async () => {
      expect(s.photoshop.core.isModal()).toBe(true);
      await doc.createPixelLayer();
    },
    { commandName: 'ok' },
  );
  expect(names(doc)).toEqual(['Layer 1', 'Background']);
});

test('work left running after the target function returned is outside the modal scope', async () => {
  const doc = newPhoto();
  let late: Promise<unknown> | undefined;
  const gate = deferred();
  await s.photoshop.core.executeAsModal(
    async () => {
      late = gate.promise.then(() => doc.createPixelLayer()); // not awaited: "care should be given to ensure it does not return early"
    },
    { commandName: 'early return' },
  );
  gate.resolve();
  await expect(late).rejects.toMatchObject({ simKind: 'outside-modal' });
});

test('the descriptor option reaches the target function as a copy; functions are refused', async () => {
  const got = await s.photoshop.core.executeAsModal(async (_ctx, descriptor) => descriptor, {
    commandName: 'd',
    descriptor: { gamma: 2.2 },
  });
  expect(got).toEqual({ gamma: 2.2 });
  await expect(
    s.photoshop.core.executeAsModal(async () => 1, { commandName: 'd', descriptor: { f: () => 1 } }),
  ).rejects.toThrow();
});

describe('modal state held by someone else', () => {
  test('a concurrent call from this plugin fails with error number 9', async () => {
    const gate = deferred();
    const first = s.photoshop.core.executeAsModal(() => gate.promise, { commandName: 'first' });
    await expect(s.photoshop.core.executeAsModal(async () => 1, { commandName: 'second' })).rejects.toMatchObject({
      number: 9,
      simKind: 'modal-busy',
      message: 'Plugin: sim.plugin is running a modal command',
    });
    gate.resolve();
    await first;
    expect(await s.photoshop.core.executeAsModal(async () => 2, { commandName: 'third' })).toBe(2);
  });

  test('another plugin: the call retries for timeOut seconds (25.10+) and succeeds when released in time', async () => {
    const slow = createPhotoshopSimulator(); // no modalWaitMs: the documented timeOut applies
    slow.sim.modal.holdByOtherPlugin('com.example.other');
    jest.useFakeTimers();
    try {
      let settled = false;
      const refused = slow.photoshop.core
        .executeAsModal(async () => 1, { commandName: 'x', timeOut: 0.05 })
        .finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(49);
      expect(settled).toBe(false); // still retrying
      await jest.advanceTimersByTimeAsync(1);
      await expect(refused).rejects.toMatchObject({
        number: 9,
        message: 'Plugin: com.example.other is running a modal command',
      });
      const ran = slow.photoshop.core.executeAsModal(async () => 'ran', { commandName: 'x', timeOut: 1 });
      await jest.advanceTimersByTimeAsync(999);
      slow.sim.modal.releaseOtherPlugin();
      expect(await ran).toBe('ran');
    } finally {
      jest.useRealTimers();
    }
  });

  test('nested executeAsModal inside a target function is allowed and shares the modal state', async () => {
    const doc = newPhoto();
    await s.photoshop.core.executeAsModal(
      async (outer) => {
        await s.photoshop.core.executeAsModal(
          async (inner) => {
            await doc.createPixelLayer({ name: 'nested' });
            s.sim.modal.cancel();
            expect([inner.isCancelled, outer.isCancelled]).toEqual([true, true]);
          },
          { commandName: 'inner' },
        );
      },
      { commandName: 'outer' },
    );
    expect(names(doc)).toEqual(['nested', 'Background']);
  });
});

describe('history', () => {
  test('one named state per committed suspension; none without a change; finalName renames', async () => {
    const doc = newPhoto();
    await s.photoshop.core.executeAsModal(
      async (ctx) => {
        const a = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Step A' });
        await doc.createPixelLayer();
        await doc.createPixelLayer();
        await ctx.hostControl.resumeHistory(a, true);
        const b = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Nothing' });
        await ctx.hostControl.resumeHistory(b);
        const c = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Step C' });
        doc.layers[0].visible = false;
        await ctx.hostControl.resumeHistory({ ...c, finalName: 'Renamed C' }, true);
        const d = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Step D' });
        doc.layers[0].visible = true;
        Object.assign(d, { finalName: 'Renamed D' }); // the docs' way: set finalName on the returned object
        await ctx.hostControl.resumeHistory(d, true);
      },
      { commandName: 'h' },
    );
    expect(s.sim.history(doc)).toEqual(['Step A', 'Renamed C', 'Renamed D']);
  });

  test('resumeHistory(id, false) rolls the document back', async () => {
    const doc = newPhoto();
    await s.photoshop.core.executeAsModal(
      async (ctx) => {
        const id = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Try' });
        await doc.createPixelLayer();
        doc.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
        await ctx.hostControl.resumeHistory(id, false);
      },
      { commandName: 'h' },
    );
    expect([names(doc), doc.bitsPerChannel, s.sim.history(doc)]).toEqual([
      ['Background'],
      C().BitsPerChannelType.EIGHT,
      [],
    ]);
  });

  test('a throwing target function rolls back every suspended document exactly', async () => {
    const doc = s.sim.addDocument({
      width: 2,
      height: 2,
      layers: [
        { name: 'a', pixels: { left: 1, top: 0, width: 1, height: 2, data: [1, 2, 3, 4, 5, 6] }, active: true },
        { background: true, fill: [9, 8, 7] },
      ],
    });
    const before = {
      tree: s.sim.layerTree(doc),
      pixels: s.sim.pixels(doc),
      a: s.sim.pixels(doc, doc.layers[0]),
      active: doc.activeLayers.map((l) => l.id),
    };
    const failure = new Error('engine failed');
    await expect(
      s.photoshop.core.executeAsModal(
        async (ctx) => {
          await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'HDR' });
          doc.bitsPerChannel = C().BitsPerChannelType.THIRTYTWO;
          await doc.createPixelLayer({ name: 'new' });
          doc.layers[1].name = 'renamed';
          doc.layers[2].delete();
          throw failure;
        },
        { commandName: 'fails' },
      ),
    ).rejects.toBe(failure);
    expect({
      tree: s.sim.layerTree(doc),
      pixels: s.sim.pixels(doc),
      a: s.sim.pixels(doc, doc.layers[0]),
      active: doc.activeLayers.map((l) => l.id),
    }).toEqual(before);
    expect([doc.bitsPerChannel, s.sim.history(doc)]).toEqual([C().BitsPerChannelType.EIGHT, []]);
  });

  test('a normal return commits suspensions left open; registered documents are closed', async () => {
    const doc = newPhoto();
    await s.photoshop.core.executeAsModal(
      async (ctx) => {
        await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Open' });
        await doc.createPixelLayer();
        const temp = await s.photoshop.app.createDocument({ width: 1, height: 1 });
        await ctx.hostControl.registerAutoCloseDocument(temp!.id);
      },
      { commandName: 'c' },
    );
    expect(s.sim.history(doc)).toEqual(['Open']);
    expect(s.photoshop.app.documents.map((d) => d.id)).toEqual([doc.id]);
  });

  test('hostControl is dead once the scope ended', async () => {
    const doc = newPhoto();
    const ctx = await s.photoshop.core.executeAsModal(async (c) => c, { commandName: 'leak' });
    await expect(ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'late' })).rejects.toMatchObject({
      simKind: 'outside-modal',
    });
  });
});

test('reportProgress records value and message; values outside [0, 1] are refused', async () => {
  await s.photoshop.core.executeAsModal(
    async (ctx) => {
      ctx.reportProgress({ value: 0.25 });
      ctx.reportProgress({ value: 1, commandName: 'Finishing' });
      expect(() => ctx.reportProgress({ value: 1.5 })).toThrow(
        expect.objectContaining({ simKind: 'invalid-argument' }),
      );
    },
    { commandName: 'Reconstruct' },
  );
  expect(s.sim.modal.progress).toEqual([
    { commandName: 'Reconstruct', value: 0.25 },
    { commandName: 'Reconstruct', value: 1, message: 'Finishing' },
  ]);
});

describe('cancellation', () => {
  test('cancel sets isCancelled, calls onCancel, and the next API call and any change throw', async () => {
    const doc = newPhoto();
    const onCancel = jest.fn();
    let context: ExecutionContext | undefined;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let engineDone!: () => void;
    const run = s.photoshop.core.executeAsModal(
      async (ctx) => {
        context = ctx;
        ctx.onCancel = onCancel;
        started();
        await new Promise<void>((r) => (engineDone = r)); // waiting on something that is not Photoshop (e.g. the engine)
        expect(ctx.isCancelled).toBe(true);
        expect(() => {
          doc.layers[0].visible = false;
        }).toThrow(expect.objectContaining({ simKind: 'cancelled' }));
        await doc.createPixelLayer(); // throws: the user cancelled
      },
      { commandName: 'long' },
    );
    await running;
    expect(s.sim.modal.cancel('user pressed Escape')).toBe(true);
    engineDone();
    await expect(run).rejects.toMatchObject({ simKind: 'cancelled' });
    expect(onCancel).toHaveBeenCalledWith({ reason: 'user pressed Escape' });
    expect([context!.isCancelled, s.sim.modal.cancel()]).toEqual([false, false]);
    expect(names(doc)).toEqual(['Background']);
  });

  test('cancelling at every await point leaves the document as it was', async () => {
    let n = 1;
    for (; ; n++) {
      s.sim.reset();
      const doc = newPhoto();
      const before = { tree: s.sim.layerTree(doc), pixels: s.sim.pixels(doc, doc.layers[0]) };
      s.sim.modal.cancelAtCall(n);
      const outcome = await reconstruct(doc).then(
        () => 'done',
        (e: { simKind?: string }) => e.simKind,
      );
      if (!s.sim.modal.cancelTriggered) {
        expect(outcome).toBe('done');
        expect([names(doc), doc.bitsPerChannel, s.sim.history(doc)]).toEqual([
          ['HDR', 'Background'],
          C().BitsPerChannelType.THIRTYTWO,
          ['HDR Reconstruct'],
        ]);
        break;
      }
      expect(outcome).toBe('cancelled');
      expect({ tree: s.sim.layerTree(doc), pixels: s.sim.pixels(doc, doc.layers[0]) }).toEqual(before);
      expect([doc.bitsPerChannel, s.sim.history(doc), s.photoshop.core.isModal()]).toEqual([
        C().BitsPerChannelType.EIGHT,
        [],
        false,
      ]);
    }
    // suspendHistory, getPixels, getData, createPixelLayer, createImageDataFromBuffer, putPixels, resumeHistory
    expect(n - 1).toBe(7);
  });

  test('onApiCall reports every Photoshop call made inside the scope', async () => {
    const calls: string[] = [];
    s.sim.modal.onApiCall((name) => calls.push(name));
    await reconstruct(newPhoto());
    expect(calls).toEqual([
      'hostControl.suspendHistory',
      'imaging.getPixels',
      'PhotoshopImageData.getData',
      'Document.createPixelLayer',
      'imaging.createImageDataFromBuffer',
      'imaging.putPixels',
      'hostControl.resumeHistory',
    ]);
  });
});

test('auto-close (un)registration still works after a cancel: the documented clean-up path', async () => {
  const doc = newPhoto();
  await expect(
    s.photoshop.core.executeAsModal(
      async (ctx) => {
        const created = await s.photoshop.app.createDocument({ width: 2, height: 2 });
        s.sim.modal.cancel();
        await ctx.hostControl.registerAutoCloseDocument(created!.id); // an await point, not refused
        await created!.createPixelLayer(); // refused: cancelled
      },
      { commandName: 'temp doc' },
    ),
  ).rejects.toMatchObject({ simKind: 'cancelled' });
  expect(s.photoshop.app.documents.map((d) => d.id)).toEqual([doc.id]);
});

test('playback with history suspended: suspendHistory gives 0xFFFFFFFF, resuming it throws, the Action is one state', async () => {
  const doc = newPhoto();
  const seen: unknown[] = [];
  (globalThis as Record<string, unknown>).simStep = async (ctx: ExecutionContext) => {
    const id = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'mine' });
    seen.push(id);
    await doc.createPixelLayer({ name: 'new' });
    await ctx.hostControl.resumeHistory(id, true).catch((e: Error) => seen.push(e.message));
  };
  s.sim.actions.startRecording('A');
  await s.photoshop.action.recordAction({ name: 'step', methodName: 'simStep' }, {});
  s.sim.actions.stopRecording();
  await s.sim.actions.play('A', { suspendHistory: true });
  delete (globalThis as Record<string, unknown>).simStep;
  expect(seen).toEqual([4294967295, 'resumeHistory: suspension 4294967295 is owned by the Actions panel']);
  expect([names(doc), s.sim.history(doc)]).toEqual([['new', 'Background'], ['A']]);
});
