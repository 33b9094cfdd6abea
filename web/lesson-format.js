// The lesson file format (docs/lessons.md): Markdown with a front matter, prose, ```python
// blocks that show a snippet file, and ```question blocks that say what a question asks
// about. Parsed into plain data; nothing here touches the DOM.

/** Splits a lesson into `{ meta, blocks }`; blocks are heading, paragraph, code, question. */
export function parseLesson(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const meta = {};
  let i = 0;
  if (lines[0] === '---') {
    for (i = 1; i < lines.length && lines[i] !== '---'; i++) {
      const m = /^(\w[\w-]*):\s*(.*)$/.exec(lines[i]);
      if (m) meta[m[1]] = m[2].trim();
    }
    i++;
  }
  const blocks = [];
  let para = [];
  const flush = () => {
    if (para.length) blocks.push({ type: 'paragraph', text: para.join(' ') });
    para = [];
  };
  for (; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```(\w*)\s*(.*)$/.exec(line);
    if (fence) {
      flush();
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      blocks.push(fence[1] === 'question'
        ? { type: 'question', ...fields(body) }
        : { type: 'code', lang: fence[1], ...attributes(fence[2]), text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1].length, text: heading[2] });
    } else if (line.trim() === '') {
      flush();
    } else {
      para.push(line.trim());
    }
  }
  flush();
  const ids = blocks.filter((b) => b.type === 'question').map((q) => q.id);
  if (new Set(ids).size !== ids.length || ids.some((id) => !id)) throw new Error('every question needs a unique id');
  return { meta, blocks };
}

/** Keys a question may repeat (a `write` question states several properties). */
const LISTS = new Set(['expect', 'expect_pyc']);

/** `key: value` lines of a question block. */
function fields(lines) {
  const out = {};
  for (const line of lines) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (!m) continue;
    if (LISTS.has(m[1])) (out[m[1]] ??= []).push(m[2].trim());
    else out[m[1]] = m[2].trim();
  }
  return out;
}

/** Whether a question's truth comes from running the program (it needs an interpreter). */
export function runsPython(q) {
  return Boolean(q.output || q.write || q.adaptive);
}

/** `file=name other=value` after a fence's language. */
function attributes(text) {
  return Object.fromEntries([...text.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

/** Inline Markdown of prose: `code` and **bold**, as [kind, text] runs (rendered as text). */
export function inlineRuns(text) {
  const runs = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) runs.push(['text', text.slice(last, m.index)]);
    runs.push(m[1] !== undefined ? ['code', m[1]] : ['strong', m[2]]);
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push(['text', text.slice(last)]);
  return runs;
}
