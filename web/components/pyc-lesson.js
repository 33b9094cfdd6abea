// <pyc-lesson src="lessons/<id>/lesson.md">: a lesson whose questions are checked against
// the .pyc that the chosen Python version really produced for the lesson's snippets.
import { Decoder } from '../decoder.js';
import { inlineRuns, parseLesson, runsPython } from '../lesson-format.js';
import { expectedAnswer, findCode } from '../lesson-answers.js';
import { LessonRuns, compareLines, compareSequence } from '../lesson-runs.js';
import { el, inspect } from '../model.js';
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
    this.runs = new LessonRuns();
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
    this.dispatchEvent(new Event('progress'));
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
    // A tab stop: on a narrow screen its lines scroll sideways, and the keyboard must reach them.
    return el('pre', { class: 'snippet', tabindex: '0' }, el('code', { text }));
  }

  async question(q, done) {
    const box = el('section', { class: 'question', 'data-question': q.id });
    box.append(el('p', { class: 'ask' }, ...this.inline(q.ask)));
    if (runsPython(q)) return this.runningQuestion(q, done, box);
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
      const result = q.instructions
        ? compareSequence(input.value, expected.sequence, q.instructions === 'lines' ? 'line' : 'instruction')
        : await this.decoder.check({ answer: input.value, expected: expected.value, form: q.form ?? 'literal', subject: q.field ?? q.header ?? q.code ?? '' });
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

  /** The text of one of the lesson's snippet files. */
  snippetText(file) {
    const bytes = this.files.get(file);
    return bytes ? new TextDecoder().decode(bytes) : null;
  }

  /**
   * A question whose truth comes from running a program in the chosen version (`output`,
   * `write`, `adaptive`; docs/lessons.md). The interpreter is fetched the first time with
   * its size stated and a progress bar; the truth is computed when the learner checks.
   */
  async runningQuestion(q, done, box) {
    const runnable = await this.runs.versions();
    if (q.adaptive && compareVersions(this.version, '3.11') < 0) {
      box.append(el('p', { class: 'verdict missing', text: `Not in Python ${this.version}: the specialising interpreter arrived in 3.11.` }));
      return box;
    }
    if (!runnable.includes(this.version)) {
      const why = runnable.length ? `this question runs the program, and the page runs Python ${runnable[0]}–${runnable.at(-1)}`
        : 'this question runs the program, which needs the site itself (this copy carries no interpreter)';
      box.append(el('p', { class: 'verdict missing', text: `Not in Python ${this.version}: ${why}.` }));
      return box;
    }
    const cost = await this.runs.cost(this.version);
    const notice = el('p', { class: 'hint', text: cost.stored ? `Runs in Python ${this.version} in your browser.`
      : `Runs in Python ${this.version} in your browser: ${cost.megabytes} to download the first time, then kept for offline use.` });
    const progress = el('progress', { hidden: true, 'aria-label': `Downloading Python ${this.version}` });
    const verdict = el('div', { class: 'verdict', role: 'status' });
    const form = el('form', {});
    let answer;
    if (q.write) {
      const host = el('div', { class: 'editor-host lesson-editor' });
      form.append(host);
      const { createEditor } = await import('../vendor/editor.js');
      const editor = createEditor(host, { doc: this.snippetText(q.start) ?? '', label: 'Your code' });
      answer = () => editor.text();
    } else if (q.output) {
      form.append(el('pre', { class: 'snippet', tabindex: '0' }, el('code', { text: this.snippetText(q.file) ?? '' })));
      const area = el('textarea', { class: 'answer', rows: 4, spellcheck: 'false', 'aria-label': 'What it prints, line by line' });
      form.append(area);
      answer = () => area.value;
    } else {
      const input = el('input', { type: 'text', class: 'answer', 'aria-label': 'Your answer', autocomplete: 'off', spellcheck: 'false' });
      form.append(input);
      answer = () => input.value;
    }
    const check = el('button', { type: 'submit', text: q.write ? 'Run and check' : 'Check' });
    const stop = el('button', { type: 'button', text: 'Stop', disabled: true });
    stop.addEventListener('click', () => this.runs.stop(this.version));
    form.append(check, stop);
    const version = this.version;
    const prepare = async () => {
      progress.hidden = false;
      await this.runs.prepare(version, (got, total) => { progress.max = total || 1; progress.value = got; });
      progress.hidden = true;
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      verdict.className = 'verdict';
      verdict.textContent = `Running in Python ${version}…`;
      check.disabled = true;
      stop.disabled = false;
      try {
        await prepare();
        const result = await this.judge(q, version, answer());
        this.save(q.id, result.correct);
        verdict.replaceChildren(el('strong', { text: result.correct ? 'Right. ' : 'Not quite. ' }), ...result.nodes);
        verdict.className = `verdict ${result.correct ? 'right' : 'wrong'}`;
        box.dataset.answered = String(result.correct);
        if (!q.write) verdict.append(this.everyVersionButton(q, runnable));
      } finally {
        check.disabled = false;
        stop.disabled = true;
      }
    });
    box.append(notice, progress, form, verdict);
    if (done !== undefined) box.dataset.answered = String(done);
    if (this.teacher) {
      const reveal = el('button', { type: 'button', text: `Show the answer (runs Python ${version})` });
      const shown = el('p', { class: 'teacher' });
      reveal.addEventListener('click', async () => {
        await prepare();
        const truth = q.write ? null : await this.truth(q, version);
        shown.replaceChildren('Answer: ', el('code', { class: 'revealed', text: q.write ? q.expect?.join('; ') ?? '' : truth.value ?? `(${truth.missing})` }));
      });
      box.append(el('div', { class: 'teacher' }, reveal, shown));
    }
    return box;
  }

  /** What really happens in `version`: `{ value, lines }` or `{ missing }`. */
  async truth(q, version) {
    const source = this.snippetText(q.file);
    if (q.output) return this.runs.output(version, source);
    return this.runs.adaptive(version, source, q.code, q.adaptive);
  }

  /** Checks an attempt: `{ correct, nodes }` (the explanation as DOM nodes, text only). */
  async judge(q, version, answer) {
    if (q.write) return this.judgeWritten(q, version, answer);
    const truth = await this.truth(q, version);
    if (truth.missing) return { correct: false, nodes: [`Python ${version} gives no answer: ${truth.missing}.`] };
    const verdict = q.output
      ? await compareLines(answer, truth, async (a, b) => a.trim() === b.trim()
        || (await this.decoder.check({ answer: a, expected: b, form: 'literal', subject: 'the line' })).correct)
      : await this.decoder.check({ answer, expected: truth.value, form: 'choice', subject: `what ${q.adaptive} became` });
    const nodes = [verdict.explanation];
    if (q.output && !verdict.correct) nodes.push(el('pre', { class: 'snippet truth', text: truth.value }));
    return { correct: verdict.correct, nodes };
  }

  /**
   * A `write` question: the learner's program runs in `version` and each stated property is
   * checked — `expect` (a Python expression, in what the program left) and `expect_pyc` (a
   * field of a code object of the pyc that version compiled from it, as a literal).
   */
  async judgeWritten(q, version, source) {
    const inspectorCall = q.expect_inspector ? `inspect_code(${q.expect_inspector})` : null;
    const checks = [...(q.expect ?? []), ...(inspectorCall ? [inspectorCall] : [])];
    const { result, stdout, stderr } = await this.runs.run(version, source, { checks });
    const inspected = inspectorCall ? result.checks?.pop() : null;
    const items = [];
    if (result.status === 'error') items.push([false, `it does not compile: ${result.error.display.trim().split('\n').at(-1)}`]);
    else if (result.status === 'timeout' || result.status === 'stopped') items.push([false, 'it did not finish (stopped)']);
    for (const c of result.checks ?? []) items.push([c.ok, c.expr + (c.ok || !c.detail ? '' : ` — but ${c.detail}`)]);
    // The pyc of the learner's program, compiled and opened once for every check that reads it.
    let learner;
    const summary = () => (learner ??= this.openLearnerPyc(version, source));
    for (const spec of q.expect_pyc ?? []) items.push(await this.checkPyc(await summary(), spec));
    if (inspectorCall && result.status !== 'error') items.push(...await this.checkInspector(await summary(), q.expect_inspector, inspected));
    const correct = items.every(([ok]) => ok);
    const list = el('ul', { class: 'checks' }, ...items.map(([ok, text]) => el('li', { class: ok ? 'ok' : 'failed', text: `${ok ? '✓' : '✗'} ${text}` })));
    const output = stdout + stderr;
    return { correct, nodes: [correct ? 'Every property holds.' : 'Not every property holds:', list, output ? el('pre', { class: 'snippet run-output', text: output }) : ''] };
  }

  /** The summary of the pyc `version` makes of `source`, opened in the decoder; null if it does not compile. */
  async openLearnerPyc(version, source) {
    const compiled = await this.runs.compile(version, source);
    if (!compiled.pyc?.length) return null;
    this.current = null; // the decoder now holds the learner's pyc, not a lesson file
    return (await this.decoder.open(compiled.pyc.slice().buffer, 'main.pyc')).summary;
  }

  /** `expect_pyc: <code> <field> <literal>`, checked on the learner's pyc (`summary`, open in the decoder). */
  async checkPyc(summary, spec) {
    const [, code, field, literal] = /^(\S+)\s+(\S+)\s+(.+)$/.exec(spec) ?? [];
    const label = `${code}.${field} == ${literal}`;
    if (!summary) return [false, `${label} — the program does not compile`];
    const truth = await expectedAnswer(this.decoder, summary, { code, field });
    if (truth.missing) return [false, `${label} — ${truth.missing}`];
    const verdict = await this.decoder.check({ answer: literal, expected: truth.value, form: 'literal', subject: field });
    return [verdict.correct, verdict.correct ? label : `${label} — but it is ${truth.value}`];
  }

  /**
   * `expect_inspector: <function>`: the learner's `inspect_code(<function>)` must report what
   * the explorer's own inspector (model.js `inspect`) reads from the pyc that version made of
   * the learner's program: kind, globals, free variables, nested code objects (name and
   * kind) and the total of constants. One item per key.
   */
  async checkInspector(summary, target, inspected) {
    if (!inspected?.json) return [[false, `inspect_code(${target}) ${inspected?.detail ?? 'returned no dict that JSON can carry'}`]];
    const theirs = JSON.parse(inspected.json);
    if (!summary) return [[false, 'the program does not compile']];
    const entry = findCode(summary, target);
    if (!entry) return [[false, `the program has no function ${target}`]];
    const { code } = await this.decoder.code(entry.index);
    const ours = inspect(code, entry, summary.codes);
    const want = { kind: ours.kind, globals: ours.globals, free: ours.free, nested: ours.nested.map((n) => [n.name, n.kind]), constants: ours.constants };
    const text = (v) => JSON.stringify(v);
    return Object.entries(want).map(([key, value]) => {
      const same = text(theirs?.[key]) === text(value);
      return [same, `${key}: ${text(value)}${same ? '' : ` — yours says ${text(theirs?.[key] ?? null)}`}`];
    });
  }

  /** After an attempt: a button that runs the question in every version and lists the answers. */
  everyVersionButton(q, versions) {
    const button = el('button', { type: 'button', class: 'every-version', text: `Run it in every version (${versions.join(', ')})` });
    const out = el('div', {});
    button.addEventListener('click', async () => {
      button.disabled = true;
      const rows = [];
      for (const v of versions) {
        out.replaceChildren(el('p', { class: 'hint', text: `Running in Python ${v}…` }));
        await this.runs.prepare(v);
        const t = await this.truth(q, v);
        rows.push([v, t.value ?? `(${t.missing})`]);
      }
      const same = rows.every(([, a]) => a === rows[0][1]);
      out.replaceChildren(same ? el('p', { class: 'same', text: `Every version from ${versions[0]} to ${versions.at(-1)} gives this answer.` })
        : el('p', { text: 'The answer depends on the version:' }),
      ...(same ? [] : [el('ul', { class: 'other-versions' }, ...rows.map(([v, a]) => el('li', {}, `Python ${v}: `, el('pre', { class: 'inline-pre', text: a }))))]));
      out.dataset.done = 'true';
    });
    return el('div', { class: 'every' }, button, out);
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
