import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it when missing. HERALD_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');

/**
 * One headless Chromium per test file. Every page it opens records console errors and uncaught
 * page errors; `assertClean` fails the test on any the test did not say it expects.
 */
export class ConsoleBrowser {
  private readonly problems: string[] = [];
  private allowed: { pattern: RegExp; left: number }[] = [];

  private constructor(
    private readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  static async launch(baseUrl: string): Promise<ConsoleBrowser> {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Chromium refuses to run as root inside its sandbox.
      args: root ? ['--no-sandbox'] : [],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new ConsoleBrowser(browser, baseUrl);
  }

  /** A fresh context (its own sessionStorage) at 1280×800. */
  async newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `console error on ${page.url()}: ${message.text()}`;
      const allowance = this.allowed.find((a) => a.left > 0 && a.pattern.test(message.text()));
      if (allowance) allowance.left -= 1;
      else this.problems.push(text);
    });
    page.on('pageerror', (error) => this.problems.push(`page error on ${page.url()}: ${error.message}`));
    return { context, page };
  }

  /**
   * Chromium logs every non-2xx fetch as a console error; a step that provokes some on purpose (an
   * expired link, another workspace's endpoint) allows up to `times` matching ones, until the test ends.
   */
  allow(pattern: RegExp, times: number): void {
    this.allowed.push({ pattern, left: times });
  }

  /** Fails with every console or page error seen since the last call, allowances aside. */
  assertClean(): void {
    const seen = this.problems.splice(0);
    this.allowed = [];
    expect(seen).toEqual([]);
  }

  url(path: string): string {
    return `${this.baseUrl}/console${path}`;
  }

  /**
   * Saves `name` at 1280×800 and at 390 px wide (full page), and checks the narrow layout needs no
   * sideways scrolling: wide content scrolls inside its own box.
   */
  async screenshot(page: Page, name: string): Promise<void> {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280x800.png`) });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect({ page: name, overflow: Math.max(0, overflow) }).toEqual({ page: name, overflow: 0 });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Evaluates `expression` in the page (a string: the test project's types have no DOM). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, browser: ConsoleBrowser, token: string): Promise<void> {
  await page.goto(browser.url('/'));
  await page.getByLabel('API key or operator token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Presses Tab until `target` has focus (at most `limit` times); fails if it never does. */
export async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await target
      .evaluate(
        (element: { ownerDocument: { activeElement: unknown } }) =>
          element === element.ownerDocument.activeElement,
      )
      .catch(() => false);
    if (focused) return;
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

/** The focused element draws a visible focus ring. */
export async function focusRingShown(page: Page): Promise<boolean> {
  // A string, evaluated in the page: the test project's types have no DOM.
  return page.evaluate<boolean>(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  })()`);
}
