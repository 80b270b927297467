/**
 * The plugin's HTML document as far as the plugin uses it: createElement, body,
 * getElementById, attributes, text, events, and the UXP elements it builds its UI
 * from, after UXP's reference: the Spectrum UXP widgets sp-slider (`value`, `min`,
 * `max`; `input` while dragging, `change` on release), sp-dropdown (a `sp-menu
 * slot="options"` of sp-menu-items; `selectedIndex`; `change`), sp-menu-item
 * (`selected`), sp-progressbar (`value`, `max`), sp-button; HTMLDialogElement
 * (`uxpShowModal` resolves with the return value on close(), rejects when the user
 * dismisses it); and <webview> (webview.ts). Layout and styling are not modelled.
 */
import { simError } from './errors';
import { SimEventTarget, type SimEvent } from './events';

export class SimElement extends SimEventTarget {
  readonly tagName: string;
  parentNode: SimElement | null = null;
  readonly children: SimElement[] = [];
  readonly style: Record<string, string> = {};
  private readonly attrs = new Map<string, string>();
  private text = '';

  constructor(
    readonly ownerDocument: SimHtmlDocument,
    tag: string,
  ) {
    super();
    this.tagName = tag.toUpperCase();
  }

  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  set id(v: string) {
    this.setAttribute('id', v);
  }
  get disabled(): boolean {
    return this.hasAttribute('disabled');
  }
  set disabled(v: boolean) {
    if (v) this.setAttribute('disabled', '');
    else this.removeAttribute('disabled');
  }

  setAttribute(name: string, value: string): void {
    this.attrs.set(name.toLowerCase(), String(value));
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name.toLowerCase()) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attrs.has(name.toLowerCase());
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name.toLowerCase());
  }

  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    [...this.children].forEach((c) => c.remove());
    this.text = String(v);
  }

  get isConnected(): boolean {
    let node: SimElement | null = this;
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument.body;
  }

  appendChild<T extends SimElement>(child: T): T {
    const was = child.isConnected;
    child.remove();
    child.parentNode = this;
    this.children.push(child);
    if (!was && child.isConnected) child.walk((e) => e.connected());
    return child;
  }

  append(...nodes: Array<SimElement | string>): void {
    for (const n of nodes) {
      if (typeof n === 'string') this.text += n;
      else this.appendChild(n);
    }
  }

  remove(): void {
    const parent = this.parentNode;
    if (!parent) return;
    const was = this.isConnected;
    parent.children.splice(parent.children.indexOf(this), 1);
    this.parentNode = null;
    if (was) this.walk((e) => e.disconnected());
  }

  /** Only `#id` and a tag name are supported: enough for tests to find things. */
  querySelector(selector: string): SimElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  querySelectorAll(selector: string): SimElement[] {
    const match = selector.startsWith('#')
      ? (e: SimElement) => e.id === selector.slice(1)
      : (e: SimElement) => e.tagName === selector.toUpperCase();
    const found: SimElement[] = [];
    this.children.forEach((c) =>
      c.walk((e) => {
        if (match(e)) found.push(e);
      }),
    );
    return found;
  }

  /** HTMLElement.click(): a click event, unless disabled. The document knows which Spectrum widget is being clicked (PS-57264). */
  click(): void {
    if (this.disabled) return;
    const spectrum = this.tagName.startsWith('SP-');
    if (spectrum) this.ownerDocument.clicking.push(this);
    try {
      this.dispatchEvent({ type: 'click' });
    } finally {
      if (spectrum) this.ownerDocument.clicking.pop();
    }
  }

  override dispatchEvent(event: SimEvent): boolean {
    return super.dispatchEvent({ target: this, currentTarget: this, ...event });
  }

  walk(visit: (e: SimElement) => void): void {
    visit(this);
    this.children.forEach((c) => c.walk(visit));
  }

  /** Called when the element enters / leaves the document. */
  protected connected(): void {}
  protected disconnected(): void {}
}

const numberAttr = (e: SimElement, name: string, fallback: number): number => {
  const v = Number(e.getAttribute(name));
  return e.hasAttribute(name) && Number.isFinite(v) ? v : fallback;
};

