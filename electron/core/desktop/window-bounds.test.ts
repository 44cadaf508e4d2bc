import { describe, expect, it } from 'vitest';
import { boundsToSave, restorableBounds } from './window-bounds';

// Saved window bounds come from a file anyone can edit and from displays that may be gone.

const limits = { minWidth: 900, minHeight: 560 };
const laptop = { x: 0, y: 25, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restorable window bounds', () => {
  it('restores sane bounds on an attached display, with the maximized flag', () => {
    expect(restorableBounds({ x: 100, y: 80, width: 1200, height: 800 }, [laptop], limits)).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
    expect(restorableBounds({ x: 1600, y: 100, width: 1400, height: 900, maximized: true }, [laptop, external], limits)).toEqual({
      x: 1600,
      y: 100,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });

  it('does not restore a window whose display is gone, or that is off every screen', () => {
    expect(restorableBounds({ x: 1600, y: 100, width: 1400, height: 900 }, [laptop], limits)).toBeUndefined();
    expect(restorableBounds({ x: -5000, y: -5000, width: 1200, height: 800 }, [laptop], limits)).toBeUndefined();
    // Only a sliver of the title bar on screen: cannot be grabbed.
    expect(restorableBounds({ x: 1400, y: 100, width: 1200, height: 800 }, [laptop], limits)).toBeUndefined();
    // Title bar above the work area (under the macOS menu bar).
    expect(restorableBounds({ x: 100, y: -700, width: 1200, height: 800 }, [laptop], limits)).toBeUndefined();
    expect(restorableBounds({ x: 100, y: 100, width: 1200, height: 800 }, [], limits)).toBeUndefined();
  });

  it('a tampered file gives neither a giant, a tiny nor an off-screen window', () => {
    for (const bad of [
      null,
      'x',
      [],
      { x: 0, y: 0 },
      { x: '0', y: 0, width: 1000, height: 700 },
      { x: NaN, y: 0, width: 1000, height: 700 },
      { x: 0, y: 0, width: Infinity, height: 700 },
      { x: 0, y: 0, width: 1e12, height: 1e12 },
      { x: 1e9, y: 1e9, width: 1000, height: 700 },
      { x: 0, y: 30, width: 1, height: 1 },
      { x: 0, y: 30, width: -1000, height: -700 },
    ])
      expect(restorableBounds(bad, [laptop], limits), JSON.stringify(bad)).toBeUndefined();
    // Larger than the display, but on it: shrunk to fit the display.
    const giant = restorableBounds({ x: 0, y: 25, width: 90_000, height: 90_000 }, [laptop], limits)!;
    expect(giant).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
    // Fractions are rounded; an invalid maximized flag is ignored.
    expect(restorableBounds({ x: 10.4, y: 30.6, width: 1000.5, height: 700.2, maximized: 'yes' }, [laptop], limits)).toEqual({
      x: 10,
      y: 31,
      width: 1001,
      height: 700,
    });
  });

  it('ignores displays that make no sense', () => {
    expect(restorableBounds({ x: 100, y: 100, width: 1000, height: 700 }, [{ x: 0, y: 0, width: NaN, height: 800 }], limits)).toBeUndefined();
  });

  it('saves only finite, positive bounds', () => {
    expect(boundsToSave({ x: 1.2, y: 2, width: 1000, height: 700 }, true)).toEqual({ x: 1, y: 2, width: 1000, height: 700, maximized: true });
    expect(boundsToSave({ x: 0, y: 0, width: 0, height: 700 }, false)).toBeUndefined();
    expect(boundsToSave({ x: NaN, y: 0, width: 10, height: 700 }, false)).toBeUndefined();
  });
});
