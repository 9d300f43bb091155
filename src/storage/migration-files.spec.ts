import { migrations } from './migration-files';

describe('migrations', () => {
  it('numbers them 1, 2, 3... without a gap, in order', async () => {
    const versions = (await migrations()).map((migration) => migration.version);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('finds an up() in each', async () => {
    for (const migration of await migrations()) expect(typeof migration.up).toBe('function');
  });
});
