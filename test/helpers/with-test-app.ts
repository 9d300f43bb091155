import { TestApp, TestAppOptions } from './test-app';

/** Boots a TestApp for one test and always closes it, for cases that need their own config. */
export async function withTestApp<T>(
  options: TestAppOptions,
  use: (t: TestApp) => Promise<T>,
): Promise<T> {
  const t = await TestApp.create(options);
  try {
    return await use(t);
  } finally {
    await t.close();
  }
}
