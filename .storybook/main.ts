import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

/**
 * Storybook for @tessera/react: every component and every upload state, run against the simulated backend
 * of @tessera/core (no server). `npm run storybook` serves it, `npm run build-storybook` builds it, and the
 * Vitest project `storybook` runs each story's play function and an axe check in Chromium.
 */
const config: StorybookConfig = {
  stories: ['../packages/react/src/**/*.stories.tsx'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: {
    name: '@storybook/react-vite',
    // Not the repository's vite.config.ts: that one holds the Vitest projects (this Storybook among them).
    options: { builder: { viteConfigPath: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) } },
  },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The stories set their own controls (the simulated backend's knobs); prop tables are not needed.
  typescript: { reactDocgen: false },
};

export default config;
