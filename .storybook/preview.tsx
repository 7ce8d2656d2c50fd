import type { Preview } from '@storybook/react-vite';
import '@tessera/react/theme.css';
import './preview.css';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'none' },
    // Any axe violation fails the story's test (in the Vitest project `storybook` and in the test panel).
    a11y: { test: 'error' },
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720, margin: '0 auto' }}>
        <Story />
      </div>
    ),
  ],
};

export default preview;
