import { describe, expect, it } from 'vitest';
import { sampleReturn } from '../../../test/sen2.js';
import { decodeSen2, elementLocator, MAX_SEN2_DEPTH, readSen2, Sen2ReadError } from './reader.js';
import { writeSen2 } from './writer.js';

const encode = (s: string) => new TextEncoder().encode(s);

describe('reading a SEN2 file', () => {
  it('reads back exactly what the writer wrote, for 2025 and 2026, escaped characters included', () => {
    for (const year of [2025, 2026]) {
      const ret = sampleReturn(year);
      expect(readSen2(writeSen2(ret, year))).toEqual(ret);
    }
    expect(readSen2(writeSen2(sampleReturn(2026), 2026)).persons[0]!.surname).toBe('O’Brien & Sons <test>');
  });

  it('refuses a DOCTYPE, whatever it declares: nested entities, external entities, parameter entities', () => {
    const attacks = [
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Message>&b;</Message>',
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>',
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]><Message/>',
      '<?xml version="1.0"?><!doctype m SYSTEM "http://example.com/x.dtd"><Message/>',
    ];
    for (const xml of attacks) expect(() => readSen2(xml)).toThrow(/document type declaration/);
  });

  it('refuses XML nested deeper than a SEN2 return ever is (issue 23: 200,000 deep took the service down)', () => {
    const deep = (n: number) => `<Message>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</Message>`;
    const started = Date.now();
    expect(() => readSen2(deep(200_000))).toThrow(Sen2ReadError);
    expect(() => readSen2(deep(200_000))).toThrow(/nests elements more than 20 deep/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The writer's own return, at its deepest (Message/Person/Requests/ActivePlans/PlanDetail/URN), reads as before.
    expect(() => readSen2(deep(MAX_SEN2_DEPTH))).toThrow(/root element|collection/);
    expect(() => readSen2(deep(MAX_SEN2_DEPTH + 1))).toThrow(/nests elements/);
  });

  it('says what is wrong with a file that is not a readable SEN2 return', () => {
    const xml = writeSen2(sampleReturn(2026), 2026);
    const cases: [() => unknown, RegExp][] = [
      [
        () => readSen2(xml.slice(0, 700)),
        /^the XML is not well formed at line \d+, column \d+: .*\(is the file complete\?\)$/,
      ],
      [() => readSen2(''), /^the file is empty$/],
      [
        () => readSen2('<?xml version="1.0" encoding="ISO-8859-1"?><Message/>'),
        /ISO-8859-1 encoding: SEN2 files are UTF-8/,
      ],
      [() => readSen2('<Return/>'), /root element is not <Message>/],
      [() => readSen2(xml.replace('<Collection>SEN2<', '<Collection>CIN<')), /its collection is CIN/],
      [() => readSen2(xml.replace('Sam', 'S\u0007m')), /control character \(U\+0007\) at line \d+/],
      [() => decodeSen2(new Uint8Array([0xfe, 0xff, 0, 60])), /UTF-16/],
      [
        () => decodeSen2(new Uint8Array([...encode('<Message>\n<a>'), 0xe9, ...encode('</a></Message>')])),
        /not valid UTF-8 \(line 2\)/,
      ],
    ];
    for (const [read, message] of cases) {
      expect(read).toThrow(Sen2ReadError);
      expect(read).toThrow(message);
    }
    // A UTF-8 byte order mark is fine.
    expect(decodeSen2(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('<Message/>')]))).toBe('<Message/>');
  });

  it('finds the path of the element that starts on a line, as the checks name it', () => {
    const xml = writeSen2(sampleReturn(2026), 2026);
    const locate = elementLocator(xml);
    const lines = xml.split('\n');
    const at = (text: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
    expect(locate(at('<UPN>'), 'UPN')).toBe('/Message/Persons/Person[1]/UPN');
    expect(locate(at('<UPNunknown>'), 'UPNunknown')).toBe('/Message/Persons/Person[2]/UPNunknown');
    expect(locate(at('<PlacementRank>', at('<PlacementDetail>')), 'PlacementRank')).toBe(
      '/Message/Persons/Person[1]/Requests[1]/ActivePlans/PlacementDetail[1]/PlacementRank',
    );
    expect(locate(at('<UPN>'), 'Surname')).toBeUndefined();
  });
});
