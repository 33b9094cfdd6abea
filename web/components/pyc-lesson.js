// <pyc-lesson src="lessons/<id>/lesson.md">: a lesson whose questions are checked against
// the .pyc that the chosen Python version really produced for the lesson's snippets.
import { Decoder } from '../decoder.js';
import { inlineRuns, parseLesson } from '../lesson-format.js';
import { expectedAnswer } from '../lesson-answers.js';
import { el } from '../model.js';
import { fetchAsset, styleShadow } from '../assets.js';

const STYLE = new URL('../style.css', import.meta.url).href;

const compareVersions = (a, b) => a.split('.').map(Number)[1] - b.split('.').map(Number)[1];

class PycLesson extends HTMLElement {
  async connectedCallback() {
    if (this.started) return;
    this.started = true;
    // A shadow root keeps the host page's styles out and ours in (embedding on any site).
    this.root = this.attachShadow({ mode: 'open' });
    const src = this.getAttribute('src');
    this.base = src.slice(0, src.lastIndexOf('/') + 1);
    this.decoder = new Decoder();
    const [text, versions] = await Promise.all([
      fetchAsset(src).then((r) => r.text()),
      fetchAsset(`${this.base}versions.json`).then((r) => r.json()),
    ]);
    this.lesson = parseLesson(text);
    this.lessonId = src.split('/').slice(-2, -1)[0];
    this.versions = versions.versions.map((v) => v.version).sort(compareVersions);
    this.available = new Map(versions.versions.map((v) => [v.version, new Set(v.files)]));
    // Everything the lesson can ask for is small: fetch it all now, so that switching
    // versions, teacher mode and the other versions' answers work with the network off.
    this.files = new Map();
    const wantedFiles = [
      ...versions.versions.flatMap((v) => v.files.map((f) => `pyc/${v.version}/${f}`)),
      ...(this.lesson.meta.snippets ?? '').split(',').map((f) => f.trim()).filter(Boolean),
    ];
    await Promise.all(wantedFiles.map(async (f) => {
      const response = await fetchAsset(this.base + f);
      if (response.ok) this.files.set(f, await response.arrayBuffer());
    }));
    const wanted = this.getAttribute('version') ?? localStorage.getItem('pyclens-lesson-version');
    this.version = this.versions.includes(wanted) ? wanted : this.versions[this.versions.length - 1];
    this.summaries = new Map();
    await this.render();
  }

  /** The decoded summary of one snippet in one version, opened in the decoder (which
   *  answers code() questions about the file it opened last). */
  async open(version, file) {
    const pyc = file.replace(/\.py$/, '.pyc');
    if (!this.available.get(version)?.has(pyc)) return null;
    const key = `${version}/${pyc}`;
    if (this.current?.key !== key) {
      const bytes = this.files.get(`pyc/${key}`);
      if (!bytes) return null;
      this.current = { key, summary: (await this.decoder.open(bytes)).summary };
    }
    return this.current.summary;
  }

  async answerFor(version, q) {
    const summary = await this.open(version, q.file);
    if (!summary) return { missing: `Python ${version} cannot compile ${q.file}` };
    return expectedAnswer(this.decoder, summary, q);
  }

  progress() {
    return JSON.parse(localStorage.getItem(`pyclens-lesson-${this.lessonId}-${this.version}`) ?? '{}');
  }

  save(qid, correct) {
    const p = this.progress();
    p[qid] = correct;
    localStorage.setItem(`pyclens-lesson-${this.lessonId}-${this.version}`, JSON.stringify(p));
  }

