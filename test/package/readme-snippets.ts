/**
 * The README's consumer snippets: the code blocks a user of the installed package copies, which
 * `npm run test:package` runs in a fresh project that installed the packed tarball. A fenced ```ts block right
 * after a line `<!-- consumer-test -->` becomes `snippet-N.test.ts` and must pass under vitest; a fenced block
 * right after `<!-- consumer-test: name.mjs -->` becomes `name.mjs` and must exit 0 under `node name.mjs`.
 * Fences follow CommonMark: https://spec.commonmark.org/0.31.2/#fenced-code-blocks
 */

export interface ConsumerSnippet {
  /** 1-based, in README order, counting both kinds. */
  number: number;
  /** The nearest heading above the block, without its `#`s. */
  heading: string;
  /** The README line (1-based) of the opening fence. */
  line: number;
  /** The file the block is written to in the consumer project. */
  file: string;
  runner: 'vitest' | 'node';
  code: string;
}

const MARKER = /^<!--\s*consumer-test\s*(?::\s*(.*?)\s*)?-->\s*$/;
const NODE_FILE = /^[\w-][\w.-]*\.(?:mjs|cjs|js)$/;
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

interface Fence {
  indent: number;
  marker: string;
  info: string;
  line: number;
}

function openingFence(text: string, line: number): Fence | undefined {
  const match = FENCE_OPEN.exec(text);
  if (!match) return undefined;
  return { indent: match[1]!.length, marker: match[2]!, info: match[3]!, line };
}

function closes(fence: Fence, text: string): boolean {
  const trimmed = text.trim();
  return (
    /^ {0,3}\S/.test(text) &&
    trimmed.length >= fence.marker.length &&
    [...trimmed].every((c) => c === fence.marker[0])
  );
}

/** Every marked block of `markdown`, in order; throws naming the line when a marker is misplaced or malformed. */
export function consumerSnippets(markdown: string, source = 'README.md'): ConsumerSnippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: ConsumerSnippet[] = [];
  const files = new Set<string>();
  let heading = '(top of the file)';
  let fence: Fence | undefined;
  let body: string[] = [];
  let pending: { file: string | undefined; line: number } | undefined;

  lines.forEach((text, index) => {
    const line = index + 1;
    if (fence) {
      if (!closes(fence, text)) {
        body.push(text.replace(new RegExp(`^ {0,${fence.indent}}`), ''));
        return;
      }
      if (pending) {
        const number = snippets.length + 1;
        const file = pending.file ?? `snippet-${number}.test.ts`;
        snippets.push({
          number,
          heading,
          line: fence.line,
          file,
          runner: pending.file === undefined ? 'vitest' : 'node',
          code: `${body.join('\n')}\n`,
        });
        pending = undefined;
      }
      fence = undefined;
      return;
    }
    const opened = openingFence(text, line);
    if (pending) {
      const at = `${source}:${pending.line}`;
      if (!opened)
        throw new Error(`${at}: a consumer-test marker must be followed at once by a fenced block`);
      if (pending.file === undefined && opened.info !== 'ts') {
        throw new Error(`${at}: <!-- consumer-test --> marks a \`\`\`ts block, not \`\`\`${opened.info}`);
      }
    }
    if (opened) {
      fence = opened;
      body = [];
      return;
    }
    const marker = MARKER.exec(text);
    if (marker) {
      const file = marker[1];
      if (file !== undefined && !NODE_FILE.test(file)) {
        throw new Error(`${source}:${line}: '${file}' is not a plain .mjs, .cjs or .js file name`);
      }
      if (file !== undefined && files.has(file)) {
        throw new Error(`${source}:${line}: '${file}' is already the name of another consumer snippet`);
      }
      if (file !== undefined) files.add(file);
      pending = { file, line };
      return;
    }
    if (/^\s*<!--\s*consumer-test/.test(text)) {
      throw new Error(`${source}:${line}: a consumer-test marker must be a line of its own: ${text.trim()}`);
    }
    const title = HEADING.exec(text);
    if (title) heading = title[1]!;
  });

  if (fence) throw new Error(`${source}:${fence.line}: a fenced block that never closes`);
  if (pending) throw new Error(`${source}:${pending.line}: a consumer-test marker at the end of the file`);
  return snippets;
}

/** How a failure names a snippet: its number, heading and README line. */
export function describeSnippet(snippet: ConsumerSnippet): string {
  return `snippet ${snippet.number} (${snippet.file}) under "${snippet.heading}", README.md line ${snippet.line}`;
}
