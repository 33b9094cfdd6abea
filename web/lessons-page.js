// The list of lessons and one lesson, shown in `container` (lesson.html, and the Lessons
// view of the single-file build).
import './components/pyc-lesson.js';
import { fetchAsset } from './assets.js';
import { el } from './model.js';

export async function showLessons(container, wanted) {
  const lessons = await (await fetchAsset('lessons/index.json')).json();
  const current = lessons.find((l) => l.id === wanted) ?? lessons[0];
  const nav = el('nav', { class: 'lesson-list', 'aria-label': 'Lessons' });
  for (const l of lessons) {
    const link = el('a', { href: `?lesson=${encodeURIComponent(l.id)}`, 'aria-current': l === current ? 'page' : null, text: l.title });
    // In a single file there is no other page to go to: switch lessons in place.
    if (globalThis.PYCLENS_FILES) link.addEventListener('click', (e) => { e.preventDefault(); showLessons(container, l.id); });
    nav.append(link);
  }
  container.replaceChildren(nav, el('pyc-lesson', { src: `lessons/${current.id}/lesson.md` }));
}
