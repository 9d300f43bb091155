import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORM_LIMIT } from '../../common/http/body-policy';
import { MAX_MESSAGE_JSON_BYTES } from './message-limits';

describe("the README's body caps", () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const row = readme.split('\n').find((line) => line.includes('`payload_too_large`'));

  it('states the JSON cap every JSON route applies, in bytes', () => {
    expect(row).toContain(`${MAX_MESSAGE_JSON_BYTES.toLocaleString('en-US')} bytes`);
  });

  it("states the webhooks' form cap", () => {
    expect(row).toContain(`${parseInt(FORM_LIMIT, 10)} KB`);
  });
});
