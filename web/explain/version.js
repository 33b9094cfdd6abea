// Python versions as the explanations compare them: "3.12" and { python, implementation }
// (the summary's header) both become { major, minor, implementation }.

/**
 * The version an explanation is asked for, from a header object ({ python: '3.12',
 * implementation: 'CPython' }), a string ('3.12', 'PyPy 3.9') or an already parsed one, so
 * that callers can pass whatever they hold.
 */
export function parseVersion(version) {
  if (version && typeof version === 'object' && 'major' in version) return version;
  const text = typeof version === 'string' ? version : version?.python ?? '';
  const implementation = typeof version === 'string'
    ? (/pypy/i.test(version) ? 'PyPy' : 'CPython')
    : version?.implementation ?? 'CPython';
  const m = /(\d+)\.(\d+)/.exec(text);
  if (!m) throw new Error(`not a Python version: ${JSON.stringify(version)}`);
  return { major: Number(m[1]), minor: Number(m[2]), implementation };
}

/** -1, 0 or 1 as `v` is before, equal to or after the "X.Y" string `bound`. */
export function compareTo(v, bound) {
  const [major, minor] = bound.split('.').map(Number);
  return Math.sign(v.major - major || v.minor - minor);
}

/** True when `v` lies in [first, last] (either bound may be absent: open). */
export function within(v, first, last) {
  return (!first || compareTo(v, first) >= 0) && (!last || compareTo(v, last) <= 0);
}

/** "3.12" or "PyPy 3.9": how the text names a version. */
export function versionLabel(v) {
  return `${v.implementation === 'PyPy' ? 'PyPy ' : ''}${v.major}.${v.minor}`;
}

/**
 * True when `v` has the behaviour CPython introduced in `bound`. PyPy 3.11 compiles to
 * PyPy 3.10's bytecode, so for PyPy nothing after 3.10 applies.
 */
export function since(v, bound) {
  if (v.implementation === 'PyPy' && compareTo(v, '3.10') > 0) return compareTo({ major: 3, minor: 10 }, bound) >= 0;
  return compareTo(v, bound) >= 0;
}
