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

/**
 * The words a person reads on a page, as the page tests compare them: tags and charts' SVG removed (their figures are
 * in the tables beside them), the apostrophes and quotes as typed, white space runs as one space.
 */
export function visibleWords(html: string): string {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Every statutory date the page states (`<time datetime data-duty>`, written by the statutoryDate macro). */
export function statedDates(html: string): { duty: string; iso: string; text: string }[] {
  return [...html.matchAll(/<time datetime="([^"]+)" data-duty="([^"]+)">([^<]*)<\/time>/g)].map((m) => ({
    iso: m[1]!,
    duty: m[2]!,
    text: m[3]!,
  }));
}
