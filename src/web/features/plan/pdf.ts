/**
 * The board report as a PDF, for board papers: a tagged PDF (headings and paragraphs marked, language and title set)
 * so a screen reader can follow it, with the same words as the page: each priority's commitments with their status and
 * icons in words, then the exceptions.
 */
import PDFDocument from 'pdfkit';
import { formatLongDate } from '../../../domain/dates/localDate.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import type { summaryView } from './view.js';

const VARIATION_WORDS: Record<string, string> = {
  common_cause: 'Common cause: no significant change',
  no_variation: 'No variation',
  improvement_high: 'Special cause: improvement, high',
  improvement_low: 'Special cause: improvement, low',
  concern_high: 'Special cause: concern, high',
  concern_low: 'Special cause: concern, low',
  neutral_high: 'Special cause: neither better nor worse, high',
  neutral_low: 'Special cause: neither better nor worse, low',
};

const ASSURANCE_WORDS: Record<string, string> = {
  consistent_pass: 'Passes the target consistently',
  consistent_fail: 'Fails the target consistently',
  inconsistent: 'Hit and miss: sometimes meets the target',
};

export interface BoardReportData {
  laName: string;
  today: LocalDate;
  plan: { title: string; chair: string; partners: string[] };
  groups: { priority: { title: string } | null; commitments: ReturnType<typeof summaryView>[] }[];
  exceptions: { reference: string; text: string }[];
}

export function variationWords(icon: string | null): string {
  return icon ? (VARIATION_WORDS[icon] ?? icon) : 'Not enough data';
}

export function assuranceWords(assurance: string | null): string {
  return assurance ? (ASSURANCE_WORDS[assurance] ?? assurance) : 'Not enough data';
}

export function boardReportPdf(r: BoardReportData): Promise<Buffer> {
  const title = `${r.plan.title}: board report, ${formatLongDate(r.today)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: title, Author: r.laName, Subject: 'Improvement plan board report' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const write = (tag: string, text: string, font: string, size: number, gap = 4) => {
    doc.font(font).fontSize(size).text(text, { structParent: root, structType: tag });
    doc.moveDown(gap / size);
  };

  write('H1', title, 'Helvetica-Bold', 18, 8);
  write(
    'P',
    `${r.laName}. Partners: ${r.plan.partners.join(', ')}. Independent chair: ${r.plan.chair}.`,
    'Helvetica',
    10,
    8,
  );
  write(
    'P',
    'Variation and assurance follow NHS England’s Making Data Count method; the trajectory is the plan’s own path from its baseline through its milestones to its target.',
    'Helvetica',
    9,
    10,
  );

  write('H2', 'Exceptions needing attention', 'Helvetica-Bold', 14, 6);
  if (r.exceptions.length === 0) write('P', 'None.', 'Helvetica', 10, 8);
  for (const e of r.exceptions) write('P', `${e.reference}: ${e.text}`, 'Helvetica', 10, 3);
  doc.moveDown(0.5);

  for (const g of r.groups) {
    write('H2', g.priority?.title ?? 'Commitments with no priority area', 'Helvetica-Bold', 14, 6);
    if (g.commitments.length === 0) write('P', 'No commitments yet.', 'Helvetica', 10, 8);
    for (const c of g.commitments) {
      write('H3', `${c.reference}. ${c.statement}`, 'Helvetica-Bold', 11, 3);
      const lines = [
        `Status: ${c.statusText}`,
        `Measure: ${c.measure}`,
        `Owner: ${c.owner}`,
        `Target: ${c.target}`,
        `Latest month, against the trajectory: ${c.latestAgainstTrajectory}`,
        `Variation: ${variationWords(c.variationIcon)}`,
        `Assurance (the process as it runs, against the target): ${assuranceWords(c.assurance)}`,
        `Chance of meeting the target: ${c.forecast ?? 'not yet forecast'}`,
      ];
      if (c.draft) lines.push(`Not measurable yet: ${c.ruleNames.join(', ')}`);
      write('P', lines.join('\n'), 'Helvetica', 9.5, 8);
    }
  }
  root.end();
  doc.end();
  return done;
}
