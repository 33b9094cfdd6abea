// The landing page's cards, shown until a file is open: one card per sample snippet (what
// it teaches, a choice of the Python versions that compiled it, newest first chosen) and
// the lessons with their titles. The drop zone and the "Write Python" card are plain markup
// in index.html; app.js wires them.
import { fetchAsset } from './assets.js';
import { el } from './model.js';

/**
 * Groups the sample index (web/samples/index.json, written by scripts/samples.mjs: one entry
 * per snippet and version, grouped by snippet) into one entry per snippet, in index order.
 */
export function bySnippet(samples) {
  const groups = new Map();
  for (const s of samples) {
    if (!groups.has(s.snippet)) groups.set(s.snippet, { snippet: s.snippet, title: s.title, teaches: s.teaches, versions: [] });
    groups.get(s.snippet).versions.push({ version: s.version, url: `samples/${s.file}` });
  }
  return [...groups.values()];
}

/** One card: the snippet's title and lesson, a version picker and the button that opens it. */
function sampleCard(group, open) {
  const titleId = `sample-${group.snippet}`;
  const picker = el('select', { 'aria-label': `Python version of the ${group.title} sample` });
  for (const v of group.versions) picker.append(new Option(`Python ${v.version}`, v.url));
  picker.value = group.versions.at(-1).url;
  const button = el('button', { type: 'button', class: 'primary', text: 'Open' });
  const name = () => button.setAttribute('aria-label', `Open ${group.title}, ${picker.selectedOptions[0].text}`);
  name();
  picker.addEventListener('change', name);
  button.addEventListener('click', () => open(picker.value));
  return el('li', { class: 'card sample-card', 'aria-labelledby': titleId },
    el('h3', { id: titleId, text: group.title }),
    el('p', { text: group.teaches }),
    el('div', { class: 'card-actions' }, picker, button));
}

/**
 * Fills `list` with a card per sample snippet; `open(url)` opens a sample. Returns the
 * sample index for the page's other lists, or null when it cannot be read (the single-file
 * build opened from file://).
 */
export async function showSampleCards(list, open) {
  let samples;
  try {
    samples = await (await fetch('samples/index.json')).json();
  } catch {
    return null;
  }
  list.replaceChildren(...bySnippet(samples).map((g) => sampleCard(g, open)));
  return samples;
}

/**
 * Lists the lessons' titles in `list`, each a link to its lesson; `pick(id)`, when given,
 * is called instead of following the link (the single-file build shows lessons in place).
 */
export async function showLessonTitles(list, pick = null) {
  const lessons = await (await fetchAsset('lessons/index.json')).json();
  list.replaceChildren(...lessons.map((l) => {
    const link = el('a', { href: `lesson.html?lesson=${encodeURIComponent(l.id)}`, text: l.title });
    if (pick) link.addEventListener('click', (e) => { e.preventDefault(); pick(l.id); });
    return el('li', {}, link);
  }));
}
