import { defineConfig } from 'vite';

// Storybook's own Vite config: workspace packages resolve to their src/, as in the repository's Vitest config.
export default defineConfig({
  resolve: { conditions: ['@tessera/source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es' },
});
