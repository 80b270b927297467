import { readFileSync } from 'node:fs';
import { CAPTURE_DEVICES, launchChromium, openEngine, startServer } from '../../bench/browser-harness';
import { encodeBytes } from '../../src/protocol/payload';
import { fixturePath } from '../helpers/fixture';
jest.setTimeout(180000);
it('debug', async () => {
  const [browser, server] = await Promise.all([launchChromium(), startServer()]);
  const e = await openEngine(browser, server, { initScript: CAPTURE_DEVICES + `
    window.__log = [];
    const orig = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...a) { const d = await orig.apply(this, a); window.__log.push('device ' + JSON.stringify(a[0]?.requiredLimits ?? {})); d.lost.then(i => window.__log.push('lost ' + i.reason + ' ' + i.message + ' ' + performance.now())); return d; };
  ` });
  await e.client.init({ kind: 'file', name: 'params.npz', base64: encodeBytes(readFileSync(fixturePath('params.npz'))) }, 'webgpu');
  await e.client.run({ width: 64, height: 64, data: new Float32Array(3 * 64 * 64) });
  const p = e.client.run({ width: 64, height: 64, data: new Float32Array(3 * 64 * 64) }).catch(x => x);
  await new Promise(r => setTimeout(r, 300));
  await e.page.evaluate(() => { (window as any).__log.push('destroy ' + performance.now() + ' ' + (window as any).__devices.length); (window as any).__devices.forEach((d: any) => d.destroy()); });
  console.log(await p);
  await new Promise(r => setTimeout(r, 1000));
  console.log(await e.page.evaluate(() => (window as any).__log));
  await e.close(); await server.close(); await browser.close();
});
