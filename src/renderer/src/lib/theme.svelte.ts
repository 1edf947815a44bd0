/**
 * The colour scheme as state, so canvas charts (which cannot use CSS variables directly) re-read
 * their colours when the OS switches between light and dark.
 */
import './palette.css';

const query = window.matchMedia('(prefers-color-scheme: dark)');

class Theme {
  dark = $state(query.matches);

  constructor() {
    query.addEventListener('change', (e) => {
      this.dark = e.matches;
    });
  }

  /**
   * The current value of a CSS custom property, e.g. `css('--accent')`. Reads `dark` so an
   * effect that calls it runs again when the scheme changes.
   */
  css(name: string): string {
    void this.dark;
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  /** A colour given as `var(--x)` or `--x` resolved to its value; other colours pass through. */
  resolve(color: string): string {
    const m = /^(?:var\()?(--[\w-]+)\)?$/.exec(color.trim());
    return m ? this.css(m[1]) : color;
  }
}

export const theme = new Theme();

/** `#rgb`/`#rrggbb` with an alpha; other colour strings are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!hex) return color;
  const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export const SERIES_COUNT = 8;
/** The n-th series colour variable (cycling). */
export function seriesVar(n: number): string {
  return `--series-${(n % SERIES_COUNT) + 1}`;
}
