// Type declarations for pyclens's embedding API (embed.js).

/** What `mount` shows and how. */
export interface MountOptions {
  /** URL of a .pyc to open (same site). */
  src?: string;
  /** Which views to show: all of them (default), or only the tree, the code panel or the bytes. */
  view?: 'all' | 'tree' | 'code' | 'hex';
  /** Colour theme; by default the reader's system preference. */
  theme?: 'light' | 'dark';
  /** Python source to compile in the page instead of opening a pyc (needs the site's pyodide/ folder). */
  source?: string;
  /** URL of a .py to fetch and compile instead of opening a pyc. */
  sourceSrc?: string;
  /** The CPython versions to compile with, e.g. ['3.11', '3.13'] (3.10-3.15); two or more are also shown side by side. */
  versions?: string[];
}

/** The explorer mounted in an element. */
export interface Explorer {
  /** Decodes and shows a file; resolves to false (with the error shown) when it is not a valid pyc. */
  open(name: string, bytes: ArrayBuffer): Promise<boolean>;
  /** Shows the matching Python source beside the instructions. */
  showSource(name: string, text: string): void;
  /** Shows one view only, or all. */
  setView(view: 'all' | 'tree' | 'code' | 'hex'): void;
  /** Adds a view as a tab beside the instructions; returns the tabpanel holding it. */
  addTab(tab: { id: string; label: string; element: HTMLElement }): HTMLElement;
  /** Brings a tab to the front: 'fields', 'source', 'bytes' or one added with addTab. */
  showTab(id: string): void;
  /** An empty element directly above the instructions, for a view of the caller's. */
  readonly aboveListing: HTMLDivElement;
}

/** Puts an explorer into `element` (inside a shadow root). */
export function mount(element: HTMLElement, options?: MountOptions): Explorer;

declare global {
  interface HTMLElementTagNameMap {
    /** `<pyc-lens src view theme>`: the explorer on one file; `<pyc-lens versions source-src>` or with source as its text: that source compiled in the page. */
    'pyc-lens': HTMLElement & { explorer: Explorer };
    /** `<pyc-lesson src version>`: a lesson whose answers come from each version's real .pyc. */
    'pyc-lesson': HTMLElement;
  }
}
