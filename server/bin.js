#!/usr/bin/env node
// The `live-chat-server` bin: plain node on the compiled server (dist/cli.js, from
// `npm run build`). All start-up logic, signals included, is in cli.ts.
await import('./dist/cli.js');
