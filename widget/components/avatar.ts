import { css, html } from 'lit';

/** Up to two initials of a name ("Anna Host" → "AH"), Unicode aware. */
export const initials = (name: string): string =>
  name
    .split(/[\s-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');

/**
 * A round avatar (part `avatar`): the picture, over initials on a colour derived from the
 * user id (a class, not a style attribute, so a strict CSP is fine), which show when there is no picture or it fails to load. Decorative (`aria-hidden`):
 * the name is always next to it.
 */
export function avatar(id: string, name: string, url: string | null) {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return html`<span part="avatar" aria-hidden="true" class="avatar c${Math.abs(hash) % 8}"
    >${initials(name)}${url
      ? html`<img src=${url} alt="" loading="lazy" referrerpolicy="no-referrer" @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />`
      : ''}</span
  >`;
}

export const avatarStyles = css`
  .avatar {
    position: relative;
    display: grid;
    place-items: center;
    width: var(--lc-avatar-size, 32px);
    height: var(--lc-avatar-size, 32px);
    border-radius: 50%;
    overflow: hidden;
    color: #fff;
    font-size: 12px;
    font-weight: 700;
  }
  /* Backgrounds for initials; each meets 4.5:1 with white text. */
  .c0 { background: #5b45e0; }
  .c1 { background: #0f7b6c; }
  .c2 { background: #b4235a; }
  .c3 { background: #9a4b00; }
  .c4 { background: #1f66c2; }
  .c5 { background: #6b46c1; }
  .c6 { background: #2f7d32; }
  .c7 { background: #a3336e; }
  .avatar img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
`;
