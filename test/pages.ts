/** Reading what a rendered page states, as a person reads it. */

/** The page's text without its markup, white space runs as one space. */
export function pageText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every statutory date the page states (`<time datetime data-duty>`, written by the statutoryDate macro). */
export function statedDates(html: string): { duty: string; iso: string; text: string }[] {
  return [...html.matchAll(/<time datetime="([^"]+)" data-duty="([^"]+)">([^<]*)<\/time>/g)].map((m) => ({
    iso: m[1]!,
    duty: m[2]!,
    text: m[3]!,
  }));
}
