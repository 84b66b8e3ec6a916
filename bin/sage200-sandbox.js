#!/usr/bin/env node
// The installed command: the compiled CLI from dist/, which `npm pack` builds (prepack). In a clone, `npm start`
// runs the TypeScript sources instead.
import { main } from '../dist/mock-server/cli.js';

process.exitCode = await main(process.argv.slice(2));
