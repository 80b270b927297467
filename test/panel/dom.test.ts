/** Building UI with createElement/setAttribute, on the simulator's document. */
import { installSimulator } from '../simulator/install';
const { sim } = installSimulator();
import { dropdown, h, selectItem, type Dropdown } from '../../src/panel/dom';
import type { SimDropdown, SimElement } from '../simulator/index';

test('h sets attributes (true as present, false/undefined as absent) and text or children', () => {
  const e = h(
    'sp-button',
    { id: 'b', variant: 'cta', disabled: true, quiet: false, size: undefined },
    'Go',
  ) as unknown as SimElement;
  expect([
    e.tagName,
    e.id,
    e.getAttribute('variant'),
    e.disabled,
    e.hasAttribute('quiet'),
    e.hasAttribute('size'),
    e.textContent,
  ]).toEqual(['SP-BUTTON', 'b', 'cta', true, false, false, 'Go']);
  const box = h('div', {}, [h('sp-label', {}, 'A'), h('sp-label', {}, 'B')]) as unknown as SimElement;
  expect(box.textContent).toBe('AB');
});

test('dropdown: an sp-menu slot="options" of items, the chosen one selected; selectItem moves the selection', () => {
  const dd = dropdown(
    'd',
    [
      { value: 'a', label: 'First' },
      { value: 'b', label: 'Second' },
    ],
    'b',
  ) as unknown as SimDropdown;
  sim.document.body.appendChild(dd);
  expect([dd.querySelector('sp-menu')!.getAttribute('slot'), dd.selectedIndex]).toEqual(['options', 1]);
  expect(dd.querySelectorAll('sp-menu-item').map((i) => [i.getAttribute('value'), i.textContent])).toEqual([
    ['a', 'First'],
    ['b', 'Second'],
  ]);
  selectItem(dd as unknown as Dropdown, 0); // rendered: selectedIndex must move, not only the attributes
  expect(dd.selectedIndex).toBe(0);
});
