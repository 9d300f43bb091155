import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, ErrorCode } from './error-codes';

/** Every `code` the README's error tables name, with the status its row gives. */
function documentedCodes(): Map<string, number[]> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('### Errors');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const documented = new Map<string, number[]>();
  for (const line of section.split('\n').filter((l) => l.startsWith('|'))) {
    const cells = line.split('|').map((cell) => cell.trim());
    const status = cells.find((cell) => /^\d{3}$/.test(cell));
    const codeCell = cells.find((cell) => /^`[a-z_]+`(, `[a-z_]+`)*$/.test(cell));
    if (!status || !codeCell) continue;
    for (const code of codeCell.match(/[a-z_]+/g)!) {
      documented.set(code, [...(documented.get(code) ?? []), Number(status)]);
    }
  }
  return documented;
}

describe('ERROR_CODES', () => {
  const documented = documentedCodes();

  it('is documented in the README, each code with its own status', () => {
    const catalogue = Object.entries(ERROR_CODES).map(([code, { status }]) => [code, [status]]);
    const readme = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [
      code,
      [...new Set(documented.get(code) ?? [])],
    ]);
    expect(readme).toEqual(catalogue);
  });

  it('names no code in the README that the bridge does not answer with', () => {
    expect([...documented.keys()].filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });

  it('gives each code one snake_case name and a one-line meaning', () => {
    for (const [code, { meaning }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(meaning).not.toMatch(/\n/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });
});
