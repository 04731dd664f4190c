/**
 * The resume rule of `room:join` (docs/protocol.md, "Resume"): what a (re)joining client
 * receives, given the newest seq it holds.
 */

/** What the join ack carries. */
export type JoinPlan =
  /** No `sinceSeq`: the last `historyLimit` messages, `gap: false`. */
  | { kind: 'history'; gap: false }
  /** Up to date: no messages, `gap: false`. */
  | { kind: 'none'; gap: false }
  /** The messages after `sinceSeq`, `gap: false`. */
  | { kind: 'replay'; gap: false }
  /** Too old (further back than `replayWindow`) or ahead of the room: the last `historyLimit`, `gap: true`. */
  | { kind: 'history'; gap: true };

/**
 * @param lastSeq the room's newest seq (0 when empty).
 * @param sinceSeq the client's newest seq, or undefined on a first join.
 * @param replayWindow how many newest seqs can be replayed (`REPLAY_WINDOW`, default 500).
 */
export function planJoin(lastSeq: number, sinceSeq: number | undefined, replayWindow: number): JoinPlan {
  if (sinceSeq === undefined) return { kind: 'history', gap: false };
  if (sinceSeq === lastSeq) return { kind: 'none', gap: false };
  if (sinceSeq > lastSeq || lastSeq - sinceSeq > replayWindow) return { kind: 'history', gap: true };
  return { kind: 'replay', gap: false };
}
