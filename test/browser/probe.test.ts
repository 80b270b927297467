import { launchChromium, openEngine, startServer } from '../../bench/browser-harness';
import { encodeBytes } from '../../src/protocol/payload';
import { tinyModelBytes } from '../helpers/fixture';
jest.setTimeout(120000);
it('probe', async () => {
  const [browser, server] = await Promise.all([launchChromium(), startServer()]);
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now();
    const log: string[] = [];
    const e = await openEngine(browser, server, { events: { onModelStatus: (s) => log.push(`${s} ${Date.now() - t0}`) } });
    const client = await e.page.context().newCDPSession(e.page);
    await client.send('Profiler.enable'); await client.send('Profiler.start');
    await e.client.init({ kind: 'file', name: 'x.onnx', base64: encodeBytes(tinyModelBytes()) }, 'wasm');
    log.push(`ready ${Date.now() - t0}`);
    const { profile } = await client.send('Profiler.stop') as any;
    const self = new Map<string, number>();
    const dt = profile.timeDeltas as number[]; const samples = profile.samples as number[];
    const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
    samples.forEach((id, k) => { const n: any = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + dt[k] / 1000); });
    console.log(log.join('\n') + '\n' + [...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n'));
    await e.close();
  }
  await browser.close(); await server.close();
});