/**
 * sp-slider: `value` is a number kept within [min, max] (defaults 0..100). The UXP docs
 * document `min`, `max`, `value`, `variant`, `show-value` and `value-label`, not `step`: the
 * simulator moves in whole steps (value rounded) and refuses a fractional `step` (a choice).
 */
export class SimSlider extends SimElement {
  get min(): number {
    return numberAttr(this, 'min', 0);
  }
  get max(): number {
    return numberAttr(this, 'max', 100);
  }
  get value(): number {
    return Math.round(Math.min(this.max, Math.max(this.min, numberAttr(this, 'value', this.min))));
  }
  set value(v: number) {
    this.setAttribute('value', String(v));
  }
  override setAttribute(name: string, value: string): void {
    if (name.toLowerCase() === 'step' && !Number.isInteger(Number(value))) {
      throw simError('not-modelled', `simulator: sp-slider step "${value}": a fractional step is not documented`);
    }
    super.setAttribute(name, value);
  }
}

/** sp-menu-item: `selected` reflects the attribute. */
export class SimMenuItem extends SimElement {
  get selected(): boolean {
    return this.hasAttribute('selected');
  }
  set selected(v: boolean) {
    if (v) this.setAttribute('selected', '');
    else this.removeAttribute('selected');
  }
}

/**
 * sp-dropdown: the selected item of its sp-menu's items; -1 when none is. The `selected`
 * attributes choose the item when the dropdown is rendered (enters the document); after that
 * only `selectedIndex` (or the user) moves it (undocumented; the field report, decided here).
 */
export class SimDropdown extends SimElement {
  private rendered?: number;
  private get items(): SimMenuItem[] {
    return this.querySelectorAll('sp-menu-item') as SimMenuItem[];
  }
  get selectedIndex(): number {
    return this.rendered ?? this.items.findIndex((i) => i.selected);
  }
  set selectedIndex(index: number) {
    this.items.forEach((item, i) => {
      item.selected = i === index;
    });
    if (this.rendered !== undefined) this.rendered = index;
  }
  protected override connected(): void {
    this.rendered = this.items.findIndex((i) => i.selected);
  }
  protected override disconnected(): void {
    this.rendered = undefined;
  }
}

/** sp-textfield: a string `value` (its `value` attribute until the user types); `input` per keystroke, `change` on commit. */
export class SimTextfield extends SimElement {
  get value(): string {
    return this.getAttribute('value') ?? '';
  }
  set value(v: string) {
    this.setAttribute('value', String(v));
  }
}

/** sp-progressbar: numeric `value` and `max` (default 100). */
export class SimProgressbar extends SimElement {
  get value(): number {
    return numberAttr(this, 'value', 0);
  }
  set value(v: number) {
    this.setAttribute('value', String(v));
  }
  get max(): number {
    return numberAttr(this, 'max', 100);
  }
  set max(v: number) {
    this.setAttribute('max', String(v));
  }
}

/**
 * <dialog> with UXP's uxpShowModal; close(returnValue) resolves it, the user dismissing it rejects it.
 * HTMLDialogElement docs: a rejection's `error.code` "can be equal to" REJECTION_REASON_NOT_ALLOWED
 * ("the application does not allow showing dialogs (e.g. only one dialog is allowed)") or
 * REJECTION_REASON_DETACHED ("the node has been detached from DOM tree"). Their values, and the code
 * of a dismissal (Escape, window closed), are not documented: the simulator's are its own strings.
 */
export class SimDialog extends SimElement {
  readonly REJECTION_REASON_NOT_ALLOWED = 'reasonNotAllowed';
  readonly REJECTION_REASON_DETACHED = 'reasonDetached';
  private pending?: { resolve(v: unknown): void; reject(e: unknown): void };
  /** The options of the last uxpShowModal call. */
  shownWith?: unknown;

  get open(): boolean {
    return this.pending !== undefined;
  }

