// @tessera/react is a thin adapter over @tessera/core: everything core exports is available from here too.
export * from '@tessera/core';
