// A long list of same-shaped objects (a code object's instructions) as columns, for the
// crossing from the worker to the page. Copying 60,000 instruction objects to the page cost
// it hundreds of thousands of heap objects to read and then to garbage-collect, in tasks of
// 50–90 ms; a handful of typed arrays and one string per text field cost a few
// milliseconds and nearly nothing to collect. The page reads the columns through a list that
// builds an instruction object when one is asked for: views that show a window of rows
// build only those.
// No DOM: the worker, the page and the tests share it.

/** What kind of column holds `values`, the values of one key across every object. */
function kindOf(values) {
  let numbers = true;
  let bools = true;
  let strings = true;
  let width = -1; // arrays of this many numbers (or nulls), or -1
  let tuples = true;
  for (const v of values) {
    if (v === null) {
      bools = false;
      continue;
    }
    if (typeof v !== 'number' || Number.isNaN(v)) numbers = false;
    if (typeof v !== 'boolean') bools = false;
    if (typeof v !== 'string') strings = false;
    if (!Array.isArray(v) || (width >= 0 && v.length !== width) || v.some((x) => x !== null && (typeof x !== 'number' || Number.isNaN(x)))) {
      tuples = false;
    } else {
      width = v.length;
    }
    if (!numbers && !bools && !strings && !tuples) return 'values';
  }
  if (numbers) return 'number';
  if (bools) return 'bool';
  if (strings) return 'string';
  return tuples && width >= 0 ? 'tuple' : 'values';
}

/** One key's values as a column (null is NaN in a number column, a flag elsewhere). */
function packColumn(values) {
  const kind = kindOf(values);
  const n = values.length;
  switch (kind) {
    case 'number':
      return { kind, data: Float64Array.from(values, (v) => (v === null ? NaN : v)) };
    case 'bool':
      return { kind, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
    case 'string': {
      // Names and reprs repeat (an opname column holds a hundred names): a table of the
      // distinct ones and an index per row is smaller, and read without cutting text.
      const index = new Map();
      for (const v of values) if (!index.has(v)) index.set(v, index.size);
      if (index.size * 2 <= n) {
        const codes = index.size <= 0xffff ? new Uint16Array(n) : new Uint32Array(n);
        values.forEach((v, i) => { codes[i] = index.get(v); });
        return { kind: 'table', values: [...index.keys()], codes };
      }
      const ends = new Uint32Array(n);
      const nulls = new Uint8Array(n);
      let length = 0;
      values.forEach((v, i) => {
        if (v === null) nulls[i] = 1;
        else length += v.length;
        ends[i] = length;
      });
      return { kind, text: values.map((v) => v ?? '').join(''), ends, nulls };
    }
    case 'tuple': {
      const width = values.find((v) => v !== null).length;
      const data = new Float64Array(n * width);
      const nulls = new Uint8Array(n);
      values.forEach((v, i) => {
        if (v === null) nulls[i] = 1;
        else for (let k = 0; k < width; k++) data[i * width + k] = v[k] === null ? NaN : v[k];
      });
      return { kind, width, data, nulls };
    }
    default:
      return { kind: 'values', data: values };
  }
}

/**
 * `objects` (all with the same keys in the same order, as `instructionObjects` makes them)
 * as `{ columns: true, length, keys, data }`: plain data a structured clone copies fast.
 */
export function packObjects(objects) {
  const keys = objects.length ? Object.keys(objects[0]) : [];
  const data = keys.map((key) => packColumn(objects.map((o) => o[key] ?? null)));
  return { columns: true, length: objects.length, keys, data };
}

/** Whether `value` is what `packObjects` made. */
export function isPacked(value) {
  return Boolean(value && value.columns === true && Array.isArray(value.keys));
}

/** A reader of row `i` of one column. */
function reader(column) {
  const num = (x) => (Number.isNaN(x) ? null : x);
  switch (column.kind) {
    case 'number': return (i) => num(column.data[i]);
    case 'bool': return (i) => column.data[i] === 1;
    case 'string': return (i) => (column.nulls[i] ? null : column.text.slice(i ? column.ends[i - 1] : 0, column.ends[i]));
    case 'table': return (i) => column.values[column.codes[i]];
    case 'tuple': {
      const { width, data, nulls } = column;
      return (i) => {
        if (nulls[i]) return null;
        const out = new Array(width);
        for (let k = 0; k < width; k++) out[k] = num(data[i * width + k]);
        return out;
      };
    }
    default: return (i) => column.data[i];
  }
}

/** The row index a property key names, or -1 ("3" → 3; "03", "x", "-1" → -1). */
function indexKey(prop) {
  if (typeof prop !== 'string' || prop === '' || prop.length > 15) return -1;
  const i = Number(prop);
  return Number.isInteger(i) && i >= 0 && String(i) === prop ? i : -1;
}

/**
 * The objects of `packed` as an array (`Array.isArray`, `length`, indexes, iteration and
 * every array method work) that builds each object when it is read: a view that reads a
 * window of rows builds only those. Each read builds a new object, equal to the one packed.
 * `pluck(key)` reads one key of every row without building the objects (see `pluck`).
 */
export function unpackObjects(packed) {
  const { length, keys } = packed;
  const readers = packed.data.map(reader);
  const at = (i) => {
    const o = {};
    for (let k = 0; k < keys.length; k++) o[keys[k]] = readers[k](i);
    return o;
  };
  const pluckKey = (key) => {
    const read = readers[keys.indexOf(key)] ?? (() => undefined);
    const out = new Array(length);
    for (let i = 0; i < length; i++) out[i] = read(i);
    return out;
  };
  function* rows() {
    for (let i = 0; i < length; i++) yield at(i);
  }
  return new Proxy([], {
    get(target, prop, receiver) {
      if (prop === 'length') return length;
      const i = indexKey(prop);
      if (i >= 0) return i < length ? at(i) : undefined;
      if (prop === Symbol.iterator || prop === 'values') return rows;
      if (prop === 'pluck') return pluckKey;
      return Reflect.get(target, prop, receiver);
    },
    has(target, prop) {
      const i = indexKey(prop);
      return i >= 0 ? i < length : Reflect.has(target, prop);
    },
  });
}

/**
 * `key` of every object of `list` (an array, or what `unpackObjects` made, which reads the
 * column without building the objects): for scans over every instruction of a module.
 */
export function pluck(list, key) {
  return list.pluck ? list.pluck(key) : list.map((o) => o[key]);
}
