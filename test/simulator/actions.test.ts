/** action.recordAction and Actions panel playback (ps-reference/media/action-recording.md). */
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { createPhotoshopSimulator } from './index';
import type { PhotoshopSimulator } from './index';

let s: PhotoshopSimulator;
const g = globalThis as Record<string, unknown>;
beforeEach(() => {
  s = createPhotoshopSimulator();
});
afterEach(() => {
  delete g.hdrActionHandler;
});

test('recordAction adds a step only while recording, storing a copy of info', async () => {
  const info = { gamma: 2.2, nested: { exposure: 1 } };
  await s.photoshop.action.recordAction({ name: 'Ignored', methodName: 'hdrActionHandler' }, info);
  s.sim.actions.startRecording('My HDR');
  await s.photoshop.action.recordAction({ name: 'HDR Reconstruct', methodName: 'hdrActionHandler' }, info);
  info.gamma = 9;
  expect(s.sim.actions.stopRecording()).toEqual([
    { name: 'HDR Reconstruct', methodName: 'hdrActionHandler', info: { gamma: 2.2, nested: { exposure: 1 } } },
  ]);
});

test('recordAction reports the documented argument errors', async () => {
  const record = s.photoshop.action.recordAction as (...args: unknown[]) => Promise<void>;
  await expect(record({ name: 'x', methodName: 42 }, {})).rejects.toThrow('Unsupported napi type');
  await expect(record({ name: 'x', methodName: 'f' })).rejects.toThrow('Argument 2 is missing');
});

test('playback calls the global handler with (executionContext, info) in a modal scope', async () => {
  const doc = s.sim.addDocument({ width: 1, height: 1 });
  s.sim.actions.startRecording('A');
  await s.photoshop.action.recordAction({ name: 'HDR', methodName: 'hdrActionHandler' }, { gamma: 2.2 });
  s.sim.actions.stopRecording();
  const seen: unknown[] = [];
  g.hdrActionHandler = async (ctx: ExecutionContext, info: { gamma: number }) => {
    seen.push({ ...info }, typeof ctx.hostControl.suspendHistory, s.photoshop.core.isModal());
    info.gamma = 0; // the stored step keeps its own copy
    await doc.createPixelLayer({ name: 'from action' }); // allowed: playback is modal
  };
  await s.sim.actions.play('A');
  expect(seen).toEqual([{ gamma: 2.2 }, 'function', true]);
  expect(doc.layers[0].name).toBe('from action');
  expect(s.sim.actions.steps('A')[0].info).toEqual({ gamma: 2.2 });
});

test('a handler that is not global fails playback', async () => {
  s.sim.actions.startRecording('A');
  await s.photoshop.action.recordAction({ name: 'HDR', methodName: 'hdrActionHandler' }, {});
  s.sim.actions.stopRecording();
  await expect(s.sim.actions.play('A')).rejects.toThrow(/^Script action failed\./);
});

test('Record Again: the returned value replaces info; undefined leaves the step unchanged', async () => {
  s.sim.actions.startRecording('A');
  await s.photoshop.action.recordAction({ name: 'HDR', methodName: 'hdrActionHandler' }, { gamma: 2.2 });
  s.sim.actions.stopRecording();
  g.hdrActionHandler = async () => undefined;
  await s.sim.actions.play('A', { step: 0, recordAgain: true });
  expect(s.sim.actions.steps('A')[0].info).toEqual({ gamma: 2.2 });
  g.hdrActionHandler = async (_ctx: unknown, info: { gamma: number }) => ({
    gamma: info.gamma + 0.2,
    when: new Date(0),
  });
  await s.sim.actions.play('A', { recordAgain: true });
  expect(s.sim.actions.steps('A')[0].info).toEqual({ gamma: 2.4000000000000004, when: '1970-01-01T00:00:00.000Z' });
  await s.sim.actions.play('A'); // plain playback never rewrites the step
  expect(s.sim.actions.steps('A')[0].info.gamma).toBeCloseTo(2.4);
});

test('a failing handler rolls back history it suspended, as any modal scope', async () => {
  const doc = s.sim.addDocument({ width: 1, height: 1 });
  s.sim.actions.startRecording('A');
  await s.photoshop.action.recordAction({ name: 'HDR', methodName: 'hdrActionHandler' }, {});
  s.sim.actions.stopRecording();
  g.hdrActionHandler = async (ctx: ExecutionContext) => {
    await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'HDR' });
    await doc.createPixelLayer();
    throw new Error('no engine');
  };
  await expect(s.sim.actions.play('A')).rejects.toThrow('no engine');
  expect(doc.layers.map((l) => l.name)).toEqual(['Background']);
});
