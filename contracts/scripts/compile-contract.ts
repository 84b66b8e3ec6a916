/**
 * `npm run build` step: writes the contract compiled to JSON (`contracts/contract.ts`, `compileContract`) to the
 * path given, `dist/contracts/sage200.openapi.json`, so the installed sandbox never parses the YAML.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileContract, contractPath } from '../contract.ts';

const [output] = process.argv.slice(2);
if (output === undefined) {
  console.error('usage: tsx contracts/scripts/compile-contract.ts <output.json>');
  process.exit(2);
}
writeFileSync(output, compileContract(readFileSync(contractPath, 'utf8'), contractPath));
