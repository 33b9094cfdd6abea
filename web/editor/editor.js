// The code editor of the write view: CodeMirror 6 with Python, bundled at build time by
// esbuild into web/vendor/editor.js (scripts/build-web.sh), so the page loads it from its
// own origin and only when someone opens the write view. Colours come from the page's CSS
// variables, so the editor follows the light and dark themes with no second theme.
import { basicSetup } from 'codemirror';
import { EditorView, keymap, Decoration } from '@codemirror/view';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting, indentUnit } from '@codemirror/language';
import { setDiagnostics } from '@codemirror/lint';
import { python } from '@codemirror/lang-python';
import { tags as t } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: 'var(--syn-keyword)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--syn-string)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--syn-number)' },
  { tag: [t.comment, t.lineComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.definition(t.className)], color: 'var(--syn-def)' },
  { tag: [t.self, t.standard(t.variableName)], color: 'var(--syn-builtin)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--mono)', fontSize: '13px' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--row-hover)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--row-hover)' },
  // :focus-within as well: it holds the moment focus arrives, before CodeMirror sets cm-focused.
  '&.cm-focused, &:focus-within': { outline: '2px solid var(--focus)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: 'var(--sel) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-instruction-columns': { backgroundColor: 'var(--mark)', outline: '1px solid var(--accent)' },
  '.cm-instruction-line': { backgroundColor: 'var(--line-mark)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--border)' },
});

/** Which source range the selected instruction came from (set by the explorer). */
const setInstructionRange = StateEffect.define();
const instructionRange = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setInstructionRange)) marks = e.value;
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Offset in the document of (line, column in UTF-8 bytes), as co_positions() counts. */
function offsetOf(doc, line, byteCol) {
  if (line < 1 || line > doc.lines) return null;
  const l = doc.line(line);
  if (byteCol === null || byteCol === undefined) return l.from;
  const bytes = new TextEncoder().encode(l.text).slice(0, byteCol);
  return l.from + Math.min(new TextDecoder().decode(bytes).length, l.length);
}

/**
 * An editor in `host`. `onChange(text)` after every edit, `onLine(line)` when the cursor
 * moves to another line. Returns { view, text(), setText(), markErrors(), showPositions() }.
 * The editor lives in a shadow root of `host`: there CodeMirror's styles are constructed
 * stylesheets, which the page's CSP (no inline <style>) allows; the page's colour variables
 * still reach it by inheritance.
 */
export function createEditor(host, { doc = '', label = 'Python source', onChange = () => {}, onLine = () => {} } = {}) {
  let lastLine = 0;
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        indentUnit.of('    '),
        python(),
        syntaxHighlighting(highlight),
        theme,
        instructionRange,
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
          const line = update.state.doc.lineAt(update.state.selection.main.head).number;
          if (line !== lastLine && (update.selectionSet || update.docChanged)) {
            lastLine = line;
            onLine(line);
          }
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /**
     * Marks compile errors: [{ line, col, endLine, endCol, message, severity }], columns
     * 1-based characters as SyntaxError gives them (null: the whole line).
     */
    markErrors(errors) {
      const doc = view.state.doc;
      const diagnostics = errors.filter((e) => e.line >= 1 && e.line <= doc.lines).map((e) => {
        const line = doc.line(e.line);
        const from = line.from + Math.min(Math.max((e.col ?? 1) - 1, 0), line.length);
        let to = line.to;
        if (e.endLine && e.endLine <= doc.lines && e.endCol) {
          to = Math.min(doc.line(e.endLine).from + Math.max(e.endCol - 1, 0), doc.length);
        }
        if (to <= from) to = Math.min(from + 1, line.to > from ? line.to : doc.length);
        return { from, to: Math.max(to, from), severity: e.severity ?? 'error', message: e.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** Highlights an instruction's source: [line, endLine, col, endCol] from co_positions(). */
    showPositions(positions, lineOnly = false) {
      const doc = view.state.doc;
      const [line, endLine, col, endCol] = positions ?? [];
      const marks = [];
      if (line && line <= doc.lines) {
        if (!lineOnly && col !== null && col !== undefined && endLine) {
          const from = offsetOf(doc, line, col);
          const to = offsetOf(doc, endLine, endCol);
          if (from !== null && to !== null && to > from) marks.push(Decoration.mark({ class: 'cm-instruction-columns' }).range(from, to));
        }
        marks.unshift(Decoration.line({ class: 'cm-instruction-line' }).range(doc.line(line).from));
        view.dispatch({ effects: [setInstructionRange.of(Decoration.set(marks, true)), EditorView.scrollIntoView(doc.line(line).from, { y: 'nearest' })] });
      } else {
        view.dispatch({ effects: setInstructionRange.of(Decoration.none) });
      }
    },
  };
}
