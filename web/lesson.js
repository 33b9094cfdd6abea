// lesson.html?lesson=<id>: the list of lessons and one lesson (default: the first).
import './components/pyc-lesson.js';
import { el } from './model.js';

const main = document.getElementById('lesson-main');
const lessons = await (await fetch('lessons/index.json')).json();
const wanted = new URLSearchParams(location.search).get('lesson');
const current = lessons.find((l) => l.id === wanted) ?? lessons[0];
const nav = el('nav', { class: 'lesson-list', 'aria-label': 'Lessons' });
for (const l of lessons) {
  nav.append(el('a', { href: `?lesson=${encodeURIComponent(l.id)}`, 'aria-current': l === current ? 'page' : null, text: l.title }));
}
const lesson = el('pyc-lesson', { src: `lessons/${current.id}/lesson.md` });
main.append(nav, lesson);
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) navigator.serviceWorker.register('sw.js').catch(() => {});
