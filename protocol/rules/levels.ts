/**
 * The level curve (docs/protocol.md, "Rules"): one function for the server and the widget.
 *
 * Level L starts at `XP_STEP × (L − 1) × L / 2` total XP: 0, 25, 75, 150, 250, 375, 525, 700,
 * 900, 1125, … Each level costs `XP_STEP` more than the one before (25, 50, 75, …), i.e. half
 * a day of the default daily cap (50 chat XP) more. Why: the first levels come within the
 * first day or two, so a newcomer sees a level-up early; later levels stretch out, so levels
 * keep meaning something: level 10 (1,125 XP) takes about three weeks of hitting the daily
 * cap (22.5 days at 50 XP), level 20 (4,750 XP) about three months.
 */

/** XP the step from level L to L+1 costs more than the step before. */
export const XP_STEP = 25;

/** Total XP at which `level` starts (level 1 starts at 0). */
export function levelStartXp(level: number): number {
  const l = Math.max(1, Math.floor(level));
  return (XP_STEP * (l - 1) * l) / 2;
}

/**
 * The level for a total XP (≥ 1; negative totals, possible through outside XP events, are
 * level 1).
 */
export function levelForXp(totalXp: number): number {
  if (!(totalXp > 0)) return 1;
  // Solve XP_STEP × (L−1) × L / 2 ≤ totalXp for the largest L, then correct float rounding.
  let level = Math.floor((1 + Math.sqrt(1 + (8 * totalXp) / XP_STEP)) / 2);
  while (levelStartXp(level + 1) <= totalXp) level++;
  while (level > 1 && levelStartXp(level) > totalXp) level--;
  return level;
}

/** The level with its bounds, for progress bars: `[levelStartXp, nextLevelXp)`. */
export function levelInfo(totalXp: number): { level: number; levelStartXp: number; nextLevelXp: number } {
  const level = levelForXp(totalXp);
  return { level, levelStartXp: levelStartXp(level), nextLevelXp: levelStartXp(level + 1) };
}
