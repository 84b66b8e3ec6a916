/**
 * Path patterns for fault rules and the journal filter: `*` matches any run of characters (slashes included),
 * `{Name}` matches one path segment, everything else matches itself, ignoring case and a trailing slash.
 */
import { API_BASE_PATH } from '../http/paths.ts';

/** Which part of the sandbox a request is for; faults apply to the first two only. */
export type Surface = 'api' | 'sage_id' | 'admin' | 'other';

/** Where a request goes: its surface, its full path and, for the Sage API, its path below the API base. */
export interface RequestPath {
  surface: Surface;
  /** The full path, without a trailing slash. */
  path: string;
  /** For the Sage API the path relative to the API base (`/customers/5`); otherwise the full path. */
  relative: string;
}

const SAGE_ID_PREFIX = '/id/';

/** Classifies a request path (as Hono gives it, already decoded). */
export function requestPath(rawPath: string): RequestPath {
  const path = withoutTrailingSlash(rawPath);
  if (path === API_BASE_PATH || path.startsWith(`${API_BASE_PATH}/`)) {
    return { surface: 'api', path, relative: path.slice(API_BASE_PATH.length) || '/' };
  }
  if (path.startsWith(SAGE_ID_PREFIX) || path === '/id') return { surface: 'sage_id', path, relative: path };
  if (path === '/admin' || path.startsWith('/admin/')) return { surface: 'admin', path, relative: path };
  return { surface: 'other', path, relative: path };
}

/** A compiled pattern; `test` takes a path already stripped of its trailing slash. */
export interface PathPattern {
  readonly source: string;
  test(path: string): boolean;
}

/** Why a pattern cannot be compiled, or undefined when it can. */
export function pathPatternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/') && !pattern.startsWith('*')) return 'must start with / (or *)';
  if (pattern.length > 500) return 'must be at most 500 characters';
  if (/[\s?#]/.test(pattern)) return 'must not contain spaces, ? or # (match the path, not the query)';
  const withoutParams = pattern.replace(/\{[^/{}]+\}/g, '');
  if (/[{}]/.test(withoutParams))
    return 'has an unbalanced { or }: a parameter is {Name}, within one segment';
  return undefined;
}

/** Compiles a pattern checked by pathPatternProblem; throws on one it would refuse. */
export function compilePathPattern(pattern: string): PathPattern {
  const problem = pathPatternProblem(pattern);
  if (problem) throw new Error(`path pattern ${pattern} ${problem}`);
  let source = '';
  for (const token of withoutTrailingSlash(pattern).split(/(\*+|\{[^/{}]+\})/)) {
    if (token === '') continue;
    if (token.startsWith('*')) source += '.*';
    else if (token.startsWith('{')) source += '[^/]+';
    else source += token.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'i');
  return { source: pattern, test: (path) => regex.test(path) };
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
