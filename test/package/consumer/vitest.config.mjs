// The consumer project's own vitest configuration: the README's snippets run here as its test files.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['snippet-*.test.ts'], testTimeout: 60_000 } });
