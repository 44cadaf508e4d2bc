import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// axe-core over a screen, once per theme. The app follows the OS colour
// scheme, so each scan emulates light, then dark, then restores light.
// Only serious and critical violations fail a test; the rest are printed.

export interface Finding {
  screen: string;
  theme: 'light' | 'dark';
  rule: string;
  impact: string;
  targets: string[];
}

const BLOCKING = new Set(['serious', 'critical']);

/** Scans the page in both themes and returns every serious or critical violation. */
export async function scanBothThemes(page: Page, screen: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    const results = await new AxeBuilder({ page })
      // Experimental in axe, but a real barrier: a visible label that is not in the accessible name breaks voice control.
      .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
      .analyze();
    for (const violation of results.violations) {
      if (!BLOCKING.has(violation.impact ?? '')) continue;
      findings.push({ screen, theme, rule: violation.id, impact: violation.impact ?? '', targets: violation.nodes.map((n) => n.target.join(' ')) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

/** Focus must never be lost to <body> once the user has done something. */
export async function expectFocusNotOnBody(page: Page, step: string): Promise<void> {
  const tag = await page.evaluate(() => document.activeElement?.tagName ?? 'NONE');
  expect(tag, `focus after ${step}`).not.toBe('BODY');
}

export function summarize(findings: Finding[]): string {
  return findings.map((f) => `${f.theme} · ${f.screen} · ${f.rule} (${f.impact}): ${f.targets.slice(0, 4).join(', ')}`).join('\n');
}
