import type { Message, UserRef } from 'live-chat-protocol';

/** How many names the `@` suggestion list offers. */
export const SUGGESTIONS = 6;

const lower = (s: string) => s.toLocaleLowerCase();

/**
 * Whether `text` mentions the user called `name` (issue 10, "Mentions"): `@` followed by the
 * whole name or its first word, case-insensitive, and not followed by a letter or digit
 * (`@Sam`, `@sam viewer`, `@Sam!` mention "Sam Viewer"; `@Samantha` does not).
 */
export function mentions(text: string, name: string): boolean {
  const t = lower(text);
  const first = lower(name).split(/\s+/)[0] ?? '';
  for (const candidate of new Set([lower(name), first])) {
    if (!candidate) continue;
    for (let at = t.indexOf('@' + candidate); at >= 0; at = t.indexOf('@' + candidate, at + 1)) {
      if (!/[\p{L}\p{N}]/u.test(t[at + candidate.length + 1] ?? '')) return true;
    }
  }
  return false;
}

/**
 * Recent chatters for the `@` suggestion list: authors of the newest messages first, each
 * once, without me, whose name (or a word of it) starts with `prefix` (case-insensitive); at
 * most {@link SUGGESTIONS}.
 */
export function recentChatters(messages: readonly Message[], meId: string | undefined, prefix: string): UserRef[] {
  const p = lower(prefix);
  const seen = new Set<string>();
  const out: UserRef[] = [];
  for (let i = messages.length - 1; i >= 0 && out.length < SUGGESTIONS; i--) {
    const u = messages[i]!.user;
    if (u.id === meId || seen.has(u.id)) continue;
    seen.add(u.id);
    if (lower(u.name).split(/\s+/).some((w) => w.startsWith(p)) || lower(u.name).startsWith(p)) out.push(u);
  }
  return out;
}

/** The `@prefix` being typed at the end of `draft` (no space in it yet), or null. */
export function mentionQuery(draft: string): string | null {
  const m = /(?:^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(draft);
  return m ? m[1]! : null;
}
