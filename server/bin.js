#!/usr/bin/env node
// The `live-chat-server` bin: registers tsx from this package (so it works from any folder,
// e.g. `npx live-chat-server`) and runs server/cli.ts, which holds all of the start-up logic.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
