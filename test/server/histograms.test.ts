/**
 * The latency and fan-out histograms on `GET /metrics`: `live_chat_send_ack_ms`,
 * `live_chat_join_ack_ms` (handling time in ms) and `live_chat_fanout_size` (sockets of this
 * instance a `message:new` reaches).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, http, ok, send, startServer, type TestServer } from './helpers.ts';

/** `name{labels} value` lines of a Prometheus text exposition, by series name (labels dropped unless `le`). */
function series(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match) values.set(match[1]! + (match[2]?.includes('le=') ? match[2] : ''), Number(match[3]));
  }
  return values;
}

describe('ack-time and fan-out histograms', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('count a join, a send and the sockets its message:new reached', async () => {
    const a = await t.connect(await t.token('Histo Ann'));
    const b = await t.joined('Histo Bob');
    const before = series((await http(t, 'GET', '/metrics')).body);
    assert.equal(before.get('live_chat_join_ack_ms_count'), 1, 'Bob joined');
    assert.equal(before.get('live_chat_send_ack_ms_count'), 0);
    assert.equal(before.get('live_chat_fanout_size_count'), 0);

    ok(await call(a, 'room:join', { roomId: 'lobby' }));
    ok(await send(a, 'counted'));
    b.disconnect();

    const res = await http(t, 'GET', '/metrics');
    assert.equal(res.status, 200);
    const after = series(res.body);
    assert.equal(after.get('live_chat_join_ack_ms_count'), 2);
    assert.equal(after.get('live_chat_send_ack_ms_count'), 1);
    assert.ok(after.get('live_chat_send_ack_ms_sum')! > 0, 'a send takes some time');
    assert.equal(after.get('live_chat_send_ack_ms_bucket{le="+Inf"}'), 1);
    assert.equal(after.get('live_chat_fanout_size_count'), 1);
    assert.equal(after.get('live_chat_fanout_size_sum'), 2, 'Ann and Bob were in the room');
    assert.equal(after.get('live_chat_fanout_size_bucket{le="1"}'), 0);
    assert.equal(after.get('live_chat_fanout_size_bucket{le="5"}'), 1);
  });

  it('time refused events too', async () => {
    const a = await t.connect(await t.token('Histo Cy'));
    const before = series((await http(t, 'GET', '/metrics')).body).get('live_chat_send_ack_ms_count')!;
    const refused = await call(a, 'message:send', { roomId: 'lobby', clientId: 'x', text: 'not joined' });
    assert.equal(refused.ok, false);
    assert.equal(series((await http(t, 'GET', '/metrics')).body).get('live_chat_send_ack_ms_count'), before + 1);
  });
});
