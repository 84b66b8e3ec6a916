import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consumerSnippets } from './readme-snippets.ts';

const doc = (...lines: string[]) => lines.join('\n');

describe('consumer snippets in a README', () => {
  it('takes a ```ts block right after <!-- consumer-test --> verbatim, as snippet-N.test.ts for vitest', () => {
    const snippets = consumerSnippets(
      doc(
        '# Title',
        '## In tests',
        '<!-- consumer-test -->',
        '```ts',
        "import { it } from 'vitest';",
        '',
        "it('works', () => {});",
        '```',
      ),
    );
    expect(snippets).toEqual([
      {
        number: 1,
        heading: 'In tests',
        line: 4,
        file: 'snippet-1.test.ts',
        runner: 'vitest',
        code: "import { it } from 'vitest';\n\nit('works', () => {});\n",
      },
    ]);
  });

  it('writes a block after <!-- consumer-test: name.mjs --> to that file, run with node', () => {
    const [snippet] = consumerSnippets(
      doc('## Plain Node', '<!-- consumer-test: check.mjs -->', '```js', 'process.exit(0);', '```'),
    );
    expect(snippet).toMatchObject({
      number: 1,
      file: 'check.mjs',
      runner: 'node',
      code: 'process.exit(0);\n',
    });
  });

  it('numbers both kinds in order and skips unmarked blocks, markers and headings inside blocks', () => {
    const snippets = consumerSnippets(
      doc(
        '## First',
        '```sh',
        '# not a heading',
        '<!-- consumer-test -->',
        '```',
        '<!-- consumer-test: a.mjs -->',
        '```js',
        'a();',
        '```',
        '## Second',
        '<!-- consumer-test -->',
        '````ts',
        '```',
        'b();',
        '````',
      ),
    );
    expect(snippets.map((s) => [s.number, s.heading, s.file, s.code])).toEqual([
      [1, 'First', 'a.mjs', 'a();\n'],
      [2, 'Second', 'snippet-2.test.ts', '```\nb();\n'],
    ]);
  });

  it('removes the fence indentation of a block inside a list item', () => {
    const [snippet] = consumerSnippets(
      doc('<!-- consumer-test -->', '   ```ts', '   a();', '     b();', '   ```'),
    );
    expect(snippet?.code).toBe('a();\n  b();\n');
  });

  it.each([
    [doc('<!-- consumer-test -->', '', '```ts', 'a();', '```'), /README.md:1: .*followed at once/],
    [doc('<!-- consumer-test -->', '```js', 'a();', '```'), /README.md:1: .*```ts block, not ```js/],
    [doc('<!-- consumer-test: ../x.mjs -->', '```js', '```'), /README.md:1: '..\/x.mjs' is not a plain/],
    [doc('<!-- consumer-test: -->', '```js', '```'), /README.md:1: '' is not a plain/],
    [
      doc('<!-- consumer-test: a.mjs -->', '```js', '```', '<!-- consumer-test: a.mjs -->'),
      /README.md:4: .*already/,
    ],
    [doc('<!-- consumer-test --> and more', '```ts', '```'), /README.md:1: .*a line of its own/],
    [doc('<!-- consumer-test -->'), /README.md:1: .*end of the file/],
    [doc('<!-- consumer-test -->', '```ts', 'a();'), /README.md:2: a fenced block that never closes/],
  ])('refuses a misplaced or malformed marker, naming the line: %j', (markdown, message) => {
    expect(() => consumerSnippets(markdown)).toThrow(message);
  });

  it("marks the README's examples of the package in tests and in your own CI", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const imports = consumerSnippets(readme).flatMap((s) =>
      [...s.code.matchAll(/from '(sage200-sandbox[^']*)'/g)].map((m) => m[1]),
    );
    expect([...new Set(imports)]).toEqual(
      expect.arrayContaining(['sage200-sandbox', 'sage200-sandbox/client', 'sage200-sandbox/testing']),
    );
  });
});
