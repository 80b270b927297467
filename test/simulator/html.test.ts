/** The plugin document and UXP widgets: attributes, events, sp-slider / sp-dropdown / sp-progressbar, dialogs, webviews in the document. */
import { createPhotoshopSimulator } from './index';
import type {
  PhotoshopSimulator,
  SimDialog,
  SimDropdown,
  SimElement,
  SimProgressbar,
  SimSlider,
  SimTextfield,
  SimWebview,
} from './index';

let s: PhotoshopSimulator;
beforeEach(() => {
  s = createPhotoshopSimulator();
});
const el = (tag: string, attrs: Record<string, string> = {}) => {
  const e = s.sim.document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

test('elements: ids, attributes, text, tree, getElementById only finds connected elements', () => {
  const box = el('div', { id: 'box' });
  const label = box.appendChild(el('sp-label'));
  label.textContent = 'Gamma';
  expect([box.tagName, box.textContent, box.isConnected, s.sim.document.getElementById('box')]).toEqual([
    'DIV',
    'Gamma',
    false,
    null,
  ]);
  s.sim.document.body.appendChild(box);
  expect(s.sim.document.getElementById('box')).toBe(box);
  box.textContent = 'plain';
  expect([box.children.length, label.parentNode]).toEqual([0, null]);
});

test('events carry their target; a disabled element is not clicked', () => {
  const button = el('sp-button');
  const got: unknown[] = [];
  button.addEventListener('click', (e) => got.push(e.target));
  s.sim.ui.click(button);
  button.disabled = true;
  s.sim.ui.click(button);
  expect(got).toEqual([button]);
});

test('sp-slider: whole-number value within min..max; input while dragging, change on release; no fractional step', () => {
  const slider = el('sp-slider', { min: '50', max: '200', value: '100' }) as SimSlider;
  const events: string[] = [];
  slider.addEventListener('input', () => events.push(`input ${slider.value}`));
  slider.addEventListener('change', () => events.push(`change ${slider.value}`));
  s.sim.ui.slide(slider, 140.4);
  expect(events).toEqual(['input 140', 'change 140']);
  slider.value = 900;
  expect(slider.value).toBe(200);
  expect(() => s.sim.ui.slide(el('sp-dropdown'), 1)).toThrow(/not an sp-slider/);
  expect(() => slider.setAttribute('step', '0.05')).toThrow(/fractional step is not documented/);
  slider.setAttribute('step', '5');
});

test('sp-dropdown in the document: the selected attributes choose at render, then only selectedIndex moves it', () => {
  const dd = el('sp-dropdown') as SimDropdown;
  const menu = dd.appendChild(el('sp-menu', { slot: 'options' }));
  const items = [menu.appendChild(el('sp-menu-item', { selected: '' })), menu.appendChild(el('sp-menu-item'))];
  s.sim.document.body.appendChild(dd);
  items[0].removeAttribute('selected');
  items[1].setAttribute('selected', '');
  expect(dd.selectedIndex).toBe(0);
  dd.selectedIndex = 1;
  expect(dd.selectedIndex).toBe(1);
});

test('PS-57264: a file picker opened from a Spectrum button brings more clicks on it while it is open', async () => {
  const button = s.sim.document.body.appendChild(el('sp-button'));
  let clicks = 0;
  button.addEventListener('click', () => {
    clicks++;
    void s.uxp.storage.localFileSystem.getFileForOpening({ types: ['txt'] }).catch(() => undefined);
  });
  s.sim.files.pickNext(null);
  s.sim.ui.click(button);
  expect(clicks).toBe(3);
});

test('sp-dropdown: selectedIndex over its sp-menu items; -1 when none is selected', () => {
  const dd = el('sp-dropdown') as SimDropdown;
  const menu = dd.appendChild(el('sp-menu', { slot: 'options' }));
  menu.appendChild(el('sp-menu-item'));
  menu.appendChild(el('sp-menu-item', { selected: '' }));
  expect(dd.selectedIndex).toBe(1);
  let seen = -2;
  dd.addEventListener('change', () => (seen = dd.selectedIndex));
  s.sim.ui.choose(dd, 0);
  expect([seen, menu.children[1].hasAttribute('selected')]).toEqual([0, false]);
  (menu.children[0] as SimElement).removeAttribute('selected');
  expect(dd.selectedIndex).toBe(-1);
});

test('sp-progressbar: value and max', () => {
  const bar = el('sp-progressbar', { max: '100' }) as SimProgressbar;
  bar.value = 40;
  expect([bar.value, bar.max]).toEqual([40, 100]);
});

test('sp-textfield: a string value from its attribute; typing fires input, then change', () => {
  const field = el('sp-textfield', { value: 'a.jpg' }) as SimTextfield;
  const events: string[] = [];
  field.addEventListener('input', () => events.push(`input ${field.value}`));
  field.addEventListener('change', () => events.push(`change ${field.value}`));
  expect(field.value).toBe('a.jpg');
  s.sim.ui.type(field, 'b.jpg');
  expect(events).toEqual(['input b.jpg', 'change b.jpg']);
  expect(() => s.sim.ui.type(el('sp-slider'), 'x')).toThrow(/not an sp-textfield/);
});

test('dialog.uxpShowModal: needs the document; close resolves with the value; dismiss and removal reject', async () => {
  const d = el('dialog') as SimDialog;
  await expect(d.uxpShowModal()).rejects.toMatchObject({ code: d.REJECTION_REASON_DETACHED });
  s.sim.document.body.appendChild(d);
  const shown = d.uxpShowModal({ title: 'T' });
  expect([d.open, s.sim.document.openDialogs.has(d)]).toEqual([true, true]);
  await expect(d.uxpShowModal()).rejects.toMatchObject({ code: d.REJECTION_REASON_NOT_ALLOWED });
  d.close('ok');
  await expect(shown).resolves.toBe('ok');
  const again = d.uxpShowModal();
  d.dismiss();
  await expect(again).rejects.toMatchObject({ code: 'dismissed' });
  const third = d.uxpShowModal();
  d.remove();
  await expect(third).rejects.toMatchObject({ code: d.REJECTION_REASON_DETACHED });
  expect(s.sim.document.openDialogs.size).toBe(0);
});

test('a <webview> loads the page served at its src when it enters the document, and unloads when it leaves', async () => {
  const log: string[] = [];
  s.sim.servePage('plugin:/engine/engine.html', (page) => {
    log.push(`load ${page.location.href}`);
    page.addEventListener('message', (e) => page.uxpHost.postMessage({ echo: e.data }));
    return () => log.push('unload');
  });
  const w = s.sim.document.createElement('webview') as SimWebview;
  w.setAttribute('src', 'plugin:/engine/engine.html');
  w.addEventListener('loadstop', () => log.push('loadstop'));
  w.postMessage('early');
  await s.sim.bridge.settle();
  expect(log).toEqual([]);
  s.sim.document.body.appendChild(w);
  await s.sim.bridge.settle();
  const heard: unknown[] = [];
  s.sim.window.addEventListener('message', (e) => heard.push([e.data, e.source === w, e.origin]));
  w.postMessage('hi');
  await s.sim.bridge.settle();
  w.remove();
  w.postMessage('after');
  await s.sim.bridge.settle();
  expect(log).toEqual(['load plugin:/engine/engine.html', 'loadstop', 'unload']);
  expect(heard).toEqual([[{ echo: 'hi' }, true, 'plugin:']]);
  const missing = s.sim.document.createElement('webview') as SimWebview;
  missing.src = 'plugin:/nothing.html';
  const errors: unknown[] = [];
  missing.addEventListener('loaderror', (e) => errors.push(e.message));
  s.sim.document.body.appendChild(missing);
  await s.sim.bridge.settle();
  expect(errors).toEqual(['Error: nothing is served at plugin:/nothing.html']);
});
