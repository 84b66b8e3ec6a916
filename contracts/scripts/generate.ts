/**
 * Generates `contracts/generated/sage200.d.ts` (openapi-typescript) and `contracts/generated/zod.ts` (our emitter)
 * from `contracts/sage200.openapi.yaml`. With `--check`, writes nothing and exits 1 if either file is stale.
 * openapi-typescript options: https://openapi-ts.dev/node
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import ts from 'typescript';
import { contractPath } from '../contract.ts';
import { ContractError, type OpenApiDocument, parseContract } from '../openapi-document.ts';
import { emitZod } from './zod-emitter.ts';

const generatedDir = path.join(path.dirname(contractPath), 'generated');
const repoRoot = path.resolve(path.dirname(contractPath), '..');

async function emitTypes(doc: OpenApiDocument): Promise<string> {
  // openapi-typescript takes a mutable document and may annotate it: give it its own copy.
  const copy: unknown = structuredClone(doc);
  const ast = await openapiTS(copy as Parameters<typeof openapiTS>[0], {
    silent: true,
    // A field with a default is still optional: Sage may leave it out, and `$select` can drop anything.
    defaultNonNullable: false,
    // readOnly means "ignored on writes", not "immutable in TypeScript". openapi-typescript would mark such
    // fields `readonly`, which zod's inferred types cannot express (zod strips readonly modifiers), so the
    // zod/type equality test could never pass. Drop the modifier; the JSDoc keeps the rest.
    transformProperty: (property) =>
      ts.factory.updatePropertySignature(
        property,
        property.modifiers?.filter((modifier) => modifier.kind !== ts.SyntaxKind.ReadonlyKeyword),
        property.name,
        property.questionToken,
        property.type,
      ),
  });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const doc = parseContract(readFileSync(contractPath, 'utf8'), path.relative(repoRoot, contractPath));
  const outputs = [
    { file: path.join(generatedDir, 'sage200.d.ts'), text: await emitTypes(doc) },
    { file: path.join(generatedDir, 'zod.ts'), text: emitZod(doc) },
  ];

  if (check) {
    const stale = outputs.filter(({ file, text }) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return true;
      }
    });
    for (const { file } of stale) {
      console.error(
        `${path.relative(repoRoot, file)} is stale: run npm run gen:contracts and commit the result.`,
      );
    }
    if (stale.length > 0) process.exit(1);
    console.log('contracts/generated is up to date: OK');
    return;
  }

  await mkdir(generatedDir, { recursive: true });
  for (const { file, text } of outputs) {
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(repoRoot, file)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ContractError ? error.message : error);
  process.exit(1);
});
