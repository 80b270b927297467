/**
 * Building UXP UI in code (createElement + setAttribute: the calls UXP documents for
 * every element), so panel and dialog need no HTML templates.
 */

/** `<tag attrs…>` holding either text or child elements. */
export function h(
  tag: string,
  attrs: Record<string, string | boolean | undefined> = {},
  content: string | HTMLElement[] = [],
): HTMLElement {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) e.setAttribute(name, '');
    else if (typeof value === 'string') e.setAttribute(name, value);
  }
  if (typeof content === 'string') e.textContent = content;
  else content.forEach((child) => e.appendChild(child));
  return e;
}

/** The Spectrum widgets' properties, which the DOM typings do not know. */
export type Slider = HTMLElement & { value: number };
export type Dropdown = HTMLElement & { selectedIndex: number };
export type Progressbar = HTMLElement & { value: number };
export type Button = HTMLElement & { disabled: boolean };

/** An sp-dropdown over `options`, the one with `selected` value chosen. */
export function dropdown<T extends string>(
  id: string,
  options: ReadonlyArray<{ value: T; label: string }>,
  selected: T,
): Dropdown {
  const items = options.map((o) => h('sp-menu-item', { value: o.value, selected: o.value === selected }, o.label));
  return h('sp-dropdown', { id, style: 'width: 100%' }, [h('sp-menu', { slot: 'options' }, items)]) as Dropdown;
}

/**
 * Selects `index` of a rendered sp-dropdown: `selectedIndex` (the `selected` attributes only count
 * when it renders), and the attributes to match.
 */
export function selectItem(dd: Dropdown, index: number): void {
  Array.from(dd.querySelectorAll('sp-menu-item')).forEach((item, i) => {
    if (i === index) item.setAttribute('selected', '');
    else item.removeAttribute('selected');
  });
  dd.selectedIndex = index;
}
