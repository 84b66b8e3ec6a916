/**
 * A full garbage collection on demand. Building a large company leaves hundreds of megabytes of intermediate
 * documents and postings that V8 collects only when it chooses, so the large world's build peaked anywhere between
 * 440 and 540 MiB of RSS from run to run; collecting once the company is built holds the peak near its live size.
 * `--expose-gc` set at run time gives `gc` to contexts made afterwards (as jest's leak detector gets it).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
