// Writes dist/pyclens.html: the whole page in one file (styles, scripts, the wasm and the
// lessons inlined), which works when opened from file:// — a file a teacher can copy to a
// USB stick.
// It joins the page's own ES modules: each becomes a function scope returning its exports,
// and each import becomes a destructuring of the module it names. This handles exactly the
// import/export forms the page uses and fails loudly on any other.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'web');
const ORDER = [
  'pkg/pyclens.js', 'columns.js', 'model.js', 'row-window.js', 'document-tables.js', 'requests.js', 'transfer.js', 'decoder.js', 'decoder-inline.js',
  'components/pyc-header-card.js', 'components/pyc-tree.js', 'components/pyc-code-panel.js',
  'components/pyc-disasm.js', 'components/pyc-hex-view.js', 'components/pyc-source.js', 'tabs.js', 'explorer.js',
  'assets.js', 'lesson-format.js', 'lesson-answers.js', 'lesson-runs.js', 'components/pyc-lesson.js', 'lessons-page.js',
  'write/compare.js', 'write/decode-all.js', 'components/pyc-compare.js', 'compare-files.js', 'write/permalink.js', 'landing.js',
  'components/pyc-container.js', 'container-page.js', 'app.js',
];
// The single file decodes on the page's thread.
const OVERRIDES = {
  'app.js': { 'decoder.js': 'decoder-inline.js' },
  'components/pyc-lesson.js': { 'decoder.js': 'decoder-inline.js' },
};
// explorer.js imports only DecodeFailure from decoder.js, which is the same class either way.

const id = (path) => '__m_' + path.replace(/[^a-z0-9]/gi, '_');
const resolve = (from, spec) => join(from.split('/').slice(0, -1).join('/'), spec).replace(/^\.\//, '');

function wrap(path) {
  let text = readFileSync(join(web, path), 'utf8');
  const exported = [];
  text = text.replace(/^import\s+(?:\{([^}]*)\}\s+from\s+)?['"]([^'"]+)['"];?[ \t]*$/gm, (_, names, spec) => {
    let target = resolve(path, spec);
    target = OVERRIDES[path]?.[target] ?? target;
    if (!ORDER.includes(target)) throw new Error(`${path}: import of ${spec} is not in the bundle`);
    if (!names) return '';
    const fields = names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/\s+as\s+/, ': '));
    return `const { ${fields.join(', ')} } = ${id(target)};`;
  });
  text = text.replace(/^export\s+((?:async\s+)?(?:function\*?|class|const|let))\s+(\w+)/gm, (_, kind, name) => {
    exported.push(name);
    return `${kind} ${name}`;
  });
  text = text.replace(/^export\s*\{([^}]*)\};?[ \t]*$/gm, (_, names) => {
    for (const n of names.split(',').map((x) => x.trim()).filter(Boolean)) {
      const [local, as] = n.split(/\s+as\s+/);
      exported.push(as ? `${as}: ${local}` : local);
    }
    return '';
  });
  text = text.replace(/^export\s+default\s+(\w+);?[ \t]*$/gm, (_, name) => { exported.push(`default: ${name}`); return ''; });
  if (/^\s*(import|export)\s/m.test(text)) throw new Error(`${path}: an import or export form the bundler does not know`);
  return `const ${id(path)} = (() => {\n${text}\nreturn { ${exported.join(', ')} };\n})();\n`;
}

/** Every file below `dir`, as paths relative to web/. */
function filesBelow(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    (e.isDirectory() ? filesBelow(join(dir, e.name)) : [relative(web, join(dir, e.name))]));
}

const wasm = readFileSync(join(web, 'pkg', 'pyclens_bg.wasm')).toString('base64');
const style = readFileSync(join(web, 'style.css'), 'utf8');
// The lessons (texts, snippets, every version's pycs) and the stylesheet for shadow roots.
const files = Object.fromEntries(filesBelow(join(web, 'lessons')).map((f) => [f, readFileSync(join(web, f)).toString('base64')]));
const script = `globalThis.PYCLENS_WASM = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));\n`
  + `globalThis.PYCLENS_FILES = ${JSON.stringify(files)};\n`
  + `globalThis.PYCLENS_CSS = ${JSON.stringify(style)};\n`
  + ORDER.map(wrap).join('\n');
const hash = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const csp = `default-src 'none'; script-src ${hash(script)} 'wasm-unsafe-eval'; style-src ${hash(style)}; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'`;

let html = readFileSync(join(web, 'index.html'), 'utf8');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/s, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
html = html.replace('<link rel="stylesheet" href="style.css">', () => `<style>${style}</style>`);
html = html.replace('<link rel="manifest" href="manifest.webmanifest">\n', '');
html = html.replace(/\s*<link rel="icon"[^>]*>/, '');
html = html.replace('<script type="module" src="app.js"></script>', () => `<script type="module">${script}</script>`);
if (html.includes('src="app.js"') || html.includes('href="style.css"')) throw new Error('index.html changed shape: update single-file.mjs');

mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'pyclens.html'), html);
console.error(`pyclens: dist/pyclens.html is ${html.length} bytes`);
