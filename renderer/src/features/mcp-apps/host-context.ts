import type { McpUiHostContext, McpUiStyleVariableKey } from '@modelcontextprotocol/ext-apps/app-bridge';

// What an app is told about its host in ui/initialize: theme, our colours and
// fonts as the spec's CSS variables, inline display, the frame's room, locale.

const VARIABLES: [McpUiStyleVariableKey, string][] = [
  ['--color-background-primary', '--bg'],
  ['--color-background-secondary', '--bg-soft'],
  ['--color-background-tertiary', '--bg-sunken'],
  ['--color-text-primary', '--fg'],
  ['--color-text-secondary', '--fg-soft'],
  ['--color-border-primary', '--border'],
  ['--color-ring-primary', '--accent'],
  ['--color-text-danger', '--danger'],
  ['--color-text-success', '--ok'],
  ['--color-text-warning', '--warn'],
  ['--font-mono', '--mono'],
  ['--border-radius-md', '--radius'],
];

export const MAX_APP_HEIGHT = 1600;
export const MIN_APP_HEIGHT = 60;

export function hostContext(width: number): McpUiHostContext {
  const root = getComputedStyle(document.documentElement);
  const variables: Partial<Record<McpUiStyleVariableKey, string>> = { '--font-sans': root.fontFamily };
  for (const [spec, ours] of VARIABLES) {
    const value = root.getPropertyValue(ours).trim();
    if (value) variables[spec] = value;
  }
  return {
    theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
    styles: { variables: variables as Record<McpUiStyleVariableKey, string> },
    displayMode: 'inline',
    availableDisplayModes: ['inline'],
    containerDimensions: { width: Math.max(1, Math.round(width)), maxHeight: MAX_APP_HEIGHT },
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    platform: 'desktop',
    userAgent: 'Switchboard',
  };
}
