/**
 * The final plan as a tagged PDF (as the board report, features/plan/pdf.ts): headings and paragraphs marked, the
 * language and title set, so a screen reader can follow it; the same words as the page (words.ts).
 */
import PDFDocument from 'pdfkit';
import type { Block } from './words.js';

const STYLE: Record<Block['kind'], { tag: string; font: string; size: number; gap: number }> = {
  h1: { tag: 'H1', font: 'Helvetica-Bold', size: 18, gap: 8 },
  h2: { tag: 'H2', font: 'Helvetica-Bold', size: 14, gap: 6 },
  h3: { tag: 'H3', font: 'Helvetica-Bold', size: 11, gap: 3 },
  p: { tag: 'P', font: 'Helvetica', size: 10.5, gap: 6 },
};

export function finalPlanPdf(doc: { title: string; blocks: Block[]; council: string }): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: doc.title, Author: doc.council, Subject: 'Education, health and care plan' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const root = pdf.struct('Document');
  pdf.addStructure(root);
  for (const b of doc.blocks) {
    const s = STYLE[b.kind];
    pdf.font(s.font).fontSize(s.size).text(b.text, { structParent: root, structType: s.tag });
    pdf.moveDown(s.gap / s.size);
  }
  root.end();
  pdf.end();
  return done;
}
