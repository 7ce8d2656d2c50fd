import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const workspacePackages = ['@tessera/core', '@tessera/server-adapter', '@tessera/react'];

const config: NextConfig = {
  // The e2e tests build into a directory of their own, so a running `npm run demo` keeps its build.
  distDir: process.env.TESSERA_DEMO_DIST_DIR ?? '.next',
  outputFileTracingRoot: fileURLToPath(new URL('../../', import.meta.url)),
  transpilePackages: workspacePackages,
  // The repository type-checks the app (`tsc -p apps/demo`); the build only bundles.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // Built with webpack (`next build --webpack`): the workspace packages are bundled from their TypeScript
  // sources, which Turbopack cannot yet do (their ESM imports name `./x.js` for `./x.ts`).
  webpack(webpackConfig: { resolve: { conditionNames?: string[]; extensionAlias?: Record<string, string[]> } }) {
    // The packages' `@tessera/source` export condition points at src/index.ts: never a stale dist/.
    webpackConfig.resolve.conditionNames = ['@tessera/source', '...'];
    webpackConfig.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] };
    return webpackConfig;
  },
};

export default config;
