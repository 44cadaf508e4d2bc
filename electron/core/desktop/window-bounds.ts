// The main window's remembered size and position. The settings file is
// hostile input (anything running as the user can edit it, and displays come
// and go), so saved bounds are used only when they describe a sane window
// whose title bar is on a display that exists now; otherwise the window opens
// at its default size, centred by the OS.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedBounds extends Rect {
  maximized?: boolean;
}

export interface WindowLimits {
  minWidth: number;
  minHeight: number;
}

/** How much of the window must be on one display's work area: enough to grab the title bar and move it. */
const VISIBLE_WIDTH = 120;
const VISIBLE_HEIGHT = 60;
/** No real display is this big; beyond it, a number is tampering or corruption. */
const MAX_COORDINATE = 100_000;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= MAX_COORDINATE;

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.min(a.x + a.width, b.x + b.width) - x, height: Math.min(a.y + a.height, b.y + b.height) - y };
}

/**
 * The bounds to open the window with, or undefined for the defaults.
 * `displays`: the work areas of the displays attached now.
 * A window larger than the display it is on is shrunk to fit it; one whose
 * title bar is not on any display (a monitor unplugged, a forged file) is not restored.
 */
export function restorableBounds(saved: unknown, displays: readonly Rect[], limits: WindowLimits): SavedBounds | undefined {
  if (!saved || typeof saved !== 'object') return undefined;
  const { x, y, width, height, maximized } = saved as Record<string, unknown>;
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height)) return undefined;
  if (width < limits.minWidth / 2 || height < limits.minHeight / 2) return undefined;
  const rect = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
  // The display holding the title bar (the top strip of the window), by the largest share of it.
  const titleBar = { x: rect.x, y: rect.y, width: rect.width, height: Math.min(VISIBLE_HEIGHT, rect.height) };
  let best: Rect | undefined;
  let bestArea = 0;
  for (const display of displays) {
    if (![display.x, display.y, display.width, display.height].every(finite) || display.width <= 0 || display.height <= 0) continue;
    const o = overlap(titleBar, display);
    if (o.width >= VISIBLE_WIDTH && o.height >= Math.min(VISIBLE_HEIGHT, rect.height) && o.width * o.height > bestArea) {
      best = display;
      bestArea = o.width * o.height;
    }
  }
  if (!best) return undefined;
  // Never bigger than the display it is on, never smaller than the window allows, and inside it.
  const w = Math.max(Math.min(rect.width, best.width), Math.min(limits.minWidth, best.width));
  const h = Math.max(Math.min(rect.height, best.height), Math.min(limits.minHeight, best.height));
  const nx = Math.min(Math.max(rect.x, best.x - w + VISIBLE_WIDTH), best.x + best.width - VISIBLE_WIDTH);
  const ny = Math.min(Math.max(rect.y, best.y), best.y + best.height - VISIBLE_HEIGHT);
  return { x: nx, y: ny, width: w, height: h, ...(maximized === true ? { maximized: true } : {}) };
}

/** What to save for a window: its normal (un-maximized) bounds and whether it is maximized. */
export function boundsToSave(normal: Rect, maximized: boolean): SavedBounds | undefined {
  if (![normal.x, normal.y, normal.width, normal.height].every(finite) || normal.width <= 0 || normal.height <= 0) return undefined;
  return { x: Math.round(normal.x), y: Math.round(normal.y), width: Math.round(normal.width), height: Math.round(normal.height), maximized };
}
