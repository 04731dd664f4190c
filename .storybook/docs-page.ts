/**
 * The autodocs page of every element: title, summary, description (from the JSDoc, through
 * `custom-elements.json`), the first story, and the API table: attributes, properties, events,
 * slots, CSS custom properties and CSS parts, each with its description.
 *
 * Unlike Storybook's default page, it does not render every story again below: a `<live-chat>`
 * story holds up to 200 messages, and its states are one click away in the sidebar.
 */
import { Controls, Description, Primary, Subtitle, Title } from '@storybook/addon-docs/blocks';
import { createElement as h, Fragment } from 'react';

export function DocsPage() {
  return h(
    Fragment,
    null,
    h(Title),
    h(Subtitle),
    h(Description),
    h(Primary),
    h('p', null, 'Every visual state of this element is a story of its own: see the sidebar.'),
    h(Controls),
  );
}
