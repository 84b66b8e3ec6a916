#!/usr/bin/env node
// The installed command: the compiled CLI from dist/, which `npm pack` builds (prepack). In a clone, `npm start`
// runs the TypeScript sources instead (`npm run verify` and `npm run proxy` the two subcommands).
const argv = process.argv.slice(2);
const subcommand = argv[0] === 'verify' || argv[0] === 'proxy';
const { main } = subcommand
  ? await import('../dist/client/verify/cli.js')
  : await import('../dist/mock-server/cli.js');

process.exitCode = await main(argv);
