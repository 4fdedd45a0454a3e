#!/usr/bin/env node
// The `vigil` command. TypeScript sources run through tsx's loader so that one tree serves the CLI,
// the tests and the worker threads without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./vigil.ts');
await main(process.argv);
