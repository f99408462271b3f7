/**
 * The final plan as a Word document (the format many families need to share it): real Word headings (Heading 1 to 3
 * styles, so a screen reader's heading navigation works), the title and language set, the same words as the page.
 */
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import type { Block } from './words.js';

const HEADINGS = { h1: HeadingLevel.HEADING_1, h2: HeadingLevel.HEADING_2, h3: HeadingLevel.HEADING_3 } as const;

export function finalPlanDocx(doc: { title: string; blocks: Block[]; council: string }): Promise<Buffer> {
  const word = new Document({
    title: doc.title,
    creator: doc.council,
    description: 'Education, health and care plan',
    styles: { default: { document: { run: { font: 'Arial', size: 24, language: { value: 'en-GB' } } } } },
    sections: [
      {
        children: doc.blocks.map((b) =>
          b.kind === 'p' ? new Paragraph({ text: b.text }) : new Paragraph({ text: b.text, heading: HEADINGS[b.kind] }),
        ),
      },
    ],
  });
  return Packer.toBuffer(word);
}
