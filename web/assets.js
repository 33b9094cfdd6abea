// The page's own files. In the single-file build (dist/pyclens.html) the lessons and the
// stylesheet are inlined as `globalThis.PYCLENS_FILES` / `PYCLENS_CSS`, since a page opened
// from file:// cannot fetch them; everywhere else they are fetched beside the page.

/** `fetch(path)`, answered from the inlined files when there are any. */
export async function fetchAsset(path) {
  const inline = globalThis.PYCLENS_FILES?.[path.replace(/^\.\//, '')];
  if (inline !== undefined) return new Response(Uint8Array.from(atob(inline), (c) => c.charCodeAt(0)));
  return fetch(path);
}

/** Gives a shadow root pyclens's stylesheet: the inlined text, or a link to `href`. */
export function styleShadow(root, href) {
  if (globalThis.PYCLENS_CSS !== undefined) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(globalThis.PYCLENS_CSS);
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  return [link];
}
