/** Reading a page's GOV.UK error summary as a person using it does: each message, and what its link takes them to. */
import { pageText } from './pages.js';

/** The error summary's lines: each message and the `#id` it links to, in the order shown. */
export function errorSummary(html: string): { text: string; href: string }[] {
  const list = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: m[1]!,
    text: pageText(m[2]!),
  }));
}

/** Whether the page has an element with this id: the place an error summary link ("#id") takes the person to. */
export function hasElementWithId(html: string, id: string): boolean {
  return new RegExp(`\\sid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(html);
}
