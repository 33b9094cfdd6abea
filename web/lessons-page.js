// The list of lessons and one lesson, shown in `container` (lesson.html, and the Lessons
// view of the single-file build).
import './components/pyc-lesson.js';
import { fetchAsset } from './assets.js';
import { parseLesson } from './lesson-format.js';
import { el } from './model.js';

/**
 * What is done in one lesson: the version with the most questions answered right (progress
 * is kept per question and per version by <pyc-lesson>), as "4/6 done in 3.12", or ''.
 */
function done(id, questions) {
  let best = null;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key.startsWith(`pyclens-lesson-${id}-`)) continue;
    const version = key.slice(`pyclens-lesson-${id}-`.length);
    const right = questions.filter((q) => JSON.parse(localStorage.getItem(key) ?? '{}')[q] === true).length;
    if (right && (!best || right > best.right)) best = { version, right };
  }
  return best ? `${best.right}/${questions.length} done in ${best.version}` : '';
}

export async function showLessons(container, wanted) {
  const lessons = await (await fetchAsset('lessons/index.json')).json();
  const current = lessons.find((l) => l.id === wanted) ?? lessons[0];
  const nav = el('nav', { class: 'lesson-list', 'aria-label': 'Lessons' });
  const counts = [];
  for (const l of lessons) {
    const count = el('span', { class: 'lesson-done' });
    const link = el('a', { href: `?lesson=${encodeURIComponent(l.id)}`, 'aria-current': l === current ? 'page' : null }, l.title, count);
    // In a single file there is no other page to go to: switch lessons in place.
    if (globalThis.PYCLENS_FILES) link.addEventListener('click', (e) => { e.preventDefault(); showLessons(container, l.id); });
    nav.append(link);
    counts.push(fetchAsset(`lessons/${l.id}/lesson.md`).then((r) => r.text()).then((text) => {
      const questions = parseLesson(text).blocks.filter((b) => b.type === 'question').map((q) => q.id);
      return () => { const d = done(l.id, questions); count.textContent = d ? ` (${d})` : ''; };
    }));
  }
  const lesson = el('pyc-lesson', { src: `lessons/${current.id}/lesson.md` });
  container.replaceChildren(nav, lesson);
  const refresh = await Promise.all(counts);
  const update = () => refresh.forEach((f) => f());
  update();
  lesson.addEventListener('progress', update);
}