  uxpShowModal(options?: unknown): Promise<unknown> {
    const refuse = (message: string, code: string) => Promise.reject(Object.assign(new Error(message), { code }));
    if (!this.isConnected) return refuse('dialog is not in the document', this.REJECTION_REASON_DETACHED);
    if (this.pending) return refuse('dialog is already open', this.REJECTION_REASON_NOT_ALLOWED);
    if (this.ownerDocument.refuseDialogs)
      return refuse('dialogs are not allowed now', this.REJECTION_REASON_NOT_ALLOWED);
    this.shownWith = options;
    this.ownerDocument.openDialogs.add(this);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  close(returnValue?: unknown): void {
    this.settle()?.resolve(returnValue);
  }

  /** Test control: the user presses Escape or closes the window. */
  dismiss(): void {
    this.dispatchEvent({ type: 'cancel' });
    this.settle()?.reject(Object.assign(new Error('dialog dismissed'), { code: 'dismissed' }));
  }

  protected override disconnected(): void {
    this.settle()?.reject(
      Object.assign(new Error('dialog removed from the document'), { code: this.REJECTION_REASON_DETACHED }),
    );
  }

  private settle() {
    const p = this.pending;
    this.pending = undefined;
    this.ownerDocument.openDialogs.delete(this);
    return p;
  }
}

const ELEMENTS: Record<string, new (doc: SimHtmlDocument, tag: string) => SimElement> = {
  'sp-slider': SimSlider,
  'sp-dropdown': SimDropdown,
  'sp-menu-item': SimMenuItem,
  'sp-progressbar': SimProgressbar,
  dialog: SimDialog,
  'sp-textfield': SimTextfield,
};

export class SimHtmlDocument {
  readonly body: SimElement = new SimElement(this, 'body');
  readonly openDialogs = new Set<SimDialog>();
  /** Spectrum widgets whose click is being dispatched, innermost last. */
  readonly clicking: SimElement[] = [];
  private repeating = false;
  /** While set, uxpShowModal rejects with REJECTION_REASON_NOT_ALLOWED (sim.actions.play({refuseDialogs})). */
  refuseDialogs = false;

  /**
   * Known issue PS-57264 (Known UXP Issues, "Spectrum UXP Components"): "Displaying a file picker
   * or browser from a Spectrum UXP control (such as a button) may result in an infinite series of
   * `click` events." Called when a picker opens: the widget being clicked fires two more clicks
   * while it is open (a bounded stand-in for "infinite").
   */
  pickerOpened(): void {
    const widget = this.clicking[this.clicking.length - 1];
    if (!widget || this.repeating) return;
    this.repeating = true;
    try {
      widget.click();
      widget.click();
    } finally {
      this.repeating = false;
    }
  }
  /** Extra element classes (the webview, from webview.ts). */
  readonly factories = new Map<string, (doc: SimHtmlDocument) => SimElement>();

  createElement(tag: string): SimElement {
    const t = tag.toLowerCase();
    const factory = this.factories.get(t);
    if (factory) return factory(this);
    return new (ELEMENTS[t] ?? SimElement)(this, t);
  }

  getElementById(id: string): SimElement | null {
    return this.body.querySelector(`#${id}`);
  }

  reset(): void {
    this.clicking.length = 0;
    this.refuseDialogs = false;
    [...this.body.children].forEach((c) => c.remove());
    this.openDialogs.clear();
  }
}

/** What a user does with the widgets: move a slider, pick from a dropdown, click. */
export const ui = {
  /** Drags the slider to `value` (input events) and lets go (change). */
  slide(slider: SimElement, value: number): void {
    if (!(slider instanceof SimSlider)) throw new Error(`simulator: ${slider.tagName} is not an sp-slider`);
    slider.value = value;
    slider.dispatchEvent({ type: 'input' });
    slider.dispatchEvent({ type: 'change' });
  },
  choose(dropdown: SimElement, index: number): void {
    if (!(dropdown instanceof SimDropdown)) throw new Error(`simulator: ${dropdown.tagName} is not an sp-dropdown`);
    dropdown.selectedIndex = index;
    dropdown.dispatchEvent({ type: 'change' });
  },
  click(element: SimElement): void {
    element.click();
  },
  /** Types `text` into an sp-textfield (input) and commits it (change). */
  type(field: SimElement, text: string): void {
    if (!(field instanceof SimTextfield)) throw new Error(`simulator: ${field.tagName} is not an sp-textfield`);
    field.value = text;
    field.dispatchEvent({ type: 'input' });
    field.dispatchEvent({ type: 'change' });
  },
};
