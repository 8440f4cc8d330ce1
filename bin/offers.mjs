#!/usr/bin/env node
// The `offers` command. The sources are TypeScript run through tsx's loader, so there is no
// build step between a checkout and a working command.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
