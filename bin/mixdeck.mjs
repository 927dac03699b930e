#!/usr/bin/env node
// The headless entry point. tsx compiles the TypeScript sources on the fly, so the CLI
// runs from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli.ts');
process.exitCode = await main(process.argv.slice(2));
