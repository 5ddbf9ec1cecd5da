import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeInput, stripBom } from '../../../../lib/collect/files/decode';
import { InputError } from '../../../../lib/collect/errors';

const FIXTURES = join(__dirname, '../../../fixtures/inputs');
const TEXT = '{"kind":"Node","metadata":{"name":"ä-1"}}';

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('decodeInput', () => {
  it.each([
    ['UTF-8', Buffer.from(TEXT, 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    [
      'UTF-16 LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
    ],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
    ['a string', TEXT],
  ])('decodes %s to the same text, without the BOM', (_name, input) => {
    expect(decodeInput('f.json', input)).toBe(TEXT);
  });

  it('decodes the UTF-16 LE file Windows PowerShell 5.1 writes', () => {
    const text = decodeInput('u16.json', readFileSync(join(FIXTURES, 'u16.json')));
    expect(JSON.parse(text)).toMatchObject({ serverVersion: { gitVersion: 'v1.30.2' } });
  });

  it('leaves the bytes it was given unswapped', () => {
    const input = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('{}')]);
    const copy = Buffer.from(input);
    decodeInput('f.json', input);
    expect(input.equals(copy)).toBe(true);
  });

  it.each([
    ['UTF-16 LE without a BOM', Buffer.from(TEXT, 'utf16le')],
    ['UTF-16 BE without a BOM', utf16be(TEXT)],
    ['a string with NUL', `{}\0`],
    ['UTF-32 LE (its BOM starts like UTF-16 LE)', utf32le(TEXT)],
  ])('rejects %s, naming the file and how to re-save it', (_name, input) => {
    const call = (): unknown => decodeInput('dir/nodes.json', input);
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      /^dir\/nodes\.json: holds NUL bytes.*; re-save it as UTF-8, e\.g\. `kubectl … -o json \| Out-File -Encoding utf8 file\.json`$/,
    );
  });

  it('rejects UTF-16 with an odd number of bytes as cut off', () => {
    const input = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('{}', 'utf16le'),
      Buffer.from([0x7d]),
    ]);
    expect(() => decodeInput('v.json', input)).toThrow(
      /^v\.json: is UTF-16 but has an odd number of bytes/,
    );
  });
});

describe('stripBom', () => {
  it('drops only a leading U+FEFF', () => {
    expect(stripBom('\ufeffa\ufeff')).toBe('a\ufeff');
    expect(stripBom('a')).toBe('a');
  });
});

/** `text` as UTF-32 LE with its byte-order mark (FF FE 00 00). */
function utf32le(text: string): Buffer {
  const out = Buffer.alloc(4 * (text.length + 1));
  out.writeUInt32LE(0xfeff, 0);
  [...text].forEach((c, i) => out.writeUInt32LE(c.codePointAt(0) ?? 0, 4 * (i + 1)));
  return out;
}
