// lesson.html?lesson=<id>: shows one lesson (default: the first one).
import './components/pyc-lesson.js';

const id = new URLSearchParams(location.search).get('lesson') ?? 'code-object';
if (/^[a-z0-9-]+$/.test(id)) {
  const lesson = document.createElement('pyc-lesson');
  lesson.setAttribute('src', `lessons/${id}/lesson.md`);
  document.getElementById('lesson-main').append(lesson);
}
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) navigator.serviceWorker.register('sw.js').catch(() => {});
