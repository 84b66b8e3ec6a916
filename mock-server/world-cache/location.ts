/**
 * Where cached worlds are kept: `SAGE200_SANDBOX_CACHE_DIR` when set, else the user's cache directory as each
 * platform names it (XDG Base Directory on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows).
 * https://specifications.freedesktop.org/basedir-spec/latest/
 */
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The environment variable that moves the cache (CI jobs point it at a folder they keep between runs). */
export const CACHE_DIR_ENV = 'SAGE200_SANDBOX_CACHE_DIR';

const APP = 'sage200-sandbox';

/** The cache folder for this environment and platform. */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = safeHomedir(),
): string {
  const chosen = env[CACHE_DIR_ENV];
  if (chosen) return chosen;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || (home && join(home, 'AppData', 'Local'));
    return local ? join(local, APP, 'Cache') : join(tmpdir(), APP);
  }
  if (!home) return join(tmpdir(), APP);
  if (platform === 'darwin') return join(home, 'Library', 'Caches', APP);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and to be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), APP);
}

function safeHomedir(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}
