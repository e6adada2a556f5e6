import type { Branding } from './api/types';

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * A portal's name and primary colour. The colour goes in a CSS variable through the CSSOM, which
 * the console's Content-Security-Policy allows (inline style attributes it would refuse).
 */
export function applyBranding(branding: Branding | null | undefined): void {
  const root = document.documentElement.style;
  if (branding?.primaryColor && COLOUR.test(branding.primaryColor)) {
    root.setProperty('--primary', branding.primaryColor);
  } else {
    root.removeProperty('--primary');
  }
}
