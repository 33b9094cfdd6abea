// lesson.html?lesson=<id>: the list of lessons and one lesson (default: the first).
import { showLessons } from './lessons-page.js';

await showLessons(document.getElementById('lesson-main'), new URLSearchParams(location.search).get('lesson'));
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) navigator.serviceWorker.register('sw.js').catch(() => {});
