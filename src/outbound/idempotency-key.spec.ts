import { ApiError } from '../common/api-error';
import { readIdempotencyKey } from './idempotency-key';

describe(readIdempotencyKey.name, () => {
  it('is undefined when the header is absent', () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each(['a', '3f1c6a52-6b0e-4d8e-9d3a-2f0c4b1e7a90', 'order 42/retry:1', 'x'.repeat(255)])(
    'accepts %j',
    (key) => expect(readIdempotencyKey(key)).toBe(key),
  );

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['too long', 'x'.repeat(256)],
    ['a control character', 'abc\tdef'],
    ['non-ASCII', 'clé'],
    ['repeated', ['a', 'b']],
  ])('refuses a key that is %s', (_, key) => {
    let thrown: unknown;
    try {
      readIdempotencyKey(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).getStatus()).toBe(400);
    expect((thrown as ApiError).code).toBe('invalid_idempotency_key');
  });
});
