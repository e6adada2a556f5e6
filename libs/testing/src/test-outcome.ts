/** True once a test or hook of the running file has failed (set by test/support/e2e-environment.js). */
export function anyTestFailed(): boolean {
  return Boolean((globalThis as { __heraldTestFailed?: boolean }).__heraldTestFailed);
}

/** The running Jest file's name without its suffix, or undefined outside Jest (bench, dev). */
export function currentTestFileName(): string | undefined {
  const jestExpect = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect;
  return jestExpect
    ?.getState?.()
    .testPath?.replace(/^.*\//, '')
    .replace(/\.e2e-spec\.ts$/, '');
}
