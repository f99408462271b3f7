/**
 * The final plan beside the draft the family commented on, section by section, with words removed and added
 * marked, so anyone can see which of the family's corrections were made.
 */
import { diffWords } from 'diff';
import { ADVICE_TYPE_NAMES } from '../../../domain/casework/stages.js';
import { SECTION_NAMES, type PlanContent } from '../../../domain/casework/planContent.js';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A section as plain text, one line per item, so lists compare item by item. */
export function sectionText(plan: PlanContent, section: keyof PlanContent): string {
  switch (section) {
    case 'B':
      return plan.B.map((n, i) => `${i + 1}. ${n.text}`).join('\n');
    case 'E':
      return plan.E.map((o, i) => `${i + 1}. ${o.text} (by: ${o.timeframe || 'no timeframe'})`).join('\n');
    case 'F':
      return plan.F.map(
        (p, i) => `${i + 1}. ${p.what}; who: ${p.who}; how often: ${p.frequency}; for how long: ${p.duration}`,
      ).join('\n');
    case 'I':
      return plan.I
        ? `${plan.I.settingName} (${plan.I.settingType})${plan.I.settingUrn ? `, URN ${plan.I.settingUrn}` : ''}`
        : '';
    case 'K':
      return plan.K.map(
        (k) =>
          `${ADVICE_TYPE_NAMES[k.adviceType as keyof typeof ADVICE_TYPE_NAMES] ?? k.adviceType} advice from ${k.provider}`,
      ).join('\n');
    default:
      return plan[section];
  }
}

export interface SectionComparison {
  name: string;
  changed: boolean;
  draftHtml: string;
  finalHtml: string;
}

export function comparePlans(draft: PlanContent, final: PlanContent): SectionComparison[] {
  return (Object.keys(SECTION_NAMES) as (keyof PlanContent)[]).map((section) => {
    const before = sectionText(draft, section);
    const after = sectionText(final, section);
    const parts = diffWords(before, after);
    const draftHtml = parts
      .filter((p) => !p.added)
      .map((p) => (p.removed ? `<del class="app-diff__del">${escape(p.value)}</del>` : escape(p.value)))
      .join('');
    const finalHtml = parts
      .filter((p) => !p.removed)
      .map((p) => (p.added ? `<ins class="app-diff__ins">${escape(p.value)}</ins>` : escape(p.value)))
      .join('');
    return { name: SECTION_NAMES[section], changed: before !== after, draftHtml, finalHtml };
  });
}
