import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../lib/collect/errors';
import { parseJsonInput } from '../../../../lib/collect/files/json-input';

const MULTI =
  /^f\.json: holds more than one JSON document; write each kubectl output to its own file, or use -o yaml \(documents separated by ---\)$/;

describe('parseJsonInput', () => {
  it('parses one JSON value with surrounding whitespace', () => {
    expect(parseJsonInput('f.json', '\n {"a":"}{"}\n')).toEqual({ a: '}{' });
  });

  it.each([
    ['back to back', '{"a":1}{"b":2}'],
    ['on separate lines', '{"a":1}\n{"b":2}\n'],
    ['arrays', '[1]\n[2]'],
    ['with braces and escaped quotes in strings', '{"a":"\\"}"}\n{"b":"{"}'],
  ])('rejects two documents %s as more than one document', (_name, text) => {
    const call = (): unknown => parseJsonInput('f.json', text);
    expect(call).toThrow(InputError);
    expect(call).toThrow(MULTI);
  });

  it('rejects the reviewer’s appended version output and List', () => {
    const text = readFileSync(join(__dirname, '../../../fixtures/inputs/concat.json'), 'utf8');
    expect(() => parseJsonInput('f.json', text)).toThrow(MULTI);
  });

  it('asks whether output that never closes was cut off', () => {
    expect(() => parseJsonInput('f.json', '{"items": [\n')).toThrow(
      /^f\.json: is not valid JSON \(.+\); was the kubectl output cut off\?$/,
    );
  });

  it('reports other syntax errors without the cut-off guess', () => {
    expect(() => parseJsonInput('f.json', '{"a": nope}')).toThrow(
      /^f\.json: is not valid JSON \(.+\); pass the output of `kubectl … -o json` unchanged$/,
    );
  });

  it('does not call a complete value followed by garbage a second document', () => {
    expect(() => parseJsonInput('f.json', '{"a":1} trailing')).toThrow(
      /is not valid JSON .*unchanged$/,
    );
  });
});
