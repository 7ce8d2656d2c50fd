import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@tessera/react/theme.css';
import './demo.css';

export const metadata: Metadata = {
  title: { default: 'Tessera demo', template: '%s · Tessera demo' },
  description: 'Resumable, verified uploads of huge files and recordings, straight from the browser to S3.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
