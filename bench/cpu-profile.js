// Preloaded into the live-chat server by `BENCH_CPU_PROF=DIR npm run bench` (NODE_OPTIONS
// `--import`, since Node 20 refuses `--cpu-prof` there): profiles the whole process with the
// inspector and writes DIR/live-chat-<pid>.cpuprofile as it exits (open it in Chrome DevTools).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  // A session on the main thread answers synchronously, so this completes inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `live-chat-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
