/**
 * RoomCoalescer (server/realtime/coalescer.ts) with fake timers: at most one flush per room
 * per interval, the trailing flush carries the latest state, rooms are independent, idle rooms
 * are forgotten, and close() stops everything. No sleeping: time moves by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fanoutPacedInterval, RoomCoalescer } from '../../../server/realtime/coalescer.ts';
import { FakeTimers } from './fake-timers.ts';

const INTERVAL = 250;

/** A coalescer whose flush records `[time, room, value of the room at that time]`. */
function setup() {
  const timers = new FakeTimers();
  const value = new Map<string, number>();
  const flushes: [number, string, number | undefined][] = [];
  const errors: unknown[] = [];
  const coalescer = new RoomCoalescer(
    INTERVAL,
    async (roomId) => {
      flushes.push([timers.now, roomId, value.get(roomId)]);
    },
    (err) => errors.push(err),
    timers,
  );
  /** A change of the room's state, then a request to broadcast it (what the handlers do). */
  const change = (roomId: string, v: number) => {
    value.set(roomId, v);
    coalescer.schedule(roomId);
  };
  return { timers, coalescer, flushes, errors, change };
}

describe('RoomCoalescer', () => {
  it('flushes the first change at once and folds a burst into one trailing flush with the latest value', () => {
    const { timers, flushes, change } = setup();
    change('a', 1);
    assert.deepEqual(flushes, [[0, 'a', 1]]);
    for (let v = 2; v <= 40; v++) {
      timers.advance(5);
      change('a', v);
    }
    assert.equal(flushes.length, 1, 'nothing more inside the interval');
    timers.advance(INTERVAL);
    assert.deepEqual(flushes, [
      [0, 'a', 1],
      [INTERVAL, 'a', 40],
    ]);
    timers.advance(10 * INTERVAL);
    assert.equal(flushes.length, 2, 'no flush without a change');
  });

  it('never flushes one room twice within an interval under a steady stream', () => {
    const { timers, flushes, change } = setup();
    for (let i = 0; i < 400; i++) {
      change('a', i);
      timers.advance(10); // 100 changes a second for 4 s
    }
    timers.advance(INTERVAL);
    const times = flushes.map(([at]) => at);
    for (let i = 1; i < times.length; i++) {
      assert.ok(times[i]! - times[i - 1]! >= INTERVAL, `flushes at ${times[i - 1]} and ${times[i]}`);
    }
    assert.ok(times.length <= 4000 / INTERVAL + 2, `${times.length} flushes in about 4 s`);
    assert.equal(flushes.at(-1)![2], 399, 'the last flush carries the last value');
  });

  it('paces rooms independently', () => {
    const { timers, flushes, change } = setup();
    change('a', 1);
    change('b', 1);
    change('a', 2);
    timers.advance(100);
    change('b', 2);
    assert.deepEqual(flushes, [
      [0, 'a', 1],
      [0, 'b', 1],
    ]);
    timers.advance(INTERVAL);
    assert.deepEqual(flushes.slice(2), [
      [INTERVAL, 'a', 2],
      [INTERVAL, 'b', 2],
    ]);
  });

  it('forgets a room once an interval ends with nothing pending, and then flushes at once again', () => {
    const { timers, coalescer, flushes, change } = setup();
    change('a', 1);
    change('a', 2);
    assert.equal(coalescer.activeRooms, 1);
    timers.advance(INTERVAL); // trailing flush, a new interval starts
    assert.equal(coalescer.activeRooms, 1);
    timers.advance(INTERVAL); // that interval ends idle
    assert.equal(coalescer.activeRooms, 0);
    assert.equal(timers.pending, 0, 'no timer left behind');
    change('a', 3);
    assert.deepEqual(flushes.at(-1), [2 * INTERVAL, 'a', 3]);
  });

  it('passes a failed flush to onError and keeps pacing', async () => {
    const timers = new FakeTimers();
    const errors: [unknown, string][] = [];
    let calls = 0;
    const coalescer = new RoomCoalescer(
      INTERVAL,
      async () => {
        calls++;
        throw new Error('emit failed');
      },
      (err, roomId) => errors.push([err, roomId]),
      timers,
    );
    coalescer.schedule('a');
    coalescer.schedule('a');
    timers.advance(INTERVAL);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls, 2);
    assert.equal(errors.length, 2);
    assert.equal(errors[0]![1], 'a');
  });

  it('stops on close(): pending flushes are dropped and later requests ignored', () => {
    const { timers, coalescer, flushes, change } = setup();
    change('a', 1);
    change('a', 2);
    coalescer.close();
    assert.equal(timers.pending, 0);
    timers.advance(INTERVAL);
    change('a', 3);
    assert.deepEqual(flushes, [[0, 'a', 1]]);
  });
});

describe('fanoutPacedInterval', () => {
  it('keeps STATS_INTERVAL_MS up to 500 viewers, then holds a room to 2,000 frames a second, 10 s at most', () => {
    assert.equal(fanoutPacedInterval(250, 0), 250);
    assert.equal(fanoutPacedInterval(250, 500), 250);
    assert.equal(fanoutPacedInterval(250, 501), 251);
    assert.equal(fanoutPacedInterval(250, 2000), 1000);
    assert.equal(fanoutPacedInterval(250, 10_000), 5000);
    assert.equal(fanoutPacedInterval(250, 1_000_000), 10_000);
    assert.equal(fanoutPacedInterval(2000, 2000), 2000, 'a longer setting stays');
    for (const viewers of [600, 2000, 7000]) {
      const perSecond = (viewers * 1000) / fanoutPacedInterval(250, viewers);
      assert.ok(perSecond <= 2000, `${viewers} viewers: ${perSecond} frames a second`);
    }
  });

  it('paces each room by its own interval, asked as each interval starts', () => {
    const timers = new FakeTimers();
    const size = new Map([
      ['small', 100],
      ['large', 2000],
    ]);
    const flushes: [number, string][] = [];
    const coalescer = new RoomCoalescer(
      (roomId) => fanoutPacedInterval(INTERVAL, size.get(roomId)!),
      async (roomId) => {
        flushes.push([timers.now, roomId]);
      },
      () => undefined,
      timers,
    );
    for (let t = 0; t < 1900; t += 50) {
      coalescer.schedule('small');
      coalescer.schedule('large');
      timers.advance(50);
    }
    const at = (room: string) => flushes.filter(([, r]) => r === room).map(([time]) => time);
    assert.deepEqual(at('large'), [0, 1000]);
    assert.deepEqual(at('small'), [0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    size.set('large', 100); // the crowd leaves: the next interval is the short one again
    timers.advance(100);
    coalescer.schedule('large');
    timers.advance(INTERVAL);
    assert.deepEqual(at('large').slice(2), [2000, 2000 + INTERVAL]);
  });
});