  async render() {
    const picker = el('select', { 'aria-label': 'Python version' });
    for (const v of this.versions) picker.append(new Option(`Python ${v}`, v, false, v === this.version));
    picker.addEventListener('change', async () => {
      this.version = picker.value;
      localStorage.setItem('pyclens-lesson-version', this.version);
      await this.render();
      this.root.querySelector('.lesson-bar select').focus(); // the redrawn control keeps the focus
    });
    const teacher = el('input', { type: 'checkbox' });
    teacher.checked = this.teacher ?? false;
    teacher.addEventListener('change', async () => {
      this.teacher = teacher.checked;
      await this.render();
      this.root.querySelector('.lesson-bar input[type=checkbox]').focus(); // the redrawn control keeps the focus
    });
    const bar = el('div', { class: 'lesson-bar' }, el('label', {}, 'Version ', picker),
      el('label', {}, teacher, ' teacher mode: show the answers'));
    const body = el('article', { class: 'lesson' });
    const done = this.progress();
    for (const block of this.lesson.blocks) {
      if (block.type === 'heading') body.append(el(`h${block.level + 1}`, {}, ...this.inline(block.text)));
      else if (block.type === 'paragraph') body.append(el('p', {}, ...this.inline(block.text)));
      else if (block.type === 'code') body.append(await this.snippet(block));
      else if (block.type === 'question') body.append(await this.question(block, done[block.id]));
    }
    this.root.replaceChildren(...styleShadow(this.root, STYLE), el('div', { class: 'embed' }, bar, body));
    this.dataset.version = this.version;
    this.dispatchEvent(new Event('ready'));
  }

  inline(text) {
    return inlineRuns(text).map(([kind, t]) => (kind === 'text' ? t : el(kind, { text: t })));
  }

  async snippet(block) {
    const bytes = block.file && this.files.get(block.file);
    const text = bytes ? new TextDecoder().decode(bytes) : block.text;
    return el('pre', { class: 'snippet' }, el('code', { text }));
  }

  async question(q, done) {
    const box = el('section', { class: 'question', 'data-question': q.id });
    box.append(el('p', { class: 'ask' }, ...this.inline(q.ask)));
    const expected = await this.answerFor(this.version, q);
    if (expected.missing) {
      box.append(el('p', { class: 'verdict missing', text: `Not in Python ${this.version}: ${expected.missing}.` }));
      return box;
    }
    const input = el('input', { type: 'text', class: 'answer', 'aria-label': 'Your answer', autocomplete: 'off', spellcheck: 'false' });
    if (q.form === 'choice') input.setAttribute('list', `choices-${q.id}`);
    const button = el('button', { type: 'submit', text: 'Check' });
    const verdict = el('p', { class: 'verdict', role: 'status' });
    const form = el('form', {}, input, button);
    if (q.form === 'choice') {
      const list = el('datalist', { id: `choices-${q.id}` });
      for (const c of (q.choices ?? '').split(',')) list.append(el('option', { value: c.trim() }));
      form.append(list, el('p', { class: 'hint', text: `one of: ${q.choices}` }));
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      verdict.className = 'verdict';
      verdict.textContent = 'Checking…';
      const result = await this.decoder.check({ answer: input.value, expected: expected.value, form: q.form ?? 'literal', subject: q.field ?? q.header ?? q.code ?? '' });
      this.save(q.id, result.correct);
      const others = await this.otherVersions(q, expected.value);
      verdict.replaceChildren(el('strong', { text: result.correct ? 'Right. ' : 'Not quite. ' }), result.explanation, ...others);
      verdict.className = `verdict ${result.correct ? 'right' : 'wrong'}`;
      box.dataset.answered = String(result.correct);
    });
    box.append(form, verdict);
    if (done !== undefined) box.dataset.answered = String(done);
    if (this.teacher) box.append(el('p', { class: 'teacher' }, 'Answer: ', el('code', { text: expected.value })));
    return box;
  }

  /** After an attempt: where other versions' answers differ, the nodes that say so. */
  async otherVersions(q, here) {
    const others = [];
    for (const v of this.versions.filter((x) => x !== this.version)) {
      const a = await this.answerFor(v, q);
      others.push([v, a.value ?? `(${a.missing})`]);
    }
    await this.open(this.version, q.file); // the decoder holds this version's file again
    if (others.every(([, a]) => a === here)) {
      return [el('span', { class: 'same', text: ` Every version from ${this.versions[0]} to ${this.versions.at(-1)} gives this answer.` })];
    }
    const list = el('ul', { class: 'other-versions' });
    for (const [v, a] of others) list.append(el('li', {}, `Python ${v}: `, el('code', { text: a })));
    return [el('p', { text: 'The answer depends on the version:' }), list];
  }
}
customElements.define('pyc-lesson', PycLesson);
