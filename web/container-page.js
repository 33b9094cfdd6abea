// A dropped container on the page: the explorer hands over a file that is no pyc but a zip or
// a PyInstaller executable (the worker has read its listing with the analysis module); its
// module list (<pyc-container>) stands in for the explorer until a module is chosen, which
// then opens in the explorer exactly as that pyc dropped on its own would, with the way back
// to the list above it.
import './components/pyc-container.js';

export class ContainerPage {
  /**
   * `view`: the page's <pyc-container>; `explorer`: the page's Explorer (its decoder holds the
   * container); `changed()`: called when what is shown changes (the landing page and the JSON
   * buttons follow it).
   */
  constructor(view, explorer, changed) {
    this.view = view;
    this.explorer = explorer;
    this.changed = changed;
    this.name = null;
    this.member = null; // the member open in the explorer, or null while the list shows
    this.decoded = false; // whether that member decoded (a refused one leaves nothing to copy)
    view.addEventListener('open-member', (e) => this.openMember(e.detail.name));
    view.addEventListener('back', () => this.back());
  }

  /** Whether a container's list or one of its modules is what the page shows. */
  get shown() {
    return this.name !== null;
  }

  /** Whether a module of the container is open in the explorer (decoded, not refused). */
  get memberOpen() {
    return this.member !== null && this.decoded;
  }

  /** Shows the listing of the container `name` in place of the explorer. */
  show(name, listing) {
    this.name = name;
    this.member = null;
    this.explorer.main.hidden = true;
    this.view.show(name, listing);
    const modules = listing.members.filter((m) => m.bytecode).length;
    this.explorer.say(`${name}: ${listing.members.length} members, ${modules} of them Python bytecode.`);
    this.explorer.markers.dataset.container = name;
    this.changed();
  }

  /** Opens the member `name` in the explorer as if its pyc had been dropped. */
  async openMember(name) {
    const { explorer } = this;
    explorer.say(`Reading ${name} from ${this.name}…`);
    let member;
    try {
      member = await explorer.decoder.member(name);
    } catch (err) {
      explorer.showError(`${this.name}::${name}: ${err.message}`);
      return;
    }
    this.member = name;
    this.decoded = false;
    this.view.showMember(name);
    this.decoded = await explorer.open(name, member.bytes, member.python);
    this.changed();
  }

  /** The list again, the explorer hidden. */
  back() {
    this.member = null;
    this.explorer.main.hidden = true;
    this.explorer.showError(null);
    this.explorer.say(`${this.name}: choose a module.`);
    delete this.explorer.markers.dataset.loaded;
    this.view.showList();
    this.changed();
  }

  /** Forgets the container (a pyc was opened on its own, or the write view took over). */
  clear() {
    if (!this.shown) return;
    this.name = null;
    this.member = null;
    this.view.clear();
    delete this.explorer.markers.dataset.container;
  }
}
