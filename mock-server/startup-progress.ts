/**
 * How the `sage200-sandbox` command shows its start-up. On a terminal, one line redrawn in place as the world is
 * built (a medium world takes seconds), company by company, ending with the URL it listens on. Anywhere else (CI,
 * a pipe, a log file) the steps are not drawn: one line when it listens, so logs hold no carriage returns.
 */
import type { StartupProgress } from './options.ts';

/** Where the progress goes: `process.stdout`, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** The terminal's width: a redrawn line longer than it would wrap, and `\r` could not take it back. */
  readonly columns?: number | undefined;
}

export interface StartupPrinter {
  report(progress: StartupProgress): void;
  /** Ends a line left open on a terminal, so that what follows (an error) starts on a line of its own. */
  interrupt(): void;
}

const PREFIX = 'sage200-sandbox: ';
/** Back to the start of the line and erase it (ECMA-48 CR and EL 2). */
const REDRAW = '\r\x1b[2K';

/** A printer of start-up steps to `stream`; `now` (milliseconds) times the start-up from this call. */
export function startupPrinter(
  stream: ProgressStream,
  now: () => number = () => performance.now(),
): StartupPrinter {
  const started = now();
  const terminal = stream.isTTY === true;
  let open = false;
  return {
    report(progress) {
      const line = `${PREFIX}${stepText(progress)}`;
      if (progress.step === 'listening') {
        const seconds = ((now() - started) / 1000).toFixed(1);
        stream.write(`${terminal ? REDRAW : ''}${line} (ready in ${seconds} s)\n`);
        open = false;
      } else if (terminal) {
        stream.write(`${REDRAW}${fitWidth(line, stream.columns)}`);
        open = true;
      }
    },
    interrupt() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

function stepText(progress: StartupProgress): string {
  switch (progress.step) {
    case 'world':
      return `building the world (seed ${progress.seed}, scale ${progress.scale}, ${progress.companies} companies)…`;
    case 'company':
      return `building company ${progress.number} of ${progress.of}: ${progress.company_name}…`;
    case 'state-file':
      return `opening the state file ${progress.path}…`;
    case 'world-cache':
      return progress.found
        ? `reading the world from the cache ${progress.path}…`
        : `no cached world at ${progress.path}: building it…`;
    case 'listening':
      return `listening on ${progress.url}`;
    default: {
      const never: never = progress;
      throw new Error(`unknown start-up step ${JSON.stringify(never)}`);
    }
  }
}

function fitWidth(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}
