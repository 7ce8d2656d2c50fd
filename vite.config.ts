import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// The AWS SDK warns once per process that its 2027 releases will need Node 22; these pinned ones run on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sourceConditions = ['@tessera/source', 'module', 'browser', 'development|production'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: ['@tessera/source', 'node', 'import'] } },
  test: {
    reporters: ['default', './scripts/summaryReporter.ts'],
    projects: [
      // One unit project per package: `vitest run --project unit:core`.
      ...['core', 'server-adapter', 'react'].map((name) => ({
        extends: true as const,
        test: {
          name: `unit:${name}`,
          // The React package renders components, so its tests get a DOM (jsdom) and `.test.tsx` files.
          environment: name === 'react' ? ('jsdom' as const) : ('node' as const),
          include: [
            `packages/${name}/src/**/*.test.ts`,
            `packages/${name}/test/**/*.test.ts`,
            ...(name === 'react' ? ['packages/react/src/**/*.test.tsx'] : []),
          ],
        },
      })),
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/storeSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['tests/browser/**/*.test.ts'],
          // The run's shared store, then the test page built by Vite.
          globalSetup: ['tests/support/storeSetup.ts', 'tests/support/browserPageSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // Also puts these files in Vitest's one-file-at-a-time group with the integration tests, after the
          // parallel unit tests: uploads measure throughput and want the two cores to themselves.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          // The run's shared store, then the demo app (next build + next start) on it.
          globalSetup: ['tests/support/storeSetup.ts', 'tests/e2e/support/demoAppSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        // Every story of .storybook/main.ts as a test: render, play function, then an axe check (a11y 'error').
        plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
        test: {
          name: 'storybook',
          // The simulated backend paces uploads with timers: one story file at a time keeps them on time.
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            instances: [{ browser: 'chromium' }],
            // Debian's Chromium: nothing may download a browser here.
            provider: playwright({
              launchOptions: {
                executablePath: '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                ],
              },
            }),
          },
        },
      },
    ],
  },
});
