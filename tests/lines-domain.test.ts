// Reading the bookkeeping's files line by line in slices (domain/lines.ts): the lines the importers
// of SIE and CSV files see, with their numbers (as an error message names them), and the pauses
// between slices that let the server answer other requests during a long import.
import { describe, expect, it } from 'vitest';
import { slicedLines } from '../domain/lines.js';

const BIG = { lines: 1000, chars: 1_000_000 };
/** The lines as the importer reads them ('n: text'), a pause as '|'. */
const read = (text: string, slice = BIG) => [...slicedLines(text, slice)].map((l) => (l ? `${l.no}: ${text.slice(l.start, l.end)}` : '|'));

describe('slicedLines', () => {
  it('splits at CR LF, LF and CR and numbers the lines from 1; the last line counts even when empty', () => {
    expect(read('#FLAGGA 0\r\n#PROGRAM "Fortnox"\n#SIETYP 4\r#KPTYP EUBAS97\n')).toEqual([
      '1: #FLAGGA 0',
      '2: #PROGRAM "Fortnox"',
      '3: #SIETYP 4',
      '4: #KPTYP EUBAS97',
      '5: ',
    ]);
    // An empty file is one empty line.
    expect(read('')).toEqual(['1: ']);
  });

  it('leaves out a byte order mark before the first line', () => {
    expect(read('\uFEFFKonto;Belopp\n4010;1200')).toEqual(['1: Konto;Belopp', '2: 4010;1200']);
    expect([...slicedLines('\uFEFFKonto', BIG)][0]).toEqual({ start: 1, end: 6, no: 1 });
  });

  it('pauses after every slice of `lines` lines', () => {
    expect(read('a\nb\nc\nd\ne', { lines: 2, chars: 1_000_000 })).toEqual(['1: a', '2: b', '|', '3: c', '4: d', '|', '5: e']);
  });

  it('pauses once a slice has gone past `chars` characters (line breaks not counted)', () => {
    // 3 + 3 characters fill a slice of 6 without passing it; the third line passes it.
    expect(read('abc\r\ndef\nghi\njk', { lines: 1000, chars: 6 })).toEqual(['1: abc', '2: def', '3: ghi', '|', '4: jk']);
  });
});
