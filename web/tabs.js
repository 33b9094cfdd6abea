// A tab list over panels, as the ARIA practices describe it: one tab stop for the list,
// Left and Right (Home, End) move between tabs and show the tab's panel at once. Views added
// later (addTab) take part like the first ones.
import { el } from './model.js';

let lists = 0;

export class Tabs {
  /** `label`: the tab list's accessible name; `onShow(id)`: called after a tab is shown. */
  constructor(label, onShow = () => {}) {
    this.uid = `tabs${++lists}`;
    this.onShow = onShow;
    this.tabs = [];
    this.panels = [];
    this.ids = [];
    this.list = el('div', { role: 'tablist', 'aria-label': label, class: 'tab-list' });
    this.element = el('div', { class: 'tabs' }, this.list);
    this.list.addEventListener('keydown', (e) => this.#key(e));
  }

  /**
   * Adds a tab named `label` whose panel holds `content`; the first tab added is the one
   * shown. Returns the tabpanel element, so a caller can fill it or listen inside it.
   */
  add(id, label, content) {
    const first = this.tabs.length === 0;
    const tabId = `${this.uid}-tab-${id}`;
    const panelId = `${this.uid}-panel-${id}`;
    const tab = el('button', {
      type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': String(first),
      tabindex: first ? '0' : '-1', 'data-tab': id, text: label,
    });
    // The panel is a tab stop of its own: it scrolls, and a keyboard user must reach it.
    const panel = el('div', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: '0', class: `tab-panel tab-panel-${id}`, hidden: !first }, content);
    tab.addEventListener('click', () => this.show(id));
    this.list.append(tab);
    this.element.append(panel);
    this.tabs.push(tab);
    this.panels.push(panel);
    this.ids.push(id);
    return panel;
  }

  /** The id of the tab shown now. */
  get shown() {
    return this.ids[this.tabs.findIndex((t) => t.getAttribute('aria-selected') === 'true')];
  }

  /** Shows the panel of tab `id` unless that tab is set unavailable; `focus` moves the keyboard to its tab. */
  show(id, focus = false) {
    const at = this.ids.indexOf(id);
    if (at < 0 || this.tabs[at].hidden) return;
    this.tabs.forEach((t, i) => {
      t.setAttribute('aria-selected', String(i === at));
      t.tabIndex = i === at ? 0 : -1;
      this.panels[i].hidden = i !== at;
    });
    if (focus) this.tabs[at].focus();
    this.onShow(id);
    // Views added with addTab learn here that they became visible (a graph lays out then).
    this.element.dispatchEvent(new CustomEvent('tab-shown', { bubbles: true, detail: { id } }));
  }

  /** Hides or shows a tab (and its panel) without removing it, e.g. for a one-view embed. */
  setAvailable(id, available) {
    const at = this.ids.indexOf(id);
    if (at < 0) return;
    this.tabs[at].hidden = !available;
    if (!available && this.shown === id) this.show(this.ids.find((x, i) => !this.tabs[i].hidden));
  }

  #key(e) {
    const visible = this.tabs.filter((t) => !t.hidden);
    const at = visible.indexOf(e.target);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + visible.length, Home: 0, End: visible.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.show(visible[to % visible.length].dataset.tab, true);
  }
}
